// Retries, backoff, Retry-After, the retry limits and the limit on requests
// in flight of the DigiCert ONE client, against undici's MockAgent with
// network connections disabled and a fake clock, so no test sleeps.

import { MockAgent, type Dispatcher } from "undici";

import {
  createDigicertClient,
  type Clock,
  type DigicertClientOptions,
  type RetryPolicy,
} from "../../provider/src/digicert/client";
import {
  DigicertApiError,
  DigicertNetworkError,
} from "../../provider/src/digicert/errors";
import type { DigicertClient } from "../../provider/src/digicert/types";
import { createLogger } from "../../provider/src/log";
import { apiErrorDiagnostic } from "../../provider/src/resources/api-errors";

const ORIGIN = "https://digicert.test";
const API_KEY = "0123456789abcdef0123456789_api-key-under-test";
const BASE = "/account/api/v1";
const ACCOUNT_ID = "6a0c5c4e-2f0a-4b8e-9d57-1c5d8e2b7a10";
const USER_ID = "3f2b8a1e-5c4d-4e6f-8a9b-0c1d2e3f4a5b";
const TOKEN_ID = "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a";
const TOKEN = "26aa8c8b0f1e4d2c9b7a6e5f4d_" + "e".repeat(64);
const ACCOUNT_PATH = `${BASE}/account/${ACCOUNT_ID}`;
const TOKEN_PATH = `${BASE}/api-access-token`;
const START = Date.parse("2026-03-02T10:00:00Z");

const ACCOUNT = { id: ACCOUNT_ID, name: "Acme", active: true };
const ISSUED_TOKEN = {
  id: TOKEN_ID,
  user_id: USER_ID,
  name: "ci",
  created_at: "2026-03-02T10:00:00Z",
  end_date: null,
  api_token: TOKEN,
};

/**
 * A clock whose `sleep` records the wait and moves the time on at once. With
 * `hang` set, `sleep` calls it and then waits until its signal aborts.
 */
class FakeClock implements Clock {
  time = START;
  readonly waits: number[] = [];
  hang: (() => void) | undefined;

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.waits.push(ms);
    if (this.hang === undefined) {
      this.time += ms;
      return Promise.resolve();
    }
    const hang = this.hang;
    return new Promise((_resolve, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      hang();
    });
  }
}

interface Harness {
  agent: MockAgent;
  clock: FakeClock;
  logLines: string[];
  /** Paths requested, as "METHOD /path", in order. */
  requests: string[];
  client(options?: Partial<DigicertClientOptions>): DigicertClient;
  reply(
    method: string,
    path: string,
    status: number,
    data?: unknown,
    headers?: { [name: string]: string },
  ): void;
  fail(method: string, path: string, code: string): void;
}

let harness: Harness;
const clients: DigicertClient[] = [];

/** Backoff that keeps the waits small and easy to check. */
const POLICY: Partial<RetryPolicy> = {
  maxRetries: 3,
  maxElapsedMs: 60_000,
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
};

beforeEach(() => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const clock = new FakeClock();
  const logLines: string[] = [];
  const requests: string[] = [];
  harness = {
    agent,
    clock,
    logLines,
    requests,
    client(options = {}) {
      const client = createDigicertClient({
        baseUrl: ORIGIN,
        apiKey: API_KEY,
        userAgent: "terraform-provider-digicertone/test",
        dispatcher: agent,
        logger: createLogger("test", {}, (line) => logLines.push(line)),
        clock,
        random: () => 1,
        ...options,
        retry: { ...POLICY, ...options.retry },
      });
      clients.push(client);
      return client;
    },
    reply(method, path, status, data, headers = {}) {
      pool.intercept({ method, path }).reply((options) => {
        requests.push(`${options.method} ${options.path}`);
        const text = data === undefined ? "" : JSON.stringify(data);
        return { statusCode: status, data: text, responseOptions: { headers } };
      });
    },
    fail(method, path, code) {
      pool.intercept({ method, path }).replyWithError(
        Object.assign(new Error(`simulated ${code}`), { code }),
      );
    },
  };
});

