// Apply, read and import of digicertone_service_user_role_binding against an
// in-memory DigiCert ONE client.

import type { Diagnostic, ObjectValue } from "../../provider/src/framework/types";
import { path } from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import { createRoleBindingResource } from "../../provider/src/resources/role-binding";
import { KeyedLock } from "../../provider/src/resources/user-access/lock";
import { InMemoryDigicertClient } from "./support/in-memory-client";

const USER_ID = "user-1";
const context = { signal: new AbortController().signal };

let client: InMemoryDigicertClient;
let resource: ReturnType<typeof createRoleBindingResource>;

beforeEach(() => {
  client = new InMemoryDigicertClient();
  resource = createRoleBindingResource({
    logger: createLogger("test", {}, () => {}),
    locks: new KeyedLock(),
  });
});

function binding(manager: string, roles: string[], serviceUserId = USER_ID): ObjectValue {
  return { id: `${serviceUserId}/${manager}`, service_user_id: serviceUserId, manager, roles };
}

async function apply(prior: ObjectValue | null, planned: ObjectValue | null) {
  return resource.apply(
    { prior, planned, config: planned, plannedPrivate: new Uint8Array() },
    client,
    context,
  );
}

async function read(state: ObjectValue) {
  return resource.read({ state, private: new Uint8Array() }, client, context);
}

function summaries(diagnostics: Diagnostic[] | undefined): string[] {
  return (diagnostics ?? []).map((diagnostic) => `${diagnostic.severity}: ${diagnostic.summary}`);
}

describe("role binding create and update", () => {
  test("create adds the manager", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    const planned = binding("software_trust", ["SM_SIGNER"]);
    const { newState, diagnostics } = await apply(null, planned);

    expect(diagnostics).toEqual([]);
    expect(newState).toEqual(planned);
    expect(client.accessOf(USER_ID)).toEqual({
      account_manager: ["AM_VIEW_ONLY"],
      software_trust: ["SM_SIGNER"],
    });
  });

  test("update replaces the manager's roles", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"], software_trust: ["SM_SIGNER"] });
    const prior = binding("software_trust", ["SM_SIGNER"]);
    const planned = binding("software_trust", ["SM_ADMIN", "SM_VIEW_ONLY"]);
    const { newState, diagnostics } = await apply(prior, planned);

    expect(diagnostics).toEqual([]);
    expect(newState).toEqual(planned);
    expect(client.accessOf(USER_ID)).toEqual({
      account_manager: ["AM_VIEW_ONLY"],
      software_trust: ["SM_ADMIN", "SM_VIEW_ONLY"],
    });
  });

  test("create over existing roles warns", async () => {
    client.addUser(USER_ID, { software_trust: ["SM_VIEW_ONLY"] });
    const { newState, diagnostics } = await apply(null, binding("software_trust", ["SM_SIGNER"]));

    expect(newState!.roles).toEqual(["SM_SIGNER"]);
    expect(summaries(diagnostics)).toEqual(["warning: Role binding took over a manager"]);
    expect(diagnostics![0].detail).toBe(
      'The manager "software_trust" was already present on service user "bot user-1" (id "user-1"), with the roles "SM_VIEW_ONLY", and this binding has now set its roles to "SM_SIGNER". ' +
        `If the access of the service user's digicertone_service_user or another role binding grants "software_trust", both now manage the same manager and undo each other's changes on every apply. ` +
        'Remove "software_trust" from one of them. If it was granted outside Terraform, the binding now owns it and no change is needed.',
    );
  });

  test("create of a new manager does not warn", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });

    const { diagnostics } = await apply(null, binding("software_trust", ["SM_SIGNER"]));

    expect(diagnostics).toEqual([]);
  });

  test("update of its own manager does not warn", async () => {
    client.addUser(USER_ID, { software_trust: ["SM_VIEW_ONLY"] });
    const prior = binding("software_trust", ["SM_VIEW_ONLY"]);

    const { diagnostics } = await apply(prior, binding("software_trust", ["SM_SIGNER"]));

    expect(diagnostics).toEqual([]);
  });

  test("missing service user fails create", async () => {
    const { newState, diagnostics } = await apply(null, binding("software_trust", ["SM_SIGNER"]));

    expect(newState).toBeNull();
    expect(diagnostics![0].path).toEqual(path("service_user_id"));
    expect(diagnostics![0].detail).toContain('no service user with id "user-1"');
  });

  test("API error keeps prior state", async () => {
    client.addUser(USER_ID, { software_trust: ["SM_SIGNER"] });
    client.failNext = new Error("socket hang up");
    const prior = binding("software_trust", ["SM_SIGNER"]);
    const { newState, diagnostics } = await apply(prior, binding("software_trust", ["SM_ADMIN"]));

    expect(newState).toBe(prior);
    expect(diagnostics![0].summary).toBe(
      'Failed to update role binding of "software_trust" on service user "user-1"',
    );
    expect(diagnostics![0].detail).toContain("socket hang up");
  });

  test("lost change names both owners", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    client.afterUpdate = (user) => {
      user.access = { account_manager: ["AM_VIEW_ONLY"] };
    };
    // The retries wait between attempts for real, about 3.75 s at most.
    const { newState, diagnostics } = await apply(null, binding("keylocker", ["KL_ADMIN"]));

    expect(newState).toBeNull();
    expect(diagnostics![0].summary).toContain("Failed to create");
    expect(diagnostics![0].detail).toContain("changed again by another writer");
    expect(diagnostics![0].detail).toContain("keep only one of them");
  }, 15_000);

  test("ten bindings applied together all survive", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    const managers = Array.from({ length: 10 }, (_, index) => `manager_${index}`);
    // One resource, as one provider process, so one lock.
    const responses = await Promise.all(
      managers.map((manager) => apply(null, binding(manager, ["ROLE_A"]))),
    );

    expect(responses.flatMap((response) => response.diagnostics ?? [])).toEqual([]);
    expect(Object.keys(client.accessOf(USER_ID)).sort()).toEqual(
      ["account_manager", ...managers].sort(),
    );
  });
});

