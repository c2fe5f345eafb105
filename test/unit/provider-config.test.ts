// Provider configuration: validation without credentials, and resolution of
// the base URL and API key from attributes, region, demo and environment.

import type { DigicertClientOptions } from "../../provider/src/digicert/client";
import type { DigicertClient } from "../../provider/src/digicert/types";
import {
  path,
  unknown,
  type Diagnostic,
  type ObjectValue,
} from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import { providerSettingsOf } from "../../provider/src/provider-settings";
import { formatDuration, parseDuration } from "../../provider/src/validation/durations";
import {
  createProvider,
  provider,
  type Environment,
} from "../../provider/src/provider";

const API_KEY = "admin-key_0123456789abcdef";

/** Collects the provider's log lines instead of writing them to stderr. */
let logLines: string[] = [];
const logger = createLogger("test", {}, (line) => logLines.push(line));

beforeEach(() => {
  logLines = [];
});

function config(overrides: ObjectValue = {}): ObjectValue {
  return {
    url: null,
    region: null,
    demo: null,
    api_key: null,
    expiry_warning_days: null,
    ...overrides,
  };
}

/** Configures a provider with a fake client factory and returns what it got. */
async function configure(cfg: ObjectValue, env: Environment = {}) {
  const created: DigicertClientOptions[] = [];
  const fakeClient = {} as DigicertClient;
  const testProvider = createProvider({
    env,
    logger,
    createClient: (options) => {
      created.push(options);
      return fakeClient;
    },
  });
  const response = await testProvider.configure(cfg, {
    signal: new AbortController().signal,
  });
  return {
    client: response.client,
    diagnostics: response.diagnostics ?? [],
    options: created[0] as DigicertClientOptions | undefined,
    fakeClient,
  };
}

function errors(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}

describe("provider schema", () => {
  test("every attribute has a description", () => {
    for (const [name, attribute] of Object.entries(provider.schema.block.attributes)) {
      expect({ name, described: attribute.description.length > 20 }).toEqual({
        name,
        described: true,
      });
    }
  });

  test("api_key is sensitive", () => {
    expect(provider.schema.block.attributes.api_key.sensitive).toBe(true);
  });

  test("type name is digicertone", () => {
    expect(provider.typeName).toBe("digicertone");
    expect(provider.resources.map((r) => r.name)).toEqual([
      "digicertone_service_user",
      "digicertone_service_user_role_binding",
    ]);
  });
});

describe("provider base URL", () => {
  test("defaults to US production", async () => {
    const { options, diagnostics } = await configure(config({ api_key: API_KEY }));

    expect(diagnostics).toEqual([]);
    expect(options!.baseUrl).toBe("https://one.digicert.com");
  });

  test.each([
    ["us", false, "https://one.digicert.com"],
    ["jp", false, "https://one.digicert.co.jp"],
    ["ch", false, "https://one.ch.digicert.com"],
    ["nl", false, "https://one.nl.digicert.com"],
    ["us", true, "https://demo.one.digicert.com"],
    ["jp", true, "https://demo.one.digicert.co.jp"],
    ["ch", true, "https://demo.one.ch.digicert.com"],
    ["nl", true, "https://demo.one.nl.digicert.com"],
  ])("region %s with demo %s", async (region, demo, expected) => {
    const { options } = await configure(config({ region, demo, api_key: API_KEY }));

    expect(options!.baseUrl).toBe(expected);
  });

  test("demo alone uses the US demo host", async () => {
    const { options } = await configure(config({ demo: true, api_key: API_KEY }));

    expect(options!.baseUrl).toBe("https://demo.one.digicert.com");
  });

  test("url attribute is used as its origin", async () => {
    const { options } = await configure(
      config({ url: "https://Tenant.example.com:8443/", api_key: API_KEY }),
    );

    expect(options!.baseUrl).toBe("https://tenant.example.com:8443");
  });

  test("DIGICERT_ONE_URL is the fallback", async () => {
    const { options } = await configure(config({ api_key: API_KEY }), {
      DIGICERT_ONE_URL: "http://127.0.0.1:8080",
    });

    expect(options!.baseUrl).toBe("http://127.0.0.1:8080");
  });

  test("url attribute wins over DIGICERT_ONE_URL", async () => {
    const { options } = await configure(
      config({ url: "https://one.digicert.co.jp", api_key: API_KEY }),
      { DIGICERT_ONE_URL: "http://127.0.0.1:8080" },
    );

    expect(options!.baseUrl).toBe("https://one.digicert.co.jp");
  });

  test("region wins over DIGICERT_ONE_URL with a warning", async () => {
    const { options, diagnostics } = await configure(
      config({ region: "nl", api_key: API_KEY }),
      { DIGICERT_ONE_URL: "http://127.0.0.1:8080" },
    );

    expect(options!.baseUrl).toBe("https://one.nl.digicert.com");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].severity).toBe("warning");
    expect(diagnostics[0].path).toEqual(path("region"));
    expect(diagnostics[0].detail).toContain("DIGICERT_ONE_URL");
  });

  test("demo false keeps DIGICERT_ONE_URL", async () => {
    const { options, diagnostics } = await configure(
      config({ demo: false, api_key: API_KEY }),
      { DIGICERT_ONE_URL: "http://localhost:8080" },
    );

    expect(options!.baseUrl).toBe("http://localhost:8080");
    expect(diagnostics).toEqual([]);
  });

  test("invalid DIGICERT_ONE_URL is an error on url", async () => {
    const { client, diagnostics } = await configure(config({ api_key: API_KEY }), {
      DIGICERT_ONE_URL: "http://one.example.com",
    });

    expect(client).toBeUndefined();
    expect(diagnostics[0].path).toEqual(path("url"));
    expect(diagnostics[0].detail).toContain("DIGICERT_ONE_URL");
    expect(diagnostics[0].detail).toContain('"http://one.example.com"');
    expect(diagnostics[0].detail).toContain('plain http with the host "one.example.com"');
    expect(diagnostics[0].detail.match(/127\.0\.0\.0\/8/g)).toHaveLength(1);
  });
});

