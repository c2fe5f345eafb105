import { BlockSchema, CtyType } from "../../provider/src/framework/types";
import {
  blockType,
  CtyCodecError,
  parseTypeJson,
  typeToJson,
} from "../../provider/src/plugin/cty";

/** Runs `action` and returns the CtyCodecError it throws. */
function codecError(action: () => unknown): CtyCodecError {
  try {
    action();
  } catch (error) {
    if (error instanceof CtyCodecError) return error;
    throw error;
  }
  throw new Error("expected a CtyCodecError, but nothing was thrown");
}

describe("typeToJson", () => {
  const cases: Array<[string, CtyType, string]> = [
    ["string", "string", '"string"'],
    ["number", "number", '"number"'],
    ["bool", "bool", '"bool"'],
    ["dynamic", "dynamic", '"dynamic"'],
    ["set of string", ["set", "string"], '["set","string"]'],
    ["list of map", ["list", ["map", "number"]], '["list",["map","number"]]'],
    ["tuple", ["tuple", ["string", ["list", "bool"]]], '["tuple",["string",["list","bool"]]]'],
    ["empty tuple", ["tuple", []], '["tuple",[]]'],
    ["empty object", ["object", {}], '["object",{}]'],
    [
      "object with sorted keys",
      ["object", { zeta: "string", alpha: ["set", "number"], Mid: "bool" }],
      '["object",{"Mid":"bool","alpha":["set","number"],"zeta":"string"}]',
    ],
    [
      "object with optional attributes",
      ["object", { b: "string", a: "number", c: "bool" }, ["c", "a"]],
      '["object",{"a":"number","b":"string","c":"bool"},["a","c"]]',
    ],
    [
      "object with empty optional list",
      ["object", { a: "number" }, []],
      '["object",{"a":"number"}]',
    ],
    [
      "keys escaped as Go does",
      ["object", { "a<b>&c": "string", 'q"\u2028': "bool" }],
      '["object",{"a\\u003cb\\u003e\\u0026c":"string","q\\"\\u2028":"bool"}]',
    ],
    [
      "keys sorted by UTF-8 bytes",
      ["object", { "\u{1F600}": "string", "\uFFFF": "string" }],
      '["object",{"\uFFFF":"string","\u{1F600}":"string"}]',
    ],
  ];

  test.each(cases)("%s", (_name, type, expected) => {
    expect(typeToJson(type)).toBe(expected);
  });

  test.each(cases)("%s parses back", (_name, type) => {
    const parsed = parseTypeJson(typeToJson(type));

    expect(typeToJson(parsed)).toBe(typeToJson(type));
  });

  const invalidCases: Array<[string, unknown]> = [
    ["unknown primitive", "text"],
    ["unknown kind", ["array", "string"]],
    ["list without element type", ["list"]],
    ["list with extra element", ["list", "string", "number"]],
    ["tuple with a non-array", ["tuple", "string"]],
    ["object with an array", ["object", ["a"]]],
    ["optional name not an attribute", ["object", { a: "string" }, ["b"]]],
    ["nested invalid type", ["map", ["set", "str"]]],
    ["number", 1],
  ];

  test.each(invalidCases)("rejects %s", (_name, type) => {
    expect(codecError(() => typeToJson(type as CtyType)).code).toBe("INVALID_TYPE");
  });
});

describe("parseTypeJson", () => {
  test("object with optional attributes", () => {
    expect(parseTypeJson('["object",{"a":"string","b":["list","number"]},["b"]]')).toEqual([
      "object",
      { a: "string", b: ["list", "number"] },
      ["b"],
    ]);
  });

  test("invalid JSON", () => {
    expect(codecError(() => parseTypeJson('["list",')).code).toBe("INVALID_TYPE");
  });

  test("message does not echo the type name", () => {
    const error = codecError(() => parseTypeJson('"hunter2"'));

    expect(error.message).not.toContain("hunter2");
  });
});

