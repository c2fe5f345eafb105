import { request } from "undici";

import { parseCommandLine, UsageError } from "../../emulator/src/cli-options";
import { FaultInjector, FaultOptions } from "../../emulator/src/faults";
import { RunningEmulator, startEmulator } from "../../emulator/src/server";
import { systemClock } from "../../emulator/src/time";
import { ManualClock, USER_AGENT, validCreateBody } from "../../emulator/test/client";

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends a request and returns the raw body, which may be HTML. */
async function send(
  emulator: RunningEmulator,
  method: "GET" | "POST",
  path: string,
  options: { apiKey?: string; json?: unknown; base?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {
    "user-agent": USER_AGENT,
    "x-api-key": options.apiKey ?? emulator.adminApiKey,
  };
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  const response = await request(`${options.base ?? emulator.apiUrl}${path}`, {
    method,
    headers,
    body,
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

function errorCode(response: RawResponse): string {
  return JSON.parse(response.text).errors[0].code;
}

/** Statuses of `count` sequential GET /user/me requests. */
async function statusSequence(emulator: RunningEmulator, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index++) {
    statuses.push((await send(emulator, "GET", "/user/me")).status);
  }
  return statuses;
}

/** Decisions of an injector for `count` GET requests, as comparable strings. */
function decisionSequence(options: FaultOptions, count: number): string[] {
  const injector = new FaultInjector(options, systemClock);
  return Array.from({ length: count }, () => {
    const decision = injector.decide("GET", "key");
    return `${decision.fault ?? "none"}:${decision.reply?.status ?? 0}:${decision.delayMs}`;
  });
}

describe("emulator faults", () => {
  const START = new Date("2030-01-15T10:00:00.000Z");
  let clock: ManualClock;
  let emulator: RunningEmulator | undefined;
  let logLines: string[];

  async function start(faults: FaultOptions): Promise<RunningEmulator> {
    emulator = await startEmulator({ clock, faults, log: (line) => logLines.push(line) });
    return emulator;
  }

  beforeEach(() => {
    clock = new ManualClock(START);
    logLines = [];
  });

  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  describe("maintenance", () => {
    test("returns 503 with Retry-After", async () => {
      const running = await start({ maintenance: {} });

      const response = await send(running, "GET", "/user/me");
      expect(response.status).toBe(503);
      expect(response.headers["retry-after"]).toBe("60");
      expect(response.headers["content-type"]).toBe("application/json");
      expect(errorCode(response)).toBe("service_unavailable");
    });

    test("uses the configured Retry-After", async () => {
      const running = await start({ maintenance: { retryAfterSeconds: 120 } });

      const response = await send(running, "GET", "/account");
      expect(response.status).toBe(503);
      expect(response.headers["retry-after"]).toBe("120");
    });

    test("Retry-After as an HTTP date", async () => {
      const running = await start({ maintenance: { retryAfterSeconds: 30 }, retryAfterFormat: "http-date" });

      const response = await send(running, "GET", "/user/me");
      expect(response.headers["retry-after"]).toBe("Tue, 15 Jan 2030 10:00:30 GMT");
    });

    test("skips paths outside the API", async () => {
      const running = await start({ maintenance: {} });

      const response = await send(running, "GET", "/health", { base: running.url });
      expect(response.status).not.toBe(503);
      expect(response.headers["retry-after"]).toBeUndefined();
    });

    test("creates nothing while on", async () => {
      const running = await start({ maintenance: {} });

      const response = await send(running, "POST", "/user", { json: validCreateBody() });
      expect(response.status).toBe(503);
      expect(running.serviceUsers()).toHaveLength(0);
    });
  });

  describe("rate limit per key", () => {
    test("rejects requests over the limit", async () => {
      const running = await start({ rateLimit: { requests: 3, windowSeconds: 10 } });

      expect(await statusSequence(running, 3)).toEqual([200, 200, 200]);
      const limited = await send(running, "GET", "/user/me");
      expect(limited.status).toBe(429);
      expect(errorCode(limited)).toBe("rate_limit_exceeded");
      expect(limited.headers["retry-after"]).toBe("10");
    });

    test("counts each key separately", async () => {
      const running = await start({ rateLimit: { requests: 2, windowSeconds: 10 } });

      expect(await statusSequence(running, 3)).toEqual([200, 200, 429]);
      const viewer = await send(running, "GET", "/user/me", { apiKey: running.viewerApiKey });
      expect(viewer.status).toBe(200);
    });

    test("allows requests again after the window", async () => {
      const running = await start({ rateLimit: { requests: 2, windowSeconds: 10 } });
      await statusSequence(running, 2);

      clock.set(new Date(START.getTime() + 4_000));
      const early = await send(running, "GET", "/user/me");
      expect(early.status).toBe(429);
      expect(early.headers["retry-after"]).toBe("6");

      clock.set(new Date(START.getTime() + 10_001));
      expect(await statusSequence(running, 2)).toEqual([200, 200]);
    });

    test("Retry-After as an HTTP date", async () => {
      const running = await start({
        rateLimit: { requests: 1, windowSeconds: 5 },
        retryAfterFormat: "http-date",
      });
      await send(running, "GET", "/user/me");

      const limited = await send(running, "GET", "/user/me");
      expect(limited.status).toBe(429);
      expect(limited.headers["retry-after"]).toBe("Tue, 15 Jan 2030 10:00:05 GMT");
    });
  });

  describe("random 429", () => {
    test("probability 1 rejects every request", async () => {
      const running = await start({ randomRateLimit: { probability: 1, retryAfterSeconds: 2 } });

      const response = await send(running, "GET", "/user/me");
      expect(response.status).toBe(429);
      expect(errorCode(response)).toBe("rate_limit_exceeded");
      expect(response.headers["retry-after"]).toBe("2");
    });

    test("probability 0 rejects none", async () => {
      const running = await start({ randomRateLimit: { probability: 0 } });

      expect(await statusSequence(running, 5)).toEqual([200, 200, 200, 200, 200]);
    });

    test("rate is close to the probability", () => {
      const decisions = decisionSequence({ seed: 11, randomRateLimit: { probability: 0.3 } }, 10_000);

      const rejected = decisions.filter((decision) => decision.startsWith("random_rate_limit:429")).length;
      expect(rejected).toBeGreaterThan(2_800);
      expect(rejected).toBeLessThan(3_200);
    });
  });

  describe("random 5xx", () => {
    test("HTML gateway page", async () => {
      const running = await start({ serverErrors: { probability: 1, statuses: [502], body: "html" } });

      const response = await send(running, "GET", "/user/me");
      expect(response.status).toBe(502);
      expect(response.headers["content-type"]).toBe("text/html");
      expect(response.text).toContain("<title>502 Bad Gateway</title>");
    });

    test("JSON error body", async () => {
      const running = await start({ serverErrors: { probability: 1, statuses: [504], body: "json" } });

      const response = await send(running, "GET", "/user/me");
      expect(response.status).toBe(504);
      expect(response.headers["content-type"]).toBe("application/json");
      expect(errorCode(response)).toBe("gateway_timeout");
    });

    test("creates nothing", async () => {
      const running = await start({ serverErrors: { probability: 1 } });

      const response = await send(running, "POST", "/user", { json: validCreateBody() });
      expect([500, 502, 503, 504]).toContain(response.status);
      expect(running.serviceUsers()).toHaveLength(0);
    });

    test("mixed picks every status and both bodies", () => {
      const injector = new FaultInjector({ seed: 3, serverErrors: { probability: 1 } }, systemClock);
      const statuses = new Set<number>();
      const contentTypes = new Set<string>();
      for (let index = 0; index < 200; index++) {
        const reply = injector.decide("GET", "key").reply!;
        statuses.add(reply.status);
        contentTypes.add(reply.contentType);
      }

      expect([...statuses].sort()).toEqual([500, 502, 503, 504]);
      expect([...contentTypes].sort()).toEqual(["application/json", "text/html"]);
    });

    test("rate is close to the probability", () => {
      const decisions = decisionSequence({ seed: 5, serverErrors: { probability: 0.1 } }, 10_000);

      const failed = decisions.filter((decision) => decision.startsWith("server_error")).length;
      expect(failed).toBeGreaterThan(850);
      expect(failed).toBeLessThan(1_150);
    });
  });

  describe("latency", () => {
    test("fixed delay slows each request", async () => {
      const running = await start({ latency: { minMs: 150 } });

      const started = performance.now();
      const response = await send(running, "GET", "/user/me");
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    test("random delays stay within the range", () => {
      const injector = new FaultInjector({ seed: 9, latency: { minMs: 300, maxMs: 600 } }, systemClock);
      const delays = Array.from({ length: 2_000 }, () => injector.decide("GET", "key").delayMs);

      expect(Math.min(...delays)).toBeGreaterThanOrEqual(300);
      expect(Math.max(...delays)).toBeLessThanOrEqual(600);
      expect(Math.min(...delays)).toBeLessThan(320);
      expect(Math.max(...delays)).toBeGreaterThan(580);
    });

    test("delays fault responses too", async () => {
      const running = await start({ latency: { minMs: 150 }, maintenance: {} });

      const started = performance.now();
      const response = await send(running, "GET", "/user/me");
      expect(response.status).toBe(503);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  describe("dropped responses", () => {
    test("create completes but the response is lost", async () => {
      const running = await start({ dropResponses: { probability: 1, methods: ["POST"] } });

      await expect(
        send(running, "POST", "/user", { json: validCreateBody({ friendly_name: "dropped-bot" }) }),
      ).rejects.toThrow(/other side closed|socket hang up|ECONNRESET/i);
      const users = running.serviceUsers();
      expect(users).toHaveLength(1);
      expect(users[0].friendlyName).toBe("dropped-bot");
    });

    test("other methods get responses", async () => {
      const running = await start({ dropResponses: { probability: 1, methods: ["POST", "PUT"] } });

      const response = await send(running, "GET", "/user/me");
      expect(response.status).toBe(200);
    });

    test("without methods every method drops", async () => {
      const running = await start({ dropResponses: { probability: 1 } });

      await expect(send(running, "GET", "/user/me")).rejects.toThrow();
    });
  });

  describe("log lines", () => {
    test("name the fault and never the key", async () => {
      const running = await start({ rateLimit: { requests: 1, windowSeconds: 60 }, latency: { minMs: 5 } });
      await statusSequence(running, 2);

      const requestLines = logLines.filter((line) => line.includes("msg=request"));
      expect(requestLines).toHaveLength(2);
      expect(requestLines[0]).not.toContain("fault=");
      expect(requestLines[0]).toContain("delay_ms=5");
      expect(requestLines[1]).toContain("status=429");
      expect(requestLines[1]).toContain("fault=rate_limit");
      for (const line of logLines) {
        expect(line.includes(running.adminApiKey)).toBe(false);
      }
    });

    test("dropped response logs the handled status", async () => {
      const running = await start({ dropResponses: { probability: 1, methods: ["POST"] } });
      await send(running, "POST", "/user", { json: validCreateBody() }).catch(() => undefined);
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));

      const requestLines = logLines.filter((line) => line.includes("msg=request"));
      expect(requestLines).toHaveLength(1);
      expect(requestLines[0]).toContain("status=none handled_status=201");
      expect(requestLines[0]).toContain("fault=drop_response");
    });
  });

  describe("setFaults", () => {
    test("switches faults at run time", async () => {
      const running = await start({});
      expect((await send(running, "GET", "/user/me")).status).toBe(200);

      running.setFaults({ maintenance: {} });
      expect((await send(running, "GET", "/user/me")).status).toBe(503);

      running.setFaults({});
      expect((await send(running, "GET", "/user/me")).status).toBe(200);
    });

    test("clears rate-limit windows", async () => {
      const running = await start({ rateLimit: { requests: 1, windowSeconds: 60 } });
      expect(await statusSequence(running, 2)).toEqual([200, 429]);

      running.setFaults({ rateLimit: { requests: 1, windowSeconds: 60 } });
      expect(await statusSequence(running, 1)).toEqual([200]);
    });

    test("invalid options keep the old faults", async () => {
      const running = await start({ maintenance: {} });

      expect(() => running.setFaults({ randomRateLimit: { probability: 1.5 } })).toThrow(
        "randomRateLimit.probability is 1.5, but must be a number from 0 to 1.",
      );
      expect(running.faults().maintenance).toEqual({});
      expect((await send(running, "GET", "/user/me")).status).toBe(503);
    });
  });

  describe("option checks", () => {
    test("startEmulator lists every problem", async () => {
      const started = startEmulator({
        quiet: true,
        faults: {
          seed: -1,
          rateLimit: { requests: 0, windowSeconds: 0 },
          serverErrors: { probability: 0.5, statuses: [501 as 500] },
          latency: { minMs: 600, maxMs: 300 },
          dropResponses: { probability: 2, methods: ["HEAD" as "GET"] },
        },
      });

      await expect(started).rejects.toThrow("seed is -1");
      await expect(started).rejects.toThrow("rateLimit.requests is 0");
      await expect(started).rejects.toThrow("rateLimit.windowSeconds is 0");
      await expect(started).rejects.toThrow("serverErrors.statuses contains 501");
      await expect(started).rejects.toThrow("latency.maxMs is 300");
      await expect(started).rejects.toThrow("dropResponses.probability is 2");
      await expect(started).rejects.toThrow('dropResponses.methods contains "HEAD"');
    });
  });

  describe("determinism", () => {
    const mixed: FaultOptions = {
      seed: 42,
      randomRateLimit: { probability: 0.3 },
      serverErrors: { probability: 0.2 },
      latency: { minMs: 0, maxMs: 3 },
      dropResponses: { probability: 0.1, methods: ["POST"] },
    };

    test("same seed repeats the decisions", () => {
      expect(decisionSequence(mixed, 500)).toEqual(decisionSequence(mixed, 500));
    });

    test("another seed changes the decisions", () => {
      expect(decisionSequence({ ...mixed, seed: 43 }, 500)).not.toEqual(decisionSequence(mixed, 500));
    });

    test("same seed repeats statuses over HTTP", async () => {
      const faults: FaultOptions = { seed: 7, randomRateLimit: { probability: 0.3 }, serverErrors: { probability: 0.2 } };
      const first = await start(faults);
      const firstStatuses = await statusSequence(first, 40);
      await first.close();

      const second = await start(faults);
      const secondStatuses = await statusSequence(second, 40);

      expect(secondStatuses).toEqual(firstStatuses);
      expect(firstStatuses).toContain(200);
      expect(firstStatuses).toContain(429);
    });

    test("setFaults restarts from the seed", async () => {
      const faults: FaultOptions = { seed: 8, randomRateLimit: { probability: 0.5 } };
      const running = await start(faults);
      const firstStatuses = await statusSequence(running, 20);

      running.setFaults(faults);
      expect(await statusSequence(running, 20)).toEqual(firstStatuses);
    });

    test("turning on one fault keeps the others", () => {
      const alone = decisionSequence({ seed: 21, serverErrors: { probability: 0.2 } }, 300);
      const withLatency = decisionSequence({ seed: 21, serverErrors: { probability: 0.2 }, latency: { minMs: 0, maxMs: 50 } }, 300);

      const failures = (decisions: string[]) => decisions.map((decision) => decision.split(":").slice(0, 2).join(":"));
      expect(failures(withLatency)).toEqual(failures(alone));
    });

    test("random seed is reported and reusable", () => {
      const injector = new FaultInjector({ randomRateLimit: { probability: 0.5 } }, systemClock);
      const { seed } = injector.current();
      const decisions = Array.from({ length: 100 }, () => injector.decide("GET", "key").fault ?? "none");

      const replay = new FaultInjector({ seed, randomRateLimit: { probability: 0.5 } }, systemClock);
      expect(Array.from({ length: 100 }, () => replay.decide("GET", "key").fault ?? "none")).toEqual(decisions);
    });
  });
});

describe("emulator fault flags", () => {
  function faultsOf(args: string[]): FaultOptions {
    const options = parseCommandLine(args);
    if (options === "help") {
      throw new Error("parseCommandLine returned help");
    }
    return options.faults;
  }

  test("no flags means no faults", () => {
    expect(faultsOf([])).toEqual({});
  });

  test("every fault flag", () => {
    expect(
      faultsOf([
        "--fault-seed", "7",
        "--retry-after-format", "http-date",
        "--maintenance",
        "--maintenance-retry-after", "90",
        "--rate-limit", "100/60",
        "--random-rate-limit", "30%",
        "--random-rate-limit-retry-after", "2",
        "--server-errors", "0.05",
        "--server-error-statuses", "502,504",
        "--server-error-body", "html",
        "--latency", "300-600",
        "--drop-responses", "0.2",
        "--drop-response-methods", "get,PUT",
      ]),
    ).toEqual({
      seed: 7,
      retryAfterFormat: "http-date",
      maintenance: { retryAfterSeconds: 90 },
      rateLimit: { requests: 100, windowSeconds: 60 },
      randomRateLimit: { probability: 0.3, retryAfterSeconds: 2 },
      serverErrors: { probability: 0.05, statuses: [502, 504], body: "html" },
      latency: { minMs: 300, maxMs: 600 },
      dropResponses: { probability: 0.2, methods: ["GET", "PUT"] },
    });
  });

  test("fixed latency and defaults", () => {
    expect(faultsOf(["--latency", "250", "--maintenance", "--server-errors", "1"])).toEqual({
      latency: { minMs: 250, maxMs: 250 },
      maintenance: {},
      serverErrors: { probability: 1 },
    });
  });

  test.each([
    [["--rate-limit", "100"], '--rate-limit "100" is not valid'],
    [["--rate-limit", "0/60"], '--rate-limit "0/60" is not valid'],
    [["--random-rate-limit", "1.5"], '--random-rate-limit "1.5" is not valid'],
    [["--random-rate-limit", "120%"], '--random-rate-limit "120%" is not valid'],
    [["--server-errors", "abc"], '--server-errors "abc" is not valid'],
    [["--server-errors", "0.1", "--server-error-statuses", "501"], '--server-error-statuses contains "501"'],
    [["--server-errors", "0.1", "--server-error-body", "xml"], '--server-error-body "xml" is not valid'],
    [["--latency", "600-300"], '--latency "600-300" is not valid'],
    [["--latency=-5"], '--latency "-5" is not valid'],
    [["--drop-responses", "0.1", "--drop-response-methods", "HEAD"], '--drop-response-methods contains "HEAD"'],
    [["--fault-seed", "4294967296"], '--fault-seed "4294967296" is not valid'],
    [["--retry-after-format", "minutes"], '--retry-after-format "minutes" is not valid'],
    [["--maintenance-retry-after", "5"], "--maintenance-retry-after needs --maintenance"],
    [["--drop-response-methods", "GET"], "--drop-response-methods needs --drop-responses"],
  ])("rejects %j", (args, message) => {
    expect(() => parseCommandLine(args)).toThrow(UsageError);
    expect(() => parseCommandLine(args)).toThrow(message);
  });
});
