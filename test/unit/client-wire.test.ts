// Wire mapping of the DigiCert ONE client: plain functions, no HTTP.

import { DigicertResponseError } from "../../provider/src/digicert/errors";
import type { ServiceUserInput } from "../../provider/src/digicert/types";
import {
  decode,
  endpoints,
  inputFieldsNamedIn,
  parseRetryAfter,
  readErrorBody,
  readListPage,
  readToken,
  regionHosts,
  serviceUserSchema,
  toServiceUser,
  toServiceUserBody,
} from "../../provider/src/digicert/wire";

const CONTEXT = { method: "GET", path: "/account/api/v1/user/u1" };

const ACCOUNT_ID = "6a0c5c4e-2f0a-4b8e-9d57-1c5d8e2b7a10";
const OTHER_ACCOUNT_ID = "0d3e4f5a-6b7c-4d8e-9f00-112233445566";

function wireUser(overrides: object = {}): Record<string, unknown> {
  return {
    id: "3f2b8a1e-5c4d-4e6f-8a9b-0c1d2e3f4a5b",
    friendly_name: "release-signing_bot",
    description: "Signs release builds",
    email: "platform-team@example.com",
    status: "ACTIVE",
    user_type: "service",
    access_scope: "account",
    primary_account_id: ACCOUNT_ID,
    created_at: "2021-06-23T08:55:19Z",
    created_by: "9e8d7c6b-5a49-4837-8261-504f3e2d1c0b",
    locale: "en_US",
    end_date: "2027-06-30",
    accounts: [ACCOUNT_ID, OTHER_ACCOUNT_ID],
    applications: [
      {
        id: "app-sm",
        name: "Software Trust",
        code: "software_trust",
        permissions: ["SIGN_SM_HASH"],
        roles: [{ id: "role-signer", code: "SM_SIGNER", name: "Signer" }],
      },
    ],
    ...overrides,
  };
}

function mapUser(raw: unknown) {
  return toServiceUser(decode(serviceUserSchema, raw, CONTEXT));
}

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw");
}

describe("regionHosts", () => {
  test("lists production and demo hosts", () => {
    expect(regionHosts).toEqual({
      US: { production: "one.digicert.com", demo: "demo.one.digicert.com" },
      JP: { production: "one.digicert.co.jp", demo: "demo.one.digicert.co.jp" },
      CH: { production: "one.ch.digicert.com", demo: "demo.one.ch.digicert.com" },
      NL: { production: "one.nl.digicert.com", demo: "demo.one.nl.digicert.com" },
    });
  });
});

describe("endpoints", () => {
  test("encode ids in paths", () => {
    expect(endpoints.getUser("a/b c").path).toBe("/user/a%2Fb%20c");
    expect(endpoints.disableUser("a/b").path).toBe("/user/a%2Fb/disable");
  });
});

describe("toServiceUser", () => {
  test("maps every field", () => {
    expect(mapUser(wireUser())).toEqual({
      id: "3f2b8a1e-5c4d-4e6f-8a9b-0c1d2e3f4a5b",
      name: "release-signing_bot",
      description: "Signs release builds",
      email: "platform-team@example.com",
      status: "ACTIVE",
      primaryAccountId: ACCOUNT_ID,
      accountIds: [ACCOUNT_ID, OTHER_ACCOUNT_ID],
      expirationDate: "2027-06-30",
      createdAt: "2021-06-23T08:55:19Z",
      access: { software_trust: ["SM_SIGNER"] },
    });
  });

  test("tolerates missing optional fields", () => {
    const raw = wireUser();
    delete raw.end_date;
    delete raw.accounts;
    delete raw.description;
    const user = mapUser(raw);
    expect(user.expirationDate).toBeNull();
    expect(user.accountIds).toEqual([ACCOUNT_ID]);
    expect(user.description).toBe("");
  });

  test("maps null end_date and description", () => {
    const user = mapUser(wireUser({ end_date: null, description: null }));
    expect(user.expirationDate).toBeNull();
    expect(user.description).toBe("");
  });

  test("keeps the day of an end_date with a time", () => {
    const user = mapUser(wireUser({ end_date: "2027-06-30T23:59:59Z" }));
    expect(user.expirationDate).toBe("2027-06-30");
  });

  test("accepts account objects", () => {
    const user = mapUser(wireUser({ accounts: [{ id: ACCOUNT_ID, name: "Main" }] }));
    expect(user.accountIds).toEqual([ACCOUNT_ID]);
  });

  test("maps manager codes named like Object members", () => {
    const raw = wireUser({
      applications: [
        { id: "app-1", code: "constructor", roles: [{ code: "ROLE_A" }] },
        { id: "app-2", code: "__proto__", roles: [{ code: "ROLE_B" }] },
        { id: "app-3", code: "to_string", roles: [{ code: "ROLE_C" }] },
      ],
    });
    const access = mapUser(raw).access;

    expect(Object.keys(access)).toEqual(["constructor", "__proto__", "to_string"]);
    expect(access.constructor).toEqual(["ROLE_A"]);
    expect(Object.getOwnPropertyDescriptor(access, "__proto__")?.value).toEqual(["ROLE_B"]);
  });

  test("derives a missing manager code", () => {
    const raw = wireUser({
      applications: [
        { id: "app-am", name: "Account Manager", permissions: [] },
        { id: "app-iot", name: "IoT Trust", roles: [{ code: "IOT_VIEWER" }] },
        { id: "app-known", name: "Whatever", roles: [{ code: "X" }] },
      ],
    });
    const lookup = (id: string) => (id === "app-known" ? "device_trust" : undefined);
    const user = toServiceUser(decode(serviceUserSchema, raw, CONTEXT), lookup);
    expect(user.access).toEqual({
      account_manager: [],
      iot_trust: ["IOT_VIEWER"],
      device_trust: ["X"],
    });
  });

  test("ignores unknown keys", () => {
    const user = mapUser(wireUser({ surprise: { nested: true } }));
    expect(user).not.toHaveProperty("surprise");
  });
});