describe("provider URL secrecy", () => {
  test("invalid DIGICERT_ONE_URL hides its password", async () => {
    const { client, diagnostics } = await configure(config({ api_key: API_KEY }), {
      DIGICERT_ONE_URL: "https://admin:s3cr3t-key@one.example.com",
    });

    expect(client).toBeUndefined();
    expect(diagnostics[0].detail).toContain('"https://REDACTED@one.example.com"');
    expect(JSON.stringify(diagnostics)).not.toContain("s3cr3t-key");
  });

  test("ignored DIGICERT_ONE_URL hides its password", async () => {
    const { diagnostics } = await configure(config({ region: "us", api_key: API_KEY }), {
      DIGICERT_ONE_URL: "https://admin:s3cr3t-key@one.example.com",
    });

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].severity).toBe("warning");
    expect(JSON.stringify(diagnostics)).not.toContain("s3cr3t-key");
  });
});

describe("provider API key", () => {
  test("api_key attribute is used", async () => {
    const { options } = await configure(config({ api_key: API_KEY }), {
      DIGICERT_ONE_API_KEY: "env-key",
    });

    expect(options!.apiKey).toBe(API_KEY);
  });

  test("DIGICERT_ONE_API_KEY is the fallback", async () => {
    const { options, diagnostics } = await configure(config(), {
      DIGICERT_ONE_API_KEY: API_KEY,
    });

    expect(diagnostics).toEqual([]);
    expect(options!.apiKey).toBe(API_KEY);
  });

  test.each([
    ["unset", {}],
    ["empty", { DIGICERT_ONE_API_KEY: "" }],
  ])("missing key (%s) says how to set it", async (_case, env) => {
    const { client, diagnostics } = await configure(config(), env);
    const [diagnostic] = diagnostics;

    expect(client).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.path).toEqual(path("api_key"));
    expect(diagnostic.detail).toContain("api_key");
    expect(diagnostic.detail).toContain("DIGICERT_ONE_API_KEY");
  });

  test("key with trailing newline is rejected unquoted", async () => {
    const { client, diagnostics } = await configure(config(), {
      DIGICERT_ONE_API_KEY: `${API_KEY}\n`,
    });

    expect(client).toBeUndefined();
    expect(diagnostics[0].path).toEqual(path("api_key"));
    expect(diagnostics[0].detail).toContain("newline");
    expect(JSON.stringify(diagnostics)).not.toContain(API_KEY);
  });

  test("user agent names the provider", async () => {
    const { options } = await configure(config({ api_key: API_KEY }));

    expect(options!.userAgent).toMatch(/^terraform-provider-digicertone\/\S+$/);
  });

  test("configure returns the created client", async () => {
    const { client, fakeClient } = await configure(config({ api_key: API_KEY }));

    expect(client).toBe(fakeClient);
  });

  test("configure logs no API key", async () => {
    await configure(config({ api_key: API_KEY }));

    expect(logLines.join("\n")).toContain("https://one.digicert.com");
    expect(logLines.join("\n")).not.toContain(API_KEY);
  });
});

