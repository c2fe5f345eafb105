// HTTP transport of the DigiCert ONE client: sends JSON requests with undici,
// retries transient failures, bounds the requests in flight, maps HTTP errors
// and network failures to typed errors, and logs each request and retry
// without headers or bodies.

import { performance } from "node:perf_hooks";

import type { Dispatcher } from "undici";

import {
  DigicertApiError,
  DigicertNetworkError,
  DigicertResponseError,
  type DigicertNetworkErrorCode,
} from "./errors";
import type { Logger } from "../log";
import { RequestLimiter } from "./request-limiter";
import {
  decideRetry,
  withRetrySummary,
  type Clock,
  type RetryPolicy,
} from "./retry";
import {
  API_BASE_PATH,
  REQUEST_ID_HEADER,
  type Endpoint,
  parseRetryAfter,
  readErrorBody,
} from "./wire";

/** Timeouts of one request, in milliseconds. */
export interface DigicertTimeouts {
  /** Maximum time to open the TCP connection and finish the TLS handshake. */
  connectMs: number;
  /** Maximum time from sending the request until all response headers arrive. */
  headersMs: number;
  /** Maximum idle time between two chunks of the response body. */
  bodyMs: number;
}

export { DEFAULT_TIMEOUTS } from "./constants";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface ApiRequest {
  method: HttpMethod;
  endpoint: Endpoint;
  /** JSON request body, sent with Content-Type and Content-Length. */
  body?: unknown;
  /** Aborts the request in flight and every wait for a retry or a free slot. */
  signal?: AbortSignal;
  /**
   * Aborts only the waits for a retry or a free slot, never a request in
   * flight. For a request that must run to its response once sent, such as
   * a create whose response carries a one-time token. Ignored when `signal`
   * is set.
   */
  waitSignal?: AbortSignal;
  /**
   * True when a response could contain a secret, such as the one-time token
   * of a created user. Error messages then quote nothing from a non-JSON
   * body, and quote a JSON error message with token-like runs redacted.
   */
  responseMayContainSecret?: boolean;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON body, or undefined when the body is empty. */
  body: unknown;
  requestId?: string;
  /** The Date header: the server's time when it responded, if it sent one. */
  date?: string;
  method: HttpMethod;
  /** Path as sent, with the API base path and the query string. */
  path: string;
}

export interface TransportOptions {
  /** Scheme, host and port, such as "https://one.digicert.com". */
  origin: string;
  apiKey: string;
  userAgent: string;
  timeouts: DigicertTimeouts;
  dispatcher: Dispatcher;
  logger: Logger;
  retry: RetryPolicy;
  /** Maximum number of requests in flight at once, across all callers. */
  maxConcurrentRequests: number;
  clock: Clock;
  /** Returns a number from 0 (inclusive) to 1 (exclusive), for backoff jitter. */
  random: () => number;
}

export class Transport {
  private readonly host: string;
  private readonly limiter: RequestLimiter;

  constructor(private readonly options: TransportOptions) {
    this.host = new URL(options.origin).host;
    this.limiter = new RequestLimiter(options.maxConcurrentRequests);
  }

  /**
   * Sends a request, retrying transient failures as `decideRetry` allows,
   * and returns the parsed 2xx response. Throws `DigicertApiError` for any
   * other status, `DigicertNetworkError` when no response arrives,
   * `DigicertResponseError` for a 2xx body that is not JSON, and the
   * signal's reason when the signal aborts. After retries, the error's
   * `retries` field and message state how many attempts were made.
   */
  async send(request: ApiRequest): Promise<ApiResponse> {
    const { clock, logger } = this.options;
    const waitSignal = request.signal ?? request.waitSignal;
    const started = clock.now();
    for (let attempts = 1; ; attempts += 1) {
      let failure: unknown;
      try {
        return await this.sendWithinLimit(request, waitSignal);
      } catch (error) {
        failure = error;
      }
      // After the signal aborts, as when Terraform stops the provider, no
      // attempt starts again.
      if (waitSignal?.aborted) {
        throw failure;
      }

      const elapsedMs = clock.now() - started;
      const decision = decideRetry(
        { method: request.method, error: failure, attempts, elapsedMs },
        this.options.retry,
        this.options.random,
      );
      if (!decision.retry) {
        if (attempts === 1 && decision.stopReason === undefined) {
          throw failure;
        }
        throw withRetrySummary(failure, {
          attempts,
          elapsedMs,
          stopReason: decision.stopReason,
        });
      }

      logger.warn("Retrying DigiCert ONE API request", {
        ...describeFailure(failure),
        attempt: attempts,
        maxAttempts: this.options.retry.maxRetries + 1,
        waitMs: decision.waitMs,
      });
      await clock.sleep(decision.waitMs, waitSignal);
    }
  }

