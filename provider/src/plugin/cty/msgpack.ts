// cty values in Terraform's msgpack wire format, as described in
// docs/plugin-protocol/object-wire-format.md of hashicorp/terraform.

import { ExtData } from "@msgpack/msgpack";
import {
  AttributePath,
  CtyType,
  CtyValue,
  DynamicValue,
} from "../../framework/types";
import { encodeValue, ValueBuilder } from "./encode";
import { atSetElement, CtyCodecError } from "./errors";
import { numberFromWire, numberToWire } from "./numbers";
import { setOwnProperty } from "./objects";
import { unknownFromExtension, unknownToExtension } from "./refinements";
import { describeType, parseTypeJson } from "./types";
import {
  decodeWire,
  describeWire,
  encodeWire,
  isWireMap,
  Wire,
  WireMap,
} from "./wire";

/**
 * Encodes a value of `type` as msgpack. Object attributes are written in
 * sorted order, a missing attribute as nil, and duplicate set elements once.
 * A value of type "dynamic" must be a `DynamicValue`, null or `Unknown`.
 *
 * @throws CtyCodecError when the value does not fit the type.
 */
export function encodeMsgpack(value: CtyValue, type: CtyType): Uint8Array {
  return encodeWire(encodeValue(value, type, [], wireBuilder));
}

/**
 * Decodes msgpack bytes that hold a value of `type`. Any extension decodes
 * as `Unknown`, with the refinements of extension type 12. Every object
 * attribute must be present, except those the type lists as optional.
 *
 * @throws CtyCodecError with the path of the first part that does not fit.
 */
export function decodeMsgpack(bytes: Uint8Array, type: CtyType): CtyValue {
  return valueFromWire(decodeWire(bytes), type, []);
}

const wireBuilder: ValueBuilder<Wire> = {
  null: () => null,
  unknown: unknownToExtension,
  string: (value) => value,
  number: numberToWire,
  bool: (value) => value,
  array: (elements) => elements,
  map(entries) {
    const map: WireMap = {};
    for (const [key, value] of entries) setOwnProperty(map, key, value);
    return map;
  },
  dynamic: (typeJson, value) => [Buffer.from(typeJson, "utf8"), value],
};

function valueFromWire(wire: Wire, type: CtyType, path: AttributePath): CtyValue {
  if (wire instanceof ExtData) return unknownFromExtension(wire, type);
  if (wire === null) return null;

  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (typeof wire !== "string") throw mismatch(type, wire, path);
        return wire;
      case "number":
        return numberFromWire(wire, path);
      case "bool":
        if (typeof wire !== "boolean") throw mismatch(type, wire, path);
        return wire;
      case "dynamic":
        return dynamicFromWire(wire, path);
    }
  }

  switch (type[0]) {
    case "list":
    case "set": {
      if (!Array.isArray(wire)) throw mismatch(type, wire, path);
      const elementType = type[1];
      if (type[0] === "list") {
        return wire.map((element, index) =>
          valueFromWire(element, elementType, [...path, { index }]),
        );
      }
      return wire.map((element) =>
        atSetElement(path, () => valueFromWire(element, elementType, path)),
      );
    }

    case "tuple": {
      if (!Array.isArray(wire)) throw mismatch(type, wire, path);
      const elementTypes = type[1];
      if (wire.length !== elementTypes.length) {
        throw new CtyCodecError(
          "WRONG_LENGTH",
          path,
          `expected a tuple of ${elementTypes.length} elements, got ${wire.length}`,
        );
      }
      return wire.map((element, index) =>
        valueFromWire(element, elementTypes[index], [...path, { index }]),
      );
    }

    case "map": {
      if (!isWireMap(wire)) throw mismatch(type, wire, path);
      const map: { [key: string]: CtyValue } = {};
      for (const [key, element] of Object.entries(wire)) {
        setOwnProperty(map, key, valueFromWire(element, type[1], [...path, { key }]));
      }
      return map;
    }

    case "object":
      if (!isWireMap(wire)) throw mismatch(type, wire, path);
      return objectFromWire(wire, type[1], type[2] ?? [], path);

    default:
      throw new CtyCodecError("INVALID_TYPE", path, "invalid type: unknown type kind");
  }
}

function objectFromWire(
  wire: WireMap,
  attributeTypes: { [name: string]: CtyType },
  optionalAttributes: string[],
  path: AttributePath,
): CtyValue {
  for (const name of Object.keys(wire)) {
    if (!Object.hasOwn(attributeTypes, name)) {
      throw new CtyCodecError(
        "UNEXPECTED_ATTRIBUTE",
        [...path, { attribute: name }],
        `the object type has no attribute "${name}"`,
      );
    }
  }

  const object: { [name: string]: CtyValue } = {};
  for (const [name, attributeType] of Object.entries(attributeTypes)) {
    const attributePath = [...path, { attribute: name }];
    if (Object.hasOwn(wire, name)) {
      const value = valueFromWire(wire[name], attributeType, attributePath);
      setOwnProperty(object, name, value);
    } else if (optionalAttributes.includes(name)) {
      setOwnProperty(object, name, null);
    } else {
      throw new CtyCodecError(
        "MISSING_ATTRIBUTE",
        attributePath,
        `the object has no attribute "${name}", which its type requires`,
      );
    }
  }
  return object;
}

/** Reads the [type JSON, value] pair Terraform writes for type "dynamic". */
function dynamicFromWire(wire: Wire, path: AttributePath): DynamicValue {
  if (!Array.isArray(wire)) throw mismatch("dynamic", wire, path);
  if (wire.length !== 2) {
    throw new CtyCodecError(
      "WRONG_LENGTH",
      path,
      `expected a dynamic value as a [type, value] array, got ${wire.length} elements`,
    );
  }

  const [typeWire, valueWire] = wire;
  let typeJson: string;
  if (typeWire instanceof Uint8Array) {
    typeJson = Buffer.from(typeWire).toString("utf8");
  } else if (typeof typeWire === "string") {
    typeJson = typeWire;
  } else {
    throw new CtyCodecError(
      "TYPE_MISMATCH",
      path,
      `expected type JSON as msgpack binary data, got ${describeWire(typeWire)}`,
    );
  }

  const type = parseTypeJson(typeJson, path);
  return new DynamicValue(type, valueFromWire(valueWire, type, path));
}

function mismatch(type: CtyType, wire: Wire, path: AttributePath): CtyCodecError {
  return new CtyCodecError(
    "TYPE_MISMATCH",
    path,
    `expected ${describeType(type)}, got ${describeWire(wire)}`,
  );
}
