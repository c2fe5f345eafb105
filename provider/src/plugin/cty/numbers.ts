// Numbers between CtyNumber and the msgpack wire. Terraform sends a number
// as an integer, a float, or decimal text when neither represents it exactly.

import {
  AttributePath,
  BigDecimal,
  CtyNumber,
} from "../../framework/types";
import { formatNumber, isCtyNumber, parseNumber } from "../../framework/values";
import { CtyCodecError, describeValue } from "./errors";
import { describeWire, Wire } from "./wire";

const INT32_MIN = -(2n ** 31n);
const UINT32_MAX = 2n ** 32n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Checks that `value` is a number the wire formats can carry: a finite
 * `number`, any `bigint`, or a `BigDecimal` with decimal text.
 *
 * @throws CtyCodecError with code TYPE_MISMATCH or INVALID_NUMBER.
 */
export function checkNumber(
  value: unknown,
  path: AttributePath,
): asserts value is CtyNumber {
  if (!isCtyNumber(value)) {
    throw new CtyCodecError(
      "TYPE_MISMATCH",
      path,
      `expected a number, got ${describeValue(value)}`,
    );
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new CtyCodecError(
      "INVALID_NUMBER",
      path,
      `expected a finite number, got ${value}`,
    );
  }
  if (value instanceof BigDecimal && parseNumber(value.text) === undefined) {
    throw new CtyCodecError(
      "INVALID_NUMBER",
      path,
      "expected a BigDecimal with decimal text such as \"-1.25e3\"",
    );
  }
}

/**
 * Converts a checked number to its wire form: an integer when it is one and
 * fits 64 bits, a float64 for other `number` values, and decimal text for
 * other `bigint` and all `BigDecimal` values.
 */
export function numberToWire(value: CtyNumber): Wire {
  if (value instanceof BigDecimal) return formatNumber(value);
  if (typeof value === "number" && !Number.isInteger(value)) return value;

  // With useBigInt64 set, the library writes a `number` beyond 32 bits as a
  // float64, so larger integers go out as bigint to stay integers.
  const integer = BigInt(value);
  if (integer >= INT32_MIN && integer <= UINT32_MAX) return Number(integer);
  if (integer >= INT64_MIN && integer <= UINT64_MAX) return integer;

  // A float64 represents a `number` integer beyond 64 bits exactly.
  return typeof value === "number" ? value : integer.toString();
}

/**
 * Reads a number from the wire: integers and floats as sent, decimal text
 * through `parseNumber`. Integers outside the safe range become `bigint`.
 *
 * @throws CtyCodecError with code TYPE_MISMATCH or INVALID_NUMBER.
 */
export function numberFromWire(wire: Wire, path: AttributePath): CtyNumber {
  if (typeof wire === "bigint") {
    const isSafe =
      wire >= BigInt(Number.MIN_SAFE_INTEGER) &&
      wire <= BigInt(Number.MAX_SAFE_INTEGER);
    return isSafe ? Number(wire) : wire;
  }
  if (typeof wire === "number") {
    if (Number.isFinite(wire)) return wire;
    throw new CtyCodecError(
      "INVALID_NUMBER",
      path,
      `expected a finite number, got ${wire}`,
    );
  }
  if (typeof wire === "string") {
    const number = parseNumber(wire);
    if (number !== undefined) return number;
    throw new CtyCodecError(
      "INVALID_NUMBER",
      path,
      "expected a number, got a msgpack string that is not decimal number text",
    );
  }
  throw new CtyCodecError(
    "TYPE_MISMATCH",
    path,
    `expected a number, got ${describeWire(wire)}`,
  );
}