  /** Sends one attempt once a slot among the requests in flight is free. */
  private async sendWithinLimit(
    request: ApiRequest,
    waitSignal: AbortSignal | undefined,
  ): Promise<ApiResponse> {
    const release = await this.limiter.acquire(waitSignal);
    try {
      return await this.sendOnce(request);
    } finally {
      release();
    }
  }

  /** Sends one attempt of a request; `send` describes the results. */
  private async sendOnce(request: ApiRequest): Promise<ApiResponse> {
    request.signal?.throwIfAborted();
    const path = buildPath(request.endpoint);
    const headers: { [name: string]: string } = {
      "x-api-key": this.options.apiKey,
      "user-agent": this.options.userAgent,
      accept: "application/json",
    };
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }

    const started = performance.now();
    let statusCode: number;
    let responseHeaders: Dispatcher.ResponseData["headers"];
    let text: string;
    try {
      const response = await this.options.dispatcher.request({
        origin: this.options.origin,
        path,
        method: request.method,
        headers,
        body: payload,
        signal: request.signal,
        headersTimeout: this.options.timeouts.headersMs,
        bodyTimeout: this.options.timeouts.bodyMs,
      });
      statusCode = response.statusCode;
      responseHeaders = response.headers;
      text = await response.body.text();
    } catch (error) {
      const durationMs = elapsedSince(started);
      if (request.signal?.aborted) {
        this.options.logger.debug("DigiCert ONE API request aborted", {
          method: request.method,
          path,
          durationMs,
        });
        throw request.signal.reason;
      }
      const networkError = this.toNetworkError(error, request.method, path);
      this.options.logger.debug("DigiCert ONE API request failed", {
        method: request.method,
        path,
        durationMs,
        error: networkError.code,
      });
      throw networkError;
    }

    const requestId = firstHeader(responseHeaders, REQUEST_ID_HEADER);
    this.options.logger.debug("DigiCert ONE API request", {
      method: request.method,
      path,
      status: statusCode,
      durationMs: elapsedSince(started),
      requestId,
    });

    if (statusCode < 200 || statusCode > 299) {
      throw this.toApiError(request, path, statusCode, responseHeaders, text);
    }
    return {
      status: statusCode,
      body: parseJsonBody(text, request.method, path),
      requestId,
      date: firstHeader(responseHeaders, "date"),
      method: request.method,
      path,
    };
  }

  private toApiError(
    request: ApiRequest,
    path: string,
    status: number,
    headers: Dispatcher.ResponseData["headers"],
    text: string,
  ): DigicertApiError {
    const errorBody = readErrorBody(
      status,
      text,
      request.responseMayContainSecret !== true,
    );
    return new DigicertApiError({
      status,
      code: errorBody.code,
      apiMessage:
        errorBody.message === undefined
          ? undefined
          : this.redactApiKey(errorBody.message),
      requestId: firstHeader(headers, REQUEST_ID_HEADER),
      retryAfterMs: parseRetryAfter(
        firstHeader(headers, "retry-after"),
        this.options.clock.now(),
      ),
      method: request.method,
      path,
      origin: this.options.origin,
    });
  }

  /** Removes the API key from text the API sent back, in case it echoes it. */
  private redactApiKey(text: string): string {
    return text.split(this.options.apiKey).join("<redacted>");
  }

  private toNetworkError(
    error: unknown,
    method: string,
    path: string,
  ): DigicertNetworkError {
    const code = classifyNetworkError(error);
    const timeouts = this.options.timeouts;
    const timeoutMs: { [code: string]: number } = {
      connect_timeout: timeouts.connectMs,
      headers_timeout: timeouts.headersMs,
      body_timeout: timeouts.bodyMs,
    };
    return new DigicertNetworkError({
      code,
      host: this.host,
      method,
      path,
      timeoutMs: timeoutMs[code],
      cause: this.withoutApiKey(error),
    });
  }

  /**
   * Returns the error, or a stand-in when its message quotes the API key.
   * Some undici errors (MockAgent's "not matched" error, for one) quote the
   * request headers.
   */
  private withoutApiKey(error: unknown): unknown {
    if (error instanceof Error && error.message.includes(this.options.apiKey)) {
      const standIn = new Error(
        `${error.name}: message withheld because it contained the API key`,
      );
      return Object.assign(standIn, { code: (error as { code?: unknown }).code });
    }
    return error;
  }
}

