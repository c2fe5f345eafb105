// The shared service-user access code: the per-user lock, the merge rule,
// and the read-modify-write with its read-back check and retries.

import { createLogger } from "../../provider/src/log";
import { KeyedLock } from "../../provider/src/resources/user-access/lock";
import {
  mergeAccess,
  ownedAccess,
  unappliedManagers,
} from "../../provider/src/resources/user-access/merge";
import {
  AccessChangeLostError,
  writeAccess,
  type AccessWriteOptions,
} from "../../provider/src/resources/user-access/modify";
import { InMemoryDigicertClient } from "./support/in-memory-client";

const USER_ID = "user-1";

let client: InMemoryDigicertClient;
let logLines: string[];
let sleeps: number[];

beforeEach(() => {
  client = new InMemoryDigicertClient();
  logLines = [];
  sleeps = [];
});

function options(overrides: Partial<AccessWriteOptions> = {}): AccessWriteOptions {
  return {
    client,
    signal: new AbortController().signal,
    logger: createLogger("test", {}, (line) => logLines.push(line)),
    locks: new KeyedLock(),
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
    ...overrides,
  };
}

/** Resolves after `ticks` turns of the event loop. */
async function ticks(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("KeyedLock", () => {
  test("runs tasks of one key in order", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name} start`);
      await ticks(3);
      events.push(`${name} end`);
      return name;
    };

    const results = await Promise.all([
      lock.run("a", task("first")),
      lock.run("a", task("second")),
      lock.run("a", task("third")),
    ]);

    expect(results).toEqual(["first", "second", "third"]);
    expect(events).toEqual([
      "first start",
      "first end",
      "second start",
      "second end",
      "third start",
      "third end",
    ]);
  });

  test("different keys run concurrently", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name} start`);
      await ticks(3);
      events.push(`${name} end`);
    };

    await Promise.all([lock.run("a", task("a")), lock.run("b", task("b"))]);

    expect(events.slice(0, 2)).toEqual(["a start", "b start"]);
  });

  test("failed task releases the key", async () => {
    const lock = new KeyedLock();
    const failed = lock.run("a", async () => {
      throw new Error("boom");
    });
    const next = lock.run("a", async () => "ran");

    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ran");
  });

  test("finished keys are forgotten", async () => {
    const lock = new KeyedLock();
    await Promise.all([lock.run("a", async () => 1), lock.run("b", async () => 2)]);

    expect(lock.activeKeys).toBe(0);
  });
});

