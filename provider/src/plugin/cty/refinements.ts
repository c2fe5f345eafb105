// Unknown values on the msgpack wire. Terraform treats every extension as an
// unknown value. Extension type 12 carries refinements: a msgpack map with
// integer keys, described in Terraform's docs/plugin-protocol/
// object-wire-format.md.
//
//   1: bool, true when the value is definitely null, false when it is
//      definitely not null
//   2: string prefix of a string
//   3, 4: [number, inclusive] lower and upper bound of a number
//   5, 6: inclusive lower and upper bound of a collection's length

import { ExtData } from "@msgpack/msgpack";
import {
  AttributePath,
  CtyNumber,
  CtyType,
  Refinements,
  Unknown,
} from "../../framework/types";
import { CtyCodecError } from "./errors";
import { checkNumber, numberFromWire, numberToWire } from "./numbers";
import { decodeFirstWire, encodeWire, isWireMap, Wire } from "./wire";

const REFINED_EXTENSION_TYPE = 12;

const NULLNESS = 1;
const STRING_PREFIX = 2;
const NUMBER_LOWER_BOUND = 3;
const NUMBER_UPPER_BOUND = 4;
const LENGTH_LOWER_BOUND = 5;
const LENGTH_UPPER_BOUND = 6;

type NumberBound = { value: CtyNumber; inclusive: boolean };

/**
 * Reads an unknown value of `type` from any extension. Refinements that do
 * not apply to the type are dropped, as are keys this code does not know.
 * A malformed refinement payload yields an unknown without refinements,
 * because refinements are only hints.
 */
export function unknownFromExtension(extension: ExtData, type: CtyType): Unknown {
  // Decoded extensions always hold bytes. The library's type also allows a
  // function, which only its encoder uses.
  const data = extension.data;
  const isRefined =
    extension.type === REFINED_EXTENSION_TYPE &&
    data instanceof Uint8Array &&
    data.length > 1;
  if (!isRefined || type === "dynamic") return new Unknown();

  try {
    return new Unknown(readRefinements(data, type));
  } catch (error) {
    if (error instanceof MalformedRefinements || error instanceof CtyCodecError) {
      return new Unknown();
    }
    throw error;
  }
}

/**
 * Builds the extension for an unknown value of `type`: type 0 with one zero
 * byte (`d4 00 00`) when it has no refinements that apply to the type, and
 * type 12 with the refinement map otherwise.
 *
 * @throws CtyCodecError with code INVALID_REFINEMENT or INVALID_NUMBER for
 *   bounds that are not numbers or lengths.
 */
export function unknownToExtension(
  value: Unknown,
  type: CtyType,
  path: AttributePath,
): ExtData {
  const entries = refinementEntries(value.refinements, type, path);
  if (entries.length === 0) return new ExtData(0, new Uint8Array([0]));

  // The library writes object keys as strings, but the keys must be msgpack
  // integers, so the map is assembled from its header and encoded parts.
  const parts = [new Uint8Array([0x80 | entries.length])];
  for (const [key, wire] of entries) {
    parts.push(encodeWire(key), encodeWire(wire));
  }
  return new ExtData(REFINED_EXTENSION_TYPE, Buffer.concat(parts));
}

class MalformedRefinements extends Error {}

function readRefinements(data: Uint8Array, type: CtyType): Refinements {
  const payload = decodeFirstWire(data);
  if (!isWireMap(payload)) throw new MalformedRefinements();

  const refinements: Refinements = {};
  for (const [key, wire] of Object.entries(payload)) {
    switch (Number(key)) {
      case NULLNESS:
        if (typeof wire !== "boolean") throw new MalformedRefinements();
        // "Definitely null" has no field in Refinements. Terraform sends a
        // known null in that case, so it is dropped.
        if (!wire) refinements.notNull = true;
        break;

      case STRING_PREFIX:
        if (typeof wire !== "string") throw new MalformedRefinements();
        if (type === "string" && wire !== "") refinements.stringPrefix = wire;
        break;

      case NUMBER_LOWER_BOUND: {
        const bound = readNumberBound(wire);
        if (type === "number" && bound) refinements.numberLowerBound = bound;
        break;
      }
      case NUMBER_UPPER_BOUND: {
        const bound = readNumberBound(wire);
        if (type === "number" && bound) refinements.numberUpperBound = bound;
        break;
      }

      case LENGTH_LOWER_BOUND: {
        const length = readLength(wire);
        if (isCollection(type)) refinements.collectionLengthLowerBound = length;
        break;
      }
      case LENGTH_UPPER_BOUND: {
        const length = readLength(wire);
        if (isCollection(type)) refinements.collectionLengthUpperBound = length;
        break;
      }
    }
  }
  return refinements;
}

/** Returns undefined for an infinite bound, which bounds nothing. */
function readNumberBound(wire: Wire): NumberBound | undefined {
  if (!Array.isArray(wire) || wire.length !== 2) throw new MalformedRefinements();

  const [number, inclusive] = wire;
  if (typeof inclusive !== "boolean") throw new MalformedRefinements();
  if (number === Infinity || number === -Infinity) return undefined;
  return { value: numberFromWire(number, []), inclusive };
}

function readLength(wire: Wire): number {
  const length = typeof wire === "bigint" ? Number(wire) : wire;
  if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
    throw new MalformedRefinements();
  }
  return length;
}

function refinementEntries(
  refinements: Refinements,
  type: CtyType,
  path: AttributePath,
): Array<[number, Wire]> {
  // go-cty gives unknown values of type "dynamic" no refinements.
  if (type === "dynamic") return [];

  const entries: Array<[number, Wire]> = [];
  if (refinements.notNull === true) entries.push([NULLNESS, false]);

  if (type === "string" && refinements.stringPrefix) {
    entries.push([STRING_PREFIX, refinements.stringPrefix]);
  }

  if (type === "number") {
    const lower = refinements.numberLowerBound;
    const upper = refinements.numberUpperBound;
    if (lower) entries.push([NUMBER_LOWER_BOUND, numberBoundToWire(lower, path)]);
    if (upper) entries.push([NUMBER_UPPER_BOUND, numberBoundToWire(upper, path)]);
  }

  if (isCollection(type)) {
    const lower = refinements.collectionLengthLowerBound;
    const upper = refinements.collectionLengthUpperBound;
    // Every length is at least 0, so a lower bound of 0 adds nothing.
    if (lower !== undefined && lower !== 0) {
      entries.push([LENGTH_LOWER_BOUND, checkLength(lower, path)]);
    }
    if (upper !== undefined) {
      entries.push([LENGTH_UPPER_BOUND, checkLength(upper, path)]);
    }
  }
  return entries;
}

function numberBoundToWire(bound: NumberBound, path: AttributePath): Wire {
  checkNumber(bound.value, path);
  return [numberToWire(bound.value), bound.inclusive];
}

function checkLength(length: number, path: AttributePath): number {
  if (Number.isSafeInteger(length) && length >= 0) return length;
  throw new CtyCodecError(
    "INVALID_REFINEMENT",
    path,
    `expected a collection length bound that is a non-negative integer, got ${length}`,
  );
}

function isCollection(type: CtyType): boolean {
  return Array.isArray(type) && ["list", "set", "map"].includes(type[0]);
}
