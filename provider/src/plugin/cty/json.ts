// cty values in Terraform's JSON form, used by DynamicValue.json and by the
// stored state that UpgradeResourceState receives. JSON cannot carry unknown
// values. A value of type "dynamic" is written as {"type": ..., "value": ...}.

import {
  AttributePath,
  CtyType,
  CtyValue,
  DynamicValue,
} from "../../framework/types";
import { formatNumber, parseNumber } from "../../framework/values";
import { encodeValue, ValueBuilder } from "./encode";
import { atSetElement, CtyCodecError } from "./errors";
import { JsonNode, JsonNumber, JsonObject, parseJson } from "./json-parse";
import { setOwnProperty } from "./objects";
import { describeType, parseType } from "./types";

export interface DecodeJsonOptions {
  /**
   * Skip object attributes that the type does not declare, at any depth,
   * instead of failing. Stored state written under an older schema can hold
   * attributes that were removed since.
   */
  ignoreUnknownAttributes?: boolean;
}

/**
 * Decodes JSON text (or its UTF-8 bytes) that contains a value of `type`.
 * Numbers keep their exact value, and a number may also be given as decimal
 * text in a JSON string. Object attributes missing from the JSON are null.
 * As in go-cty, a string accepts a JSON number or boolean, and a bool
 * accepts the strings "true" and "false".
 *
 * @throws CtyCodecError with the path of the first part that does not fit.
 */
export function decodeJson(
  json: string | Uint8Array,
  type: CtyType,
  options: DecodeJsonOptions = {},
): CtyValue {
  const text = typeof json === "string" ? json : decodeUtf8(json);
  const reader = new JsonValueReader(options.ignoreUnknownAttributes === true);
  return reader.read(parseJson(text), type, []);
}

/**
 * Encodes a wholly known value of `type` as compact JSON, with object
 * attributes in sorted order and a missing attribute as null.
 *
 * @throws CtyCodecError with code UNKNOWN_VALUE for an `Unknown` anywhere, or
 *   another code when the value does not fit the type.
 */
export function encodeJson(value: CtyValue, type: CtyType): string {
  return encodeValue(value, type, [], jsonBuilder);
}

