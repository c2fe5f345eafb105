// The DigiCert ONE client's own undici Agent against a real HTTP server on
// 127.0.0.1: headers on the wire, connection reuse, timeouts, refused
// connections, retries over real sockets and aborts.

import http from "node:http";
import type { AddressInfo } from "node:net";

import {
  createDigicertClient,
  type DigicertClientOptions,
} from "../../provider/src/digicert/client";
import { DigicertNetworkError } from "../../provider/src/digicert/errors";
import type {
  DigicertClient,
  ServiceUserInput,
} from "../../provider/src/digicert/types";
import { createLogger } from "../../provider/src/log";

const API_KEY = "0123456789abcdef0123456789_api-key-under-test";
const USER_AGENT = "terraform-provider-digicertone/test";
const BASE = "/account/api/v1";
const ACCOUNT_ID = "6a0c5c4e-2f0a-4b8e-9d57-1c5d8e2b7a10";
const APP_ID = "5b6c7d8e-0000-4000-8000-00000000a001";

interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (request: ReceivedRequest, response: http.ServerResponse) => void;

interface TestServer {
  url: string;
  port: number;
  received: ReceivedRequest[];
  connections: number;
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  let handler: Handler = (_request, response) => response.end("[]");
  const received: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      handler(entry, response);
    });
  });
  const state = {
    url: "",
    port: 0,
    received,
    connections: 0,
    setHandler(next: Handler) {
      handler = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on("connection", () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  return state;
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

let server: TestServer;
let client: DigicertClient;

/** Retries without real waits, for tests that check retries. */
const FAST_RETRY = { maxRetries: 2, initialBackoffMs: 1, maxBackoffMs: 1 };

/**
 * Creates the client for the test server. Retries are off unless the test
 * passes `retry`, so that each failure reaches the test as it happened.
 */
function connect(
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number },
  options: Partial<DigicertClientOptions> = {},
) {
  client = createDigicertClient({
    baseUrl: server.url,
    apiKey: API_KEY,
    userAgent: USER_AGENT,
    timeouts,
    logger: createLogger("test", {}, () => undefined),
    retry: { maxRetries: 0 },
    ...options,
  });
}

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  await client?.close();
  await server.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("headers on the wire", () => {
  const input: ServiceUserInput = {
    name: "bot-ü",
    description: "",
    email: "platform-team@example.com",
    expirationDate: null,
    primaryAccountId: ACCOUNT_ID,
    accountIds: [ACCOUNT_ID],
    access: { software_trust: ["SM_SIGNER"] },
  };

  test("POST carries JSON type and length", async () => {
    server.setHandler((request, response) => {
      if (request.url.startsWith(`${BASE}/role`)) {
        sendJson(response, 200, [{ id: "r1", code: "SM_SIGNER", application_id: APP_ID }]);
        return;
      }
      sendJson(response, 500, { errors: [{ code: "stop", message: "recorded" }] });
    });
    connect();
    await rejection(client.createServiceUser(input));

    const post = server.received.find((request) => request.method === "POST");
    expect(post).toBeDefined();
    expect(post!.url).toBe(`${BASE}/user`);
    expect(post!.headers["x-api-key"]).toBe(API_KEY);
    expect(post!.headers["user-agent"]).toBe(USER_AGENT);
    expect(post!.headers["accept"]).toBe("application/json");
    expect(post!.headers["content-type"]).toBe("application/json");
    expect(post!.headers["content-length"]).toBe(String(Buffer.byteLength(post!.body)));
    expect(JSON.parse(post!.body).friendly_name).toBe("bot-ü");
  });

  test("PUT without a body sends length zero", async () => {
    server.setHandler((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    connect();
    await rejection(client.disableServiceUser("u1"));
    const put = server.received[0];
    expect(put.method).toBe("PUT");
    expect(put.url).toBe(`${BASE}/user/u1/disable`);
    expect(put.headers["content-length"]).toBe("0");
    expect(put.headers["x-api-key"]).toBe(API_KEY);
  });
});

describe("connection reuse", () => {
  test("sequential requests share a connection", async () => {
    connect();
    for (let i = 0; i < 3; i++) {
      await client.listAccounts();
      // undici 7 returns the connection to its pool one event-loop turn
      // after the body is read, so a request sent at once would open another.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.received).toHaveLength(3);
    expect(server.connections).toBe(1);
  });
});

describe("timeouts", () => {
  test("slow headers give headers_timeout", async () => {
    server.setHandler(() => undefined);
    connect({ headersMs: 100 });
    const error = await rejection(client.listAccounts());
    expect(error).toBeInstanceOf(DigicertNetworkError);
    const networkError = error as DigicertNetworkError;
    expect(networkError.code).toBe("headers_timeout");
    expect(networkError.timeoutMs).toBe(100);
    expect(networkError.host).toBe(`127.0.0.1:${server.port}`);
    expect(networkError.message).toBe(
      `DigiCert ONE API request GET ${BASE}/account?offset=0&limit=100 to 127.0.0.1:${server.port} ` +
        "timed out waiting for the response headers. " +
        `The server at 127.0.0.1:${server.port} accepted the connection but sent no response within 0.1 seconds.`,
    );
    expect(networkError.message).not.toContain("headersMs");
  });

  test("stalled body gives body_timeout", async () => {
    server.setHandler((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write("[");
    });
    connect({ bodyMs: 100 });
    const error = await rejection(client.listAccounts());
    expect((error as DigicertNetworkError).code).toBe("body_timeout");
    expect((error as DigicertNetworkError).timeoutMs).toBe(100);
    expect((error as Error).message).toContain("timed out while reading the response body.");
    expect((error as Error).message).toContain("then no more data for 0.1 seconds.");
  });
});

describe("connection failures", () => {
  test("closed port gives connection_refused", async () => {
    const port = server.port;
    await server.close();
    server = await startServer();
    client = createDigicertClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: API_KEY,
      userAgent: USER_AGENT,
      logger: createLogger("test", {}, () => undefined),
      retry: { maxRetries: 0 },
    });
    const error = await rejection(client.listAccounts());
    expect(error).toBeInstanceOf(DigicertNetworkError);
    expect((error as DigicertNetworkError).code).toBe("connection_refused");
    expect((error as DigicertNetworkError).host).toBe(`127.0.0.1:${port}`);
  });

  test("server closing the socket gives connection_reset", async () => {
    server.setHandler((_request, response) => {
      response.socket?.destroy();
    });
    connect();
    const error = await rejection(client.listAccounts());
    expect((error as DigicertNetworkError).code).toBe("connection_reset");
  });
});

describe("retries over real sockets", () => {
  test("GET is retried after a reset", async () => {
    let calls = 0;
    server.setHandler((_request, response) => {
      calls += 1;
      if (calls === 1) {
        response.socket?.destroy();
        return;
      }
      sendJson(response, 200, []);
    });
    connect(undefined, { retry: FAST_RETRY });

    await expect(client.listAccounts()).resolves.toEqual([]);
    expect(server.received).toHaveLength(2);
  });

  test("GET is retried after a headers timeout", async () => {
    let calls = 0;
    server.setHandler((_request, response) => {
      calls += 1;
      if (calls > 1) sendJson(response, 200, []);
    });
    connect({ headersMs: 100 }, { retry: FAST_RETRY });

    await expect(client.listAccounts()).resolves.toEqual([]);
    expect(server.received).toHaveLength(2);
  });

  test("refused connection is retried then reported", async () => {
    const port = server.port;
    await server.close();
    server = await startServer();
    client = createDigicertClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: API_KEY,
      userAgent: USER_AGENT,
      logger: createLogger("test", {}, () => undefined),
      retry: FAST_RETRY,
    });

    const error = (await rejection(client.listAccounts())) as DigicertNetworkError;
    expect(error.code).toBe("connection_refused");
    expect(error.retries?.attempts).toBe(3);
    expect(error.message).toContain("The provider sent the request 3 times over");
    expect(error.message).toContain("the limit of 2 retries was reached.");
  });

  test("POST is not retried after a reset", async () => {
    server.setHandler((request, response) => {
      if (request.method === "POST") {
        response.socket?.destroy();
        return;
      }
      sendJson(response, 200, {});
    });
    connect(undefined, { retry: FAST_RETRY });

    const error = await rejection(client.createApiToken("u1", "ci"));
    expect((error as DigicertNetworkError).code).toBe("connection_reset");
    expect((error as DigicertNetworkError).retries).toBeUndefined();
    expect(server.received.filter((request) => request.method === "POST")).toHaveLength(1);
  });
});

describe("abort on a real connection", () => {
  test("abort rejects while waiting for headers", async () => {
    server.setHandler(() => undefined);
    connect();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(client.listAccounts(controller.signal));
    expect((error as Error).name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe("close", () => {
  test("close ends pooled connections", async () => {
    connect();
    await client.listAccounts();
    await client.close();
    const error = await rejection(client.listAccounts());
    expect(error).toBeInstanceOf(DigicertNetworkError);
  });
});
