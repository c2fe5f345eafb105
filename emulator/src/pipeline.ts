// The request pipeline: header checks, authentication, routing, body
// parsing, then the endpoint handler. Checks run in this order, so a
// request with several problems gets the first one's error:
//   1. User-Agent missing                          400 invalid_request
//   2. x-api-key missing or unknown, an API token
//      revoked or past its end date, or the token
//      of a disabled or expired service user       401 invalid_api_key
//   3. path unknown / method not allowed           404 / 405
//   4. body without Content-Length, Content-Type
//      application/json or valid JSON              400 invalid_request
//      (or larger than MAX_BODY_BYTES              413)
//   5. endpoint rules (permission, lookup, fields) 403 / 404 / 400 / 409

import { IncomingMessage } from "node:http";

import { authenticate } from "./auth";
import { ApiError, invalidRequest, methodNotAllowed, resourceNotFound } from "./errors";
import {
  API_PREFIX,
  Reply,
  UNIMPLEMENTED_PREFIXES,
  matchRoute,
} from "./routes";
import { EmulatorStore } from "./store";
import { Clock } from "./time";

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface PipelineContext {
  store: EmulatorStore;
  clock: Clock;
}

/** Runs one request through the checks and its handler. Throws ApiError to reject it. */
export async function dispatch(
  request: IncomingMessage,
  url: URL,
  context: PipelineContext,
): Promise<Reply> {
  const userAgent = request.headers["user-agent"];
  if (userAgent === undefined || userAgent.trim() === "") {
    throw invalidRequest(
      "The User-Agent header is missing. DigiCert ONE treats requests without it " +
        "as malformed. Send a User-Agent such as my-tool/1.0.",
    );
  }

  const principal = authenticate(request.headers, context.store, context.clock);

  const method = request.method ?? "GET";
  const segments = apiPathSegments(url.pathname);
  if (segments !== undefined && UNIMPLEMENTED_PREFIXES.includes(segments[0])) {
    throw resourceNotFound(
      `The emulator does not implement ${API_PREFIX}/${segments[0]}.`,
    );
  }
  const match = segments === undefined ? undefined : matchRoute(segments);
  if (match === undefined) {
    throw resourceNotFound(
      `No API endpoint matches ${method} ${url.pathname}. Endpoints live under ${API_PREFIX}.`,
    );
  }
  const endpoint = match.route.endpoints[method];
  if (endpoint === undefined) {
    throw methodNotAllowed(method, url.pathname, Object.keys(match.route.endpoints));
  }

  const body = await readJsonBody(request);
  if (endpoint.requiredBody !== undefined && body === undefined) {
    throw invalidRequest(
      `${method} ${url.pathname} requires a JSON object body with ${endpoint.requiredBody}.`,
    );
  }

  return endpoint.handle({
    store: context.store,
    clock: context.clock,
    principal,
    params: match.params,
    query: url.searchParams,
    body,
  });
}

/**
 * Splits a path under API_PREFIX into decoded segments. Returns undefined
 * for any other path, and for a segment that is not valid percent-encoding.
 */
function apiPathSegments(pathname: string): string[] | undefined {
  if (!pathname.startsWith(`${API_PREFIX}/`)) {
    return undefined;
  }
  try {
    return pathname
      .slice(API_PREFIX.length + 1)
      .split("/")
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/**
 * Reads and parses the body. Returns undefined when the request has none.
 * A body needs Content-Type application/json and Content-Length. A chunked
 * body is rejected because DigiCert ONE treats requests without
 * Content-Length as malformed.
 */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const contentLength = request.headers["content-length"];
  const chunked = request.headers["transfer-encoding"] !== undefined;
  if (chunked && contentLength === undefined) {
    throw invalidRequest(
      "The request body has no Content-Length header. Send the body with " +
        "Content-Length instead of chunked transfer encoding.",
    );
  }
  if (contentLength === undefined || Number(contentLength) === 0) {
    return undefined;
  }
  if (Number(contentLength) > MAX_BODY_BYTES) {
    throw new ApiError(
      413,
      [
        {
          code: "invalid_request",
          message: `The request body is ${contentLength} bytes, but at most ${MAX_BODY_BYTES} are allowed.`,
        },
      ],
      { connection: "close" },
    );
  }

  const contentType = request.headers["content-type"];
  const mediaType = contentType?.split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/json") {
    const sent = contentType === undefined ? "none" : JSON.stringify(contentType);
    throw invalidRequest(
      `A request body needs Content-Type application/json, but the request sent ${sent}.`,
    );
  }

  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRequest(
      `The request body is not valid JSON (${(error as Error).message}). Send a JSON object.`,
    );
  }
}
