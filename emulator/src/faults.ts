// Fault injection for tests of clients: rate limits, maintenance, random
// gateway errors, latency and responses lost after the work is done. Faults
// apply only to requests under /account/api/v1, before the request
// pipeline runs, the way a gateway in front of DigiCert ONE would respond.
//
// Every decision for a request is made when it arrives, in a fixed order:
//   1. maintenance                     503 service_unavailable + Retry-After
//   2. rate limit per API key          429 rate_limit_exceeded + Retry-After
//   3. random 429                      429 rate_limit_exceeded + Retry-After
//   4. random 5xx                      500/502/503/504, HTML or JSON body
//   5. drop the response               the request is handled, then the
//                                      socket is destroyed without a reply
// Latency delays the response to every request, faulted or not.
//
// Each random fault draws from its own seeded stream, the same number of
// times for every request. So with a seed the n-th request that arrives
// always gets the same decisions. Concurrent requests may arrive in a
// different order from run to run, which changes which request is n-th.

import { randomInt } from "node:crypto";

import { sha256Hex } from "./credentials";
import { RandomSource, seededRandom } from "./random";
import { Clock } from "./time";

/** Statuses a gateway returns for a failed upstream. */
export const GATEWAY_STATUSES = [500, 502, 503, 504] as const;
export type GatewayStatus = (typeof GATEWAY_STATUSES)[number];

export const FAULT_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"] as const;
export type FaultMethod = (typeof FAULT_METHODS)[number];

export interface FaultOptions {
  /**
   * Seed, a whole number from 0 to 2^32 - 1, of the pseudo-random
   * generator behind every probability and random delay.
   * @default a random seed, which `RunningEmulator.faults()` returns
   */
  readonly seed?: number;
  /**
   * Format of every Retry-After header: a number of seconds, or an HTTP
   * date computed from the emulator's clock.
   * @default "seconds"
   */
  readonly retryAfterFormat?: "seconds" | "http-date";
  /** Responds to every request with 503 while set. @default off */
  readonly maintenance?: {
    /** Seconds sent in Retry-After. @default 60 */
    readonly retryAfterSeconds?: number;
  };
  /**
   * Allows each API key at most `requests` requests in any period of
   * `windowSeconds`, measured on the emulator's clock. Requests without a
   * key share one limit. Rejected requests do not count.
   * @default off
   */
  readonly rateLimit?: {
    readonly requests: number;
    readonly windowSeconds: number;
  };
  /** Responds to each request with 429 with this probability, whatever the key. @default off */
  readonly randomRateLimit?: {
    /** Probability from 0 to 1. */
    readonly probability: number;
    /** Seconds sent in Retry-After. @default 1 */
    readonly retryAfterSeconds?: number;
  };
  /** Responds to each request with a gateway error with this probability. @default off */
  readonly serverErrors?: {
    /** Probability from 0 to 1. */
    readonly probability: number;
    /** Statuses to pick from at random. @default [500, 502, 503, 504] */
    readonly statuses?: readonly GatewayStatus[];
    /**
     * Body of the error: an HTML page like nginx's, a JSON error in
     * DigiCert's shape, or either at random.
     * @default "mixed"
     */
    readonly body?: "html" | "json" | "mixed";
  };
  /**
   * Delays every request by a random number of milliseconds from `minMs`
   * to `maxMs`, both included. Uses real timers, not the emulator's clock.
   * @default off
   */
  readonly latency?: {
    readonly minMs: number;
    /** @default minMs, a fixed delay */
    readonly maxMs?: number;
  };
  /**
   * With this probability, handles a request of one of `methods` in full,
   * changes included, then destroys the socket without sending a response.
   * @default off
   */
  readonly dropResponses?: {
    /** Probability from 0 to 1. */
    readonly probability: number;
    /** Methods whose responses may be dropped. @default every method */
    readonly methods?: readonly FaultMethod[];
  };
}

/** Name of a fault in log lines and decisions. */
export type FaultName =
  | "maintenance"
  | "rate_limit"
  | "random_rate_limit"
  | "server_error"
  | "drop_response";

