// Plans that must stay consistent with the Terraform CLI: values known only
// at apply, drift made through the API, and import with generated
// configuration. Each ends with a plan that shows no changes, because a
// perpetual diff or an "inconsistent final plan" would show up there.

import { readFileSync } from "node:fs";
import path from "node:path";
import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
  type StateResource,
} from "./harness";
import {
  activeAccounts,
  deleteServiceUserDirectly,
  disableServiceUserDirectly,
  roleIds,
  RunningEmulator,
  serviceUsers,
  startTestEmulator,
  updateServiceUserDirectly,
  type AccountSummary,
} from "./emulator-fixture";

/** Returns the UTC day `days` from today, as YYYY-MM-DD. */
function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe("plan consistency", () => {
  let emulator: RunningEmulator;
  let accounts: AccountSummary[];
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    accounts = await activeAccounts(emulator);
    expect(accounts.length).toBeGreaterThanOrEqual(2);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  beforeEach(() => {
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
  });

  afterEach(async () => {
    await workspace.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    workspace.remove();
  });

  async function expectNoChanges(what: string): Promise<void> {
    const plan = await workspace.plan();
    expect({ what, noChanges: plan.stdout.includes("No changes.") }).toEqual({
      what,
      noChanges: true,
    });
  }

  async function userResource(address: string): Promise<StateResource> {
    const resource = (await workspace.state()).find((r) => r.address === address);
    if (resource === undefined) throw new Error(`${address} is not in state`);
    return resource;
  }

  test("values known only at apply", async () => {
    const inputs = (accountId: string, role: string, date: string) => `
resource "terraform_data" "inputs" {
  input = {
    name        = "late bound bot"
    description = ""
    account_id  = ${hcl(accountId)}
    manager     = "account_manager"
    roles       = [${hcl(role)}, "AM_VIEW_ONLY", "AM_VIEW_ONLY"]
    date        = ${hcl(date)}
  }
}

locals {
  in = terraform_data.inputs.output
}

resource "digicertone_service_user" "whole_access" {
  name            = local.in.name
  description     = local.in.description
  email           = "platform-team@example.com"
  expiration_date = local.in.date
  account_ids     = [local.in.account_id]
  access = {
    for code, roles in { (local.in.manager) = local.in.roles } : code => { roles = roles }
  }
}

resource "digicertone_service_user" "refined" {
  name        = "refined \${local.in.manager}"
  description = null
  email       = "platform-team@example.com"
  account_ids = toset([local.in.account_id, ${hcl(accounts[0].id)}])
  access = {
    account_manager = { roles = local.in.roles }
  }
}
`;
    workspace.writeConfig(inputs(accounts[0].id, "AM_USER_MANAGER", dayFromToday(30)));
    await workspace.init();
    await workspace.apply();
    await expectNoChanges("after create");

    const created = await userResource("digicertone_service_user.whole_access");
    expect(created.values.description).toBe("");
    expect(created.values.primary_account_id).toBe(accounts[0].id);

    // New inputs make every value unknown again in an update plan.
    workspace.writeConfig(inputs(accounts[0].id, "AM_ACCOUNT_USER", dayFromToday(60)));
    const updated = await workspace.apply();
    expect(updated.stdout).toContain("0 added, 3 changed, 0 destroyed");
    await expectNoChanges("after update");

    const after = await userResource("digicertone_service_user.whole_access");
    expect(after.values.id).toBe(created.values.id);
    expect(after.values.token).toBe(created.values.token);
    expect(after.values.expires_at).toBe(`${dayFromToday(60)}T23:59:59Z`);

    // Removing the expiration date plans it back to null.
    workspace.writeConfig(
      inputs(accounts[0].id, "AM_ACCOUNT_USER", dayFromToday(60)).replace(
        "expiration_date = local.in.date",
        "",
      ),
    );
    await workspace.apply();
    await expectNoChanges("after removing expiration_date");
    expect((await userResource("digicertone_service_user.whole_access")).values.expires_at).toBeNull();
  });

  test("new expiration date keeps status", async () => {
    const userConfig = (expirationDate: string | null, enabled = true) => `
resource "digicertone_service_user" "bot" {
  name            = "dated bot"
  email           = "platform-team@example.com"
  enabled         = ${enabled}
  ${expirationDate === null ? "" : `expiration_date = ${hcl(expirationDate)}`}
  account_ids     = [${hcl(accounts[0].id)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
    const unknownStatus = /status\s+= "[A-Z]+" -> \(known after apply\)/;
    workspace.writeConfig(userConfig(dayFromToday(30)));
    await workspace.init();
    await workspace.apply();

    // An ACTIVE user with a later date stays ACTIVE.
    workspace.writeConfig(userConfig(dayFromToday(60)));
    const later = await workspace.plan();
    expect(later.stdout).toContain("1 to change");
    expect(later.stdout).not.toMatch(unknownStatus);
    await workspace.apply();
    await expectNoChanges("after a later date");
    expect((await userResource("digicertone_service_user.bot")).values.status).toBe("ACTIVE");

    // A DISABLED user without a date stays DISABLED.
    const { id } = (await userResource("digicertone_service_user.bot")).values;
    await disableServiceUserDirectly(emulator, id as string);
    await workspace.ok(["apply", "-refresh-only", "-no-color", "-input=false", "-auto-approve"]);
    workspace.writeConfig(userConfig(null, false));
    const removed = await workspace.plan();
    expect(removed.stdout).not.toMatch(unknownStatus);
    await workspace.apply();
    await expectNoChanges("after removing the date");
    expect((await userResource("digicertone_service_user.bot")).values.status).toBe("DISABLED");

    // A date of today keeps the status too: the plan never compares with
    // today, so that a saved plan applied on a later day plans the same.
    workspace.writeConfig(userConfig(dayFromToday(0), false));
    const today = await workspace.plan();
    expect(today.stdout).not.toMatch(unknownStatus);
    await workspace.apply();
    await expectNoChanges("after a date of today");
    const [user] = (await serviceUsers(emulator)).filter((u) => u.id === id);
    expect(user.status).toBe("DISABLED");
    expect((await userResource("digicertone_service_user.bot")).values.status).toBe("DISABLED");
  });

  test("drift through the API is reverted", async () => {
    workspace.writeConfig(`
resource "digicertone_service_user" "bot" {
  name        = "drifting bot"
  description = "Managed by Terraform"
  email       = "platform-team@example.com"
  account_ids = [${hcl(accounts[0].id)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`);
    await workspace.init();
    await workspace.apply();
    const { id, token } = (await userResource("digicertone_service_user.bot")).values;

    const accountManager = await roleIds(emulator, "account_manager");
    await updateServiceUserDirectly(emulator, id as string, {
      user_type: "service",
      friendly_name: "renamed outside",
      description: "",
      email: "platform-team@example.com",
      end_date: dayFromToday(10),
      primary_account_id: accounts[0].id,
      accounts: [accounts[0].id, accounts[1].id],
      applications: [
        {
          id: accountManager.applicationId,
          roles: [{ id: accountManager.roles.AM_USER_MANAGER }],
        },
      ],
    });

    const refreshOnly = await workspace.ok([
      "apply",
      "-refresh-only",
      "-no-color",
      "-input=false",
      "-auto-approve",
    ]);
    expect(refreshOnly.stdout).toContain("renamed outside");
    expect((await userResource("digicertone_service_user.bot")).values.name).toBe(
      "renamed outside",
    );

    const revert = await workspace.plan();
    expect(revert.stdout).toContain("will be updated in-place");
    expect(revert.stdout).toContain('"renamed outside" -> "drifting bot"');
    expect(revert.stdout).toContain("AM_USER_MANAGER");
    await workspace.apply();
    await expectNoChanges("after reverting drift");

    const [user] = (await serviceUsers(emulator)).filter((u) => u.id === id);
    expect(user.friendly_name).toBe("drifting bot");
    expect(user.end_date).toBeNull();
    expect(user.accounts).toEqual([accounts[0].id]);
    expect((await userResource("digicertone_service_user.bot")).values.token).toBe(token);

    await deleteServiceUserDirectly(emulator, id as string);
    const recreate = await workspace.plan();
    expect(recreate.stdout).toContain("will be created");
    const warning = recreate.output.replace(/\s+/g, " ");
    expect(warning).toContain("Service user deleted outside Terraform");
    expect(warning).toContain("gets a new id and a new API token");
    await workspace.apply();
    await expectNoChanges("after recreating");
    const recreated = (await userResource("digicertone_service_user.bot")).values;
    expect(recreated.id).not.toBe(id);
    expect(recreated.token).not.toBe(token);
  });

  test("import block with generated config", async () => {
    workspace.writeConfig(`
resource "digicertone_service_user" "original" {
  name            = "imported bot"
  email           = "platform-team@example.com"
  expiration_date = ${hcl(dayFromToday(20))}
  account_ids     = [${hcl(accounts[1].id)}, ${hcl(accounts[0].id)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`);
    await workspace.init();
    await workspace.apply();
    const { id } = (await userResource("digicertone_service_user.original")).values;
    await workspace.ok(["state", "rm", "digicertone_service_user.original"]);

    workspace.writeConfig(`
import {
  to = digicertone_service_user.adopted
  id = ${hcl(id as string)}
}
`);
    const generated = await workspace.ok([
      "plan",
      "-no-color",
      "-input=false",
      "-generate-config-out=generated.tf",
    ]);
    expect(generated.stdout).toContain("1 to import, 0 to add, 0 to change, 0 to destroy");
    expect(generated.output).toContain("Imported service user has no token");
    expect(readFileSync(path.join(workspace.dir, "generated.tf"), "utf8")).toContain(
      '"imported bot"',
    );

    await workspace.apply();
    await expectNoChanges("after import");
    const adopted = await userResource("digicertone_service_user.adopted");
    expect(adopted.values.id).toBe(id);
    expect(adopted.values.token).toBeNull();

    const replaced = await workspace.ok([
      "apply",
      "-replace=digicertone_service_user.adopted",
      "-no-color",
      "-input=false",
      "-auto-approve",
    ]);
    expect(replaced.stdout).toContain("1 added, 0 changed, 1 destroyed");
    await expectNoChanges("after replace");
    const fresh = await userResource("digicertone_service_user.adopted");
    expect(fresh.values.id).not.toBe(id);
    expect(typeof fresh.values.token).toBe("string");
  });
});
