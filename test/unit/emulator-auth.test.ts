import { Readable } from "node:stream";

import { request } from "undici";

import { ROLE_IDS, APPLICATION_IDS, STANDARD_USER_IDS } from "../../emulator/src/catalogue";
import {
  PortInUseError,
  RunningEmulator,
  isLoopbackHost,
  startEmulator,
} from "../../emulator/src/server";
import {
  ManualClock,
  USER_AGENT,
  callApi,
  createServiceUser,
  validCreateBody,
} from "../../emulator/test/client";

describe("emulator authentication", () => {
  let emulator: RunningEmulator;
  const clock = new ManualClock(new Date("2030-01-15T10:00:00Z"));

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, clock });
  });

  afterAll(async () => {
    await emulator.close();
  });

  test("missing x-api-key returns 401", async () => {
    const response = await callApi(emulator, "GET", "/account", { apiKey: null });

    expect(response.status).toBe(401);
    expect(response.body.errors[0].code).toBe("invalid_api_key");
    expect(response.body.errors[0].message).toMatch(/x-api-key header is missing/);
  });

  test("unknown x-api-key returns 401", async () => {
    const response = await callApi(emulator, "GET", "/account", { apiKey: "not-a-key" });

    expect(response.status).toBe(401);
    expect(response.body.errors[0].code).toBe("invalid_api_key");
  });

  test("x-api-key header name ignores case", async () => {
    const response = await callApi(emulator, "GET", "/account", {
      apiKey: null,
      headers: { "X-API-KEY": emulator.adminApiKey },
    });

    expect(response.status).toBe(200);
  });

  test("missing User-Agent returns 400", async () => {
    const response = await callApi(emulator, "GET", "/account", {
      headers: { "user-agent": null },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].code).toBe("invalid_request");
    expect(response.body.errors[0].message).toMatch(/User-Agent/);
  });

  test("viewer can read", async () => {
    const apiKey = emulator.viewerApiKey;

    expect((await callApi(emulator, "GET", "/account", { apiKey })).status).toBe(200);
    expect((await callApi(emulator, "GET", "/user?user_type=service", { apiKey })).status).toBe(200);
    expect((await callApi(emulator, "GET", "/role?application_code=account_manager", { apiKey })).status).toBe(200);

    const me = await callApi(emulator, "GET", "/user/me", { apiKey });
    expect(me.body.id).toBe(STANDARD_USER_IDS.viewer);
    expect(me.body.applications[0].permissions).not.toContain("MANAGE_AM_USER");
  });

  test("viewer create returns 403", async () => {
    const response = await callApi(emulator, "POST", "/user", {
      apiKey: emulator.viewerApiKey,
      json: validCreateBody({ friendly_name: "viewer-attempt" }),
    });

    expect(response.status).toBe(403);
    expect(response.body.errors[0].code).toBe("access_denied");
    expect(response.body.errors[0].message).toMatch(/MANAGE_AM_USER/);
    expect(emulator.serviceUsers().map((user) => user.friendlyName)).not.toContain(
      "viewer-attempt",
    );
  });

  test("viewer changes return 403", async () => {
    const created = await createServiceUser(emulator, { friendly_name: "viewer-target" });
    const apiKey = emulator.viewerApiKey;
    const path = `/user/${created.id}`;

    const update = await callApi(emulator, "PUT", path, { apiKey, json: validCreateBody() });
    const disable = await callApi(emulator, "PUT", `${path}/disable`, { apiKey });
    const enable = await callApi(emulator, "PUT", `${path}/enable`, { apiKey });
    const remove = await callApi(emulator, "DELETE", path, { apiKey });

    expect(update.status).toBe(403);
    expect(disable.status).toBe(403);
    expect(enable.status).toBe(403);
    expect(remove.status).toBe(403);
    expect(remove.body.errors[0].code).toBe("access_denied");
  });

  test("service user token authenticates until disabled", async () => {
    const created = await createServiceUser(emulator, { friendly_name: "token-owner" });
    const token = created.api_token;

    const me = await callApi(emulator, "GET", "/user/me", { apiKey: token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(created.id);
    expect(me.body.api_token).toBeUndefined();

    await callApi(emulator, "PUT", `/user/${created.id}/disable`);
    const whileDisabled = await callApi(emulator, "GET", "/user/me", { apiKey: token });
    expect(whileDisabled.status).toBe(401);
    expect(whileDisabled.body.errors[0].code).toBe("invalid_api_key");
    expect(whileDisabled.body.errors[0].message).toMatch(/disabled/);

    await callApi(emulator, "PUT", `/user/${created.id}/enable`);
    const afterEnable = await callApi(emulator, "GET", "/user/me", { apiKey: token });
    expect(afterEnable.status).toBe(200);

    await callApi(emulator, "DELETE", `/user/${created.id}`);
    const afterDelete = await callApi(emulator, "GET", "/user/me", { apiKey: token });
    expect(afterDelete.status).toBe(401);
  });

  test("expired service user token returns 401", async () => {
    const created = await createServiceUser(emulator, {
      friendly_name: "short-lived",
      end_date: "2030-01-15",
    });

    const onLastDay = await callApi(emulator, "GET", "/user/me", { apiKey: created.api_token });
    expect(onLastDay.status).toBe(200);

    clock.advanceDays(1);
    try {
      const dayAfter = await callApi(emulator, "GET", "/user/me", { apiKey: created.api_token });
      expect(dayAfter.status).toBe(401);
      expect(dayAfter.body.errors[0].message).toMatch(/expired/);
    } finally {
      clock.advanceDays(-1);
    }
  });

  test("user manager service user may manage users", async () => {
    const manager = await createServiceUser(emulator, {
      friendly_name: "user-manager-bot",
      applications: [
        { id: APPLICATION_IDS.account_manager, roles: [{ id: ROLE_IDS.AM_USER_MANAGER }] },
      ],
    });

    const response = await callApi(emulator, "POST", "/user", {
      apiKey: manager.api_token,
      json: validCreateBody({ friendly_name: "created-by-bot" }),
    });

    expect(response.status).toBe(201);
    expect(response.body.created_by).toBe(manager.id);
  });

  test("signer service user cannot manage users", async () => {
    const signer = await createServiceUser(emulator, { friendly_name: "plain-signer" });

    const response = await callApi(emulator, "POST", "/user", {
      apiKey: signer.api_token,
      json: validCreateBody({ friendly_name: "not-allowed" }),
    });

    expect(response.status).toBe(403);
    expect(response.body.errors[0].code).toBe("access_denied");
  });

  test("every response carries x-request-id", async () => {
    const first = await callApi(emulator, "GET", "/account");
    const second = await callApi(emulator, "GET", "/account", { apiKey: null });

    expect(first.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers["x-request-id"]).not.toBe(second.headers["x-request-id"]);
  });
});

