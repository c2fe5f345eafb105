// Protocol-free operations on cty values: equality, unknown checks and exact
// number handling. Resource code and the plugin's codec both build on these.

import {
  BigDecimal,
  CtyNumber,
  CtyType,
  CtyValue,
  DynamicValue,
  Unknown,
} from "./types";

// ---------------------------------------------------------------------------
// Unknown values
// ---------------------------------------------------------------------------

/** Returns whether an `Unknown` occurs anywhere in the value, itself included. */
export function containsUnknown(value: CtyValue | undefined): boolean {
  if (value instanceof Unknown) return true;
  if (value instanceof DynamicValue) return containsUnknown(value.value);
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObjectValue(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Returns whether the value is wholly known: no `Unknown` at any depth. For
 * a check of the top level only, use `!isUnknown(value)`.
 */
export function isKnown(value: CtyValue | undefined): boolean {
  return !containsUnknown(value);
}

// ---------------------------------------------------------------------------
// Equality
// ---------------------------------------------------------------------------

/**
 * Compares two values deeply, as Terraform would compare them.
 *
 * An `Unknown` equals nothing, not even itself, so a value with an unknown
 * leaf never equals anything. Numbers compare by exact value across
 * `number`, `bigint` and `BigDecimal`. A missing or `undefined` object
 * attribute equals null. With a `type`, sets compare as unordered
 * collections without duplicates and map keys must match exactly. Without
 * one, every array compares in order and every key is treated as an object
 * attribute.
 */
export function valuesEqual(
  a: CtyValue | undefined,
  b: CtyValue | undefined,
  type?: CtyType,
): boolean {
  const key = equalityKey(a, type);
  return key !== undefined && key === equalityKey(b, type);
}

/**
 * Returns the elements with duplicates of known elements removed, keeping the
 * first of each in the given order. Elements that cannot be compared, such
 * as those that contain an `Unknown`, are always kept.
 */
export function uniqueSetElements(
  elements: readonly CtyValue[],
  elementType?: CtyType,
): CtyValue[] {
  const seen = new Set<string>();
  const unique: CtyValue[] = [];

  for (const element of elements) {
    const key = equalityKey(element, elementType);
    if (key !== undefined && seen.has(key)) continue;
    if (key !== undefined) seen.add(key);
    unique.push(element);
  }
  return unique;
}

/**
 * Builds text that two values of the same type share exactly when they are
 * equal, so that sets can be compared and de-duplicated by sorting and
 * hashing. Returns undefined for a value that equals nothing: one containing
 * an `Unknown`, NaN, an infinity or invalid `BigDecimal` text. Every part is
 * self-delimiting (JSON strings, bracketed lists), so joined parts cannot
 * run together.
 */
function equalityKey(
  value: CtyValue | undefined,
  type: CtyType | undefined,
): string | undefined {
  if (value === null || value === undefined) return "null";
  if (value instanceof Unknown) return undefined;

  if (value instanceof DynamicValue) {
    const inner = equalityKey(value.value, value.type);
    if (inner === undefined) return undefined;
    return `dynamic(${typeKey(value.type)},${inner})`;
  }
  if (isCtyNumber(value)) {
    const decimal = toDecimal(value);
    if (decimal === undefined) return undefined;
    const sign = decimal.negative ? "-" : "";
    return `number(${sign}${decimal.digits}e${decimal.exponent})`;
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return arrayKey(value, type);
  return objectKey(value, type);
}

function arrayKey(
  elements: CtyValue[],
  type: CtyType | undefined,
): string | undefined {
  if (Array.isArray(type) && type[0] === "set") {
    const keys = keysOf(elements.map((element) => [element, type[1]]));
    if (keys === undefined) return undefined;
    return `set(${[...new Set(keys)].sort().join(",")})`;
  }

  const keys = keysOf(
    elements.map((element, index) => [element, arrayElementType(type, index)]),
  );
  return keys === undefined ? undefined : `[${keys.join(",")}]`;
}

function arrayElementType(
  type: CtyType | undefined,
  index: number,
): CtyType | undefined {
  if (!Array.isArray(type)) return undefined;
  if (type[0] === "list") return type[1];
  if (type[0] === "tuple") return type[1][index];
  return undefined;
}

function objectKey(
  object: { [key: string]: CtyValue },
  type: CtyType | undefined,
): string | undefined {
  let names: string[];
  let typeOf: (name: string) => CtyType | undefined;

  if (Array.isArray(type) && type[0] === "map") {
    // Map keys must match exactly, so a null element still counts.
    names = Object.keys(object).filter((key) => object[key] !== undefined);
    typeOf = () => type[1];
  } else if (Array.isArray(type) && type[0] === "object") {
    // Attributes outside the type are not part of the value.
    const attributeTypes = type[1];
    names = Object.keys(attributeTypes);
    typeOf = (name) => attributeTypes[name];
  } else {
    // Without a type, a missing attribute equals null, so nulls are left out.
    names = Object.keys(object).filter((key) => (object[key] ?? null) !== null);
    typeOf = () => undefined;
  }

  names.sort();
  const keys = keysOf(
    names.map((name) => [Object.hasOwn(object, name) ? object[name] : null, typeOf(name)]),
  );
  if (keys === undefined) return undefined;

  const members = names.map((name, i) => `${JSON.stringify(name)}:${keys[i]}`);
  return `{${members.join(",")}}`;
}

function keysOf(
  parts: Array<[CtyValue | undefined, CtyType | undefined]>,
): string[] | undefined {
  const keys: string[] = [];
  for (const [value, type] of parts) {
    const key = equalityKey(value, type);
    if (key === undefined) return undefined;
    keys.push(key);
  }
  return keys;
}

/** Text that two types share exactly when they are the same type. */
function typeKey(type: CtyType): string {
  if (typeof type === "string") return type;

  switch (type[0]) {
    case "list":
    case "set":
    case "map":
      return `${type[0]}(${typeKey(type[1])})`;
    case "tuple":
      return `tuple(${type[1].map(typeKey).join(",")})`;
    case "object": {
      const attributes = type[1];
      const members = Object.keys(attributes)
        .sort()
        .map((name) => `${JSON.stringify(name)}:${typeKey(attributes[name])}`);
      const optional = [...(type[2] ?? [])].sort().map((name) => JSON.stringify(name));
      return `object(${members.join(",")};${optional.join(",")})`;
    }
    default:
      return JSON.stringify(type);
  }
}

/** Returns whether the value is a map or object: a plain object, not a model class. */
function isObjectValue(
  value: CtyValue | undefined,
): value is { [key: string]: CtyValue } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Unknown) &&
    !(value instanceof DynamicValue) &&
    !(value instanceof BigDecimal)
  );
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

export function isCtyNumber(value: unknown): value is CtyNumber {
  return (
    typeof value === "number" ||
    typeof value === "bigint" ||
    value instanceof BigDecimal
  );
}

/**
 * Compares two numbers by exact value. A non-integer `number` represents the
 * decimal that its shortest text form shows (0.1 is exactly one tenth), and
 * an integer `number` for its exact binary value. go-cty's number equality
 * works the same way, so 0.1 sent as a float64 equals "0.1" sent as text.
 * NaN, infinities and invalid `BigDecimal` text equal nothing.
 */
export function numbersEqual(a: CtyNumber, b: CtyNumber): boolean {
  const left = toDecimal(a);
  const right = toDecimal(b);
  return left !== undefined && right !== undefined && decimalsEqual(left, right);
}

/**
 * Parses decimal text such as "-12", "0.5", "1e30" or
 * "0.1000000000000000000001" into its `CtyNumber` form. Integers in the safe
 * range and non-integers that a double represents without a change to their
 * decimal text become `number`, other integers `bigint`, and everything else a
 * `BigDecimal` with canonical text. Returns undefined for text that is not a
 * decimal number.
 */
export function parseNumber(text: string): CtyNumber | undefined {
  const decimal = parseDecimal(text);
  if (decimal === undefined) return undefined;
  if (decimal.digits === "") return 0;

  if (decimal.exponent >= 0) {
    const length = decimal.digits.length + decimal.exponent;
    if (length > MAX_INTEGER_DIGITS) return new BigDecimal(formatDecimal(decimal));

    const sign = decimal.negative ? "-" : "";
    const integer = BigInt(sign + decimal.digits + "0".repeat(decimal.exponent));
    return isSafeBigInt(integer) ? Number(integer) : integer;
  }

  const double = Number(text);
  const doubleDecimal = toDecimal(double);
  if (doubleDecimal !== undefined && decimalsEqual(doubleDecimal, decimal)) {
    return double;
  }
  return new BigDecimal(formatDecimal(decimal));
}

/**
 * Formats a number as decimal text that is also a valid JSON number. Throws
 * a RangeError for NaN, infinities and invalid `BigDecimal` text.
 */
export function formatNumber(value: CtyNumber): string {
  if (typeof value === "bigint") return value.toString();

  const decimal = toDecimal(value);
  if (decimal === undefined) {
    throw new RangeError(
      typeof value === "number"
        ? `number ${value} is not finite`
        : "BigDecimal text is not a decimal number",
    );
  }
  return formatDecimal(decimal);
}

/**
 * Integers longer than this many digits stay `BigDecimal`, so that text like
 * "1e1000000000" cannot make `parseNumber` build a huge bigint. Terraform
 * keeps numbers at 512 bits of precision (about 154 digits), so longer
 * integers are beyond what it represents exactly anyway.
 */
const MAX_INTEGER_DIGITS = 1000;

/**
 * A decimal number in normal form: the value is
 * `(negative ? -1 : 1) * digits * 10^exponent`, where `digits` has no
 * leading or trailing zeros. Zero has empty `digits`, exponent 0 and is not
 * negative.
 */
interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) return undefined;

  const [, sign, integerPart, fractionPart = "", exponentText = "0"] = match;
  if (integerPart === "" && fractionPart === "") return undefined;

  const statedExponent = Number(exponentText);
  if (!Number.isSafeInteger(statedExponent)) return undefined;

  let digits = (integerPart + fractionPart).replace(/^0+/, "");
  let exponent = statedExponent - fractionPart.length;
  const trimmed = digits.replace(/0+$/, "");
  exponent += digits.length - trimmed.length;
  digits = trimmed;

  if (digits === "") return { negative: false, digits: "", exponent: 0 };
  if (!Number.isSafeInteger(exponent)) return undefined;
  return { negative: sign === "-", digits, exponent };
}