describe("blockType", () => {
  const inner: BlockSchema = {
    description: "inner",
    attributes: { value: { type: "string", description: "v", optional: true } },
  };

  test("attributes, nested attributes and blocks", () => {
    const block: BlockSchema = {
      description: "user",
      attributes: {
        id: { type: "string", description: "id", computed: true },
        roles: { type: ["set", "string"], description: "roles", optional: true },
        profile: {
          description: "profile",
          optional: true,
          nested: {
            nesting: "single",
            attributes: {
              name: { type: "string", description: "name", required: true },
              phones: {
                description: "phones",
                optional: true,
                nested: {
                  nesting: "list",
                  attributes: { number: { type: "string", description: "n" } },
                },
              },
            },
          },
        },
        keys: {
          description: "keys",
          optional: true,
          nested: { nesting: "set", attributes: { pem: { type: "string", description: "p" } } },
        },
        limits: {
          description: "limits",
          optional: true,
          nested: { nesting: "map", attributes: { max: { type: "number", description: "m" } } },
        },
      },
      blocks: {
        single_block: { nesting: "single", block: inner },
        group_block: { nesting: "group", block: inner },
        list_block: { nesting: "list", block: inner, maxItems: 2 },
        set_block: { nesting: "set", block: inner },
        map_block: { nesting: "map", block: inner },
      },
    };
    const innerType: CtyType = ["object", { value: "string" }];

    expect(blockType(block)).toEqual([
      "object",
      {
        id: "string",
        roles: ["set", "string"],
        profile: [
          "object",
          { name: "string", phones: ["list", ["object", { number: "string" }]] },
        ],
        keys: ["set", ["object", { pem: "string" }]],
        limits: ["map", ["object", { max: "number" }]],
        single_block: innerType,
        group_block: innerType,
        list_block: ["list", innerType],
        set_block: ["set", innerType],
        map_block: ["map", innerType],
      },
    ]);
  });

  test("type JSON of a block", () => {
    const block: BlockSchema = {
      description: "b",
      attributes: { z: { type: "bool", description: "z" } },
      blocks: { a: { nesting: "list", block: inner } },
    };

    expect(typeToJson(blockType(block))).toBe(
      '["object",{"a":["list",["object",{"value":"string"}]],"z":"bool"}]',
    );
  });

  test("attribute with both type and nested", () => {
    const block: BlockSchema = {
      description: "b",
      attributes: {
        bad: {
          type: "string",
          nested: { nesting: "single", attributes: {} },
          description: "bad",
        },
      },
    };

    const error = codecError(() => blockType(block));

    expect(error.code).toBe("INVALID_TYPE");
    expect(error.path).toEqual([{ attribute: "bad" }]);
  });

  test("attribute with neither type nor nested", () => {
    const block: BlockSchema = {
      description: "b",
      attributes: { x: { description: "x" } },
      blocks: { outer: { nesting: "list", block: { description: "o", attributes: { y: { description: "y" } } } } },
    };

    expect(codecError(() => blockType(block)).path).toEqual([{ attribute: "x" }]);
  });

  test("attribute in a nested block with no type", () => {
    const block: BlockSchema = {
      description: "b",
      attributes: {},
      blocks: { outer: { nesting: "list", block: { description: "o", attributes: { y: { description: "y" } } } } },
    };

    expect(codecError(() => blockType(block)).path).toEqual([
      { attribute: "outer" },
      { attribute: "y" },
    ]);
  });

  test("attribute and block with one name", () => {
    const block: BlockSchema = {
      description: "b",
      attributes: { same: { type: "string", description: "s" } },
      blocks: { same: { nesting: "single", block: inner } },
    };

    expect(codecError(() => blockType(block)).code).toBe("INVALID_TYPE");
  });

  test("malformed attribute type", () => {
    const block: BlockSchema = {
      description: "b",
      attributes: { t: { type: ["list"] as unknown as CtyType, description: "t" } },
    };

    expect(codecError(() => blockType(block)).path).toEqual([{ attribute: "t" }]);
  });
});