describe("mergeAccess", () => {
  test("sets granted managers and keeps others", () => {
    const merged = mergeAccess(
      { account_manager: ["AM_VIEW_ONLY"], software_trust: ["SM_SIGNER"] },
      { grant: { software_trust: ["SM_ADMIN"], keylocker: ["KL_KEY_USER"] }, revoke: [] },
    );

    expect(merged).toEqual({
      account_manager: ["AM_VIEW_ONLY"],
      software_trust: ["SM_ADMIN"],
      keylocker: ["KL_KEY_USER"],
    });
    expect(Object.keys(merged)).toEqual(["account_manager", "software_trust", "keylocker"]);
  });

  test("removes revoked managers only", () => {
    const merged = mergeAccess(
      { account_manager: ["AM_VIEW_ONLY"], software_trust: ["SM_SIGNER"] },
      { grant: {}, revoke: ["software_trust", "keylocker"] },
    );

    expect(merged).toEqual({ account_manager: ["AM_VIEW_ONLY"] });
  });

  test("grant wins over revoke", () => {
    const merged = mergeAccess(
      { software_trust: ["SM_SIGNER"] },
      { grant: { software_trust: ["SM_ADMIN"] }, revoke: ["software_trust"] },
    );

    expect(merged).toEqual({ software_trust: ["SM_ADMIN"] });
  });

  test("repeated roles are merged", () => {
    const merged = mergeAccess({}, { grant: { keylocker: ["KL_ADMIN", "KL_ADMIN"] }, revoke: [] });

    expect(merged).toEqual({ keylocker: ["KL_ADMIN"] });
  });

  test("manager code __proto__ stays a key", () => {
    const merged = mergeAccess(
      {},
      { grant: Object.fromEntries([["__proto__", ["ROLE_A"]]]), revoke: [] },
    );

    expect(Object.keys(merged)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});

describe("unappliedManagers", () => {
  const change = {
    grant: { software_trust: ["SM_SIGNER", "SM_ADMIN"] },
    revoke: ["keylocker"],
  };

  test("applied change has none", () => {
    const access = { software_trust: ["SM_ADMIN", "SM_SIGNER"], account_manager: ["AM_VIEW_ONLY"] };

    expect(unappliedManagers(access, change)).toEqual([]);
  });

  test("missing grant is unapplied", () => {
    expect(unappliedManagers({}, change)).toEqual(["software_trust"]);
  });

  test("other roles are unapplied", () => {
    expect(unappliedManagers({ software_trust: ["SM_SIGNER"] }, change)).toEqual([
      "software_trust",
    ]);
  });

  test("revoked manager still present is unapplied", () => {
    const access = { software_trust: ["SM_SIGNER", "SM_ADMIN"], keylocker: ["KL_ADMIN"] };

    expect(unappliedManagers(access, change)).toEqual(["keylocker"]);
  });
});

describe("ownedAccess", () => {
  const access = { account_manager: ["AM_VIEW_ONLY"], software_trust: ["SM_SIGNER"] };

  test("keeps owned managers", () => {
    expect(ownedAccess(access, ["software_trust", "keylocker"])).toEqual({
      software_trust: ["SM_SIGNER"],
    });
  });

  test("undefined owner list keeps all", () => {
    expect(ownedAccess(access, undefined)).toEqual(access);
  });
});

describe("writeAccess", () => {
  test("read-modify-write keeps other managers", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"], keylocker: ["KL_ADMIN"] });

    const result = await writeAccess(
      { userId: USER_ID, change: { grant: { software_trust: ["SM_SIGNER"] }, revoke: ["keylocker"] } },
      options(),
    );

    expect(result.status).toBe("applied");
    expect(client.accessOf(USER_ID)).toEqual({
      account_manager: ["AM_VIEW_ONLY"],
      software_trust: ["SM_SIGNER"],
    });
    expect(client.calls.map((call) => call.method)).toEqual(["get", "update", "get"]);
  });

  test("fields builder sets the other fields", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });

    await writeAccess(
      {
        userId: USER_ID,
        change: { grant: { account_manager: ["AM_VIEW_ONLY"] }, revoke: [] },
        fields: (current) => ({ ...current, email: "ops@example.com", accountIds: ["acc-a", "acc-b"] }),
      },
      options(),
    );

    const user = client.users.get(USER_ID)!;
    expect(user.email).toBe("ops@example.com");
    expect(user.accountIds).toEqual(["acc-a", "acc-b"]);
  });

  test("unchanged user is not written", async () => {
    client.addUser(USER_ID, { software_trust: ["SM_SIGNER", "SM_ADMIN"] });

    const result = await writeAccess(
      { userId: USER_ID, change: { grant: { software_trust: ["SM_ADMIN", "SM_SIGNER"] }, revoke: ["keylocker"] } },
      options(),
    );

    expect(result.status).toBe("applied");
    expect(client.count("update")).toBe(0);
  });

  test("missing user is reported", async () => {
    const result = await writeAccess(
      { userId: USER_ID, change: { grant: { keylocker: ["KL_ADMIN"] }, revoke: [] } },
      options(),
    );

    expect(result.status).toBe("user_not_found");
    expect(client.count("update")).toBe(0);
  });

  test("removing the last manager writes nothing", async () => {
    client.addUser(USER_ID, { keylocker: ["KL_ADMIN"] });

    const result = await writeAccess(
      { userId: USER_ID, change: { grant: {}, revoke: ["keylocker"] } },
      options(),
    );

    expect(result.status).toBe("no_manager_left");
    expect(client.count("update")).toBe(0);
    expect(client.accessOf(USER_ID)).toEqual({ keylocker: ["KL_ADMIN"] });
  });

  test("undone change is written again", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    let undo = 2;
    // Another writer, working from an older read, puts the user back twice.
    client.afterUpdate = (user) => {
      if (undo-- > 0) user.access = { account_manager: ["AM_VIEW_ONLY"], keylocker: ["KL_ADMIN"] };
    };

    const result = await writeAccess(
      { userId: USER_ID, change: { grant: { software_trust: ["SM_SIGNER"] }, revoke: [] } },
      options(),
    );

    expect(result.status).toBe("applied");
    expect(client.count("update")).toBe(3);
    expect(client.accessOf(USER_ID)).toEqual({
      account_manager: ["AM_VIEW_ONLY"],
      keylocker: ["KL_ADMIN"],
      software_trust: ["SM_SIGNER"],
    });
    // Waits double from 250 ms, with up to half of each wait as jitter.
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(125);
    expect(sleeps[0]).toBeLessThanOrEqual(250);
    expect(sleeps[1]).toBeGreaterThanOrEqual(250);
    expect(sleeps[1]).toBeLessThanOrEqual(500);
    expect(logLines.filter((line) => line.includes("writing it again"))).toHaveLength(2);
  });

  test("change undone every time fails", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    client.afterUpdate = (user) => {
      user.access = { account_manager: ["AM_VIEW_ONLY"] };
    };

    const error = await writeAccess(
      { userId: USER_ID, change: { grant: { software_trust: ["SM_SIGNER"] }, revoke: [] } },
      options({ maxAttempts: 3 }),
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AccessChangeLostError);
    const lost = error as AccessChangeLostError;
    expect(lost.code).toBe("access_change_lost");
    expect(lost.managerCodes).toEqual(["software_trust"]);
    expect(lost.attempts).toBe(3);
    expect(lost.message).toContain('"software_trust"');
    expect(client.count("update")).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  test("client errors propagate", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    client.failNext = new Error("connection reset");

    await expect(
      writeAccess(
        { userId: USER_ID, change: { grant: { keylocker: ["KL_ADMIN"] }, revoke: [] } },
        options(),
      ),
    ).rejects.toThrow("connection reset");
  });

  test("ten concurrent writes all survive", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    const shared = options();
    const managers = Array.from({ length: 10 }, (_, index) => `manager_${index}`);

    await Promise.all(
      managers.map((managerCode) =>
        writeAccess(
          { userId: USER_ID, change: { grant: { [managerCode]: ["ROLE_A"] }, revoke: [] } },
          shared,
        ),
      ),
    );

    const access = client.accessOf(USER_ID);
    expect(Object.keys(access).sort()).toEqual(["account_manager", ...managers].sort());
    // The lock makes each write see the one before, so none was redone.
    expect(client.count("update")).toBe(10);
    expect(sleeps).toEqual([]);
  });

  test("read-back repairs unlocked writers", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    const managers = Array.from({ length: 10 }, (_, index) => `manager_${index}`);

    // A fresh lock per call serializes nothing, so the read-back check is
    // the only guard left, and it must rewrite what the others overwrote.
    await Promise.all(
      managers.map((managerCode) =>
        writeAccess(
          { userId: USER_ID, change: { grant: { [managerCode]: ["ROLE_A"] }, revoke: [] } },
          options({ locks: new KeyedLock(), maxAttempts: 20 }),
        ),
      ),
    );

    expect(client.count("update")).toBeGreaterThan(10);
    expect(Object.keys(client.accessOf(USER_ID))).toHaveLength(11);
  });
});
