// cty types: validation, the type JSON Terraform reads and writes, and names
// for messages.

import { AttributePath, CtyType } from "../../framework/types";
import { CtyCodecError } from "./errors";
import { setOwnProperty } from "./objects";

const PRIMITIVE_TYPES = new Set(["string", "number", "bool", "dynamic"]);

/**
 * Checks that `json` (already parsed from JSON) is a cty type and returns it
 * as a `CtyType`. `path` locates the type in a value for the error.
 *
 * @throws CtyCodecError with code INVALID_TYPE when it is not a cty type.
 */
export function parseType(json: unknown, path: AttributePath = []): CtyType {
  if (typeof json === "string") {
    if (PRIMITIVE_TYPES.has(json)) return json as CtyType;
    throw invalidType(
      path,
      'a primitive type is one of "string", "number", "bool" and "dynamic"',
    );
  }
  if (!Array.isArray(json) || typeof json[0] !== "string") {
    throw invalidType(path, "expected a type name or a [kind, argument] array");
  }

  const [kind, argument] = json;
  switch (kind) {
    case "list":
    case "set":
    case "map":
      expectLength(json, 2, path);
      return [kind, parseType(argument, path)];

    case "tuple":
      expectLength(json, 2, path);
      if (!Array.isArray(argument)) {
        throw invalidType(path, "a tuple type needs an array of element types");
      }
      return ["tuple", argument.map((element) => parseType(element, path))];

    case "object":
      return parseObjectType(json, path);

    default:
      throw invalidType(
        path,
        'a type kind is one of "list", "set", "map", "tuple" and "object"',
      );
  }
}

/** Parses type JSON text such as `["set","string"]`. */
export function parseTypeJson(text: string, path: AttributePath = []): CtyType {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CtyCodecError("INVALID_TYPE", path, "type JSON is not valid JSON", {
      cause: error,
    });
  }
  return parseType(json, path);
}

/**
 * Writes the type JSON Terraform expects in schema `type` bytes and in
 * dynamic values: no spaces, object attributes and optional attribute names
 * sorted by their UTF-8 bytes, strings escaped as Go's encoding/json does.
 * This matches go-cty's Type.MarshalJSON byte for byte.
 *
 * @throws CtyCodecError with code INVALID_TYPE for a malformed type.
 */
export function typeToJson(type: CtyType): string {
  const checked = parseType(type);
  if (typeof checked === "string") return `"${checked}"`;

  switch (checked[0]) {
    case "list":
    case "set":
    case "map":
      return `["${checked[0]}",${typeToJson(checked[1])}]`;

    case "tuple":
      return `["tuple",[${checked[1].map(typeToJson).join(",")}]]`;

    case "object": {
      const attributes = checked[1];
      const members = Object.keys(attributes)
        .sort(compareUtf8)
        .map((name) => `${goJsonString(name)}:${typeToJson(attributes[name])}`);
      const optional = checked[2] ?? [];
      const optionalJson =
        optional.length > 0
          ? `,[${[...optional].sort(compareUtf8).map(goJsonString).join(",")}]`
          : "";
      return `["object",{${members.join(",")}}${optionalJson}]`;
    }
  }
}

/** Names a type for messages with an article: "a list of string", "an object". */
export function describeType(type: CtyType): string {
  const name = typeName(type);
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

function typeName(type: CtyType): string {
  if (typeof type === "string") return type === "dynamic" ? "dynamic value" : type;

  switch (type[0]) {
    case "list":
    case "set":
    case "map":
      return `${type[0]} of ${typeName(type[1])}`;
    case "tuple":
      return `tuple of ${type[1].length} elements`;
    case "object":
      return "object";
  }
}

function parseObjectType(json: unknown[], path: AttributePath): CtyType {
  if (json.length !== 2 && json.length !== 3) {
    throw invalidType(path, "an object type has 2 or 3 elements");
  }

  const [, attributesJson, optionalJson] = json;
  if (
    typeof attributesJson !== "object" ||
    attributesJson === null ||
    Array.isArray(attributesJson)
  ) {
    throw invalidType(path, "an object type needs a JSON object of attribute types");
  }

  const attributes: { [name: string]: CtyType } = {};
  for (const [name, attributeJson] of Object.entries(attributesJson)) {
    setOwnProperty(attributes, name, parseType(attributeJson, path));
  }
  if (optionalJson === undefined) return ["object", attributes];

  const isNameList =
    Array.isArray(optionalJson) &&
    optionalJson.every(
      (name) => typeof name === "string" && Object.hasOwn(attributes, name),
    );
  if (!isNameList) {
    throw invalidType(path, "optional attributes must be a list of its attribute names");
  }
  return ["object", attributes, [...optionalJson]];
}

function expectLength(json: unknown[], length: number, path: AttributePath): void {
  if (json.length !== length) {
    throw invalidType(path, `a "${json[0]}" type has ${length} elements`);
  }
}

function invalidType(path: AttributePath, detail: string): CtyCodecError {
  return new CtyCodecError("INVALID_TYPE", path, `invalid type: ${detail}`);
}

/** Orders strings by their UTF-8 bytes, as Go's sort.Strings does. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * Go's encoding/json escapes <, > and & (for HTML safety) and the JavaScript
 * line terminators U+2028 and U+2029, which JSON.stringify leaves as they are.
 */
function goJsonString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (character) => {
    const code = character.charCodeAt(0).toString(16).padStart(4, "0");
    return `\\u${code}`;
  });
}
