// Plan-time checks of manager and role codes against the role catalogue,
// for the service user's access and for role bindings, and the catalogue's
// one fetch per manager.

import { RoleCatalogue } from "../../provider/src/digicert/catalogue";
import type { Role } from "../../provider/src/digicert/types";
import {
  isUnknown,
  path,
  unknown,
  type Diagnostic,
  type ObjectValue,
} from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import { createRoleBindingResource } from "../../provider/src/resources/role-binding";
import { createServiceUserResource } from "../../provider/src/resources/service-user";
import { InMemoryDigicertClient } from "./support/in-memory-client";

const context = { signal: new AbortController().signal };
const logger = createLogger("test", {}, () => {});
let client: InMemoryDigicertClient;

beforeEach(() => {
  client = new InMemoryDigicertClient();
});

function userConfig(access: ObjectValue): ObjectValue {
  return {
    id: null,
    name: "release bot",
    description: null,
    email: "platform-team@example.com",
    expiration_date: null,
    expires_at: null,
    account_ids: ["acc-a"],
    primary_account_id: null,
    access,
    status: null,
    created_at: null,
    token: null,
  };
}

async function planUser(
  access: ObjectValue,
  prior: ObjectValue | null = null,
  withClient = true,
): Promise<Diagnostic[]> {
  const resource = createServiceUserResource({ now: () => new Date("2026-12-04T12:00:00Z"), logger });
  const config = userConfig(access);
  const response = await resource.plan(
    { prior, proposed: config, config, priorPrivate: new Uint8Array() },
    withClient ? client : undefined,
    context,
  );
  return response.diagnostics ?? [];
}

function bindingConfig(manager: string, roles: unknown): ObjectValue {
  return { id: null, service_user_id: "user-1", manager, roles: roles as ObjectValue[] };
}

async function planBinding(
  config: ObjectValue,
  prior: ObjectValue | null = null,
): Promise<{ planned: ObjectValue | null; diagnostics: Diagnostic[] }> {
  const resource = createRoleBindingResource({ logger });
  const response = await resource.plan(
    { prior, proposed: config, config, priorPrivate: new Uint8Array() },
    client,
    context,
  );
  return { planned: response.planned, diagnostics: response.diagnostics ?? [] };
}

function errors(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.severity === "error");
}

describe("service user access catalogue check", () => {
  test("valid codes pass", async () => {
    expect(await planUser({ software_trust: { roles: ["SM_SIGNER"] } })).toEqual([]);
  });

  test("unknown manager lists valid codes", async () => {
    const [diagnostic] = await planUser({ code_signing: { roles: ["SM_SIGNER"] } });

    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe("Unknown manager code");
    expect(diagnostic.path).toEqual(path("access", { key: "code_signing" }));
    expect(diagnostic.detail).toContain('no manager with the code "code_signing"');
    expect(diagnostic.detail).toContain(
      'Valid manager codes: "account_manager", "software_trust", "trust_lifecycle" and "keylocker".',
    );
    expect(diagnostic.detail).toContain("Use one of them as a key of access.");
  });

  test("unknown role lists the manager's codes", async () => {
    const [diagnostic] = await planUser({ software_trust: { roles: ["SM_SIGNER", "SM_LEAD"] } });

    expect(diagnostic.summary).toBe("Unknown role code");
    expect(diagnostic.path).toEqual(path("access", { key: "software_trust" }));
    expect(diagnostic.detail).toBe(
      'The manager "software_trust" has no role "SM_LEAD". Valid role codes for "software_trust": "SM_ADMIN", "SM_SIGNER" and "SM_VIEW_ONLY". Use only these codes in access["software_trust"].roles.',
    );
  });

  test("role of another manager names its owner", async () => {
    const [diagnostic] = await planUser({ software_trust: { roles: ["AM_VIEW_ONLY"] } });

    expect(diagnostic.summary).toBe("Role of another manager");
    expect(diagnostic.detail).toBe(
      '"AM_VIEW_ONLY" is a role of the manager "account_manager", not of "software_trust". Valid role codes for "software_trust": "SM_ADMIN", "SM_SIGNER" and "SM_VIEW_ONLY". Move "AM_VIEW_ONLY" to access["account_manager"].roles, or replace it with one of the valid codes.',
    );
  });

  test("each bad role gets a diagnostic", async () => {
    const diagnostics = await planUser({
      software_trust: { roles: ["SM_NOPE", "KL_ADMIN"] },
      keylocker: { roles: ["KL_ADMIN"] },
    });

    expect(diagnostics.map((diagnostic) => diagnostic.summary)).toEqual([
      "Unknown role code",
      "Role of another manager",
    ]);
  });

  test("lowercase role gets the case fix only", async () => {
    const diagnostics = await planUser({ software_trust: { roles: ["sm_signer"] } });

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].detail).toContain('Write "sm_signer" as "SM_SIGNER".');
    expect(client.calls).toEqual([]);
  });

  test("unknown values are skipped", async () => {
    const diagnostics = await planUser({ software_trust: { roles: [unknown, "SM_SIGNER"] } });

    expect(diagnostics).toEqual([]);
    expect(client.count("fetchRoles")).toBe(1);
  });

  test("unchanged managers are not fetched", async () => {
    const prior = userConfig({ software_trust: { roles: ["SM_SIGNER"] } });
    prior.id = "user-1";
    const diagnostics = await planUser(
      { software_trust: { roles: ["SM_SIGNER"] }, keylocker: { roles: ["KL_ADMIN"] } },
      prior,
    );

    expect(diagnostics).toEqual([]);
    expect(client.calls.map((call) => call.managerCode)).toEqual(["keylocker"]);
  });

  test("unconfigured provider skips the check", async () => {
    expect(await planUser({ code_signing: { roles: ["X_ROLE"] } }, null, false)).toEqual([]);
  });

  test("catalogue failure fails the plan", async () => {
    client.failNext = new Error("connection refused");
    const diagnostics = await planUser({ software_trust: { roles: ["SM_SIGNER"] } });

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].severity).toBe("error");
    expect(diagnostics[0].summary).toBe("Failed to check manager and role codes");
    expect(diagnostics[0].detail).toContain("connection refused");
  });

  test("one fetch per manager", async () => {
    await planUser({ software_trust: { roles: ["SM_SIGNER"] } });
    await planUser({ software_trust: { roles: ["SM_ADMIN"] } });

    expect(client.count("fetchRoles")).toBe(1);
  });
});