/**
 * Returns the log fields of a failed attempt: the method, the path, and the
 * status with the request id or the network error code. Never a header or a
 * body, which may contain the API key or a token.
 */
function describeFailure(error: unknown): { [field: string]: unknown } {
  if (error instanceof DigicertApiError) {
    return {
      method: error.method,
      path: error.path,
      status: error.status,
      requestId: error.requestId,
    };
  }
  if (error instanceof DigicertNetworkError) {
    return { method: error.method, path: error.path, error: error.code };
  }
  return {};
}

function buildPath(endpoint: Endpoint): string {
  const path = API_BASE_PATH + endpoint.path;
  if (endpoint.query === undefined) {
    return path;
  }
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(endpoint.query)) {
    search.append(name, String(value));
  }
  const query = search.toString();
  return query === "" ? path : `${path}?${query}`;
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

function firstHeader(
  headers: Dispatcher.ResponseData["headers"],
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Parses a 2xx body as JSON. The error names no parser message, because
 * `JSON.parse` quotes the text, which may contain a token.
 */
function parseJsonBody(text: string, method: string, path: string): unknown {
  if (text.trim() === "") {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DigicertResponseError({
      method,
      path,
      field: "(response body)",
      expected: "JSON",
      received: "text that is not JSON",
    });
  }
}

const NETWORK_ERROR_CODES: { [code: string]: DigicertNetworkErrorCode } = {
  UND_ERR_CONNECT_TIMEOUT: "connect_timeout",
  UND_ERR_HEADERS_TIMEOUT: "headers_timeout",
  UND_ERR_BODY_TIMEOUT: "body_timeout",
  ECONNREFUSED: "connection_refused",
  ECONNRESET: "connection_reset",
  EPIPE: "connection_reset",
  UND_ERR_SOCKET: "connection_reset",
  ENOTFOUND: "dns_lookup_failed",
  EAI_AGAIN: "dns_lookup_failed",
  ETIMEDOUT: "connect_timeout",
};

/**
 * Maps an undici or Node.js socket error to a network error code. Node may
 * wrap connection failures to several addresses in an AggregateError, so its
 * inner errors are checked too.
 */
function classifyNetworkError(error: unknown): DigicertNetworkErrorCode {
  const codes: string[] = [];
  const ownCode = (error as { code?: unknown } | null)?.code;
  if (typeof ownCode === "string") {
    codes.push(ownCode);
  }
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = (inner as { code?: unknown } | null)?.code;
      if (typeof innerCode === "string") {
        codes.push(innerCode);
      }
    }
  }
  for (const code of codes) {
    const mapped = NETWORK_ERROR_CODES[code];
    if (mapped !== undefined) {
      return mapped;
    }
    // OpenSSL's certificate verification codes, such as CERT_HAS_EXPIRED and
    // UNABLE_TO_VERIFY_LEAF_SIGNATURE, arrive without a prefix.
    if (
      code.startsWith("ERR_TLS") ||
      code.startsWith("ERR_SSL") ||
      /CERT|SELF_SIGNED|^UNABLE_TO_/.test(code)
    ) {
      return "tls_error";
    }
  }
  return "network_error";
}