describe("provider validation", () => {
  const validate = (cfg: ObjectValue) => provider.validate!({ config: cfg });

  test("empty config needs no credentials", () => {
    expect(validate(config())).toEqual([]);
  });

  test.each([
    "https://one.digicert.com",
    "https://one.digicert.com/",
    "https://tenant.example.com:8443",
    "http://127.0.0.1:8080",
    "http://127.12.0.3",
    "http://localhost:3000",
    "http://[::1]:8080",
  ])("url %s is accepted", (url) => {
    expect(validate(config({ url }))).toEqual([]);
  });

  test.each([
    ["http://one.digicert.com", "loopback"],
    ["http://127.0.0.1.example.com", "loopback"],
    ["http://128.0.0.1", "loopback"],
    ["ftp://one.digicert.com", "https"],
    ["one.digicert.com", "absolute URL"],
    ["https://one.digicert.com/account/api/v1", "path"],
    ["https://one.digicert.com/#a", "fragment"],
  ])("url %s is rejected", (url, reason) => {
    const diagnostics = validate(config({ url }));

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].path).toEqual(path("url"));
    expect(diagnostics[0].detail).toContain(JSON.stringify(url));
    expect(diagnostics[0].detail).toContain(reason);
  });

  test("http url states the loopback rule once", () => {
    const [diagnostic] = validate(config({ url: "http://one.digicert.com:8080" }));

    expect(diagnostic.detail).toContain(
      'The url "http://one.digicert.com:8080" uses plain http with the host "one.digicert.com", which is not a loopback host.',
    );
    expect(diagnostic.detail.match(/loopback/g)).toHaveLength(2);
    expect(diagnostic.detail.match(/127\.0\.0\.0\/8/g)).toHaveLength(1);
  });

  test.each([
    ["https://admin:s3cr3t-key@one.digicert.com", "user name or password", "https://REDACTED@one.digicert.com"],
    ["ftp://admin:s3cr3t-key@one.digicert.com", "https", "ftp://REDACTED@one.digicert.com"],
    ["http://s3cr3t-key@one.digicert.com/v1", "loopback", "http://REDACTED@one.digicert.com/v1"],
    ["https://one.digicert.com/?api_key=s3cr3t-key", "query", "https://one.digicert.com/?api_key=REDACTED"],
    ["admin:s3cr3t-key@one.digicert.com", "scheme", "REDACTED@one.digicert.com"],
  ])("url %s is rejected unquoted", (url, reason, shown) => {
    const diagnostics = validate(config({ url }));

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].path).toEqual(path("url"));
    expect(diagnostics[0].detail).toContain(reason);
    expect(diagnostics[0].detail).toContain(JSON.stringify(shown));
    expect(JSON.stringify(diagnostics)).not.toContain("s3cr3t-key");
  });

  test("unknown region is rejected", () => {
    const [diagnostic] = validate(config({ region: "eu" }));

    expect(diagnostic.path).toEqual(path("region"));
    expect(diagnostic.detail).toContain('"eu"');
    expect(diagnostic.detail).toContain('"us", "jp", "ch" and "nl"');
  });

  test("uppercase region suggests lowercase", () => {
    const [diagnostic] = validate(config({ region: "JP" }));

    expect(diagnostic.detail).toContain('"jp"');
  });

  test.each([
    [{ region: "us" }, "region"],
    [{ demo: true }, "demo = true"],
    [{ region: "jp", demo: true }, "region and demo = true"],
  ])("url conflicts with %o", (overrides, named) => {
    const diagnostics = validate(config({ url: "https://one.digicert.com", ...overrides }));

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].path).toEqual(path("url"));
    expect(diagnostics[0].detail).toContain(named);
  });

  test("url with demo false does not conflict", () => {
    expect(validate(config({ url: "https://one.digicert.com", demo: false }))).toEqual([]);
  });

  test("empty api_key is rejected", () => {
    const [diagnostic] = validate(config({ api_key: "" }));

    expect(diagnostic.path).toEqual(path("api_key"));
    expect(diagnostic.detail).toContain("empty");
  });

  test("unknown values are skipped", () => {
    const cfg = config({ url: unknown, region: unknown, demo: unknown, api_key: unknown });

    expect(validate(cfg)).toEqual([]);
  });

  test("api_key value never appears", () => {
    const diagnostics = validate(config({ api_key: "secret key\n" }));

    expect(diagnostics).toHaveLength(1);
    expect(JSON.stringify(diagnostics)).not.toContain("secret key");
  });
});

