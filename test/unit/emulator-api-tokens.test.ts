import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  ACCOUNT_IDS,
  APPLICATION_IDS,
  ROLE_IDS,
  STANDARD_USER_IDS,
} from "../../emulator/src/catalogue";
import { sha256Hex } from "../../emulator/src/credentials";
import { RunningEmulator, startEmulator } from "../../emulator/src/server";
import {
  ManualClock,
  callApi,
  createServiceUser,
} from "../../emulator/test/client";

const START = new Date("2030-01-15T10:00:00Z");
const TOKEN_KEYS = ["created_at", "end_date", "id", "name", "status", "user_id"];

/** Lists the live tokens of a service user with the administrator key. */
async function listTokens(emulator: RunningEmulator, userId: string): Promise<any[]> {
  const response = await callApi(emulator, "GET", `/api-access-token?user_id=${userId}`);
  if (response.status !== 200) {
    throw new Error(`list failed with ${response.status}: ${response.text}`);
  }
  return response.body;
}

/** Creates an API token through the API and returns the 201 body. */
async function createToken(
  emulator: RunningEmulator,
  body: Record<string, unknown>,
): Promise<any> {
  const response = await callApi(emulator, "POST", "/api-access-token", { json: body });
  if (response.status !== 201) {
    throw new Error(`token create failed with ${response.status}: ${response.text}`);
  }
  return response.body;
}