describe("decode", () => {
  test("names the wrong field and types", () => {
    const error = captureError(() =>
      decode(serviceUserSchema, wireUser({ applications: [{ id: 7 }] }), CONTEXT),
    );
    expect(error).toBeInstanceOf(DigicertResponseError);
    const responseError = error as DigicertResponseError;
    expect(responseError.code).toBe("invalid_response");
    expect(responseError.field).toBe("applications[0].id");
    expect(responseError.expected).toBe("string");
    expect(responseError.received).toBe("number");
  });

  test("reports a missing field", () => {
    const raw = wireUser();
    delete raw.email;
    const error = captureError(() => decode(serviceUserSchema, raw, CONTEXT));
    expect((error as DigicertResponseError).field).toBe("email");
    expect((error as DigicertResponseError).received).toBe("missing");
  });

  test("keeps values out of the message", () => {
    const error = captureError(() =>
      decode(serviceUserSchema, wireUser({ friendly_name: ["s3cr3t-value"] }), CONTEXT),
    );
    expect((error as Error).message).toContain('field "friendly_name" should be string but is array');
    expect((error as Error).message).not.toContain("s3cr3t-value");
    expect((error as Error).cause).toBeUndefined();
  });
});

describe("readListPage", () => {
  test("reads a bare array", () => {
    expect(readListPage([1, 2], CONTEXT)).toEqual({ items: [1, 2], itemsField: "" });
  });

  test("reads the paged shape", () => {
    const page = readListPage({ total: 5, offset: 0, limit: 2, items: [1, 2] }, CONTEXT);
    expect(page).toEqual({ items: [1, 2], itemsField: "items", total: 5 });
  });

  test("rejects another shape", () => {
    const error = captureError(() => readListPage({ users: [] }, CONTEXT));
    expect(error).toBeInstanceOf(DigicertResponseError);
    expect((error as DigicertResponseError).field).toBe("(response body)");
  });
});

describe("readToken", () => {
  test.each([
    ["api_token", { api_token: "t1" }, "t1"],
    ["token", { token: "t2" }, "t2"],
    ["api_key", { api_key: "t3" }, "t3"],
    ["api_token first", { api_key: "t3", token: "t2", api_token: "t1" }, "t1"],
    ["empty api_token skipped", { api_token: "", token: "t2" }, "t2"],
  ])("reads %s", (_name, body, expected) => {
    expect(readToken(body, CONTEXT)).toBe(expected);
  });

  test("rejects a response without a token", () => {
    const error = captureError(() => readToken({}, CONTEXT));
    expect((error as DigicertResponseError).field).toBe("api_token | token | api_key");
  });

  test("rejects a token of the wrong type", () => {
    const error = captureError(() => readToken({ api_token: 123456789 }, CONTEXT));
    expect((error as DigicertResponseError).field).toBe("api_token");
    expect((error as Error).message).not.toContain("123456789");
  });
});