describe("provider configure", () => {
  test.each(["url", "region", "demo", "api_key"])("unknown %s is an error", async (name) => {
    const { client, diagnostics } = await configure(
      config({ api_key: API_KEY, [name]: unknown }),
    );

    expect(client).toBeUndefined();
    expect(errors(diagnostics)).toHaveLength(1);
    expect(diagnostics[0].path).toEqual(path(name));
    expect(diagnostics[0].detail).toContain("known only after apply");
  });

  test("invalid config is an error at configure", async () => {
    const { client, diagnostics } = await configure(
      config({ url: "http://one.digicert.com", api_key: API_KEY }),
    );

    expect(client).toBeUndefined();
    expect(diagnostics[0].path).toEqual(path("url"));
  });

  test("client creation failure is a diagnostic", async () => {
    const testProvider = createProvider({
      env: {},
      logger,
      createClient: () => {
        throw new Error("boom");
      },
    });
    const response = await testProvider.configure(config({ api_key: API_KEY }), {
      signal: new AbortController().signal,
    });

    expect(response.client).toBeUndefined();
    expect(response.diagnostics![0].detail).toContain("boom");
  });
});

describe("provider expiry_warning_days", () => {
  const URL = "http://127.0.0.1:8080";

  test("defaults to 30 days", async () => {
    const { client, diagnostics } = await configure(config({ api_key: API_KEY, url: URL }));

    expect(errors(diagnostics)).toEqual([]);
    expect(providerSettingsOf(client).expiryWarningDays).toBe(30);
  });

  test.each([0, 7, 3650, BigInt(90)])("accepts %s", async (days) => {
    const cfg = config({ api_key: API_KEY, url: URL, expiry_warning_days: days });
    expect(provider.validate!({ config: cfg })).toEqual([]);
    const { client } = await configure(cfg);
    expect(providerSettingsOf(client).expiryWarningDays).toBe(Number(days));
  });

  test.each([-1, 3651, 1.5])("rejects %s", (days) => {
    const diagnostics = provider.validate!({ config: config({ expiry_warning_days: days }) });
    const [diagnostic] = errors(diagnostics);

    expect(diagnostic.summary).toBe("Invalid expiry_warning_days");
    expect(diagnostic.path).toEqual(path("expiry_warning_days"));
    expect(diagnostic.detail).toContain("from 0 to 3650");
  });

  test("skips an unknown value", () => {
    expect(provider.validate!({ config: config({ expiry_warning_days: unknown }) })).toEqual([]);
  });
});