describe("role binding catalogue check", () => {
  test("valid binding plans its id", async () => {
    const { planned, diagnostics } = await planBinding(bindingConfig("keylocker", ["KL_ADMIN"]));

    expect(diagnostics).toEqual([]);
    expect(planned!.id).toBe("user-1/keylocker");
  });

  test("unknown manager points at manager", async () => {
    const { diagnostics } = await planBinding(bindingConfig("key_locker", ["KL_ADMIN"]));

    expect(errors(diagnostics)).toHaveLength(1);
    expect(diagnostics[0].path).toEqual(path("manager"));
    expect(diagnostics[0].detail).toContain('"keylocker"');
    expect(diagnostics[0].detail).toContain("Set manager to one of them.");
  });

  test("unknown role points at roles", async () => {
    const { diagnostics } = await planBinding(bindingConfig("keylocker", ["KL_USER"]));

    expect(diagnostics[0].path).toEqual(path("roles"));
    expect(diagnostics[0].detail).toContain(
      'Valid role codes for "keylocker": "KL_ADMIN" and "KL_KEY_USER".',
    );
  });

  test("role of another manager suggests a binding", async () => {
    const { diagnostics } = await planBinding(bindingConfig("keylocker", ["EM_USER"]));

    expect(diagnostics[0].summary).toBe("Role of another manager");
    expect(diagnostics[0].detail).toContain(
      'Grant "EM_USER" with a role binding whose manager is "trust_lifecycle"',
    );
  });

  test("uppercase manager gets the case fix", async () => {
    const { diagnostics } = await planBinding(bindingConfig("KeyLocker", ["KL_ADMIN"]));

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].path).toEqual(path("manager"));
    expect(diagnostics[0].detail).toContain('Write "KeyLocker" as "keylocker".');
  });

  test("unknown service user id plans unknown id", async () => {
    const config = { ...bindingConfig("keylocker", ["KL_ADMIN"]), service_user_id: unknown };
    const { planned } = await planBinding(config);

    expect(isUnknown(planned!.id)).toBe(true);
  });

  test("role change updates in place", async () => {
    const prior = { ...bindingConfig("keylocker", ["KL_ADMIN"]), id: "user-1/keylocker" };
    const resource = createRoleBindingResource({ logger });
    const config = bindingConfig("keylocker", ["KL_KEY_USER"]);
    const response = await resource.plan(
      { prior, proposed: config, config, priorPrivate: new Uint8Array() },
      client,
      context,
    );

    expect(response.requiresReplace).toEqual([]);
    expect(response.planned!.id).toBe("user-1/keylocker");
  });

  test("manager change replaces", async () => {
    const prior = { ...bindingConfig("keylocker", ["KL_ADMIN"]), id: "user-1/keylocker" };
    const resource = createRoleBindingResource({ logger });
    const config = bindingConfig("software_trust", ["SM_ADMIN"]);
    const response = await resource.plan(
      { prior, proposed: config, config, priorPrivate: new Uint8Array() },
      client,
      context,
    );

    expect(response.requiresReplace).toEqual([path("manager")]);
    expect(response.planned!.id).toBe("user-1/software_trust");
  });
});

describe("RoleCatalogue", () => {
  test("concurrent lookups share one fetch", async () => {
    let fetches = 0;
    const catalogue = new RoleCatalogue(async (managerCode) => {
      fetches++;
      await new Promise((resolve) => setImmediate(resolve));
      return [{ id: "r1", code: "KL_ADMIN", name: "Admin", managerId: "a1", managerCode, permissions: [] }];
    }, logger);

    const results = await Promise.all(
      Array.from({ length: 10 }, () => catalogue.rolesOf("keylocker")),
    );

    expect(fetches).toBe(1);
    expect(results.every((roles: Role[]) => roles[0].code === "KL_ADMIN")).toBe(true);
    await catalogue.rolesOf("keylocker");
    expect(fetches).toBe(1);
  });

  test("failed fetch is tried again", async () => {
    let fetches = 0;
    const catalogue = new RoleCatalogue(async () => {
      fetches++;
      if (fetches === 1) throw new Error("boom");
      return [];
    }, logger);

    await expect(catalogue.rolesOf("keylocker")).rejects.toThrow("boom");
    await expect(catalogue.rolesOf("keylocker")).resolves.toEqual([]);
    expect(fetches).toBe(2);
  });
});