afterEach(async () => {
  harness.agent.assertNoPendingInterceptors();
  for (const client of clients.splice(0)) await client.close();
  await harness.agent.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

function apiError(status: number) {
  return { errors: [{ code: `status_${status}`, message: `failed with ${status}` }] };
}

describe("retried statuses", () => {
  test.each([429, 502, 503, 504])("GET after %i is retried", async (status) => {
    const client = harness.client();
    harness.reply("GET", ACCOUNT_PATH, status, apiError(status));
    harness.reply("GET", ACCOUNT_PATH, status, apiError(status));
    harness.reply("GET", ACCOUNT_PATH, 200, ACCOUNT);

    const account = await client.getAccount(ACCOUNT_ID);

    expect(account?.id).toBe(ACCOUNT_ID);
    expect(harness.requests).toHaveLength(3);
  });

  test.each([400, 401, 403, 409, 500])("GET after %i is not retried", async (status) => {
    const client = harness.client();
    harness.reply("GET", ACCOUNT_PATH, status, apiError(status));

    const error = (await rejection(client.getAccount(ACCOUNT_ID))) as DigicertApiError;

    expect(error.status).toBe(status);
    expect(error.retries).toBeUndefined();
    expect(harness.requests).toHaveLength(1);
    expect(harness.clock.waits).toEqual([]);
  });

  test("PUT and DELETE are retried", async () => {
    const client = harness.client();
    harness.reply("PUT", `${TOKEN_PATH}/${TOKEN_ID}`, 502, "");
    harness.reply("PUT", `${TOKEN_PATH}/${TOKEN_ID}`, 200, ISSUED_TOKEN);
    harness.reply("DELETE", `${TOKEN_PATH}/${TOKEN_ID}`, 504, "");
    harness.reply("DELETE", `${TOKEN_PATH}/${TOKEN_ID}`, 204);

    await client.setApiTokenEndDate(TOKEN_ID, "2026-03-03");
    await client.deleteApiToken(TOKEN_ID);

    expect(harness.requests).toEqual([
      `PUT ${TOKEN_PATH}/${TOKEN_ID}`,
      `PUT ${TOKEN_PATH}/${TOKEN_ID}`,
      `DELETE ${TOKEN_PATH}/${TOKEN_ID}`,
      `DELETE ${TOKEN_PATH}/${TOKEN_ID}`,
    ]);
  });

  test.each(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"])(
    "GET after %s is retried",
    async (code) => {
      const client = harness.client();
      harness.fail("GET", ACCOUNT_PATH, code);
      harness.reply("GET", ACCOUNT_PATH, 200, ACCOUNT);

      await expect(client.getAccount(ACCOUNT_ID)).resolves.toMatchObject({ id: ACCOUNT_ID });
      expect(harness.clock.waits).toHaveLength(1);
    },
  );

  test("TLS error is not retried", async () => {
    const client = harness.client();
    harness.fail("GET", ACCOUNT_PATH, "ERR_TLS_CERT_ALTNAME_INVALID");

    const error = (await rejection(client.getAccount(ACCOUNT_ID))) as DigicertNetworkError;

    expect(error.code).toBe("tls_error");
    expect(harness.clock.waits).toEqual([]);
  });

  test("max_retries 0 turns retries off", async () => {
    const client = harness.client({ retry: { maxRetries: 0 } });
    harness.reply("GET", ACCOUNT_PATH, 503, apiError(503));

    const error = (await rejection(client.getAccount(ACCOUNT_ID))) as DigicertApiError;

    expect(error.status).toBe(503);
    expect(error.retries).toBeUndefined();
    expect(error.message).not.toContain("The provider");
  });
});

describe("waits", () => {
  test("backoff doubles up to its cap", async () => {
    const client = harness.client({
      random: () => 0.5,
      retry: { maxRetries: 5, initialBackoffMs: 100, maxBackoffMs: 500 },
    });
    for (let i = 0; i < 5; i++) harness.reply("GET", ACCOUNT_PATH, 503, apiError(503));
    harness.reply("GET", ACCOUNT_PATH, 200, ACCOUNT);

    await client.getAccount(ACCOUNT_ID);

    expect(harness.clock.waits).toEqual([50, 100, 200, 250, 250]);
  });

  test("jitter scales the whole wait", async () => {
    const draws = [0, 0.25, 0.999];
    const client = harness.client({ random: () => draws.shift()! });
    for (let i = 0; i < 3; i++) harness.reply("GET", ACCOUNT_PATH, 502, "");
    harness.reply("GET", ACCOUNT_PATH, 200, ACCOUNT);

    await client.getAccount(ACCOUNT_ID);

    expect(harness.clock.waits).toEqual([0, 50, 399]);
  });

  test("Retry-After in seconds sets the wait", async () => {
    const client = harness.client();
    harness.reply("GET", ACCOUNT_PATH, 429, apiError(429), { "retry-after": "7" });
    harness.reply("GET", ACCOUNT_PATH, 200, ACCOUNT);

    await client.getAccount(ACCOUNT_ID);

    expect(harness.clock.waits).toEqual([7_000]);
  });

  test("Retry-After as HTTP date sets the wait", async () => {
    const client = harness.client();
    const retryAt = new Date(START + 12_000).toUTCString();
    harness.reply("GET", ACCOUNT_PATH, 503, apiError(503), { "retry-after": retryAt });
    harness.reply("GET", ACCOUNT_PATH, 200, ACCOUNT);

    await client.getAccount(ACCOUNT_ID);

    expect(retryAt).toBe("Mon, 02 Mar 2026 10:00:12 GMT");
    expect(harness.clock.waits).toEqual([12_000]);
  });

  test("Retry-After date in the past retries at once", async () => {
    const client = harness.client();
    const retryAt = new Date(START - 5_000).toUTCString();
    harness.reply("GET", ACCOUNT_PATH, 503, apiError(503), { "retry-after": retryAt });
    harness.reply("GET", ACCOUNT_PATH, 200, ACCOUNT);

    await client.getAccount(ACCOUNT_ID);

    expect(harness.clock.waits).toEqual([0]);
  });
});

describe("retry limits", () => {
  test("retry count exhausted names attempts", async () => {
    const client = harness.client({ retry: { maxRetries: 2 } });
    for (let i = 0; i < 3; i++) {
      harness.reply("GET", ACCOUNT_PATH, 503, apiError(503), { "x-request-id": `req-${i}` });
    }

    const error = (await rejection(client.getAccount(ACCOUNT_ID))) as DigicertApiError;

    expect(error).toBeInstanceOf(DigicertApiError);
    expect(error.status).toBe(503);
    expect(error.requestId).toBe("req-2");
    expect(error.retries).toEqual({
      attempts: 3,
      elapsedMs: 300,
      stopReason: "the limit of 2 retries was reached",
    });
    expect(error.message).toBe(
      `DigiCert ONE API request GET ${ACCOUNT_PATH} failed with HTTP 503 (status_503): failed with 503. ` +
        "Request id: req-2. " +
        "The provider sent the request 3 times over 0.3 seconds and gave up, because the limit of 2 retries was reached.",
    );
  });

  test("time limit exhausted names attempts", async () => {
    const client = harness.client({
      retry: { maxRetries: 10, maxElapsedMs: 700, initialBackoffMs: 100, maxBackoffMs: 1_000 },
    });
    // Waits of 100, 200 and 400 ms reach the 700 ms limit.
    for (let i = 0; i < 4; i++) harness.reply("GET", ACCOUNT_PATH, 504, "");

    const error = (await rejection(client.getAccount(ACCOUNT_ID))) as DigicertApiError;

    expect(harness.clock.waits).toEqual([100, 200, 400]);
    expect(error.status).toBe(504);
    expect(error.retries?.attempts).toBe(4);
    expect(error.message).toContain("failed with HTTP 504");
    expect(error.message).toContain(
      "The provider sent the request 4 times over 0.7 seconds and gave up, because the retry time limit of 0.7 seconds was reached.",
    );
  });

  test("backoff is shortened to the time left", async () => {
    const client = harness.client({
      retry: { maxRetries: 10, maxElapsedMs: 250, initialBackoffMs: 200, maxBackoffMs: 1_000 },
    });
    for (let i = 0; i < 3; i++) harness.reply("GET", ACCOUNT_PATH, 502, "");

    await rejection(client.getAccount(ACCOUNT_ID));

    expect(harness.clock.waits).toEqual([200, 50]);
  });

  test("Retry-After beyond the time limit stops", async () => {
    const client = harness.client({ retry: { maxElapsedMs: 10_000 } });
    harness.reply("GET", ACCOUNT_PATH, 429, apiError(429), { "retry-after": "30" });

    const error = (await rejection(client.getAccount(ACCOUNT_ID))) as DigicertApiError;

    expect(harness.clock.waits).toEqual([]);
    expect(error.retries?.attempts).toBe(1);
    expect(error.message).toContain("The API asks to retry after 30 s.");
    expect(error.message).toContain(
      "The provider did not retry, because the API asked to wait 30 seconds (Retry-After), which would exceed the retry time limit of 10 seconds.",
    );
  });

  test("network failure exhausted names attempts", async () => {
    const client = harness.client({ retry: { maxRetries: 1 } });
    harness.fail("GET", ACCOUNT_PATH, "ECONNREFUSED");
    harness.fail("GET", ACCOUNT_PATH, "ECONNREFUSED");

    const error = (await rejection(client.getAccount(ACCOUNT_ID))) as DigicertNetworkError;

    expect(error).toBeInstanceOf(DigicertNetworkError);
    expect(error.code).toBe("connection_refused");
    expect(error.message).toContain("failed because the host refused the connection.");
    expect(error.message).toContain(
      "The provider sent the request 2 times over 0.1 seconds and gave up, because the limit of 1 retry was reached.",
    );
  });

  test("later non-retried status keeps the count", async () => {
    const client = harness.client();
    harness.reply("GET", ACCOUNT_PATH, 503, apiError(503));
    harness.reply("GET", ACCOUNT_PATH, 500, apiError(500));

    const error = (await rejection(client.getAccount(ACCOUNT_ID))) as DigicertApiError;

    expect(error.status).toBe(500);
    expect(error.retries).toEqual({ attempts: 2, elapsedMs: 100, stopReason: undefined });
    expect(error.message).toContain("The provider sent the request 2 times over 0.1 seconds.");
  });
});

describe("retry diagnostics", () => {
  const operation = { action: "read", subject: 'service user "bot"' } as const;

  test("API error diagnostic names attempts and settings", async () => {
    const client = harness.client({ retry: { maxRetries: 1 } });
    harness.reply("GET", ACCOUNT_PATH, 429, apiError(429));
    harness.reply("GET", ACCOUNT_PATH, 429, apiError(429));

    const error = await rejection(client.getAccount(ACCOUNT_ID));
    const { detail } = apiErrorDiagnostic(error, operation);

    expect(detail).toContain("DigiCert ONE returned status_429 (HTTP 429)");
    expect(detail).toContain(
      "\n\nThe provider sent the request 2 times over 0.1 seconds and gave up, because the limit of 1 retry was reached. " +
        "To retry for longer, raise max_retries or max_retry_duration in the provider block.",
    );
  });

  test("network error diagnostic names the settings", async () => {
    const client = harness.client({ retry: { maxRetries: 1 } });
    harness.fail("GET", ACCOUNT_PATH, "ECONNRESET");
    harness.fail("GET", ACCOUNT_PATH, "ECONNRESET");

    const error = await rejection(client.getAccount(ACCOUNT_ID));
    const { detail } = apiErrorDiagnostic(error, operation);

    expect(detail.match(/The provider sent the request 2 times/g)).toHaveLength(1);
    expect(detail).toContain("raise max_retries or max_retry_duration");
  });

  test("single attempt adds nothing", async () => {
    const client = harness.client();
    harness.reply("GET", ACCOUNT_PATH, 500, apiError(500));

    const error = await rejection(client.getAccount(ACCOUNT_ID));

    expect(apiErrorDiagnostic(error, operation).detail).not.toContain("The provider sent");
  });
});

describe("POST retries", () => {
  const issue = (client: DigicertClient, signal?: AbortSignal) =>
    client.createApiToken(USER_ID, "ci", signal);

  test.each([429, 503])("POST after %i is retried", async (status) => {
    const client = harness.client();
    harness.reply("POST", TOKEN_PATH, status, apiError(status));
    harness.reply("POST", TOKEN_PATH, 201, ISSUED_TOKEN);

    const issued = await issue(client);

    expect(issued.token).toBe(TOKEN);
    expect(harness.requests).toEqual([`POST ${TOKEN_PATH}`, `POST ${TOKEN_PATH}`]);
  });

  test.each([500, 502, 504])("POST after %i is not retried", async (status) => {
    const client = harness.client();
    harness.reply("POST", TOKEN_PATH, status, apiError(status));

    const error = (await rejection(issue(client))) as DigicertApiError;

    expect(error.status).toBe(status);
    expect(error.retries).toBeUndefined();
    expect(harness.requests).toHaveLength(1);
  });

  test.each([
    ["ECONNREFUSED", "connection_refused"],
    ["UND_ERR_CONNECT_TIMEOUT", "connect_timeout"],
    ["ENOTFOUND", "dns_lookup_failed"],
  ])("POST after %s is retried", async (code) => {
    const client = harness.client();
    harness.fail("POST", TOKEN_PATH, code);
    harness.reply("POST", TOKEN_PATH, 201, ISSUED_TOKEN);

    const issued = await issue(client);

    expect(issued.token).toBe(TOKEN);
    expect(harness.clock.waits).toHaveLength(1);
  });

  test.each([
    ["ECONNRESET", "connection_reset"],
    ["UND_ERR_SOCKET", "connection_reset"],
    ["UND_ERR_HEADERS_TIMEOUT", "headers_timeout"],
    ["UND_ERR_BODY_TIMEOUT", "body_timeout"],
  ])("POST after %s is not retried", async (code, expected) => {
    const client = harness.client();
    harness.fail("POST", TOKEN_PATH, code);

    const error = (await rejection(issue(client))) as DigicertNetworkError;

    expect(error.code).toBe(expected);
    expect(error.retries).toBeUndefined();
    expect(harness.clock.waits).toEqual([]);
  });

  test("create POST after 503 is retried", async () => {
    const client = harness.client();
    harness.reply("GET", `${BASE}/role?application_code=account_manager&offset=0&limit=100`, 200, [
      { id: "r1", code: "AM_VIEW_ONLY", name: "View only", application_id: "app-1" },
    ]);
    harness.reply("POST", `${BASE}/user`, 503, apiError(503), { "retry-after": "2" });
    harness.reply("POST", `${BASE}/user`, 201, {
      id: USER_ID,
      friendly_name: "bot",
      description: "",
      email: "bot@example.com",
      status: "ACTIVE",
      user_type: "service",
      primary_account_id: ACCOUNT_ID,
      accounts: [ACCOUNT_ID],
      created_at: "2026-03-02T10:00:00Z",
      end_date: null,
      applications: [],
      api_token: TOKEN,
    });

    const created = await client.createServiceUser({
      name: "bot",
      description: "",
      email: "bot@example.com",
      expirationDate: null,
      primaryAccountId: ACCOUNT_ID,
      accountIds: [ACCOUNT_ID],
      access: { account_manager: ["AM_VIEW_ONLY"] },
    });

    expect(created.token).toBe(TOKEN);
    expect(harness.clock.waits).toEqual([2_000]);
  });
});

describe("abort", () => {
  test("abort during a wait stops GET", async () => {
    const client = harness.client();
    const controller = new AbortController();
    harness.clock.hang = () => controller.abort(new Error("Terraform sent StopProvider"));
    harness.reply("GET", ACCOUNT_PATH, 429, apiError(429), { "retry-after": "20" });

    const error = await rejection(client.getAccount(ACCOUNT_ID, controller.signal));

    expect((error as Error).message).toBe("Terraform sent StopProvider");
    expect(harness.clock.waits).toEqual([20_000]);
    expect(harness.requests).toHaveLength(1);
  });

  test("abort during a wait stops POST", async () => {
    const client = harness.client();
    const controller = new AbortController();
    harness.clock.hang = () => controller.abort(new Error("Terraform sent StopProvider"));
    harness.fail("POST", TOKEN_PATH, "ECONNREFUSED");

    const error = await rejection(client.createApiToken(USER_ID, "ci", controller.signal));

    expect((error as Error).message).toBe("Terraform sent StopProvider");
    expect(harness.requests).toHaveLength(0);
  });

  test("abort cuts a real wait short", async () => {
    const client = harness.client({ clock: undefined });
    const controller = new AbortController();
    harness.reply("GET", ACCOUNT_PATH, 503, apiError(503), { "retry-after": "30" });
    const started = Date.now();
    setTimeout(() => controller.abort(new Error("stopped")), 50);

    const error = await rejection(client.getAccount(ACCOUNT_ID, controller.signal));

    expect((error as Error).message).toBe("stopped");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test("abort during a POST prevents a retry", async () => {
    const client = harness.client();
    const controller = new AbortController();
    // Terraform stops the provider while the POST is in flight. The POST
    // has no signal, so its 503 response still arrives.
    harness.agent
      .get(ORIGIN)
      .intercept({ method: "POST", path: TOKEN_PATH })
      .reply(() => {
        controller.abort(new Error("stopped"));
        return { statusCode: 503, data: JSON.stringify(apiError(503)) };
      });

    const error = await rejection(client.createApiToken(USER_ID, "ci", controller.signal));

    expect((error as DigicertApiError).status).toBe(503);
    expect(harness.clock.waits).toEqual([]);
  });
});

describe("requests in flight", () => {
  /** Wraps the MockAgent to count requests from dispatch until the body is read. */
  function countingDispatcher(agent: MockAgent) {
    const counts = { current: 0, peak: 0, total: 0 };
    const dispatcher = {
      async request(options: Dispatcher.RequestOptions) {
        counts.current += 1;
        counts.total += 1;
        counts.peak = Math.max(counts.peak, counts.current);
        try {
          const response = await agent.request(options);
          const text = await response.body.text();
          return { ...response, body: { text: async () => text } };
        } finally {
          counts.current -= 1;
        }
      },
    } as unknown as Dispatcher;
    return { counts, dispatcher };
  }

  test("50 concurrent calls respect the limit", async () => {
    const { counts, dispatcher } = countingDispatcher(harness.agent);
    const client = harness.client({ dispatcher, maxConcurrentRequests: 4 });
    const pool = harness.agent.get(ORIGIN);
    pool.intercept({ method: "GET", path: ACCOUNT_PATH }).reply(200, ACCOUNT).delay(5).times(50);

    const accounts = await Promise.all(
      Array.from({ length: 50 }, () => client.getAccount(ACCOUNT_ID)),
    );

    expect(accounts).toHaveLength(50);
    expect(counts.total).toBe(50);
    expect(counts.peak).toBe(4);
  });

  test("default limit is 8", async () => {
    const { counts, dispatcher } = countingDispatcher(harness.agent);
    const client = harness.client({ dispatcher });
    const pool = harness.agent.get(ORIGIN);
    pool.intercept({ method: "GET", path: ACCOUNT_PATH }).reply(200, ACCOUNT).delay(5).times(50);

    await Promise.all(Array.from({ length: 50 }, () => client.getAccount(ACCOUNT_ID)));

    expect(counts.peak).toBe(8);
  });

  test("waiting retries free their slot", async () => {
    const { counts, dispatcher } = countingDispatcher(harness.agent);
    const client = harness.client({ dispatcher, maxConcurrentRequests: 1 });
    harness.reply("GET", ACCOUNT_PATH, 503, apiError(503));
    harness.reply("GET", ACCOUNT_PATH, 200, ACCOUNT);
    harness.reply("GET", `${BASE}/account/other`, 200, { ...ACCOUNT, id: "other" });

    const [first, second] = await Promise.all([
      client.getAccount(ACCOUNT_ID),
      client.getAccount("other"),
    ]);

    expect(first?.id).toBe(ACCOUNT_ID);
    expect(second?.id).toBe("other");
    expect(counts.peak).toBe(1);
    // The second call ran while the first waited to retry.
    expect(harness.requests).toEqual([
      `GET ${ACCOUNT_PATH}`,
      `GET ${BASE}/account/other`,
      `GET ${ACCOUNT_PATH}`,
    ]);
  });

  test("abort while waiting for a slot", async () => {
    const client = harness.client({ maxConcurrentRequests: 1 });
    const pool = harness.agent.get(ORIGIN);
    pool.intercept({ method: "GET", path: ACCOUNT_PATH }).reply(200, ACCOUNT).delay(50);
    const controller = new AbortController();

    const first = client.getAccount(ACCOUNT_ID);
    const second = client.getAccount(ACCOUNT_ID, controller.signal);
    controller.abort(new Error("stopped"));

    expect(((await rejection(second)) as Error).message).toBe("stopped");
    await expect(first).resolves.toMatchObject({ id: ACCOUNT_ID });
  });
});

describe("retry logging", () => {
  test("each retry logs one line", async () => {
    const client = harness.client();
    harness.reply("GET", ACCOUNT_PATH, 503, apiError(503), { "x-request-id": "req-1" });
    harness.fail("GET", ACCOUNT_PATH, "ECONNRESET");
    harness.reply("GET", ACCOUNT_PATH, 200, ACCOUNT);

    await client.getAccount(ACCOUNT_ID);

    const retries = harness.logLines
      .map((line) => JSON.parse(line))
      .filter((record) => record["@message"] === "Retrying DigiCert ONE API request");
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatchObject({
      "@level": "warn",
      method: "GET",
      path: ACCOUNT_PATH,
      status: 503,
      requestId: "req-1",
      attempt: 1,
      maxAttempts: 4,
      waitMs: 100,
    });
    expect(retries[1]).toMatchObject({
      "@level": "warn",
      method: "GET",
      path: ACCOUNT_PATH,
      error: "connection_reset",
      attempt: 2,
      waitMs: 200,
    });
  });

  test("log lines contain no key or token", async () => {
    const client = harness.client();
    // A gateway that echoes the request and a response that carries the token.
    harness.reply("POST", TOKEN_PATH, 429, { errors: [{ code: "rate_limited", message: `key ${API_KEY}` }] }, {
      "retry-after": "1",
      "x-echo-api-key": API_KEY,
    });
    harness.fail("POST", TOKEN_PATH, "ECONNREFUSED");
    harness.reply("POST", TOKEN_PATH, 201, ISSUED_TOKEN);

    const issued = await client.createApiToken(USER_ID, "ci");

    expect(issued.token).toBe(TOKEN);
    const log = harness.logLines.join("\n");
    expect(log).toContain("Retrying DigiCert ONE API request");
    expect(log).not.toContain(API_KEY);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain("x-api-key");
  });
});
