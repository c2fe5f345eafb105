// Duration settings written as Go duration strings, such as "30s" or
// "1m30s", the form Terraform providers use for timeouts.

import {
  isUnknown,
  type AttributePath,
  type CtyValue,
  type Diagnostic,
} from "../framework/types";
import { formatValue, invalidValue, quote } from "./diagnostics";

/** Milliseconds per unit of Go's `time.ParseDuration`. */
const UNIT_MS: { [unit: string]: number } = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3, // U+00B5 MICRO SIGN
  "μs": 1e-3, // U+03BC GREEK SMALL LETTER MU
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go duration string, such as "1h30m", "90s" or "1.5s", into
 * milliseconds. Accepts what Go's `time.ParseDuration` accepts except a
 * sign, and returns undefined for anything else. "0" alone is 0, as in Go.
 */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  if (text === "") return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (match === null) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return total;
}

/** Formats milliseconds as the shortest Go duration string, such as "1m30s" or "500ms". */
export function formatDuration(milliseconds: number): string {
  if (milliseconds === 0) return "0s";
  const parts: string[] = [];
  let rest = milliseconds;
  for (const [unit, size] of [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join("");
}

/** A duration setting and its allowed range. */
export interface DurationRule {
  path: AttributePath;
  /** The attribute name, such as "request_timeout". */
  name: string;
  /** Smallest allowed value, in ms. */
  minMs: number;
  /** Largest allowed value, in ms. */
  maxMs: number;
  /** The default, in ms, for the fix. */
  defaultMs: number;
}

/**
 * Returns an error when `value` is neither null, unknown nor a duration
 * string in the rule's range. A bare number gets the advice to add a unit.
 */
export function validateDuration(value: CtyValue, rule: DurationRule): Diagnostic[] {
  if (value === null || isUnknown(value)) return [];
  const milliseconds = typeof value === "string" ? parseDuration(value) : undefined;
  if (milliseconds !== undefined && milliseconds >= rule.minMs && milliseconds <= rule.maxMs) {
    return [];
  }

  const range = `from ${quote(formatDuration(rule.minMs))} to ${quote(formatDuration(rule.maxMs))}`;
  const remove = `or remove it for the default of ${quote(formatDuration(rule.defaultMs))}`;
  let fix = `Set it to a duration in that range, ${remove}.`;
  if (milliseconds === undefined && typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) {
    fix = `Add a unit, such as ${quote(`${value}s`)} for ${value} seconds, ${remove}.`;
  }
  return [
    invalidValue({
      path: rule.path,
      summary: `Invalid ${rule.name}`,
      problem: `${rule.name} is ${formatValue(value)}.`,
      allowed: `It must be a duration string: numbers each followed by a unit (ms, s, m or h), such as "30s", "1m30s" or "500ms", ${range}.`,
      fix,
    }),
  ];
}

/** Returns a valid duration setting in ms, or the default when it is null, unknown or invalid. */
export function durationValue(value: CtyValue, rule: DurationRule): number {
  if (typeof value !== "string" || validateDuration(value, rule).length > 0) {
    return rule.defaultMs;
  }
  return parseDuration(value)!;
}