function toDecimal(value: CtyNumber): Decimal | undefined {
  if (typeof value === "bigint") return parseDecimal(value.toString());
  if (value instanceof BigDecimal) return parseDecimal(value.text);
  if (!Number.isFinite(value)) return undefined;

  // String(n) gives the shortest text for non-integers, and BigInt(n) the
  // exact digits of integers that String(n) would write with an exponent.
  const text = Number.isInteger(value) ? BigInt(value).toString() : String(value);
  return parseDecimal(text);
}

function decimalsEqual(a: Decimal, b: Decimal): boolean {
  return (
    a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent
  );
}

/**
 * Writes plain notation ("1500", "0.0015") unless that would need more than
 * 20 zeros, and scientific notation ("1.5e-30") otherwise.
 */
function formatDecimal(decimal: Decimal): string {
  const { digits, exponent } = decimal;
  if (digits === "") return "0";

  const sign = decimal.negative ? "-" : "";
  const pointPosition = digits.length + exponent;

  if (exponent >= 0 && exponent <= 20) {
    return sign + digits + "0".repeat(exponent);
  }
  if (exponent < 0 && pointPosition > 0) {
    return `${sign}${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
  }
  if (exponent < 0 && pointPosition > -20) {
    return `${sign}0.${"0".repeat(-pointPosition)}${digits}`;
  }

  const fraction = digits.length > 1 ? "." + digits.slice(1) : "";
  return `${sign}${digits[0]}${fraction}e${pointPosition - 1}`;
}

function isSafeBigInt(value: bigint): boolean {
  return (
    value >= BigInt(Number.MIN_SAFE_INTEGER) &&
    value <= BigInt(Number.MAX_SAFE_INTEGER)
  );
}
