// Error handling of the DigiCert ONE client: API error bodies, malformed 2xx
// responses, network failures, aborts, option checks, and that neither the
// API key nor a token reaches an error or a log line.

import { MockAgent } from "undici";

import { createDigicertClient } from "../../provider/src/digicert/client";
import {
  DigicertApiError,
  DigicertError,
  DigicertIncompleteCreateError,
  DigicertNetworkError,
  DigicertResponseError,
} from "../../provider/src/digicert/errors";
import type {
  DigicertClient,
  ServiceUserInput,
} from "../../provider/src/digicert/types";
import { createLogger } from "../../provider/src/log";

const ORIGIN = "https://digicert.test";
const API_KEY = "0123456789abcdef0123456789_api-key-under-test";
const BASE = "/account/api/v1";
const USER_ID = "3f2b8a1e-5c4d-4e6f-8a9b-0c1d2e3f4a5b";
const ACCOUNT_ID = "6a0c5c4e-2f0a-4b8e-9d57-1c5d8e2b7a10";
const APP_ID = "5b6c7d8e-0000-4000-8000-00000000a001";
const TOKEN = "26aa8c8b0f1e4d2c9b7a6e5f4d_" + "d".repeat(64);

let agent: MockAgent;
let client: DigicertClient;
let logLines: string[];

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  logLines = [];
  client = createDigicertClient({
    baseUrl: ORIGIN,
    apiKey: API_KEY,
    userAgent: "terraform-provider-digicertone/test",
    dispatcher: agent,
    logger: createLogger("test", {}, (line) => logLines.push(line)),
    // Each test checks the error of one response, so retries are off.
    // client-retry.test.ts covers them.
    retry: { maxRetries: 0 },
  });
});

afterEach(async () => {
  await client.close();
  await agent.close();
});

function pool() {
  return agent.get(ORIGIN);
}

function replyRaw(
  method: string,
  path: string,
  status: number,
  text: string,
  headers: { [name: string]: string } = {},
): void {
  pool().intercept({ method, path }).reply(status, text, { headers });
}

function wireUser(overrides: object = {}): Record<string, unknown> {
  return {
    id: USER_ID,
    friendly_name: "release-signing_bot",
    description: "",
    email: "platform-team@example.com",
    status: "ACTIVE",
    user_type: "service",
    primary_account_id: ACCOUNT_ID,
    created_at: "2021-06-23T08:55:19Z",
    applications: [
      { id: APP_ID, code: "software_trust", roles: [{ id: "r1", code: "SM_SIGNER" }] },
    ],
    ...overrides,
  };
}

const input: ServiceUserInput = {
  name: "release-signing_bot",
  description: "",
  email: "platform-team@example.com",
  expirationDate: null,
  primaryAccountId: ACCOUNT_ID,
  accountIds: [ACCOUNT_ID],
  access: { software_trust: ["SM_SIGNER"] },
};

