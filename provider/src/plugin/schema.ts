// Conversion of the framework's Schema model to tfplugin6 Schema messages.
import type {
  AttributeSchema,
  BlockSchema,
  NestedAttributes,
  NestedBlockSchema,
  Schema,
} from "../framework/types";
import { typeToJson } from "./cty";
import {
  NestingMode,
  StringKind,
  type SchemaAttributeMessage,
  type SchemaBlockMessage,
  type SchemaMessage,
  type SchemaNestedBlockMessage,
  type SchemaObjectMessage,
} from "./proto/messages";

const NESTING_MODES = {
  single: NestingMode.SINGLE,
  list: NestingMode.LIST,
  set: NestingMode.SET,
  map: NestingMode.MAP,
  group: NestingMode.GROUP,
} as const;

/**
 * Converts a schema to its message. Attribute and block order follows the
 * order of the schema's object keys, so the output is deterministic.
 *
 * @throws Error naming the attribute when an attribute sets both or neither
 *   of `type` and `nested`. Terraform crashes on a malformed schema, so the
 *   server reports the error as a diagnostic instead of sending the schema.
 */
export function toSchemaMessage(schema: Schema): SchemaMessage {
  return { version: schema.version, block: toBlockMessage(schema.block, []) };
}

function toBlockMessage(block: BlockSchema, path: string[]): SchemaBlockMessage {
  return {
    attributes: Object.entries(block.attributes).map(([name, attribute]) =>
      toAttributeMessage(name, attribute, [...path, name]),
    ),
    block_types: Object.entries(block.blocks ?? {}).map(([name, nested]) =>
      toNestedBlockMessage(name, nested, [...path, name]),
    ),
    description: block.description,
    description_kind: StringKind.PLAIN,
    deprecated: block.deprecated ?? false,
  };
}

function toAttributeMessage(
  name: string,
  attribute: AttributeSchema,
  path: string[],
): SchemaAttributeMessage {
  const message: SchemaAttributeMessage = {
    name,
    description: attribute.description,
    description_kind: StringKind.PLAIN,
    required: attribute.required ?? false,
    optional: attribute.optional ?? false,
    computed: attribute.computed ?? false,
    sensitive: attribute.sensitive ?? false,
    deprecated: attribute.deprecated ?? false,
  };

  if (attribute.type !== undefined && attribute.nested === undefined) {
    message.type = Buffer.from(typeToJson(attribute.type), "utf8");
  } else if (attribute.nested !== undefined && attribute.type === undefined) {
    message.nested_type = toObjectMessage(attribute.nested, path);
  } else {
    throw new Error(
      `invalid schema attribute "${path.join(".")}": set exactly one of "type" and "nested"`,
    );
  }
  return message;
}

function toObjectMessage(
  nested: NestedAttributes,
  path: string[],
): SchemaObjectMessage {
  return {
    attributes: Object.entries(nested.attributes).map(([name, attribute]) =>
      toAttributeMessage(name, attribute, [...path, name]),
    ),
    nesting: NESTING_MODES[nested.nesting],
  };
}

function toNestedBlockMessage(
  name: string,
  nested: NestedBlockSchema,
  path: string[],
): SchemaNestedBlockMessage {
  return {
    type_name: name,
    block: toBlockMessage(nested.block, path),
    nesting: NESTING_MODES[nested.nesting],
    min_items: nested.minItems ?? 0,
    max_items: nested.maxItems ?? 0,
  };
}