const jsonBuilder: ValueBuilder<string> = {
  null: () => "null",
  unknown(_value, _type, path) {
    throw new CtyCodecError(
      "UNKNOWN_VALUE",
      path,
      "expected a known value, because JSON cannot carry unknown values",
    );
  },
  string: (value) => JSON.stringify(value),
  number: formatNumber,
  bool: (value) => String(value),
  array: (elements) => `[${elements.join(",")}]`,
  map(entries) {
    const members = entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`);
    return `{${members.join(",")}}`;
  },
  dynamic: (typeJson, value) => `{"type":${typeJson},"value":${value}}`,
};

class JsonValueReader {
  constructor(private readonly ignoreUnknownAttributes: boolean) {}

  read(node: JsonNode, type: CtyType, path: AttributePath): CtyValue {
    if (node === null) return null;

    if (typeof type === "string") {
      switch (type) {
        case "string":
          return readString(node, path);
        case "number":
          return readNumber(node, path);
        case "bool":
          return readBool(node, path);
        case "dynamic":
          return this.readDynamic(node, path);
      }
    }

    switch (type[0]) {
      case "list":
      case "set": {
        if (!Array.isArray(node)) throw mismatch(type, node, path);
        const elementType = type[1];
        if (type[0] === "list") {
          return node.map((element, index) =>
            this.read(element, elementType, [...path, { index }]),
          );
        }
        return node.map((element) =>
          atSetElement(path, () => this.read(element, elementType, path)),
        );
      }

      case "tuple": {
        if (!Array.isArray(node)) throw mismatch(type, node, path);
        const elementTypes = type[1];
        if (node.length !== elementTypes.length) {
          throw new CtyCodecError(
            "WRONG_LENGTH",
            path,
            `expected a tuple of ${elementTypes.length} elements, got ${node.length}`,
          );
        }
        return node.map((element, index) =>
          this.read(element, elementTypes[index], [...path, { index }]),
        );
      }

      case "map": {
        if (!isJsonObject(node)) throw mismatch(type, node, path);
        const map: { [key: string]: CtyValue } = {};
        for (const [key, element] of Object.entries(node)) {
          setOwnProperty(map, key, this.read(element, type[1], [...path, { key }]));
        }
        return map;
      }

      case "object":
        if (!isJsonObject(node)) throw mismatch(type, node, path);
        return this.readObject(node, type[1], path);

      default:
        throw new CtyCodecError("INVALID_TYPE", path, "invalid type: unknown type kind");
    }
  }

  private readObject(
    node: JsonObject,
    attributeTypes: { [name: string]: CtyType },
    path: AttributePath,
  ): CtyValue {
    if (!this.ignoreUnknownAttributes) {
      for (const name of Object.keys(node)) {
        if (!Object.hasOwn(attributeTypes, name)) {
          throw new CtyCodecError(
            "UNEXPECTED_ATTRIBUTE",
            [...path, { attribute: name }],
            `the object type has no attribute "${name}"`,
          );
        }
      }
    }

    const object: { [name: string]: CtyValue } = {};
    for (const [name, attributeType] of Object.entries(attributeTypes)) {
      const attributeNode = Object.hasOwn(node, name) ? node[name] : null;
      const value = this.read(attributeNode, attributeType, [...path, { attribute: name }]);
      setOwnProperty(object, name, value);
    }
    return object;
  }

  private readDynamic(node: JsonNode, path: AttributePath): DynamicValue {
    if (!isJsonObject(node)) throw mismatch("dynamic", node, path);

    const keys = Object.keys(node).sort().join(",");
    if (keys !== "type,value") {
      throw new CtyCodecError(
        "TYPE_MISMATCH",
        path,
        'expected a dynamic value as a JSON object with exactly the keys "type" and "value"',
      );
    }

    const type = parseType(node.type, path);
    return new DynamicValue(type, this.read(node.value, type, path));
  }
}

function readString(node: JsonNode, path: AttributePath): string {
  if (typeof node === "string") return node;
  if (node instanceof JsonNumber) return node.text;
  if (typeof node === "boolean") return String(node);
  throw mismatch("string", node, path);
}

function readNumber(node: JsonNode, path: AttributePath): CtyValue {
  if (!(node instanceof JsonNumber) && typeof node !== "string") {
    throw mismatch("number", node, path);
  }

  const text = node instanceof JsonNumber ? node.text : node;
  const number = parseNumber(text);
  if (number !== undefined) return number;
  throw new CtyCodecError(
    "INVALID_NUMBER",
    path,
    node instanceof JsonNumber
      ? "expected a number, got a JSON number with an exponent out of range"
      : "expected a number, got a JSON string that is not decimal number text",
  );
}

function readBool(node: JsonNode, path: AttributePath): boolean {
  if (typeof node === "boolean") return node;
  if (node === "true") return true;
  if (node === "false") return false;
  throw mismatch("bool", node, path);
}

function isJsonObject(node: JsonNode): node is JsonObject {
  return (
    typeof node === "object" &&
    node !== null &&
    !Array.isArray(node) &&
    !(node instanceof JsonNumber)
  );
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new CtyCodecError("INVALID_JSON", [], "invalid JSON: the bytes are not UTF-8", {
      cause: error,
    });
  }
}

function describeJson(node: JsonNode): string {
  if (node === null) return "JSON null";
  if (node instanceof JsonNumber) return "a JSON number";
  if (Array.isArray(node)) return "a JSON array";
  if (typeof node === "object") return "a JSON object";
  return `a JSON ${typeof node}`;
}

function mismatch(type: CtyType, node: JsonNode, path: AttributePath): CtyCodecError {
  return new CtyCodecError(
    "TYPE_MISMATCH",
    path,
    `expected ${describeType(type)}, got ${describeJson(node)}`,
  );
}
