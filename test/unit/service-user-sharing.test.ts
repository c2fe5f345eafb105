// The ownership rule of digicertone_service_user: it manages exactly the
// managers in its own access, and leaves every other manager as DigiCert
// ONE has it, on read and on update.

import type { ObjectValue } from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import { createRoleBindingResource } from "../../provider/src/resources/role-binding";
import { createServiceUserResource } from "../../provider/src/resources/service-user";
import { KeyedLock } from "../../provider/src/resources/user-access/lock";
import { InMemoryDigicertClient } from "./support/in-memory-client";

const USER_ID = "user-1";
const context = { signal: new AbortController().signal };

let client: InMemoryDigicertClient;
let resource: ReturnType<typeof createServiceUserResource>;

beforeEach(() => {
  client = new InMemoryDigicertClient();
  resource = createServiceUserResource({
    now: () => new Date("2026-12-04T12:00:00Z"),
    logger: createLogger("test", {}, () => {}),
    locks: new KeyedLock(),
  });
});

/** Builds a state of user-1 as the in-memory client stores it, with this access. */
function state(access: ObjectValue | null): ObjectValue {
  return {
    id: USER_ID,
    name: "bot user-1",
    description: "",
    email: "platform-team@example.com",
    expiration_date: null,
    expires_at: null,
    account_ids: ["acc-a"],
    primary_account_id: "acc-a",
    access,
    enabled: true,
    status: "ACTIVE",
    created_at: "2026-12-04T12:00:00Z",
    token: "token-value",
  };
}

async function read(prior: ObjectValue): Promise<ObjectValue | null> {
  const response = await resource.read({ state: prior, private: new Uint8Array() }, client, context);
  expect(response.diagnostics ?? []).toEqual([]);
  return response.state;
}

async function update(prior: ObjectValue, planned: ObjectValue) {
  return resource.apply(
    { prior, planned, config: planned, plannedPrivate: new Uint8Array() },
    client,
    context,
  );
}

describe("service user read ownership", () => {
  test("managers granted elsewhere are not drift", async () => {
    client.addUser(USER_ID, {
      account_manager: ["AM_VIEW_ONLY"],
      software_trust: ["SM_SIGNER"],
      keylocker: ["KL_ADMIN"],
    });
    const refreshed = await read(state({ account_manager: { roles: ["AM_VIEW_ONLY"] } }));

    expect(refreshed!.access).toEqual({ account_manager: { roles: ["AM_VIEW_ONLY"] } });
  });

  test("changed roles of owned manager show", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_USER_MANAGER"], keylocker: ["KL_ADMIN"] });
    const refreshed = await read(state({ account_manager: { roles: ["AM_VIEW_ONLY"] } }));

    expect(refreshed!.access).toEqual({ account_manager: { roles: ["AM_USER_MANAGER"] } });
  });

  test("owned manager removed outside shows", async () => {
    client.addUser(USER_ID, { keylocker: ["KL_ADMIN"] });
    const refreshed = await read(
      state({ account_manager: { roles: ["AM_VIEW_ONLY"] }, keylocker: { roles: ["KL_ADMIN"] } }),
    );

    expect(refreshed!.access).toEqual({ keylocker: { roles: ["KL_ADMIN"] } });
  });

  test("read after import takes every manager", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"], keylocker: ["KL_ADMIN"] });
    const { imported } = await resource.import!({ id: `bot ${USER_ID}` }, client, context);
    const refreshed = await read(imported[0].state);

    expect(refreshed!.access).toEqual({
      account_manager: { roles: ["AM_VIEW_ONLY"] },
      keylocker: { roles: ["KL_ADMIN"] },
    });
  });
});