describe("emulator API tokens", () => {
  let emulator: RunningEmulator;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, clock });
  });

  afterAll(async () => {
    await emulator.close();
  });

  afterEach(() => {
    clock.set(START);
  });

  test("user create makes an initial token", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "initial-token" });

    const tokens = await listTokens(emulator, user.id);

    expect(tokens).toHaveLength(1);
    expect(Object.keys(tokens[0]).sort()).toEqual(TOKEN_KEYS);
    expect(tokens[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      user_id: user.id,
      name: "initial",
      created_at: "2030-01-15T10:00:00Z",
      end_date: null,
      status: "ACTIVE",
    });
  });

  test("list without user_id returns 400", async () => {
    const response = await callApi(emulator, "GET", "/api-access-token");

    expect(response.status).toBe(400);
    expect(response.body.errors[0].code).toBe("invalid_request");
    expect(response.body.errors[0].message).toMatch(/user_id is required/);
  });

  test("list of unknown user returns 404", async () => {
    const response = await callApi(
      emulator,
      "GET",
      "/api-access-token?user_id=00000000-0000-4000-8000-000000000000",
    );

    expect(response.status).toBe(404);
    expect(response.body.errors[0].code).toBe("resource_not_found");
  });

  test("list of standard user returns 400", async () => {
    const response = await callApi(
      emulator,
      "GET",
      `/api-access-token?user_id=${STANDARD_USER_IDS.administrator}`,
    );

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/standard user/);
  });

  test("list pages with offset and limit", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "paged-tokens" });
    for (const name of ["second", "third", "fourth"]) {
      await createToken(emulator, { user_id: user.id, name });
    }

    const response = await callApi(
      emulator,
      "GET",
      `/api-access-token?user_id=${user.id}&offset=1&limit=2`,
    );

    expect(response.status).toBe(200);
    expect(response.body.total).toBe(4);
    expect(response.body.offset).toBe(1);
    expect(response.body.limit).toBe(2);
    expect(response.body.items.map((token: any) => token.name)).toEqual(["second", "third"]);
  });

  test("create returns the secret once", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "second-token" });

    const response = await callApi(emulator, "POST", "/api-access-token", {
      json: { user_id: user.id, name: "rotation 2030", end_date: "2030-06-30" },
    });
    const created = response.body;
    const single = await callApi(emulator, "GET", `/api-access-token/${created.id}`);
    const list = await callApi(emulator, "GET", `/api-access-token?user_id=${user.id}`);
    const me = await callApi(emulator, "GET", "/user/me", { apiKey: created.api_token });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/account/api/v1/api-access-token/${created.id}`);
    expect(Object.keys(created).sort()).toEqual([...TOKEN_KEYS, "api_token"].sort());
    expect(created).toMatchObject({
      user_id: user.id,
      name: "rotation 2030",
      created_at: "2030-01-15T10:00:00Z",
      end_date: "2030-06-30",
      status: "ACTIVE",
    });
    expect(created.api_token).toMatch(/^[0-9a-f]{26}_[0-9a-f]{64}$/);
    expect(created.api_token).not.toBe(user.api_token);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);
    for (const later of [single, list, me]) {
      expect(later.text).not.toContain(created.api_token);
      expect(later.text).not.toContain("api_token");
    }
    expect(JSON.stringify(emulator.apiTokens())).not.toContain(created.api_token);
    expect(emulator.apiTokens()[0]).not.toHaveProperty("sha256");
  });

  test("create without name uses default", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "default-name" });

    const created = await createToken(emulator, { user_id: user.id });

    expect(created.name).toBe("api-token");
    expect(created.end_date).toBeNull();
  });

  test("create with end_date today is accepted", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "ends-today" });

    const created = await createToken(emulator, { user_id: user.id, end_date: "2030-01-15" });

    expect(created.end_date).toBe("2030-01-15");
    expect(created.status).toBe("ACTIVE");
  });

  test("create with past end_date returns 400", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "ends-yesterday" });

    const response = await callApi(emulator, "POST", "/api-access-token", {
      json: { user_id: user.id, end_date: "2030-01-14" },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].code).toBe("invalid_request");
    expect(response.body.errors[0].message).toBe(
      'end_date "2030-01-14" is before today (2030-01-15 UTC). Send today or a later date, or null for no end date.',
    );
  });

  test("create for unknown user returns 404", async () => {
    const response = await callApi(emulator, "POST", "/api-access-token", {
      json: { user_id: "00000000-0000-4000-8000-000000000000" },
    });

    expect(response.status).toBe(404);
    expect(response.body.errors[0].code).toBe("resource_not_found");
  });

  test("create with invalid fields lists each", async () => {
    const response = await callApi(emulator, "POST", "/api-access-token", {
      json: { user_id: 5, name: "x".repeat(65), end_date: "2030-02-30" },
    });
    const messages = response.body.errors.map((entry: any) => entry.message);

    expect(response.status).toBe(400);
    expect(messages).toEqual([
      "user_id must be a string, but the request sent a number.",
      "name is 65 characters long, but at most 64 are allowed.",
      'end_date "2030-02-30" is not a real calendar date. Check the month and the day of the month.',
    ]);
  });

  test("create without body returns 400", async () => {
    const response = await callApi(emulator, "POST", "/api-access-token");

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/requires a JSON object body with user_id/);
  });

  test("create without user_id returns 400", async () => {
    const response = await callApi(emulator, "POST", "/api-access-token", {
      json: { name: "orphan" },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/user_id is required/);
  });

  test("get unknown token returns 404", async () => {
    const response = await callApi(
      emulator,
      "GET",
      "/api-access-token/00000000-0000-4000-8000-000000000000",
    );

    expect(response.status).toBe(404);
    expect(response.body.errors[0].code).toBe("resource_not_found");
    expect(response.body.errors[0].message).toMatch(/No API token with id/);
  });

  test("update sets end_date and name", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "update-token" });
    const [token] = await listTokens(emulator, user.id);

    const response = await callApi(emulator, "PUT", `/api-access-token/${token.id}`, {
      json: { end_date: "2030-03-01", name: "rotated" },
    });
    const read = await callApi(emulator, "GET", `/api-access-token/${token.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...token, name: "rotated", end_date: "2030-03-01" });
    expect(read.body).toEqual(response.body);
  });

  test("update without name keeps it", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "keep-name" });
    const [token] = await listTokens(emulator, user.id);

    const response = await callApi(emulator, "PUT", `/api-access-token/${token.id}`, {
      json: { end_date: "2030-01-15" },
    });

    expect(response.status).toBe(200);
    expect(response.body.name).toBe("initial");
    expect(response.body.end_date).toBe("2030-01-15");
  });

  test("update with null end_date clears it", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "clear-end" });
    const created = await createToken(emulator, { user_id: user.id, end_date: "2030-02-01" });

    const response = await callApi(emulator, "PUT", `/api-access-token/${created.id}`, {
      json: { end_date: null },
    });

    expect(response.status).toBe(200);
    expect(response.body.end_date).toBeNull();
  });

  test("update with past end_date returns 400", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "past-update" });
    const [token] = await listTokens(emulator, user.id);

    const response = await callApi(emulator, "PUT", `/api-access-token/${token.id}`, {
      json: { end_date: "2030-01-14" },
    });
    const read = await callApi(emulator, "GET", `/api-access-token/${token.id}`);

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/is before today \(2030-01-15 UTC\)/);
    expect(read.body.end_date).toBeNull();
  });

  test("update rejects current end_date once past", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "stale-end" });
    const created = await createToken(emulator, { user_id: user.id, end_date: "2030-01-15" });
    clock.advanceDays(1);

    const response = await callApi(emulator, "PUT", `/api-access-token/${created.id}`, {
      json: { end_date: "2030-01-15" },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/is before today \(2030-01-16 UTC\)/);
  });

  test("update without end_date returns 400", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "no-end-date" });
    const [token] = await listTokens(emulator, user.id);

    const response = await callApi(emulator, "PUT", `/api-access-token/${token.id}`, {
      json: { name: "renamed only" },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/^end_date is required/);
  });

  test("status is EXPIRED after end_date", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "expiring-token" });
    const created = await createToken(emulator, { user_id: user.id, end_date: "2030-01-15" });
    clock.advanceDays(1);

    const read = await callApi(emulator, "GET", `/api-access-token/${created.id}`);
    const names = (await listTokens(emulator, user.id)).map((token) => token.name);

    expect(read.status).toBe(200);
    expect(read.body.status).toBe("EXPIRED");
    expect(names).toEqual(["initial", "api-token"]);
  });

  test("delete revokes and keeps a tombstone", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "revoke-token" });
    const [token] = await listTokens(emulator, user.id);
    clock.set(new Date("2030-01-15T11:30:00Z"));

    const removed = await callApi(emulator, "DELETE", `/api-access-token/${token.id}`);
    const read = await callApi(emulator, "GET", `/api-access-token/${token.id}`);
    const again = await callApi(emulator, "DELETE", `/api-access-token/${token.id}`);
    const update = await callApi(emulator, "PUT", `/api-access-token/${token.id}`, {
      json: { end_date: null },
    });
    const tombstone = emulator.apiTokens().find((record) => record.id === token.id);

    expect(removed.status).toBe(204);
    expect(removed.text).toBe("");
    expect(read.status).toBe(404);
    expect(read.body.errors[0].message).toBe(
      `API token ${token.id} was revoked at 2030-01-15T11:30:00Z, so it no longer exists.`,
    );
    expect(again.status).toBe(404);
    expect(update.status).toBe(404);
    expect(await listTokens(emulator, user.id)).toEqual([]);
    expect(tombstone).toMatchObject({ userId: user.id, revokedAt: "2030-01-15T11:30:00Z" });
    expect(emulator.serviceUsers().some((record) => record.id === user.id)).toBe(true);
  });

  test("delete unknown token returns 404", async () => {
    const response = await callApi(
      emulator,
      "DELETE",
      "/api-access-token/00000000-0000-4000-8000-000000000000",
    );

    expect(response.status).toBe(404);
    expect(response.body.errors[0].code).toBe("resource_not_found");
  });

  test("user delete revokes its tokens", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "deleted-owner" });
    const second = await createToken(emulator, { user_id: user.id });

    await callApi(emulator, "DELETE", `/user/${user.id}`);
    const tombstones = emulator.apiTokens().filter((record) => record.userId === user.id);
    const list = await callApi(emulator, "GET", `/api-access-token?user_id=${user.id}`);
    const read = await callApi(emulator, "GET", `/api-access-token/${second.id}`);

    expect(tombstones).toHaveLength(2);
    expect(tombstones.map((record) => record.revokedAt)).toEqual([
      "2030-01-15T10:00:00Z",
      "2030-01-15T10:00:00Z",
    ]);
    expect(list.status).toBe(404);
    expect(read.status).toBe(404);
  });

  test("service user rotates its own token", async () => {
    const manager = await createServiceUser(emulator, {
      friendly_name: "self-rotating",
      applications: [
        { id: APPLICATION_IDS.account_manager, roles: [{ id: ROLE_IDS.AM_USER_MANAGER }] },
      ],
    });
    const [old] = await listTokens(emulator, manager.id);

    const created = await callApi(emulator, "POST", "/api-access-token", {
      apiKey: manager.api_token,
      json: { user_id: manager.id, name: "next" },
    });
    const revoked = await callApi(emulator, "DELETE", `/api-access-token/${old.id}`, {
      apiKey: created.body.api_token,
    });
    const withOld = await callApi(emulator, "GET", "/user/me", { apiKey: manager.api_token });
    const withNew = await callApi(emulator, "GET", "/user/me", {
      apiKey: created.body.api_token,
    });

    expect(created.status).toBe(201);
    expect(revoked.status).toBe(204);
    expect(withOld.status).toBe(401);
    expect(withNew.status).toBe(200);
  });

  test("viewer gets 403 on every endpoint", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "viewer-tokens" });
    const [token] = await listTokens(emulator, user.id);
    const apiKey = emulator.viewerApiKey;

    const responses = [
      await callApi(emulator, "GET", `/api-access-token?user_id=${user.id}`, { apiKey }),
      await callApi(emulator, "POST", "/api-access-token", { apiKey, json: { user_id: user.id } }),
      await callApi(emulator, "GET", `/api-access-token/${token.id}`, { apiKey }),
      await callApi(emulator, "PUT", `/api-access-token/${token.id}`, {
        apiKey,
        json: { end_date: null },
      }),
      await callApi(emulator, "DELETE", `/api-access-token/${token.id}`, { apiKey }),
    ];

    for (const response of responses) {
      expect(response.status).toBe(403);
      expect(response.body.errors[0].code).toBe("access_denied");
      expect(response.body.errors[0].message).toMatch(
        /lacks the Manage users permission \(MANAGE_AM_USER\), which .+ API token.? requires/,
      );
    }
    expect(await listTokens(emulator, user.id)).toHaveLength(1);
  });

  test("403 message names the granting roles", async () => {
    const signer = await createServiceUser(emulator, { friendly_name: "signer-tokens" });

    const response = await callApi(emulator, "POST", "/api-access-token", {
      apiKey: signer.api_token,
      json: { user_id: signer.id },
    });

    expect(response.status).toBe(403);
    expect(response.body.errors[0].message).toBe(
      `Service user ${signer.id} lacks the Manage users permission (MANAGE_AM_USER), ` +
        "which creating an API token requires. Use the API key of a user with a role " +
        "that grants it: AM_ACCOUNT_ADMIN or AM_USER_MANAGER.",
    );
  });
});