function replyWithRoles(): void {
  const roles = [{ id: "r1", code: "SM_SIGNER", application_id: APP_ID }];
  replyRaw(
    "GET",
    `${BASE}/role?application_code=software_trust&offset=0&limit=100`,
    200,
    JSON.stringify(roles),
  );
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("API error bodies", () => {
  test("errors array gives the API code", async () => {
    replyRaw(
      "POST",
      `${BASE}/user`,
      409,
      JSON.stringify({ errors: [{ code: "duplicate_error", message: "Friendly name already exists" }] }),
      { "x-request-id": "req-7" },
    );
    replyWithRoles();
    const error = await rejection(client.createServiceUser(input));
    expect(error).toBeInstanceOf(DigicertApiError);
    const apiError = error as DigicertApiError;
    expect(apiError.code).toBe("duplicate_error");
    expect(apiError.status).toBe(409);
    expect(apiError.apiMessage).toBe("Friendly name already exists");
    expect(apiError.requestId).toBe("req-7");
    expect(apiError.message).toBe(
      `DigiCert ONE API request POST ${BASE}/user failed with HTTP 409 (duplicate_error): ` +
        "Friendly name already exists. Request id: req-7.",
    );
  });

  test("error object gives the API code", async () => {
    replyRaw(
      "GET",
      `${BASE}/user/${USER_ID}`,
      401,
      JSON.stringify({ error: { code: "invalid_api_key", message: "Invalid API key" } }),
    );
    const error = await rejection(client.getServiceUser(USER_ID));
    expect(error).toBeInstanceOf(DigicertApiError);
    expect((error as DigicertApiError).code).toBe("invalid_api_key");
    expect((error as DigicertApiError).status).toBe(401);
    expect((error as DigicertApiError).requestId).toBeUndefined();
    expect((error as Error).message).toContain("Check that the API key is valid");
  });

  test("invalid_request keeps the API message", async () => {
    replyRaw(
      "PUT",
      `${BASE}/user/${USER_ID}/enable`,
      400,
      JSON.stringify({ errors: [{ code: "invalid_request", message: "end_date is in the past" }] }),
    );
    const error = await rejection(client.enableServiceUser(USER_ID));
    expect((error as DigicertApiError).code).toBe("invalid_request");
    expect((error as DigicertApiError).apiMessage).toBe("end_date is in the past");
  });

  test("HTML 502 page gives http_502", async () => {
    const html =
      "<html><head><title>502 Bad Gateway</title></head>" +
      "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    replyRaw("GET", `${BASE}/user/${USER_ID}`, 502, html, { "content-type": "text/html" });
    const error = await rejection(client.getServiceUser(USER_ID));
    expect(error).toBeInstanceOf(DigicertApiError);
    const apiError = error as DigicertApiError;
    expect(apiError.code).toBe("http_502");
    expect(apiError.status).toBe(502);
    expect(apiError.apiMessage).toBe("502 Bad Gateway nginx");
    expect(apiError.origin).toBe(ORIGIN);
    expect(apiError.hasApiCode).toBe(false);
    expect(apiError.message).not.toContain("<");
  });

  test("HTML page on create quotes nothing", async () => {
    replyWithRoles();
    replyRaw("POST", `${BASE}/user`, 502, `<html><body>Bad Gateway ${TOKEN}</body></html>`);
    const error = await rejection(client.createServiceUser(input));
    expect((error as DigicertApiError).code).toBe("http_502");
    expect((error as DigicertApiError).apiMessage).toBeUndefined();
  });

  test("429 reports Retry-After", async () => {
    replyRaw("GET", `${BASE}/user/${USER_ID}`, 429, "", { "retry-after": "30" });
    const error = await rejection(client.getServiceUser(USER_ID));
    expect((error as DigicertApiError).code).toBe("http_429");
    expect((error as DigicertApiError).retryAfterMs).toBe(30_000);
    expect((error as Error).message).toContain("retry after 30 s");
  });
});

describe("malformed 2xx responses", () => {
  test("wrong type names the field", async () => {
    replyRaw("GET", `${BASE}/user/${USER_ID}`, 200, JSON.stringify(wireUser({ friendly_name: 42 })));
    const error = await rejection(client.getServiceUser(USER_ID));
    expect(error).toBeInstanceOf(DigicertResponseError);
    const responseError = error as DigicertResponseError;
    expect(responseError.code).toBe("invalid_response");
    expect(responseError.field).toBe("friendly_name");
    expect(responseError.expected).toBe("string");
    expect(responseError.received).toBe("number");
    expect(responseError.message).not.toContain("42");
  });

  test("wrong list item names its index", async () => {
    const users = [wireUser(), wireUser({ id: "u2", email: null })];
    replyRaw("GET", `${BASE}/user?user_type=service&offset=0&limit=100`, 200, JSON.stringify(users));
    const error = await rejection(client.listServiceUsers());
    expect((error as DigicertResponseError).field).toBe("[1].email");
  });

  test("wrong paged item names its index", async () => {
    const body = { total: 1, items: [{ id: ACCOUNT_ID, name: "Main", active: "yes" }] };
    replyRaw("GET", `${BASE}/account?offset=0&limit=100`, 200, JSON.stringify(body));
    const error = await rejection(client.listAccounts());
    expect((error as DigicertResponseError).field).toBe("items[0].active");
    expect((error as DigicertResponseError).expected).toBe("boolean");
  });

  test("non-JSON 2xx body", async () => {
    replyRaw("GET", `${BASE}/account/${ACCOUNT_ID}`, 200, "<html>maintenance</html>");
    const error = await rejection(client.getAccount(ACCOUNT_ID));
    expect(error).toBeInstanceOf(DigicertResponseError);
    expect((error as DigicertResponseError).expected).toBe("JSON");
    expect((error as Error).message).not.toContain("maintenance");
  });

  test("create response without a token", async () => {
    replyWithRoles();
    replyRaw("POST", `${BASE}/user`, 201, JSON.stringify(wireUser()));
    const error = await rejection(client.createServiceUser(input));
    expect(error).toBeInstanceOf(DigicertIncompleteCreateError);
    const incomplete = error as DigicertIncompleteCreateError;
    expect(incomplete.userId).toBe(USER_ID);
    expect(incomplete.token).toBeUndefined();
    expect(incomplete.cause).toBeInstanceOf(DigicertResponseError);
    expect((incomplete.cause as DigicertResponseError).field).toBe(
      "api_token | token | api_key",
    );
  });

  test("malformed create response keeps id and token", async () => {
    replyWithRoles();
    const body = { ...wireUser({ created_at: 20210623 }), api_token: TOKEN };
    replyRaw("POST", `${BASE}/user`, 201, JSON.stringify(body));
    const error = await rejection(client.createServiceUser(input));
    expect(error).toBeInstanceOf(DigicertIncompleteCreateError);
    const incomplete = error as DigicertIncompleteCreateError;
    expect(incomplete.code).toBe("incomplete_create");
    expect(incomplete.userId).toBe(USER_ID);
    expect(incomplete.token).toBe(TOKEN);
    expect(incomplete.message).toContain(USER_ID);
    expect(incomplete.message).toContain("created_at");
    expect(incomplete.message).not.toContain(TOKEN);
    expect(JSON.stringify(incomplete)).not.toContain(TOKEN);
    expect(Object.keys(incomplete)).not.toContain("token");
  });

  test("create response without an id throws the field", async () => {
    replyWithRoles();
    const body = { ...wireUser({ id: null }), api_token: TOKEN };
    replyRaw("POST", `${BASE}/user`, 201, JSON.stringify(body));
    const error = await rejection(client.createServiceUser(input));
    expect(error).toBeInstanceOf(DigicertResponseError);
    expect((error as DigicertResponseError).field).toBe("id");
  });
});

describe("network failures", () => {
  test("refused connection", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), {
      code: "ECONNREFUSED",
    });
    pool().intercept({ method: "GET", path: `${BASE}/account/${ACCOUNT_ID}` }).replyWithError(refused);
    const error = await rejection(client.getAccount(ACCOUNT_ID));
    expect(error).toBeInstanceOf(DigicertNetworkError);
    const networkError = error as DigicertNetworkError;
    expect(networkError.code).toBe("connection_refused");
    expect(networkError.host).toBe("digicert.test");
    expect(networkError.cause).toBe(refused);
    expect(networkError.message).toBe(
      `DigiCert ONE API request GET ${BASE}/account/${ACCOUNT_ID} to digicert.test ` +
        "failed because the host refused the connection.",
    );
  });

  test("headers timeout gives seconds", async () => {
    const timeout = Object.assign(new Error("Headers Timeout Error"), {
      code: "UND_ERR_HEADERS_TIMEOUT",
    });
    pool().intercept({ method: "GET", path: `${BASE}/account/${ACCOUNT_ID}` }).replyWithError(timeout);
    const error = await rejection(client.getAccount(ACCOUNT_ID));
    expect((error as DigicertNetworkError).code).toBe("headers_timeout");
    expect((error as DigicertNetworkError).timeoutMs).toBe(30_000);
    expect((error as Error).message).toContain(
      "timed out waiting for the response headers. The server at digicert.test accepted the connection but sent no response within 30 seconds.",
    );
    expect((error as Error).message).not.toContain("timeouts.");
  });
});