describe("role binding delete", () => {
  test("delete removes only its manager", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"], keylocker: ["KL_ADMIN"] });
    const { newState, diagnostics } = await apply(binding("keylocker", ["KL_ADMIN"]), null);

    expect(newState).toBeNull();
    expect(diagnostics ?? []).toEqual([]);
    expect(client.accessOf(USER_ID)).toEqual({ account_manager: ["AM_VIEW_ONLY"] });
  });

  test("last manager cannot be removed", async () => {
    client.addUser(USER_ID, { keylocker: ["KL_ADMIN"] });
    const prior = binding("keylocker", ["KL_ADMIN"]);
    const { newState, diagnostics } = await apply(prior, null);

    expect(newState).toBe(prior);
    expect(diagnostics![0].severity).toBe("error");
    expect(diagnostics![0].detail).toContain(
      '"keylocker" is the last manager of service user "bot user-1" (id "user-1")',
    );
    expect(diagnostics![0].detail).toContain("at least one manager");
    expect(diagnostics![0].detail).toContain("Grant the service user another manager first");
    expect(diagnostics![0].detail).toContain(
      "remove the binding from state, using the binding's address from `terraform state list`:\n\n  terraform state rm 'digicertone_service_user_role_binding.<name>'",
    );
    expect(diagnostics![0].detail).not.toContain("<resource address>");
    expect(client.count("update")).toBe(0);
  });

  test("deleted service user counts as deleted", async () => {
    const { newState, diagnostics } = await apply(binding("keylocker", ["KL_ADMIN"]), null);

    expect(newState).toBeNull();
    expect(diagnostics ?? []).toEqual([]);
  });

  test("removed manager counts as deleted", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    const { newState } = await apply(binding("keylocker", ["KL_ADMIN"]), null);

    expect(newState).toBeNull();
    expect(client.count("update")).toBe(0);
  });
});

describe("role binding read", () => {
  test("read reports changed roles", async () => {
    client.addUser(USER_ID, { keylocker: ["KL_KEY_USER"], account_manager: ["AM_VIEW_ONLY"] });
    const { state } = await read(binding("keylocker", ["KL_ADMIN"]));

    expect(state).toEqual(binding("keylocker", ["KL_KEY_USER"]));
  });

  test("read keeps the stored order", async () => {
    client.addUser(USER_ID, { keylocker: ["KL_KEY_USER", "KL_ADMIN"] });
    const { state } = await read(binding("keylocker", ["KL_ADMIN", "KL_KEY_USER"]));

    expect(state!.roles).toEqual(["KL_ADMIN", "KL_KEY_USER"]);
  });

  test("removed manager reads as null", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });

    expect((await read(binding("keylocker", ["KL_ADMIN"]))).state).toBeNull();
  });

  test("deleted service user reads as null", async () => {
    expect((await read(binding("keylocker", ["KL_ADMIN"]))).state).toBeNull();
  });

  test("read error keeps state", async () => {
    client.addUser(USER_ID, { keylocker: ["KL_ADMIN"] });
    client.failNext = new Error("timeout");
    const prior = binding("keylocker", ["KL_ADMIN"]);
    const { state, diagnostics } = await read(prior);

    expect(state).toBe(prior);
    expect(diagnostics![0].detail).toContain("timeout");
  });
});

describe("role binding import", () => {
  test("import splits the id", async () => {
    const { imported, diagnostics } = await resource.import!(
      { id: "user-1/keylocker" },
      client,
      context,
    );

    expect(diagnostics ?? []).toEqual([]);
    expect(imported).toEqual([
      {
        state: {
          id: "user-1/keylocker",
          service_user_id: "user-1",
          manager: "keylocker",
          roles: null,
        },
      },
    ]);
  });

  test("read after import fills roles", async () => {
    client.addUser(USER_ID, { keylocker: ["KL_ADMIN"] });
    const { imported } = await resource.import!({ id: "user-1/keylocker" }, client, context);
    const { state } = await read(imported[0].state);

    expect(state).toEqual(binding("keylocker", ["KL_ADMIN"]));
  });

  test.each(["", "user-1", "user-1/", "/keylocker", "a/b/c"])(
    "import id %j is rejected",
    async (id) => {
      const { imported, diagnostics } = await resource.import!({ id }, client, context);

      expect(imported).toEqual([]);
      expect(diagnostics![0].summary).toBe("Invalid import id");
      expect(diagnostics![0].detail).toContain('separated by "/"');
    },
  );
});