/** A response sent in place of the API's, with its body already encoded. */
export interface FaultReply {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  text: string;
}

/** What happens to one request. */
export interface FaultDecision {
  /** Milliseconds to wait before responding, 0 for none. */
  delayMs: number;
  /** The fault applied, if any. Latency alone is not a fault here. */
  fault?: FaultName;
  /** The response to send instead of running the request. */
  reply?: FaultReply;
  /** Runs the request, then destroys the socket without a response. */
  dropResponse: boolean;
}

const NO_FAULT: FaultDecision = { delayMs: 0, dropResponse: false };

/** Returns every problem with `options`, or an empty list when they are valid. */
export function validateFaultOptions(options: FaultOptions): string[] {
  const problems: string[] = [];
  const checkProbability = (name: string, value: unknown) => {
    if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
      problems.push(`${name} is ${String(value)}, but must be a number from 0 to 1.`);
    }
  };
  const checkSeconds = (name: string, value: unknown) => {
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
      problems.push(`${name} is ${String(value)}, but must be a whole number of seconds, 0 or more.`);
    }
  };

  const { seed } = options;
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) {
    problems.push(`seed is ${String(seed)}, but must be a whole number from 0 to 4294967295.`);
  }
  const format = options.retryAfterFormat;
  if (format !== undefined && format !== "seconds" && format !== "http-date") {
    problems.push(`retryAfterFormat is ${JSON.stringify(format)}, but must be "seconds" or "http-date".`);
  }
  if (options.maintenance !== undefined) {
    checkSeconds("maintenance.retryAfterSeconds", options.maintenance.retryAfterSeconds);
  }
  if (options.rateLimit !== undefined) {
    const { requests, windowSeconds } = options.rateLimit;
    if (!Number.isInteger(requests) || requests < 1) {
      problems.push(`rateLimit.requests is ${String(requests)}, but must be a whole number, 1 or more.`);
    }
    if (typeof windowSeconds !== "number" || !(windowSeconds > 0) || !Number.isFinite(windowSeconds)) {
      problems.push(`rateLimit.windowSeconds is ${String(windowSeconds)}, but must be a number above 0.`);
    }
  }
  if (options.randomRateLimit !== undefined) {
    checkProbability("randomRateLimit.probability", options.randomRateLimit.probability);
    checkSeconds("randomRateLimit.retryAfterSeconds", options.randomRateLimit.retryAfterSeconds);
  }
  if (options.serverErrors !== undefined) {
    const { probability, statuses, body } = options.serverErrors;
    checkProbability("serverErrors.probability", probability);
    if (statuses !== undefined) {
      if (statuses.length === 0) {
        problems.push("serverErrors.statuses is empty. List one or more of 500, 502, 503, 504.");
      }
      for (const status of statuses) {
        if (!(GATEWAY_STATUSES as readonly number[]).includes(status)) {
          problems.push(`serverErrors.statuses contains ${String(status)}. Allowed: 500, 502, 503, 504.`);
        }
      }
    }
    if (body !== undefined && !["html", "json", "mixed"].includes(body)) {
      problems.push(`serverErrors.body is ${JSON.stringify(body)}, but must be "html", "json" or "mixed".`);
    }
  }
  if (options.latency !== undefined) {
    const { minMs, maxMs = minMs } = options.latency;
    if (!Number.isInteger(minMs) || minMs < 0) {
      problems.push(`latency.minMs is ${String(minMs)}, but must be a whole number of milliseconds, 0 or more.`);
    } else if (!Number.isInteger(maxMs) || maxMs < minMs) {
      problems.push(`latency.maxMs is ${String(maxMs)}, but must be a whole number, at least minMs (${minMs}).`);
    }
  }
  if (options.dropResponses !== undefined) {
    const { probability, methods } = options.dropResponses;
    checkProbability("dropResponses.probability", probability);
    for (const method of methods ?? []) {
      if (!(FAULT_METHODS as readonly string[]).includes(method)) {
        problems.push(
          `dropResponses.methods contains ${JSON.stringify(method)}. Allowed: ${FAULT_METHODS.join(", ")}.`,
        );
      }
    }
  }
  return problems;
}