describe("abort", () => {
  test("pre-aborted signal sends nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(client.listAccounts(controller.signal));
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe("AbortError");
  });

  test("abort rejects a pending request promptly", async () => {
    pool()
      .intercept({ method: "GET", path: `${BASE}/account/${ACCOUNT_ID}` })
      .reply(200, JSON.stringify({ id: ACCOUNT_ID, name: "Main", active: true }))
      .delay(5_000);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(client.getAccount(ACCOUNT_ID, controller.signal));
    expect(error).toBe(controller.signal.reason);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test("abort stops catalogue lookups", async () => {
    pool()
      .intercept({ method: "GET", path: `${BASE}/role?application_code=software_trust&offset=0&limit=100` })
      .reply(200, "[]")
      .delay(5_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("plan cancelled")), 20);
    const error = await rejection(client.createServiceUser(input, controller.signal));
    expect((error as Error).message).toBe("plan cancelled");
  });

  test("abort during create POST keeps the token", async () => {
    replyWithRoles();
    pool()
      .intercept({ method: "POST", path: `${BASE}/user` })
      .reply(201, JSON.stringify({ ...wireUser(), api_token: TOKEN }))
      .delay(200);
    const controller = new AbortController();
    const creating = client.createServiceUser(input, controller.signal);
    setTimeout(() => controller.abort(new Error("Terraform sent StopProvider")), 50);

    const created = await creating;
    expect(controller.signal.aborted).toBe(true);
    expect(created.user.id).toBe(USER_ID);
    expect(created.token).toBe(TOKEN);
  });
});

