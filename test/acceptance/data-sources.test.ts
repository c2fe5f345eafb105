// The data sources with the real Terraform CLI against the emulator. Each one
// is read and its outputs checked. An account looked up by name feeds a
// service user, and service users are looked up by name and by id, both
// those created in the same configuration and one created through the API.

import { request } from "undici";
import { knownManagerCodes } from "../../provider/src/digicert/wire";
import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
} from "./harness";
import {
  AccountSummary,
  createServiceUserDirectly,
  roleIds,
  RunningEmulator,
  startTestEmulator,
} from "./emulator-fixture";

const PLATFORM_ACCOUNT = "Acme Platform Engineering";

/** Sends a GET with the administrator key and returns the parsed JSON body. */
async function getJson<T>(emulator: RunningEmulator, apiPath: string): Promise<T> {
  const response = await request(`${emulator.url}/account/api/v1${apiPath}`, {
    headers: {
      "x-api-key": emulator.adminApiKey,
      "user-agent": "digicertone-acceptance-tests",
      accept: "application/json",
    },
  });
  const body = await response.body.text();
  if (response.statusCode !== 200) {
    throw new Error(`GET ${apiPath} returned ${response.statusCode}: ${body}`);
  }
  return JSON.parse(body) as T;
}

/**
 * Orders strings as the data sources do. The emulator's names are ASCII, so
 * comparing UTF-16 code units gives the same order as code points.
 */
function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Reads `terraform output -json` as a map from output name to value. */
async function outputs(workspace: Workspace): Promise<Record<string, unknown>> {
  const result = await workspace.ok(["output", "-json", "-no-color"]);
  const parsed = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(parsed).map(([name, output]) => [name, output.value]));
}

