import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ACCOUNT_IDS } from "../../emulator/src/catalogue";
import { RunningEmulator, startEmulator } from "../../emulator/src/server";
import { callApi, createServiceUser, validCreateBody } from "../../emulator/test/client";

describe("emulator persistence", () => {
  let dataDir: string;
  const running: RunningEmulator[] = [];

  async function start(options: Parameters<typeof startEmulator>[0] = {}) {
    const emulator = await startEmulator({ quiet: true, dataDir, ...options });
    running.push(emulator);
    return emulator;
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "emulator-persistence-"));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
    await rm(dataDir, { recursive: true, force: true });
  });

  test("restart keeps users and keys", async () => {
    const first = await start();
    const kept = await createServiceUser(first, { friendly_name: "kept" });
    const removed = await createServiceUser(first, { friendly_name: "removed" });
    await callApi(first, "PUT", `/user/${kept.id}`, {
      json: validCreateBody({
        friendly_name: "kept-renamed",
        accounts: [ACCOUNT_IDS.platformEngineering, ACCOUNT_IDS.productSecurity],
      }),
    });
    await callApi(first, "PUT", `/user/${kept.id}/disable`);
    await callApi(first, "DELETE", `/user/${removed.id}`);
    const before = (await callApi(first, "GET", `/user/${kept.id}`)).body;
    await first.close();

    const second = await start();
    const after = await callApi(second, "GET", `/user/${kept.id}`);
    const list = await callApi(second, "GET", "/user?user_type=service");

    expect(second.adminApiKey).toBe(first.adminApiKey);
    expect(second.viewerApiKey).toBe(first.viewerApiKey);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
    expect(after.body.status).toBe("DISABLED");
    expect(list.body.map((user: any) => user.id)).toEqual([kept.id]);
  });

  test("service user token survives restart", async () => {
    const first = await start();
    const created = await createServiceUser(first);
    await first.close();

    const second = await start();
    const me = await callApi(second, "GET", "/user/me", { apiKey: created.api_token });

    expect(me.status).toBe(200);
    expect(me.body.id).toBe(created.id);
  });

  test("state file stores no token or key", async () => {
    const emulator = await start();
    const created = await createServiceUser(emulator);
    await emulator.close();

    const state = await readFile(join(dataDir, "state.json"), "utf8");

    expect(state).not.toContain(created.api_token);
    expect(state).not.toContain(emulator.adminApiKey);
    expect(state).not.toContain(emulator.viewerApiKey);
    expect(state).toContain(created.id);
    expect(JSON.parse(state).apiTokens[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(state).serviceUsers[0]).not.toHaveProperty("tokenSha256");
  });

  test("keys file has mode 0600", async () => {
    const emulator = await start();
    await emulator.close();

    const keysPath = join(dataDir, "keys.json");
    const keys = JSON.parse(await readFile(keysPath, "utf8"));
    const mode = (await stat(keysPath)).mode & 0o777;

    expect(keys).toEqual({
      adminApiKey: emulator.adminApiKey,
      viewerApiKey: emulator.viewerApiKey,
    });
    if (process.platform !== "win32") {
      expect(mode).toBe(0o600);
    }
  });

  test("writes leave no temporary files", async () => {
    const emulator = await start();
    for (const name of ["a", "b", "c"]) {
      await createServiceUser(emulator, { friendly_name: name });
    }
    await emulator.close();

    const files = (await readdir(dataDir)).sort();

    expect(files).toEqual(["keys.json", "state.json"]);
  });

  test("concurrent creates all persist", async () => {
    const emulator = await start();
    const names = Array.from({ length: 10 }, (_, index) => `parallel-${index}`);
    await Promise.all(names.map((name) => createServiceUser(emulator, { friendly_name: name })));
    await emulator.close();

    const state = JSON.parse(await readFile(join(dataDir, "state.json"), "utf8"));
    const stored = state.serviceUsers.map((user: any) => user.friendlyName).sort();

    expect(stored).toEqual([...names].sort());
  });

  test("admin key option replaces the saved key", async () => {
    const first = await start();
    await first.close();

    const second = await start({ adminApiKey: "chosen-admin-key" });
    const withOld = await callApi(second, "GET", "/account", { apiKey: first.adminApiKey });
    const withNew = await callApi(second, "GET", "/account", { apiKey: "chosen-admin-key" });
    await second.close();
    const keys = JSON.parse(await readFile(join(dataDir, "keys.json"), "utf8"));

    expect(withOld.status).toBe(401);
    expect(withNew.status).toBe(200);
    expect(keys.adminApiKey).toBe("chosen-admin-key");
  });

  test("lost keys file yields new keys", async () => {
    const first = await start();
    const created = await createServiceUser(first);
    await first.close();
    await rm(join(dataDir, "keys.json"));

    const second = await start();
    const withOld = await callApi(second, "GET", "/account", { apiKey: first.adminApiKey });
    const users = await callApi(second, "GET", "/user?user_type=service");

    expect(second.adminApiKey).not.toBe(first.adminApiKey);
    expect(withOld.status).toBe(401);
    expect(users.body.map((user: any) => user.id)).toEqual([created.id]);
  });

  test("corrupt state file rejects start", async () => {
    await writeFile(join(dataDir, "state.json"), "{ not json");

    await expect(start()).rejects.toThrow(/state\.json is not valid JSON/);
  });

  test("state file of wrong shape rejects start", async () => {
    await writeFile(join(dataDir, "state.json"), JSON.stringify({ formatVersion: 99 }));

    await expect(start()).rejects.toThrow(/is not an emulator state file of format version 2/);
  });
});

describe("emulator without data directory", () => {
  test("keys differ per start", async () => {
    const first = await startEmulator({ quiet: true });
    const second = await startEmulator({ quiet: true });
    await first.close();
    await second.close();

    expect(first.adminApiKey).not.toBe(second.adminApiKey);
    expect(first.adminApiKey).not.toBe(first.viewerApiKey);
  });

  test("admin key option is used", async () => {
    const emulator = await startEmulator({ quiet: true, adminApiKey: "fixed-test-key" });
    const response = await callApi(emulator, "GET", "/account", { apiKey: "fixed-test-key" });
    await emulator.close();

    expect(emulator.adminApiKey).toBe("fixed-test-key");
    expect(response.status).toBe(200);
  });

  test("state is lost on restart", async () => {
    const first = await startEmulator({ quiet: true, adminApiKey: "same-key" });
    await createServiceUser(first);
    await first.close();

    const second = await startEmulator({ quiet: true, adminApiKey: "same-key" });
    const users = await callApi(second, "GET", "/user?user_type=service");
    await second.close();

    expect(users.body).toEqual([]);
  });
});
