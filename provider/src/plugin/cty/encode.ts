// The type-directed walk over a CtyValue that both encoders share. It checks
// the value against the type and hands each checked part to a builder, which
// produces the msgpack wire tree or JSON text.

import {
  AttributePath,
  CtyNumber,
  CtyType,
  CtyValue,
  DynamicValue,
  Unknown,
} from "../../framework/types";
import { uniqueSetElements } from "../../framework/values";
import { atSetElement, CtyCodecError, describeValue } from "./errors";
import { checkNumber } from "./numbers";
import { describeType, parseType, typeToJson } from "./types";

/** Produces one output format from checked parts of a value. */
export interface ValueBuilder<T> {
  null(): T;
  unknown(value: Unknown, type: CtyType, path: AttributePath): T;
  string(value: string): T;
  number(value: CtyNumber): T;
  bool(value: boolean): T;
  array(elements: T[]): T;
  /** A map or object, with entries in the order to write them. */
  map(entries: Array<[string, T]>): T;
  /** A value of type "dynamic" whose own type has the given JSON. */
  dynamic(typeJson: string, value: T): T;
}

/**
 * Checks `value` against `type` and builds its encoding. `undefined` counts
 * as null, so an object attribute missing from the JavaScript object is
 * written as null. Set elements that duplicate an earlier known element are
 * left out.
 *
 * @throws CtyCodecError naming the path of the first part that does not fit.
 */
export function encodeValue<T>(
  value: CtyValue | undefined,
  type: CtyType,
  path: AttributePath,
  builder: ValueBuilder<T>,
): T {
  if (value === null || value === undefined) return builder.null();
  if (value instanceof Unknown) return builder.unknown(value, type, path);

  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (typeof value !== "string") throw mismatch(type, value, path);
        return builder.string(value);
      case "number":
        checkNumber(value, path);
        return builder.number(value);
      case "bool":
        if (typeof value !== "boolean") throw mismatch(type, value, path);
        return builder.bool(value);
      case "dynamic":
        return encodeDynamic(value, path, builder);
    }
  }

  switch (type[0]) {
    case "list":
    case "set": {
      if (!Array.isArray(value)) throw mismatch(type, value, path);
      const elementType = type[1];
      if (type[0] === "list") {
        const encoded = value.map((element, index) =>
          encodeValue(element, elementType, [...path, { index }], builder),
        );
        return builder.array(encoded);
      }

      const encoded = uniqueSetElements(value, elementType).map((element) =>
        atSetElement(path, () => encodeValue(element, elementType, path, builder)),
      );
      return builder.array(encoded);
    }

    case "tuple": {
      if (!Array.isArray(value)) throw mismatch(type, value, path);
      const elementTypes = type[1];
      if (value.length !== elementTypes.length) {
        throw new CtyCodecError(
          "WRONG_LENGTH",
          path,
          `expected a tuple of ${elementTypes.length} elements, got ${value.length}`,
        );
      }
      const encoded = value.map((element, index) =>
        encodeValue(element, elementTypes[index], [...path, { index }], builder),
      );
      return builder.array(encoded);
    }

    case "map": {
      if (!isObjectValue(value)) throw mismatch(type, value, path);
      const keys = Object.keys(value).filter((key) => value[key] !== undefined);
      const entries = keys.sort().map((key): [string, T] => [
        key,
        encodeValue(value[key], type[1], [...path, { key }], builder),
      ]);
      return builder.map(entries);
    }

    case "object":
      if (!isObjectValue(value)) throw mismatch(type, value, path);
      return encodeObject(value, type[1], path, builder);

    default:
      throw new CtyCodecError("INVALID_TYPE", path, "invalid type: unknown type kind");
  }
}

function encodeObject<T>(
  value: { [key: string]: CtyValue },
  attributeTypes: { [name: string]: CtyType },
  path: AttributePath,
  builder: ValueBuilder<T>,
): T {
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(attributeTypes, name) && value[name] !== undefined) {
      throw new CtyCodecError(
        "UNEXPECTED_ATTRIBUTE",
        [...path, { attribute: name }],
        `the object type has no attribute "${name}"`,
      );
    }
  }

  const names = Object.keys(attributeTypes).sort();
  const entries = names.map((name): [string, T] => {
    const attribute = Object.hasOwn(value, name) ? value[name] : undefined;
    const attributePath = [...path, { attribute: name }];
    return [name, encodeValue(attribute, attributeTypes[name], attributePath, builder)];
  });
  return builder.map(entries);
}

function encodeDynamic<T>(
  value: CtyValue,
  path: AttributePath,
  builder: ValueBuilder<T>,
): T {
  if (!(value instanceof DynamicValue)) throw mismatch("dynamic", value, path);

  const type = parseType(value.type, path);
  const encoded = encodeValue(value.value, type, path, builder);
  return builder.dynamic(typeToJson(type), encoded);
}

function isObjectValue(value: CtyValue): value is { [key: string]: CtyValue } {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function mismatch(type: CtyType, value: unknown, path: AttributePath): CtyCodecError {
  return new CtyCodecError(
    "TYPE_MISMATCH",
    path,
    `expected ${describeType(type)}, got ${describeValue(value)}`,
  );
}