describe("emulator request checks", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });

  afterAll(async () => {
    await emulator.close();
  });

  test("unknown path returns 404", async () => {
    const response = await callApi(emulator, "GET", "/no-such-thing");

    expect(response.status).toBe(404);
    expect(response.body.errors[0].code).toBe("resource_not_found");
  });

  test("path outside the API returns 404", async () => {
    const response = await request(`${emulator.url}/other`, {
      headers: { "user-agent": USER_AGENT, "x-api-key": emulator.adminApiKey },
    });
    const body = (await response.body.json()) as any;

    expect(response.statusCode).toBe(404);
    expect(body.errors[0].code).toBe("resource_not_found");
  });

  test("audit-log returns 404 with reason", async () => {
    const response = await callApi(emulator, "GET", "/audit-log");

    expect(response.status).toBe(404);
    expect(response.body.errors[0].message).toMatch(/does not implement/);
  });

  test("wrong method returns 405", async () => {
    const response = await callApi(emulator, "PATCH", "/user");

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, POST");
    expect(response.body.errors[0].code).toBe("method_not_allowed");
  });

  test("body without JSON content type returns 400", async () => {
    const response = await callApi(emulator, "POST", "/user", {
      rawBody: JSON.stringify(validCreateBody()),
      headers: { "content-type": "text/plain" },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].code).toBe("invalid_request");
    expect(response.body.errors[0].message).toMatch(/Content-Type application\/json/);
  });

  test("body without content type returns 400", async () => {
    const response = await callApi(emulator, "POST", "/user", {
      rawBody: JSON.stringify(validCreateBody()),
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/sent none/);
  });

  test("JSON content type with charset is accepted", async () => {
    const response = await callApi(emulator, "POST", "/user", {
      rawBody: JSON.stringify(validCreateBody({ friendly_name: "charset-bot" })),
      headers: { "content-type": "application/json; charset=utf-8" },
    });

    expect(response.status).toBe(201);
  });

  test("non-JSON body returns 400", async () => {
    const response = await callApi(emulator, "POST", "/user", {
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/not valid JSON/);
  });

  test("JSON array body returns 400", async () => {
    const response = await callApi(emulator, "POST", "/user", { json: [validCreateBody()] });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/must be a JSON object, but it is an array/);
  });

  test("missing body on create returns 400", async () => {
    const response = await callApi(emulator, "POST", "/user");

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/requires a JSON object body/);
  });

  test("chunked body returns 400", async () => {
    const text = JSON.stringify(validCreateBody({ friendly_name: "chunked-bot" }));
    const response = await request(`${emulator.apiUrl}/user`, {
      method: "POST",
      headers: {
        "user-agent": USER_AGENT,
        "x-api-key": emulator.adminApiKey,
        "content-type": "application/json",
      },
      body: Readable.from([Buffer.from(text)]),
    });
    const body = (await response.body.json()) as any;

    expect(response.statusCode).toBe(400);
    expect(body.errors[0].message).toMatch(/Content-Length/);
  });
});

describe("emulator listen address", () => {
  test.each(["127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "localhost"])(
    "loopback %s is accepted",
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  test.each(["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "::ffff:127.0.0.1"])(
    "non-loopback %s is rejected",
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );

  test("startEmulator rejects 0.0.0.0", async () => {
    await expect(startEmulator({ host: "0.0.0.0", quiet: true })).rejects.toThrow(
      'host "0.0.0.0" is not a loopback address. The emulator listens only on a loopback address: 127.0.0.0/8, ::1 or localhost.',
    );
  });

  test("startEmulator accepts 127.0.0.2", async () => {
    const emulator = await startEmulator({ host: "127.0.0.2", quiet: true });
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    } finally {
      await emulator.close();
    }
  });

  test("busy port gives PortInUseError", async () => {
    const first = await startEmulator({ host: "127.0.0.1", quiet: true });
    const port = Number(new URL(first.url).port);
    try {
      const error = await startEmulator({ host: "127.0.0.1", port, quiet: true }).catch(
        (caught: unknown) => caught,
      );

      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as PortInUseError).port).toBe(port);
      expect((error as PortInUseError).host).toBe("127.0.0.1");
      expect((error as Error).message).toBe(
        `port ${port} on 127.0.0.1 is already in use. Choose another port, or port 0 for any free port.`,
      );
    } finally {
      await first.close();
    }
  });
});