describe("toServiceUserBody", () => {
  const input: ServiceUserInput = {
    name: "release-signing_bot",
    description: "",
    email: "platform-team@example.com",
    expirationDate: null,
    primaryAccountId: ACCOUNT_ID,
    accountIds: [OTHER_ACCOUNT_ID],
    access: { software_trust: ["SM_SIGNER"] },
  };

  test("builds the assumed body", () => {
    const body = toServiceUserBody(input, [{ managerId: "app-sm", roleIds: ["role-signer"] }]);
    expect(body).toEqual({
      user_type: "service",
      friendly_name: "release-signing_bot",
      description: "",
      email: "platform-team@example.com",
      end_date: null,
      primary_account_id: ACCOUNT_ID,
      accounts: [ACCOUNT_ID, OTHER_ACCOUNT_ID],
      applications: [{ id: "app-sm", roles: [{ id: "role-signer" }] }],
    });
  });

  test("keeps accounts that include the primary", () => {
    const body = toServiceUserBody({ ...input, accountIds: [OTHER_ACCOUNT_ID, ACCOUNT_ID] }, []);
    expect(body.accounts).toEqual([OTHER_ACCOUNT_ID, ACCOUNT_ID]);
  });
});

describe("readErrorBody", () => {
  test("reads the errors array shape", () => {
    const text = JSON.stringify({ errors: [{ code: "duplicate_error", message: "Name taken" }] });
    expect(readErrorBody(409, text, true)).toEqual({
      code: "duplicate_error",
      message: "Name taken",
    });
  });

  test("reads the error object shape", () => {
    const text = JSON.stringify({ error: { code: "invalid_api_key", message: "Bad key" } });
    expect(readErrorBody(401, text, true)).toEqual({
      code: "invalid_api_key",
      message: "Bad key",
    });
  });

  test("falls back to the status for other JSON", () => {
    expect(readErrorBody(500, JSON.stringify({ oops: true }), true)).toEqual({
      code: "http_500",
    });
    expect(readErrorBody(400, JSON.stringify({ errors: [{ message: "m" }] }), true)).toEqual({
      code: "http_400",
      message: "m",
    });
  });

  test("quotes a short excerpt of an HTML page", () => {
    const html =
      "<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>" +
      "<body><h1>Bad Gateway</h1><p>ref 0123456789abcdef0123456789abcdef</p>" +
      "<script>var x = 1;</script></body></html>";
    expect(readErrorBody(502, html, true)).toEqual({
      code: "http_502",
      message: "Bad Gateway ref",
    });
  });

  test("leaves out the title the page repeats", () => {
    const html =
      "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
      "<title>Error response</title>\n</head>\n<body>\n<h1>Error response</h1>\n" +
      "<p>Error code: 404</p>\n<p>Message: File not found.</p>\n</body>\n</html>\n";
    expect(readErrorBody(404, html, true).message).toBe(
      "Error response Error code: 404 Message: File not found.",
    );
  });

  test("keeps the title of a page without body text", () => {
    const html = "<html><head><title>Service Unavailable</title></head><body></body></html>";
    expect(readErrorBody(503, html, true).message).toBe("Service Unavailable");
  });

  test("limits the excerpt length", () => {
    const text = "word ".repeat(200);
    const message = readErrorBody(503, text, true).message ?? "";
    expect(message.length).toBeLessThanOrEqual(120);
    expect(message.endsWith("…")).toBe(true);
  });

  test("redacts token-like words of a secret response", () => {
    const token = "26aa8c8b0f1e4d2c9b7a6e5f4d_" + "d".repeat(64);
    const message =
      `accounts[0] "6a0c5c4e-2f0a-4b8e-9d57-1c5d8e2b7a10" is not known; token ${token}.`;
    const text = JSON.stringify({ errors: [{ code: "invalid_request", message }] });

    expect(readErrorBody(400, text, false)).toEqual({
      code: "invalid_request",
      message: 'accounts[0] "6a0c5c4e-2f0a-4b8e-9d57-1c5d8e2b7a10" is not known; token <redacted>.',
    });
    expect(readErrorBody(400, text, true).message).toBe(message);
  });

  test("quotes nothing when excerpts are off", () => {
    expect(readErrorBody(502, "<h1>Bad Gateway</h1>", false)).toEqual({ code: "http_502" });
  });

  test("returns the status code for an empty body", () => {
    expect(readErrorBody(404, "", true)).toEqual({ code: "http_404" });
  });
});

describe("inputFieldsNamedIn", () => {
  test.each([
    ['end_date "2020-01-01" is before today', ["expirationDate"]],
    ['accounts[0] "x" is not a known account', ["accountIds"]],
    ["primary_account_id is not one of accounts", ["primaryAccountId", "accountIds"]],
    ["friendly_name must not be empty", ["name"]],
    ["applications[0].roles[1] is not a role", ["access"]],
    ["the request is invalid", []],
    ["my_friendly_name_field is odd", []],
  ])("%s", (message, fields) => {
    expect(inputFieldsNamedIn(message)).toEqual(fields);
  });
});

describe("parseRetryAfter", () => {
  test("reads seconds", () => {
    expect(parseRetryAfter("120")).toBe(120_000);
  });

  test("reads an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
  });

  test("ignores a missing or invalid value", () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