describe("data sources", () => {
  let emulator: RunningEmulator;
  let accounts: AccountSummary[];
  const workspaces: Workspace[] = [];

  function newWorkspace(): Workspace {
    const workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
    workspaces.push(workspace);
    return workspace;
  }

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    accounts = await getJson<AccountSummary[]>(emulator, "/account");
    expect(accounts.length).toBeGreaterThanOrEqual(3);
  });

  afterAll(async () => {
    for (const workspace of workspaces) workspace.remove();
    await emulator?.close();
  });

  test("catalogue data sources read the tenant", async () => {
    const platform = accounts.find((account) => account.name === PLATFORM_ACCOUNT)!;
    const other = accounts.find((account) => account.name !== PLATFORM_ACCOUNT)!;
    const workspace = newWorkspace();
    workspace.writeConfig(`
data "digicertone_accounts" "all" {}

data "digicertone_account" "by_name" {
  name = ${hcl(PLATFORM_ACCOUNT)}
}

data "digicertone_account" "by_id" {
  id = ${hcl(other.id)}
}

data "digicertone_roles" "signing" {
  manager = "software_trust"
}

data "digicertone_managers" "all" {}

output "accounts" {
  value = data.digicertone_accounts.all.accounts
}

output "by_name" {
  value = data.digicertone_account.by_name
}

output "by_id" {
  value = data.digicertone_account.by_id
}

output "roles" {
  value = data.digicertone_roles.signing
}

output "managers" {
  value = data.digicertone_managers.all.managers
}
`);
    await workspace.init();
    await workspace.apply();
    const values = await outputs(workspace);

    const expectedAccounts = [...accounts]
      .sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.id, b.id))
      .map(({ id, name, active }) => ({ id, name, active }));
    expect(values.accounts).toEqual(expectedAccounts);
    expect(values.by_name).toEqual({ id: platform.id, name: platform.name, active: platform.active });
    expect(values.by_id).toEqual({ id: other.id, name: other.name, active: other.active });

    const signing = await roleIds(emulator, "software_trust");
    const apiRoles = await getJson<Array<{ id: string; code: string; name: string; permissions: string[] }>>(
      emulator,
      "/role?application_code=software_trust",
    );
    expect(values.roles).toEqual({
      manager: "software_trust",
      manager_id: signing.applicationId,
      roles: apiRoles
        .sort((a, b) => byCodePoint(a.code, b.code))
        .map((role) => ({
          id: role.id,
          code: role.code,
          name: role.name,
          permissions: [...role.permissions].sort(byCodePoint),
        })),
    });

    const expectedManagers = [];
    for (const code of [...knownManagerCodes].sort(byCodePoint)) {
      const roles = await getJson<Array<{ code: string; application_id: string }>>(
        emulator,
        `/role?application_code=${code}`,
      );
      if (roles.length === 0) continue;
      expectedManagers.push({
        code,
        id: roles[0].application_id,
        role_codes: roles.map((role) => role.code).sort(),
      });
    }
    expect(expectedManagers.length).toBeGreaterThanOrEqual(8);
    expect(values.managers).toEqual(expectedManagers);
  });

  test("account by name feeds a service user", async () => {
    const platform = accounts.find((account) => account.name === PLATFORM_ACCOUNT)!;
    const workspace = newWorkspace();
    workspace.writeConfig(`
data "digicertone_account" "platform" {
  name = ${hcl(PLATFORM_ACCOUNT)}
}

resource "digicertone_service_user" "bot" {
  name        = "data-source bot"
  description = "Created next to its data sources"
  email       = "platform-team@example.com"
  account_ids = [data.digicertone_account.platform.id]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}

data "digicertone_service_user" "by_name" {
  name       = "DATA-SOURCE BOT"
  depends_on = [digicertone_service_user.bot]
}

data "digicertone_service_user" "by_id" {
  id = digicertone_service_user.bot.id
}

data "digicertone_service_users" "bots" {
  name_prefix = "data-source"
  status      = "ACTIVE"
  account_id  = data.digicertone_account.platform.id
  depends_on  = [digicertone_service_user.bot]
}

output "resource_id" {
  value = digicertone_service_user.bot.id
}

output "by_name" {
  value = data.digicertone_service_user.by_name
}

output "by_id" {
  value = data.digicertone_service_user.by_id
}

output "bots" {
  value = data.digicertone_service_users.bots.users
}
`);
    await workspace.init();
    const applied = await workspace.apply();
    expect(applied.stdout).toContain("1 added, 0 changed, 0 destroyed");

    const values = await outputs(workspace);
    const id = values.resource_id as string;
    const expectedUser = {
      id,
      name: "data-source bot",
      description: "Created next to its data sources",
      email: "platform-team@example.com",
      status: "ACTIVE",
      enabled: true,
      expiration_date: null,
      expires_at: null,
      account_ids: [platform.id],
      primary_account_id: platform.id,
      access: { account_manager: { roles: ["AM_VIEW_ONLY"] } },
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    };
    expect(values.by_name).toEqual(expectedUser);
    expect(values.by_id).toEqual(expectedUser);
    expect(values.bots).toEqual([expectedUser]);

    const unchanged = await workspace.plan();
    expect(unchanged.stdout).toContain("No changes.");

    // Data sources never carry the token, so only the resource has one.
    const state = await workspace.ok(["show", "-json", "-no-color"]);
    const resources = (
      JSON.parse(state.stdout) as {
        values: { root_module: { resources: Array<{ mode: string; values: object }> } };
      }
    ).values.root_module.resources;
    for (const resource of resources.filter((entry) => entry.mode === "data")) {
      expect(JSON.stringify(resource.values)).not.toContain("token");
    }
  });

  test("service user created through the API", async () => {
    const manager = await roleIds(emulator, "account_manager");
    const secondAccount = accounts.find((account) => account.name !== PLATFORM_ACCOUNT && account.active)!;
    const { id } = await createServiceUserDirectly(emulator, {
      user_type: "service",
      friendly_name: "External Reporter",
      description: "Created outside Terraform",
      email: "reporting@example.com",
      end_date: "2099-12-31",
      accounts: [secondAccount.id],
      applications: [{ id: manager.applicationId, roles: [{ id: manager.roles.AM_VIEW_ONLY }] }],
    });

    const workspace = newWorkspace();
    workspace.writeConfig(`
data "digicertone_service_user" "external" {
  name = "external reporter"
}

data "digicertone_service_users" "in_account" {
  account_id = ${hcl(secondAccount.id)}
}

output "external" {
  value = data.digicertone_service_user.external
}

output "in_account" {
  value = [for user in data.digicertone_service_users.in_account.users : user.name]
}
`);
    await workspace.init();
    await workspace.apply();
    const values = await outputs(workspace);

    expect(values.external).toEqual({
      id,
      name: "External Reporter",
      description: "Created outside Terraform",
      email: "reporting@example.com",
      status: "ACTIVE",
      enabled: true,
      expiration_date: "2099-12-31",
      expires_at: "2099-12-31T23:59:59Z",
      account_ids: [secondAccount.id],
      primary_account_id: secondAccount.id,
      access: { account_manager: { roles: ["AM_VIEW_ONLY"] } },
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(values.in_account).toEqual(["External Reporter"]);
  });

  test("invalid lookups fail with their argument", async () => {
    const workspace = newWorkspace();
    workspace.writeConfig(`
data "digicertone_account" "both" {
  id   = "510f00f0-90ee-4ee2-b52f-0152c01d18eb"
  name = ${hcl(PLATFORM_ACCOUNT)}
}
`);
    await workspace.init();
    const validated = await workspace.run(["validate", "-no-color"]);
    expect(validated.code).toBe(1);
    expect(validated.output).toContain("Conflicting lookup arguments");
    expect(validated.output).toContain('data "digicertone_account" "both"');

    workspace.writeConfig(`
data "digicertone_account" "wrong_case" {
  name = ${hcl(PLATFORM_ACCOUNT.toLowerCase())}
}
`);
    const wrongCase = await workspace.run(["plan", "-no-color", "-input=false"]);
    expect(wrongCase.code).toBe(1);
    expect(wrongCase.output).toContain("Account not found");
    expect(wrongCase.output).toContain(`Set name = "${PLATFORM_ACCOUNT}".`);

    workspace.writeConfig(`
data "digicertone_roles" "unknown" {
  manager = "no_such_manager"
}
`);
    const unknownManager = await workspace.run(["plan", "-no-color", "-input=false"]);
    expect(unknownManager.code).toBe(1);
    expect(unknownManager.output).toContain("Unknown manager");
    expect(unknownManager.output).toContain('"software_trust"');

    workspace.writeConfig(`
data "digicertone_service_user" "missing" {
  name = "nobody here"
}
`);
    const missing = await workspace.run(["plan", "-no-color", "-input=false"]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain("Service user not found");
  });
});