/** Throws one error that lists every problem with `options`. */
export function assertValidFaultOptions(options: FaultOptions): void {
  const problems = validateFaultOptions(options);
  if (problems.length > 0) {
    throw new Error(`invalid fault options: ${problems.join(" ")}`);
  }
}

/** Returns the names of the faults that `options` turn on, for log lines. */
export function enabledFaultNames(options: FaultOptions): string[] {
  const names: string[] = [];
  if (options.maintenance !== undefined) names.push("maintenance");
  if (options.rateLimit !== undefined) names.push("rate_limit");
  if (options.randomRateLimit !== undefined) names.push("random_rate_limit");
  if (options.serverErrors !== undefined) names.push("server_error");
  if (options.latency !== undefined) names.push("latency");
  if (options.dropResponses !== undefined) names.push("drop_response");
  return names;
}

interface RandomStreams {
  randomRateLimit: RandomSource;
  serverErrors: RandomSource;
  latency: RandomSource;
  dropResponses: RandomSource;
}

/**
 * Decides the faults of each request. `setOptions` replaces every fault,
 * restarts the random streams from the seed and clears the rate-limit
 * windows.
 */
export class FaultInjector {
  private options: FaultOptions & { seed: number } = { seed: 0 };
  private random!: RandomStreams;
  /** Arrival times (clock milliseconds) of recent requests, by SHA-256 of the key. */
  private readonly windows = new Map<string, number[]>();

  constructor(
    options: FaultOptions,
    private readonly clock: Clock,
  ) {
    this.setOptions(options);
  }

  /** The faults in effect, with the seed in use filled in. */
  current(): FaultOptions & { seed: number } {
    return structuredClone(this.options);
  }

  /** Replaces every fault. Throws when `options` are invalid, keeping the old ones. */
  setOptions(options: FaultOptions): void {
    assertValidFaultOptions(options);
    const seed = options.seed ?? randomInt(0, 2 ** 32);
    this.options = { ...structuredClone(options), seed };
    this.random = {
      randomRateLimit: seededRandom(seed, "random_rate_limit"),
      serverErrors: seededRandom(seed, "server_error"),
      latency: seededRandom(seed, "latency"),
      dropResponses: seededRandom(seed, "drop_response"),
    };
    this.windows.clear();
  }

  /** Decides what happens to a request that arrives now. */
  decide(method: string, apiKey: string | undefined): FaultDecision {
    const options = this.options;
    if (enabledFaultNames(options).length === 0) {
      return NO_FAULT;
    }

    // Draw from every enabled stream first, so that each request uses the
    // same number of draws whichever fault it gets.
    const randomRateLimitHit = this.draw("randomRateLimit", options.randomRateLimit?.probability);
    const serverErrorHit = this.draw("serverErrors", options.serverErrors?.probability);
    const serverErrorPick =
      options.serverErrors === undefined
        ? undefined
        : pickServerError(options.serverErrors, this.random.serverErrors);
    const delayMs = this.drawDelay();
    const dropHit = this.draw("dropResponses", options.dropResponses?.probability);

    const decision = (fault: FaultName, reply?: FaultReply): FaultDecision => ({
      delayMs,
      fault,
      reply,
      dropResponse: fault === "drop_response",
    });

    if (options.maintenance !== undefined) {
      const seconds = options.maintenance.retryAfterSeconds ?? 60;
      return decision("maintenance", this.maintenanceReply(seconds));
    }
    const rateLimited = this.checkRateLimit(apiKey);
    if (rateLimited !== undefined) {
      return decision("rate_limit", rateLimited);
    }
    if (randomRateLimitHit) {
      const seconds = options.randomRateLimit?.retryAfterSeconds ?? 1;
      return decision(
        "random_rate_limit",
        this.rateLimitReply(seconds, "Too many requests. Retry later."),
      );
    }
    if (serverErrorHit && serverErrorPick !== undefined) {
      return decision("server_error", serverErrorReply(serverErrorPick.status, serverErrorPick.html));
    }
    const methods = options.dropResponses?.methods;
    const methodMatches = methods === undefined || (methods as readonly string[]).includes(method);
    if (dropHit && methodMatches) {
      return decision("drop_response");
    }
    return { delayMs, dropResponse: false };
  }