describe("emulator API key messages", () => {
  let emulator: RunningEmulator;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, clock });
  });

  afterAll(async () => {
    await emulator.close();
  });

  afterEach(() => {
    clock.set(START);
  });

  /** Calls GET /user/me with `apiKey` and returns the 401 message. */
  async function rejectionMessage(apiKey: string): Promise<string> {
    const response = await callApi(emulator, "GET", "/user/me", { apiKey });
    expect(response.status).toBe(401);
    expect(response.body.errors[0].code).toBe("invalid_api_key");
    expect(response.text).not.toContain(apiKey);
    return response.body.errors[0].message;
  }

  test("unknown key says not valid", async () => {
    const message = await rejectionMessage("0123456789abcdef0123456789_not-a-token");

    expect(message).toBe(
      "The API key in x-api-key is not valid. It may be mistyped, or it may belong to another DigiCert ONE host.",
    );
  });

  test("revoked token says when", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "revoked-key" });
    const [token] = await listTokens(emulator, user.id);
    await callApi(emulator, "DELETE", `/api-access-token/${token.id}`);

    const message = await rejectionMessage(user.api_token);

    expect(message).toBe(
      `The API key in x-api-key was revoked at 2030-01-15T10:00:00Z (API token ${token.id} ` +
        `of service user ${user.id}). Use another live API token of the service user, ` +
        "or create one with POST /api-access-token.",
    );
  });

  test("token of deleted user says revoked", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "deleted-key" });
    await callApi(emulator, "DELETE", `/user/${user.id}`);

    const message = await rejectionMessage(user.api_token);

    expect(message).toMatch(/^The API key in x-api-key was revoked at 2030-01-15T10:00:00Z /);
    expect(message).toMatch(/The service user has been deleted\.$/);
  });

  test("token past end_date says expired", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "expired-key" });
    const created = await createToken(emulator, { user_id: user.id, end_date: "2030-01-15" });

    const onLastDay = await callApi(emulator, "GET", "/user/me", { apiKey: created.api_token });
    clock.set(new Date("2030-01-16T00:00:00Z"));
    const message = await rejectionMessage(created.api_token);

    expect(onLastDay.status).toBe(200);
    expect(message).toBe(
      `The API key in x-api-key expired at the end of 2030-01-15 (UTC) (API token ` +
        `${created.id} of service user ${user.id}). An administrator can extend its ` +
        `end_date with PUT /api-access-token/${created.id}, or create a new API token.`,
    );
  });

  test("disabled user says disabled", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "disabled-key" });
    await callApi(emulator, "PUT", `/user/${user.id}/disable`);

    const message = await rejectionMessage(user.api_token);

    expect(message).toBe(
      `The API key in x-api-key belongs to service user ${user.id}, which is disabled. ` +
        "An administrator can enable it again.",
    );
  });

  test("expired user says expired", async () => {
    const user = await createServiceUser(emulator, {
      friendly_name: "expired-user-key",
      end_date: "2030-01-15",
    });
    clock.advanceDays(1);

    const message = await rejectionMessage(user.api_token);

    expect(message).toBe(
      `The API key in x-api-key belongs to service user ${user.id}, which expired at ` +
        "the end of 2030-01-15 (UTC). An administrator can extend the service user's end_date.",
    );
  });

  test("revocation is checked before expiry", async () => {
    const user = await createServiceUser(emulator, { friendly_name: "revoked-and-expired" });
    const created = await createToken(emulator, { user_id: user.id, end_date: "2030-01-15" });
    await callApi(emulator, "DELETE", `/api-access-token/${created.id}`);
    clock.advanceDays(1);

    const message = await rejectionMessage(created.api_token);

    expect(message).toMatch(/was revoked at/);
  });
});