describe("service user update ownership", () => {
  test("update keeps managers it does not own", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"], keylocker: ["KL_ADMIN"] });
    const prior = state({ account_manager: { roles: ["AM_VIEW_ONLY"] } });
    const planned = state({ account_manager: { roles: ["AM_USER_MANAGER"] } });
    const { newState, diagnostics } = await update(prior, planned);

    expect(diagnostics).toEqual([]);
    expect(newState!.access).toEqual({ account_manager: { roles: ["AM_USER_MANAGER"] } });
    expect(client.accessOf(USER_ID)).toEqual({
      account_manager: ["AM_USER_MANAGER"],
      keylocker: ["KL_ADMIN"],
    });
  });

  test("update removes managers it dropped", async () => {
    client.addUser(USER_ID, {
      account_manager: ["AM_VIEW_ONLY"],
      software_trust: ["SM_SIGNER"],
      keylocker: ["KL_ADMIN"],
    });
    const prior = state({
      account_manager: { roles: ["AM_VIEW_ONLY"] },
      software_trust: { roles: ["SM_SIGNER"] },
    });
    const planned = state({ account_manager: { roles: ["AM_VIEW_ONLY"] } });
    const { newState, diagnostics } = await update(prior, planned);

    expect(diagnostics).toEqual([]);
    expect(newState!.access).toEqual({ account_manager: { roles: ["AM_VIEW_ONLY"] } });
    expect(client.accessOf(USER_ID)).toEqual({
      account_manager: ["AM_VIEW_ONLY"],
      keylocker: ["KL_ADMIN"],
    });
  });

  test("update writes planned fields", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"], keylocker: ["KL_ADMIN"] });
    const prior = state({ account_manager: { roles: ["AM_VIEW_ONLY"] } });
    const planned = {
      ...prior,
      email: "ops@example.com",
      account_ids: ["acc-a", "acc-b"],
    };
    const { newState, diagnostics } = await update(prior, planned);

    expect(diagnostics).toEqual([]);
    expect(newState!.email).toBe("ops@example.com");
    const put = client.calls.find((call) => call.method === "update")!;
    expect(put.input).toEqual({
      name: "bot user-1",
      description: "",
      email: "ops@example.com",
      expirationDate: null,
      primaryAccountId: "acc-a",
      accountIds: ["acc-a", "acc-b"],
      access: { account_manager: ["AM_VIEW_ONLY"], keylocker: ["KL_ADMIN"] },
    });
  });

  test("update and bindings together lose nothing", async () => {
    client.addUser(USER_ID, { account_manager: ["AM_VIEW_ONLY"] });
    const locks = new KeyedLock();
    const logger = createLogger("test", {}, () => {});
    const userResource = createServiceUserResource({ logger, locks });
    const bindingResource = createRoleBindingResource({ logger, locks });
    const prior = state({ account_manager: { roles: ["AM_VIEW_ONLY"] } });
    const planned = state({ account_manager: { roles: ["AM_USER_MANAGER"] } });
    const binding = (manager: string, role: string): ObjectValue => ({
      id: `${USER_ID}/${manager}`,
      service_user_id: USER_ID,
      manager,
      roles: [role],
    });

    const responses = await Promise.all([
      userResource.apply(
        { prior, planned, config: planned, plannedPrivate: new Uint8Array() },
        client,
        context,
      ),
      ...[
        binding("software_trust", "SM_SIGNER"),
        binding("keylocker", "KL_ADMIN"),
        binding("trust_lifecycle", "EM_USER"),
      ].map((planned) =>
        bindingResource.apply(
          { prior: null, planned, config: planned, plannedPrivate: new Uint8Array() },
          client,
          context,
        ),
      ),
    ]);

    expect(responses.flatMap((response) => response.diagnostics ?? [])).toEqual([]);
    expect(client.accessOf(USER_ID)).toEqual({
      account_manager: ["AM_USER_MANAGER"],
      software_trust: ["SM_SIGNER"],
      keylocker: ["KL_ADMIN"],
      trust_lifecycle: ["EM_USER"],
    });
  });

  test("deleted user fails update", async () => {
    const prior = state({ account_manager: { roles: ["AM_VIEW_ONLY"] } });
    const { newState, diagnostics } = await update(prior, {
      ...prior,
      email: "ops@example.com",
    });

    expect(newState).toBe(prior);
    expect(diagnostics![0].detail).toContain("no longer exists");
  });
});
