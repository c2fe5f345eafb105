// The object type a schema block implies: the type of the values Terraform
// sends and expects for that block.

import {
  AttributePath,
  AttributeSchema,
  BlockSchema,
  CtyType,
  NestedAttributes,
  NestedBlockSchema,
} from "../../framework/types";
import { CtyCodecError } from "./errors";
import { setOwnProperty } from "./objects";
import { parseType } from "./types";

/**
 * Computes the object type of a block: one attribute per schema attribute
 * and one per nested block type. A nested attribute or block with "single"
 * or "group" nesting is an object, and one with "list", "set" or "map"
 * nesting a list, set or map of objects.
 *
 * NOTE: Terraform types a "list" or "map" nested block whose block contains
 * a "dynamic" attribute as "dynamic" (a tuple or object at run time). This
 * function returns a list or map there, so such schemas are not supported.
 *
 * @throws CtyCodecError with code INVALID_TYPE when an attribute sets both or
 *   neither of `type` and `nested`, when its type is malformed, or when an
 *   attribute and a nested block share a name.
 */
export function blockType(block: BlockSchema, path: AttributePath = []): CtyType {
  const attributeTypes: { [name: string]: CtyType } = {};

  for (const [name, attribute] of Object.entries(block.attributes)) {
    const type = attributeType(attribute, [...path, { attribute: name }]);
    setOwnProperty(attributeTypes, name, type);
  }

  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const nestedPath = [...path, { attribute: name }];
    if (Object.hasOwn(attributeTypes, name)) {
      throw new CtyCodecError(
        "INVALID_TYPE",
        nestedPath,
        `invalid schema: "${name}" is both an attribute and a nested block`,
      );
    }
    setOwnProperty(attributeTypes, name, nestedBlockType(nested, nestedPath));
  }

  return ["object", attributeTypes];
}

function attributeType(attribute: AttributeSchema, path: AttributePath): CtyType {
  const hasType = attribute.type !== undefined;
  const hasNested = attribute.nested !== undefined;
  if (hasType === hasNested) {
    throw new CtyCodecError(
      "INVALID_TYPE",
      path,
      "invalid schema: an attribute sets exactly one of type and nested",
    );
  }

  if (attribute.nested !== undefined) return nestedAttributesType(attribute.nested, path);
  return parseType(attribute.type, path);
}

function nestedAttributesType(nested: NestedAttributes, path: AttributePath): CtyType {
  const objectType = blockType({ description: "", attributes: nested.attributes }, path);
  return nested.nesting === "single" ? objectType : [nested.nesting, objectType];
}

function nestedBlockType(nested: NestedBlockSchema, path: AttributePath): CtyType {
  const objectType = blockType(nested.block, path);
  if (nested.nesting === "single" || nested.nesting === "group") return objectType;
  return [nested.nesting, objectType];
}