describe("client options", () => {
  const valid = {
    baseUrl: ORIGIN,
    apiKey: API_KEY,
    userAgent: "terraform-provider-digicertone/test",
  };

  function optionError(overrides: object): DigicertError {
    try {
      createDigicertClient({ ...valid, ...overrides });
    } catch (error) {
      return error as DigicertError;
    }
    throw new Error("expected createDigicertClient to throw");
  }

  test("rejects a base URL with a path", () => {
    const error = optionError({ baseUrl: "https://one.digicert.com/account/api/v1" });
    expect(error.code).toBe("invalid_config");
    expect(error.message).toContain('such as "https://one.digicert.com"');
  });

  test("rejects a non-HTTP scheme", () => {
    expect(optionError({ baseUrl: "ftp://one.digicert.com" }).code).toBe("invalid_config");
  });

  test("rejects an unparsable base URL", () => {
    expect(optionError({ baseUrl: "one.digicert.com" }).code).toBe("invalid_config");
  });

  test("rejects an API key with a newline", () => {
    const error = optionError({ apiKey: API_KEY + "\n" });
    expect(error.code).toBe("invalid_config");
    expect(error.message).not.toContain(API_KEY);
  });

  test("rejects an empty API key", () => {
    expect(optionError({ apiKey: "" }).code).toBe("invalid_config");
  });

  test("rejects a negative timeout", () => {
    const error = optionError({ timeouts: { headersMs: -1 } });
    expect(error.message).toBe(
      "Invalid timeouts.headersMs -1: expected a positive number of milliseconds.",
    );
  });

  test("accepts a trailing slash", () => {
    const created = createDigicertClient({ ...valid, baseUrl: "https://one.digicert.com/" });
    return created.close();
  });
});

describe("secrets", () => {
  /** Collects every text an error exposes: message, stack, own fields and causes. */
  function errorTexts(error: unknown): string[] {
    const texts: string[] = [];
    let current: unknown = error;
    while (current instanceof Error) {
      texts.push(String(current), current.stack ?? "", JSON.stringify(current));
      current = current.cause;
    }
    if (current !== undefined) {
      texts.push(String(current));
    }
    return texts;
  }

  const scenarios: [string, () => Promise<unknown>][] = [
    [
      "successful create",
      () => {
        replyWithRoles();
        replyRaw("POST", `${BASE}/user`, 201, JSON.stringify({ ...wireUser(), api_token: TOKEN }));
        return client.createServiceUser(input);
      },
    ],
    [
      "create response of the wrong shape",
      () => {
        replyWithRoles();
        const body = { ...wireUser({ friendly_name: TOKEN, email: 5 }), api_token: TOKEN };
        replyRaw("POST", `${BASE}/user`, 201, JSON.stringify(body));
        return client.createServiceUser(input);
      },
    ],
    [
      "create response with a token of the wrong type",
      () => {
        replyWithRoles();
        replyRaw("POST", `${BASE}/user`, 201, JSON.stringify({ ...wireUser(), api_token: [TOKEN] }));
        return client.createServiceUser(input);
      },
    ],
    [
      "create response that is not JSON",
      () => {
        replyWithRoles();
        replyRaw("POST", `${BASE}/user`, 201, `{"api_token": "${TOKEN}", oops}`);
        return client.createServiceUser(input);
      },
    ],
    [
      "create error page quoting the token",
      () => {
        replyWithRoles();
        replyRaw("POST", `${BASE}/user`, 500, `token ${TOKEN} leaked`);
        return client.createServiceUser(input);
      },
    ],
    [
      "create error message quoting the token",
      () => {
        replyWithRoles();
        const body = { errors: [{ code: "internal_error", message: `token ${TOKEN} not saved` }] };
        replyRaw("POST", `${BASE}/user`, 500, JSON.stringify(body));
        return client.createServiceUser(input);
      },
    ],
    [
      "error message echoing the API key",
      () => {
        const body = { errors: [{ code: "invalid_api_key", message: `key ${API_KEY} is not valid` }] };
        replyRaw("GET", `${BASE}/user/${USER_ID}`, 401, JSON.stringify(body));
        return client.getServiceUser(USER_ID);
      },
    ],
    [
      "error page echoing the API key",
      () => {
        replyRaw("GET", `${BASE}/user/${USER_ID}`, 502, `<p>x-api-key: ${API_KEY}</p>`);
        return client.getServiceUser(USER_ID);
      },
    ],
    [
      "request that MockAgent cannot match",
      () => {
        // MockAgent's error for a header mismatch quotes the request headers.
        pool()
          .intercept({ method: "GET", path: `${BASE}/user/${USER_ID}`, headers: { "x-api-key": "other" } })
          .reply(200, "{}");
        return client.getServiceUser(USER_ID);
      },
    ],
  ];

  test.each(scenarios)("%s leaks nothing", async (_name, scenario) => {
    let error: unknown;
    try {
      await scenario();
    } catch (caught) {
      error = caught;
    }
    const texts = [...errorTexts(error), ...logLines];
    for (const text of texts) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(TOKEN);
    }
    expect(logLines.length).toBeGreaterThan(0);
  });
});
