import { Root, type INamespace, type Type } from "protobufjs/light";
import { ProtoRegistry } from "../../provider/src/plugin/proto/codec";
import { protocolDescriptor } from "../../provider/src/plugin/proto/descriptor.generated";

// protobufjs, which the codec replaced, serves as the reference.
const root = Root.fromJSON(protocolDescriptor as INamespace);
const registry = new ProtoRegistry(protocolDescriptor);
const toObjectOptions = { longs: Number, bytes: Buffer, defaults: true, oneofs: true };

function reference(name: string): Type {
  return root.lookupType(name);
}

const cases: { type: string; value: object }[] = [
  {
    type: "tfplugin6.GetProviderSchema.Response",
    value: {
      provider: {
        version: 3,
        block: {
          attributes: [
            { name: "a", type: Buffer.from('"string"'), optional: true, description_kind: 1 },
            { name: "n", nested_type: { nesting: 2, attributes: [{ name: "x", computed: true }] } },
          ],
          block_types: [{ type_name: "b", nesting: 3, block: { deprecated: true } }],
        },
      },
      resource_schemas: { digicertone_thing: { version: 1, block: { description: "ü" } } },
      diagnostics: [
        {
          severity: 2,
          summary: "s",
          attribute: { steps: [{ attribute_name: "a" }, { element_key_int: 7 }, { element_key_string: "k" }] },
        },
      ],
      server_capabilities: { get_provider_schema_optional: true },
    },
  },
  {
    type: "tfplugin6.UpgradeResourceState.Request",
    value: { type_name: "t", version: 2, raw_state: { json: Buffer.from("{}"), flatmap: { a: "b" } } },
  },
  {
    type: "tfplugin6.PlanResourceChange.Response",
    value: {
      planned_state: { msgpack: Buffer.from([0x80]) },
      requires_replace: [{ steps: [{ attribute_name: "name" }] }],
      planned_private: Buffer.from("p"),
    },
  },
  { type: "tfplugin6.FunctionError", value: { text: "t", function_argument: 4 } },
  { type: "tfplugin6.FunctionError", value: { text: "t" } },
  { type: "tfplugin6.StopProvider.Response", value: { Error: "" } },
];

describe("protobuf codec", () => {
  test.each(cases)("decodes $type like protobufjs", ({ type, value }) => {
    const expected = reference(type);
    const bytes = expected.encode(expected.fromObject(value)).finish();

    expect(registry.type(type).decode(bytes)).toEqual(expected.toObject(expected.decode(bytes), toObjectOptions));
  });

  test.each(cases)("encodes $type so protobufjs reads it back", ({ type, value }) => {
    const expected = reference(type);
    const bytes = registry.type(type).encode(value);

    expect(expected.toObject(expected.decode(bytes), toObjectOptions)).toEqual(
      expected.toObject(expected.fromObject(value), toObjectOptions),
    );
  });

  test("skips unknown fields", () => {
    // Field 15 (varint 1), then StopProvider.Response.Error = "x".
    const bytes = Buffer.from("78010a0178", "hex");

    expect(registry.type("tfplugin6.StopProvider.Response").decode(bytes)).toEqual({ Error: "x" });
  });

  test("decodes negative int64", () => {
    const expected = reference("tfplugin6.Schema");
    const bytes = expected.encode(expected.fromObject({ version: -2 })).finish();

    expect(registry.type("tfplugin6.Schema").decode(bytes).version).toBe(-2);
  });
});