  private draw(stream: keyof RandomStreams, probability: number | undefined): boolean {
    if (probability === undefined) {
      return false;
    }
    return this.random[stream]() < probability;
  }

  private drawDelay(): number {
    const latency = this.options.latency;
    if (latency === undefined) {
      return 0;
    }
    const maxMs = latency.maxMs ?? latency.minMs;
    return latency.minMs + Math.floor(this.random.latency() * (maxMs - latency.minMs + 1));
  }

  /**
   * Counts the request against its key's sliding window. Returns the 429
   * reply when the window is full, without counting the request.
   */
  private checkRateLimit(apiKey: string | undefined): FaultReply | undefined {
    const limit = this.options.rateLimit;
    if (limit === undefined) {
      return undefined;
    }
    const now = this.clock.now().getTime();
    const windowMs = limit.windowSeconds * 1000;
    // Keys are kept as hashes, so the map never holds a secret.
    const bucket = apiKey === undefined || apiKey === "" ? "" : sha256Hex(apiKey);
    const arrivals = (this.windows.get(bucket) ?? []).filter((time) => time > now - windowMs);
    this.windows.set(bucket, arrivals);

    if (arrivals.length < limit.requests) {
      arrivals.push(now);
      return undefined;
    }
    const waitMs = arrivals[0] + windowMs - now;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return this.rateLimitReply(
      seconds,
      `Too many requests for this API key: at most ${limit.requests} are allowed ` +
        `in ${limit.windowSeconds} seconds. Retry after ${seconds} seconds.`,
    );
  }

  private retryAfter(seconds: number): string {
    if (this.options.retryAfterFormat === "http-date") {
      // An HTTP date has whole seconds, so round up to wait long enough.
      const retryAt = Math.ceil((this.clock.now().getTime() + seconds * 1000) / 1000) * 1000;
      return new Date(retryAt).toUTCString();
    }
    return String(seconds);
  }

  private rateLimitReply(seconds: number, message: string): FaultReply {
    return jsonReply(429, "rate_limit_exceeded", message, { "retry-after": this.retryAfter(seconds) });
  }

  private maintenanceReply(seconds: number): FaultReply {
    return jsonReply(
      503,
      "service_unavailable",
      `DigiCert ONE is down for maintenance. Retry after ${seconds} seconds.`,
      { "retry-after": this.retryAfter(seconds) },
    );
  }
}

function pickServerError(
  options: NonNullable<FaultOptions["serverErrors"]>,
  random: RandomSource,
): { status: GatewayStatus; html: boolean } {
  const statuses = options.statuses ?? GATEWAY_STATUSES;
  const status = statuses[Math.floor(random() * statuses.length)];
  const bodyDraw = random();
  const body = options.body ?? "mixed";
  const html = body === "html" || (body === "mixed" && bodyDraw < 0.5);
  return { status, html };
}

const REASON_PHRASES: Record<GatewayStatus, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out",
};

// NOTE: DigiCert does not publish codes for gateway errors. These follow the
// style of the codes it does publish.
const ERROR_CODES: Record<GatewayStatus, string> = {
  500: "internal_error",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};

function serverErrorReply(status: GatewayStatus, html: boolean): FaultReply {
  const reason = REASON_PHRASES[status];
  if (html) {
    // The page nginx serves for an upstream failure.
    const text =
      `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n` +
      `<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n` +
      "</body>\r\n</html>\r\n";
    return { status, headers: {}, contentType: "text/html", text };
  }
  return jsonReply(status, ERROR_CODES[status], `${reason} (injected by the emulator).`, {});
}

function jsonReply(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string>,
): FaultReply {
  return {
    status,
    headers,
    contentType: "application/json",
    text: JSON.stringify({ errors: [{ code, message }] }),
  };
}