describe("emulator Date header", () => {
  let emulator: RunningEmulator;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, clock });
  });

  afterAll(async () => {
    await emulator.close();
  });

  test("Date follows the emulator clock", async () => {
    const first = await callApi(emulator, "GET", "/account");
    clock.advanceDays(3);
    const later = await callApi(emulator, "GET", "/account");

    expect(first.headers.date).toBe("Tue, 15 Jan 2030 10:00:00 GMT");
    expect(later.headers.date).toBe("Fri, 18 Jan 2030 10:00:00 GMT");
  });

  test("error responses carry Date too", async () => {
    clock.set(new Date("2031-07-04T23:59:59Z"));

    const unauthenticated = await callApi(emulator, "GET", "/account", { apiKey: null });
    const notFound = await callApi(emulator, "GET", "/no-such-endpoint");
    const revoke = await callApi(emulator, "DELETE", "/api-access-token/unknown");

    for (const response of [unauthenticated, notFound, revoke]) {
      expect(response.headers.date).toBe("Fri, 04 Jul 2031 23:59:59 GMT");
    }
  });
});

describe("emulator API token persistence", () => {
  let dataDir: string;
  const running: RunningEmulator[] = [];

  async function start(options: Parameters<typeof startEmulator>[0] = {}) {
    const emulator = await startEmulator({
      quiet: true,
      dataDir,
      clock: new ManualClock(START),
      ...options,
    });
    running.push(emulator);
    return emulator;
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "emulator-api-tokens-"));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
    await rm(dataDir, { recursive: true, force: true });
  });

  test("tokens and tombstones survive restart", async () => {
    const first = await start();
    const user = await createServiceUser(first);
    const [initial] = await listTokens(first, user.id);
    const second = await createToken(first, {
      user_id: user.id,
      name: "second",
      end_date: "2030-02-01",
    });
    await callApi(first, "DELETE", `/api-access-token/${initial.id}`);
    const before = await listTokens(first, user.id);
    await first.close();

    const restarted = await start();
    const after = await listTokens(restarted, user.id);
    const withRevoked = await callApi(restarted, "GET", "/user/me", { apiKey: user.api_token });
    const withSecond = await callApi(restarted, "GET", "/user/me", { apiKey: second.api_token });

    expect(after).toEqual(before);
    expect(after.map((token) => token.id)).toEqual([second.id]);
    expect(withRevoked.status).toBe(401);
    expect(withRevoked.body.errors[0].message).toMatch(/was revoked at/);
    expect(withSecond.status).toBe(200);
    expect(restarted.apiTokens()).toEqual(first.apiTokens());
  });

  test("state file stores only token hashes", async () => {
    const emulator = await start();
    const user = await createServiceUser(emulator);
    const second = await createToken(emulator, { user_id: user.id });
    await emulator.close();

    const text = await readFile(join(dataDir, "state.json"), "utf8");
    const state = JSON.parse(text);

    expect(text).not.toContain(user.api_token);
    expect(text).not.toContain(second.api_token);
    expect(state.formatVersion).toBe(2);
    expect(state.apiTokens.map((token: any) => token.sha256)).toEqual([
      sha256Hex(user.api_token),
      sha256Hex(second.api_token),
    ]);
  });

  test("version 1 state file loads", async () => {
    const secret = "legacy-service-user-token";
    const userId = "4f7c2a1e-9b3d-4c8e-a2f1-6d5e8b7c9a01";
    const legacyState = {
      formatVersion: 1,
      adminApiKeySha256: sha256Hex("legacy-admin-key"),
      viewerApiKeySha256: sha256Hex("legacy-viewer-key"),
      serviceUsers: [
        {
          id: userId,
          friendlyName: "legacy bot",
          description: "",
          email: "platform-team@example.com",
          disabled: false,
          primaryAccountId: ACCOUNT_IDS.platformEngineering,
          createdAt: "2029-11-02T08:00:00Z",
          createdBy: STANDARD_USER_IDS.administrator,
          endDate: null,
          accounts: [ACCOUNT_IDS.platformEngineering],
          applications: [
            { id: APPLICATION_IDS.account_manager, roleIds: [ROLE_IDS.AM_VIEW_ONLY] },
          ],
          tokenSha256: sha256Hex(secret),
        },
      ],
    };
    await writeFile(join(dataDir, "state.json"), JSON.stringify(legacyState));

    const emulator = await start({
      adminApiKey: "legacy-admin-key",
      viewerApiKey: "legacy-viewer-key",
    });
    const me = await callApi(emulator, "GET", "/user/me", { apiKey: secret });
    const tokens = await listTokens(emulator, userId);
    await emulator.close();
    const saved = JSON.parse(await readFile(join(dataDir, "state.json"), "utf8"));

    expect(me.status).toBe(200);
    expect(me.body.friendly_name).toBe("legacy bot");
    expect(tokens).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        user_id: userId,
        name: "initial",
        created_at: "2029-11-02T08:00:00Z",
        end_date: null,
        status: "ACTIVE",
      },
    ]);
    expect(saved.formatVersion).toBe(2);
    expect(saved.serviceUsers[0]).not.toHaveProperty("tokenSha256");
    expect(saved.apiTokens).toEqual([
      {
        id: tokens[0].id,
        userId,
        name: "initial",
        createdAt: "2029-11-02T08:00:00Z",
        endDate: null,
        sha256: sha256Hex(secret),
        revokedAt: null,
      },
    ]);
  });

  test("invalid version 1 state file rejects start", async () => {
    await writeFile(
      join(dataDir, "state.json"),
      JSON.stringify({
        formatVersion: 1,
        adminApiKeySha256: sha256Hex("a"),
        viewerApiKeySha256: sha256Hex("b"),
        serviceUsers: [{ id: "no-token" }],
      }),
    );

    await expect(start()).rejects.toThrow(
      /is not an emulator state file of format version 1: .*tokenSha256/s,
    );
  });
});
