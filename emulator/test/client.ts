// HTTP helpers for tests that drive a running emulator over loopback.

import { request } from "undici";

import {
  ACCOUNT_IDS,
  APPLICATION_IDS,
  ROLE_IDS,
} from "../src/catalogue";
import { RunningEmulator } from "../src/server";
import { Clock } from "../src/time";

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when the body is empty. */
  body: any;
  text: string;
}

export interface CallOptions {
  /** Value of x-api-key, or null to send no header. @default the administrator key */
  apiKey?: string | null;
  /** JSON-encoded and sent with Content-Type application/json. */
  json?: unknown;
  /** Sent as is, with only the headers given in `headers`. */
  rawBody?: string;
  /** Extra headers. A header set to null is removed from the request. */
  headers?: Record<string, string | null>;
}

export const USER_AGENT = "emulator-unit-tests/1.0";

/** Sends one request to `path` under the emulator's API base URL. */
export async function callApi(
  emulator: RunningEmulator,
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH",
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { "user-agent": USER_AGENT };
  const apiKey = options.apiKey === undefined ? emulator.adminApiKey : options.apiKey;
  if (apiKey !== null) {
    headers["x-api-key"] = apiKey;
  }

  let body: string | undefined = options.rawBody;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) {
      delete headers[name];
    } else {
      headers[name] = value;
    }
  }

  const response = await request(`${emulator.apiUrl}${path}`, { method, headers, body });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
    text,
  };
}

/** Returns a create body that passes validation, with `overrides` applied. */
export function validCreateBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    user_type: "service",
    friendly_name: "release-signing_bot",
    description: "Signs release builds",
    email: "platform-team@example.com",
    end_date: null,
    accounts: [ACCOUNT_IDS.platformEngineering],
    applications: [
      { id: APPLICATION_IDS.software_trust, roles: [{ id: ROLE_IDS.SM_SIGNER }] },
    ],
    ...overrides,
  };
}

/** Creates a service user through the API and returns the 201 body. */
export async function createServiceUser(
  emulator: RunningEmulator,
  overrides: Record<string, unknown> = {},
): Promise<any> {
  const response = await callApi(emulator, "POST", "/user", {
    json: validCreateBody(overrides),
  });
  if (response.status !== 201) {
    throw new Error(`create failed with ${response.status}: ${response.text}`);
  }
  return response.body;
}

/** A clock that tests set and advance by whole days. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(date: Date): void {
    this.current = date;
  }

  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 24 * 60 * 60 * 1000);
  }
}
