// Retry rules of the DigiCert ONE client: which failures are retried, how
// long to wait before the next attempt (exponential backoff with full jitter,
// or the server's Retry-After), and when to give up.

import {
  DigicertApiError,
  DigicertNetworkError,
  type DigicertNetworkErrorCode,
  type RetrySummary,
} from "./errors";
import type { HttpMethod } from "./transport";

/** Limits and backoff of the retries of one request. */
export interface RetryPolicy {
  /** Maximum number of retries after the first attempt, where 0 turns retries off. */
  maxRetries: number;
  /**
   * Maximum time from the start of the first attempt to the start of the
   * last retry, in ms. A request in flight at that moment still runs to its
   * own timeouts.
   */
  maxElapsedMs: number;
  /** Upper bound of the first backoff wait, in ms, which doubles for each later retry. */
  initialBackoffMs: number;
  /** Largest upper bound of one backoff wait, in ms. */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  maxElapsedMs: 120_000,
  initialBackoffMs: 1_000,
  maxBackoffMs: 30_000,
};

/** The time source and timer of the client, replaced by a fake in tests. */
export interface Clock {
  /** Current time in ms since the Unix epoch, which Retry-After dates are compared with. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** Statuses that mean the server or a gateway could not handle the request now. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/**
 * Statuses after which a POST is retried. DigiCert ONE answers 429 for its
 * rate limit and 503 during maintenance, and both are taken to reject the
 * request before any work (assumed: DigiCert does not document it). A
 * gateway's 502 or 504 can come after the service created the object.
 */
const POST_RETRYABLE_STATUSES = new Set([429, 503]);

/**
 * Network failures that are retried. A TLS error is left out because a
 * certificate problem does not go away by itself, and an unclassified
 * `network_error` because it may be a client fault, such as a closed client.
 */
const RETRYABLE_NETWORK_CODES = new Set<DigicertNetworkErrorCode>([
  "connect_timeout",
  "headers_timeout",
  "body_timeout",
  "connection_refused",
  "connection_reset",
  "dns_lookup_failed",
]);

/**
 * Network failures after which a POST is retried: each happens before the
 * request is sent, so the server cannot have processed it.
 *
 * NOTE: connect_timeout includes ETIMEDOUT, which Node.js can also raise on
 * an open connection whose peer stopped acknowledging data. Within the
 * request timeouts this is unlikely, but such a POST may have been sent.
 */
const POST_RETRYABLE_NETWORK_CODES = new Set<DigicertNetworkErrorCode>([
  "connect_timeout",
  "connection_refused",
  "dns_lookup_failed",
]);

/**
 * Returns whether a failed request may be sent again. GET, PUT and DELETE
 * are idempotent and are retried after any transient failure. A POST is
 * retried only when the server surely did not process it.
 */
export function isRetryable(method: HttpMethod, error: unknown): boolean {
  const isPost = method === "POST";
  if (error instanceof DigicertApiError) {
    return (isPost ? POST_RETRYABLE_STATUSES : RETRYABLE_STATUSES).has(error.status);
  }
  if (error instanceof DigicertNetworkError) {
    return (isPost ? POST_RETRYABLE_NETWORK_CODES : RETRYABLE_NETWORK_CODES).has(error.code);
  }
  return false;
}

/**
 * Returns the backoff wait before retry number `retry` (1 for the first), in
 * ms: a uniformly random time up to `initialBackoffMs * 2^(retry - 1)`,
 * capped at `maxBackoffMs`. This is the "full jitter" backoff, which
 * spreads the retries of many clients that failed at the same moment.
 */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

export type RetryDecision =
  | { retry: true; waitMs: number }
  | { retry: false; stopReason?: string };

export interface RetryState {
  method: HttpMethod;
  error: unknown;
  /** How many times the request has been sent so far. */
  attempts: number;
  /** Time since the start of the first attempt, in ms. */
  elapsedMs: number;
}

/**
 * Decides whether to retry after a failed attempt and how long to wait. A
 * `Retry-After` header sets the wait exactly. Without one, the wait is the
 * backoff, shortened to the time left before `maxElapsedMs`.
 */
export function decideRetry(
  state: RetryState,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (policy.maxRetries === 0 || !isRetryable(state.method, state.error)) {
    return { retry: false };
  }
  if (state.attempts > policy.maxRetries) {
    const limit = `${policy.maxRetries} ${policy.maxRetries === 1 ? "retry" : "retries"}`;
    return { retry: false, stopReason: `the limit of ${limit} was reached` };
  }

  const remainingMs = policy.maxElapsedMs - state.elapsedMs;
  const retryAfterMs =
    state.error instanceof DigicertApiError ? state.error.retryAfterMs : undefined;
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > remainingMs) {
      return {
        retry: false,
        stopReason:
          `the API asked to wait ${formatSeconds(retryAfterMs)} (Retry-After), ` +
          `which would exceed the retry time limit of ${formatSeconds(policy.maxElapsedMs)}`,
      };
    }
    return { retry: true, waitMs: retryAfterMs };
  }
  if (remainingMs <= 0) {
    return {
      retry: false,
      stopReason: `the retry time limit of ${formatSeconds(policy.maxElapsedMs)} was reached`,
    };
  }
  const waitMs = Math.min(backoffMs(state.attempts, policy, random), remainingMs);
  return { retry: true, waitMs };
}

/**
 * Returns the error with the retry summary in its message and `retries`
 * field. Errors of other classes are returned unchanged.
 */
export function withRetrySummary(error: unknown, retries: RetrySummary): unknown {
  if (error instanceof DigicertApiError) {
    return new DigicertApiError({
      status: error.status,
      code: error.code,
      apiMessage: error.apiMessage,
      requestId: error.requestId,
      retryAfterMs: error.retryAfterMs,
      method: error.method,
      path: error.path,
      origin: error.origin,
      retries,
    });
  }
  if (error instanceof DigicertNetworkError) {
    return new DigicertNetworkError({
      code: error.code,
      host: error.host,
      method: error.method,
      path: error.path,
      timeoutMs: error.timeoutMs,
      cause: error.cause,
      retries,
    });
  }
  return error;
}

/** Formats milliseconds as seconds rounded to a tenth, such as "30 seconds" or "0.5 seconds". */
function formatSeconds(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 100) / 10;
  return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
}
