// Provider settings for the HTTP connection to DigiCert ONE: the timeouts,
// the retries and the limit on requests in flight. Their schema, validation
// and the client options they turn into.

import { DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_TIMEOUTS } from "./digicert/constants";
import { DEFAULT_RETRY_POLICY } from "./digicert/retry";
import type { DigicertClientOptions } from "./digicert/client";
import {
  path,
  type AttributeSchema,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
} from "./framework/types";
import {
  durationValue,
  formatDuration,
  validateDuration,
  type DurationRule,
} from "./validation/durations";
import { numberValue, validateWholeNumber, type WholeNumberRule } from "./validation/numbers";

export const MAX_RETRIES_LIMIT = 20;
export const MAX_CONCURRENT_REQUESTS_LIMIT = 64;

const MINUTE_MS = 60_000;

function durationRule(name: string, minMs: number, maxMs: number, defaultMs: number): DurationRule {
  return { path: path(name), name, minMs, maxMs, defaultMs };
}

const DURATION_RULES = {
  connect_timeout: durationRule("connect_timeout", 100, 10 * MINUTE_MS, DEFAULT_TIMEOUTS.connectMs),
  request_timeout: durationRule("request_timeout", 100, 10 * MINUTE_MS, DEFAULT_TIMEOUTS.headersMs),
  read_timeout: durationRule("read_timeout", 100, 10 * MINUTE_MS, DEFAULT_TIMEOUTS.bodyMs),
  max_retry_duration: durationRule(
    "max_retry_duration",
    1_000,
    60 * MINUTE_MS,
    DEFAULT_RETRY_POLICY.maxElapsedMs,
  ),
};

const MAX_RETRIES_RULE: WholeNumberRule = {
  path: path("max_retries"),
  name: "max_retries",
  min: 0,
  max: MAX_RETRIES_LIMIT,
  unit: "retries",
  note: "where 0 turns retries off",
  fix: `remove it for the default of ${DEFAULT_RETRY_POLICY.maxRetries}`,
};

const MAX_CONCURRENT_REQUESTS_RULE: WholeNumberRule = {
  path: path("max_concurrent_requests"),
  name: "max_concurrent_requests",
  min: 1,
  max: MAX_CONCURRENT_REQUESTS_LIMIT,
  unit: "requests",
  fix: `remove it for the default of ${DEFAULT_MAX_CONCURRENT_REQUESTS}`,
};

/** Describes a duration rule's range and default for a schema description. */
function durationTerms(rule: DurationRule): string {
  return `A Go duration string such as \`"30s"\` or \`"1m30s"\` (units ms, s, m, h), from \`"${formatDuration(rule.minMs)}"\` to \`"${formatDuration(rule.maxMs)}"\`. Defaults to \`"${formatDuration(rule.defaultMs)}"\`.`;
}

export const connectionAttributes: { [name: string]: AttributeSchema } = {
  connect_timeout: {
    type: "string",
    optional: true,
    description: `Maximum time to open a TCP connection to DigiCert ONE and finish the TLS handshake. ${durationTerms(DURATION_RULES.connect_timeout)}`,
  },
  request_timeout: {
    type: "string",
    optional: true,
    description: `Maximum time from sending a request until DigiCert ONE's response headers arrive. ${durationTerms(DURATION_RULES.request_timeout)}`,
  },
  read_timeout: {
    type: "string",
    optional: true,
    description: `Maximum time without data while reading a response body, counted between chunks rather than for the whole body. ${durationTerms(DURATION_RULES.read_timeout)}`,
  },
  max_retries: {
    type: "number",
    optional: true,
    description: `How many times the provider retries a request after a transient failure: HTTP 429, 502, 503 or 504, a refused or reset connection, a timeout or a failed DNS lookup. The wait doubles with each retry (with random jitter), or follows the API's Retry-After header. A create (POST) is retried only after 429, 503 or a failure to connect, when DigiCert ONE cannot have processed it. A whole number from 0 to ${MAX_RETRIES_LIMIT}, where 0 turns retries off. Defaults to ${DEFAULT_RETRY_POLICY.maxRetries}.`,
  },
  max_retry_duration: {
    type: "string",
    optional: true,
    description: `Maximum time the provider spends retrying one request, counted from its first attempt: no retry starts later, and a Retry-After that asks for a longer wait ends the retries. ${durationTerms(DURATION_RULES.max_retry_duration)}`,
  },
  max_concurrent_requests: {
    type: "number",
    optional: true,
    description: `Maximum number of DigiCert ONE requests that this provider configuration sends at once, across all resources and data sources. Terraform works on up to 10 resources in parallel by default, so this limit keeps a large apply within the API's rate limit. A whole number from 1 to ${MAX_CONCURRENT_REQUESTS_LIMIT}. Defaults to ${DEFAULT_MAX_CONCURRENT_REQUESTS}.`,
  },
};

function valueOf(config: ObjectValue, name: string): CtyValue {
  return config[name] ?? null;
}

/** Validates the known connection settings, without any API call. */
export function validateConnectionAttributes(config: ObjectValue): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [name, rule] of Object.entries(DURATION_RULES)) {
    diagnostics.push(...validateDuration(valueOf(config, name), rule));
  }
  diagnostics.push(...validateWholeNumber(valueOf(config, "max_retries"), MAX_RETRIES_RULE));
  diagnostics.push(
    ...validateWholeNumber(valueOf(config, "max_concurrent_requests"), MAX_CONCURRENT_REQUESTS_RULE),
  );
  return diagnostics;
}

/** Returns a whole-number setting, or `fallback` when it is null or invalid. */
function wholeNumberValue(value: CtyValue, rule: WholeNumberRule, fallback: number): number {
  if (value === null || validateWholeNumber(value, rule).length > 0) return fallback;
  return numberValue(value) ?? fallback;
}

/**
 * Returns the client options that the connection settings give, with the
 * defaults for settings that are null. Call it after validation.
 */
export function connectionOptions(
  config: ObjectValue,
): Pick<DigicertClientOptions, "timeouts" | "retry" | "maxConcurrentRequests"> {
  return {
    timeouts: {
      connectMs: durationValue(valueOf(config, "connect_timeout"), DURATION_RULES.connect_timeout),
      headersMs: durationValue(valueOf(config, "request_timeout"), DURATION_RULES.request_timeout),
      bodyMs: durationValue(valueOf(config, "read_timeout"), DURATION_RULES.read_timeout),
    },
    retry: {
      maxRetries: wholeNumberValue(
        valueOf(config, "max_retries"),
        MAX_RETRIES_RULE,
        DEFAULT_RETRY_POLICY.maxRetries,
      ),
      maxElapsedMs: durationValue(
        valueOf(config, "max_retry_duration"),
        DURATION_RULES.max_retry_duration,
      ),
    },
    maxConcurrentRequests: wholeNumberValue(
      valueOf(config, "max_concurrent_requests"),
      MAX_CONCURRENT_REQUESTS_RULE,
      DEFAULT_MAX_CONCURRENT_REQUESTS,
    ),
  };
}