describe("provider connection settings", () => {
  const URL = "http://127.0.0.1:8080";
  const validate = (overrides: ObjectValue) => provider.validate!({ config: config(overrides) });

  test("defaults reach the client", async () => {
    const { options, diagnostics } = await configure(config({ api_key: API_KEY, url: URL }));

    expect(diagnostics).toEqual([]);
    expect(options!.timeouts).toEqual({ connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 });
    expect(options!.retry).toEqual({ maxRetries: 5, maxElapsedMs: 120_000 });
    expect(options!.maxConcurrentRequests).toBe(8);
  });

  test("set values reach the client", async () => {
    const { options, diagnostics } = await configure(
      config({
        api_key: API_KEY,
        url: URL,
        connect_timeout: "2s",
        request_timeout: "1m30s",
        read_timeout: "500ms",
        max_retries: 0,
        max_retry_duration: "10m",
        max_concurrent_requests: BigInt(2),
      }),
    );

    expect(diagnostics).toEqual([]);
    expect(options!.timeouts).toEqual({ connectMs: 2_000, headersMs: 90_000, bodyMs: 500 });
    expect(options!.retry).toEqual({ maxRetries: 0, maxElapsedMs: 600_000 });
    expect(options!.maxConcurrentRequests).toBe(2);
  });

  test.each(["connect_timeout", "request_timeout", "read_timeout", "max_retry_duration"])(
    "%s is a string attribute",
    (name) => {
      expect(provider.schema.block.attributes[name].type).toBe("string");
      expect(provider.schema.block.attributes[name].description).toContain('"1m30s"');
    },
  );

  test.each(["max_retries", "max_concurrent_requests"])("%s is a number attribute", (name) => {
    expect(provider.schema.block.attributes[name].type).toBe("number");
  });

  test("bare number timeout asks for a unit", () => {
    const diagnostics = validate({ request_timeout: "30" });

    expect(diagnostics).toEqual([
      {
        severity: "error",
        summary: "Invalid request_timeout",
        detail:
          'request_timeout is "30". It must be a duration string: numbers each followed by a unit (ms, s, m or h), such as "30s", "1m30s" or "500ms", from "100ms" to "10m". ' +
          'Add a unit, such as "30s" for 30 seconds, or remove it for the default of "30s".',
        path: path("request_timeout"),
      },
    ]);
  });

  test.each([
    ["connect_timeout", "ten seconds"],
    ["connect_timeout", "-5s"],
    ["connect_timeout", "5 s"],
    ["connect_timeout", "50ms"],
    ["request_timeout", "11m"],
    ["read_timeout", "0"],
    ["read_timeout", ""],
    ["max_retry_duration", "0s"],
    ["max_retry_duration", "2h"],
  ])("%s %j is rejected", (name, value) => {
    const diagnostics = validate({ [name]: value });

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].severity).toBe("error");
    expect(diagnostics[0].summary).toBe(`Invalid ${name}`);
    expect(diagnostics[0].path).toEqual(path(name));
    expect(diagnostics[0].detail).toContain(`${name} is ${JSON.stringify(value)}.`);
    expect(diagnostics[0].detail).toContain("Set it to a duration in that range, or remove it for the default of");
  });

  test("max_retry_duration range is in the message", () => {
    const [diagnostic] = validate({ max_retry_duration: "2h" });

    expect(diagnostic.detail).toContain('from "1s" to "1h"');
    expect(diagnostic.detail).toContain('the default of "2m"');
  });

  test.each([
    ["max_retries", -1, "from 0 to 20, where 0 turns retries off"],
    ["max_retries", 21, "from 0 to 20"],
    ["max_retries", 1.5, "from 0 to 20"],
    ["max_concurrent_requests", 0, "from 1 to 64"],
    ["max_concurrent_requests", 65, "from 1 to 64"],
  ])("%s %s is rejected", (name, value, range) => {
    const diagnostics = validate({ [name]: value });

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].summary).toBe(`Invalid ${name}`);
    expect(diagnostics[0].path).toEqual(path(name));
    expect(diagnostics[0].detail).toContain(`${name} is ${value}.`);
    expect(diagnostics[0].detail).toContain(range);
    expect(diagnostics[0].detail).toContain("remove it for the default of");
  });

  test.each([
    ["request_timeout", "100ms"],
    ["read_timeout", "10m"],
    ["max_retry_duration", "1s"],
    ["max_retry_duration", "1h"],
    ["max_retries", 20],
    ["max_concurrent_requests", 64],
  ])("%s %j is accepted", (name, value) => {
    expect(validate({ [name]: value })).toEqual([]);
  });

  test("invalid setting creates no client", async () => {
    const { client, diagnostics, options } = await configure(
      config({ api_key: API_KEY, url: URL, max_concurrent_requests: 0 }),
    );

    expect(client).toBeUndefined();
    expect(options).toBeUndefined();
    expect(diagnostics[0].path).toEqual(path("max_concurrent_requests"));
  });

  test("unknown values are skipped", () => {
    const cfg = config({
      connect_timeout: unknown,
      request_timeout: unknown,
      read_timeout: unknown,
      max_retries: unknown,
      max_retry_duration: unknown,
      max_concurrent_requests: unknown,
    });

    expect(provider.validate!({ config: cfg })).toEqual([]);
  });

  test.each(["request_timeout", "max_retries"])("unknown %s fails configure", async (name) => {
    const { client, diagnostics } = await configure(config({ api_key: API_KEY, [name]: unknown }));

    expect(client).toBeUndefined();
    expect(diagnostics[0].path).toEqual(path(name));
    expect(diagnostics[0].detail).toContain("known only after apply");
  });
});

describe("duration strings", () => {
  test.each([
    ["0", 0],
    ["0s", 0],
    ["500ms", 500],
    ["30s", 30_000],
    ["1.5s", 1_500],
    [".5s", 500],
    ["1m30s", 90_000],
    ["2h", 7_200_000],
    ["1h15m", 4_500_000],
    ["1500000us", 1_500],
    ["1000000000ns", 1_000],
  ])("%s is %i ms", (text, milliseconds) => {
    expect(parseDuration(text)).toBeCloseTo(milliseconds, 6);
  });

  test.each(["", "30", "s", "-1s", "+1s", "1d", "1 s", "1s ", "1m30", "1.2.3s"])(
    "%j is not a duration",
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  test.each([
    [0, "0s"],
    [500, "500ms"],
    [90_000, "1m30s"],
    [3_600_000, "1h"],
    [3_661_001, "1h1m1s1ms"],
  ])("%i ms formats as %s", (milliseconds, text) => {
    expect(formatDuration(milliseconds)).toBe(text);
  });
});
