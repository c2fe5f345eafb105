// digicertone_service_user_role_binding with the real Terraform CLI. Bindings
// go on a service user created in the same configuration and on one that
// another configuration owns. The tests also cover ten bindings applied
// together, import, drift, and the ownership rule that keeps the service
// user and the bindings from undoing each other's changes.

import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
} from "./harness";
import {
  activeAccounts,
  createServiceUserDirectly,
  RunningEmulator,
  roleIds,
  serviceUsers,
  startTestEmulator,
  updateServiceUserDirectly,
  type ServiceUserSummary,
} from "./emulator-fixture";

/** Role codes per manager code, as `{ manager: [roles] }`. */
type Access = Record<string, string[]>;

function userHcl(name: string, accountId: string, access: Access): string {
  const entries = Object.entries(access).map(
    ([manager, roles]) => `    ${manager} = { roles = [${roles.map(hcl).join(", ")}] }`,
  );
  return `
resource "digicertone_service_user" "bot" {
  name        = ${hcl(name)}
  email       = "platform-team@example.com"
  account_ids = [${hcl(accountId)}]
  access = {
${entries.join("\n")}
  }
}
`;
}

/** Builds one binding per manager, named after it. `userId` is an HCL expression. */
function bindingsHcl(userId: string, bindings: Access): string {
  return Object.entries(bindings)
    .map(
      ([manager, roles]) => `
resource "digicertone_service_user_role_binding" ${hcl(manager)} {
  service_user_id = ${userId}
  manager         = ${hcl(manager)}
  roles           = [${roles.map(hcl).join(", ")}]
}
`,
    )
    .join("");
}

/** Returns the access of a service user in the emulator, with roles sorted. */
function accessOf(user: ServiceUserSummary | undefined): Access {
  const access: Access = {};
  for (const application of user?.applications ?? []) {
    access[application.code] = application.roles.map((role) => role.code).sort();
  }
  return access;
}

/** Terraform wraps diagnostics to the terminal width, so compare with single spaces. */
function flat(text: string): string {
  return text.replace(/\s+/g, " ");
}

const DESTROY = ["destroy", "-no-color", "-input=false", "-auto-approve"];

describe("digicertone_service_user_role_binding", () => {
  let emulator: RunningEmulator;
  let accountId: string;
  let env: Record<string, string>;
  const workspaces: Workspace[] = [];

  function workspace(): Workspace {
    const created = new Workspace(env);
    workspaces.push(created);
    return created;
  }

  async function userNamed(name: string): Promise<ServiceUserSummary | undefined> {
    return (await serviceUsers(emulator)).find((user) => user.friendly_name === name);
  }

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    [{ id: accountId }] = await activeAccounts(emulator);
    env = { DIGICERT_ONE_URL: emulator.url, DIGICERT_ONE_API_KEY: emulator.adminApiKey };
  });

  afterAll(async () => {
    for (const created of workspaces) created.remove();
    await emulator?.close();
  });

  test("bindings on a user from the same apply", async () => {
    const name = "same config bot";
    const config = (userAccess: Access, bindings: Access) =>
      userHcl(name, accountId, userAccess) +
      bindingsHcl("digicertone_service_user.bot.id", bindings);
    const dir = workspace();

    // Create the user and two bindings on other managers together.
    dir.writeConfig(
      config(
        { account_manager: ["AM_VIEW_ONLY"] },
        { software_trust: ["SM_SIGNER"], keylocker: ["KL_KEY_USER"] },
      ),
    );
    await dir.init();
    expect((await dir.apply()).stdout).toContain("3 added, 0 changed, 0 destroyed");
    expect(accessOf(await userNamed(name))).toEqual({
      account_manager: ["AM_VIEW_ONLY"],
      software_trust: ["SM_SIGNER"],
      keylocker: ["KL_KEY_USER"],
    });
    expect((await dir.plan()).stdout).toContain("No changes.");

    // A binding's roles change in place, in any order, and the user keeps its own.
    dir.writeConfig(
      config(
        { account_manager: ["AM_VIEW_ONLY"] },
        { software_trust: ["SM_VIEW_ONLY", "SM_LEAD"], keylocker: ["KL_KEY_USER"] },
      ),
    );
    const rolePlan = await dir.plan();
    expect(rolePlan.stdout).toContain("will be updated in-place");
    expect(rolePlan.stdout).not.toContain("must be replaced");
    expect((await dir.apply()).stdout).toContain("0 added, 1 changed, 0 destroyed");
    expect(accessOf(await userNamed(name)).software_trust).toEqual(["SM_LEAD", "SM_VIEW_ONLY"]);

    dir.writeConfig(
      config(
        { account_manager: ["AM_VIEW_ONLY"] },
        { software_trust: ["SM_LEAD", "SM_VIEW_ONLY"], keylocker: ["KL_KEY_USER"] },
      ),
    );
    expect((await dir.plan()).stdout).toContain("No changes.");

    // Changing the user's own access leaves the bound managers alone.
    dir.writeConfig(
      config(
        { account_manager: ["AM_USER_MANAGER", "AM_VIEW_ONLY"] },
        { software_trust: ["SM_LEAD", "SM_VIEW_ONLY"], keylocker: ["KL_KEY_USER"] },
      ),
    );
    expect((await dir.apply()).stdout).toContain("0 added, 1 changed, 0 destroyed");
    expect(accessOf(await userNamed(name))).toEqual({
      account_manager: ["AM_USER_MANAGER", "AM_VIEW_ONLY"],
      software_trust: ["SM_LEAD", "SM_VIEW_ONLY"],
      keylocker: ["KL_KEY_USER"],
    });
    expect((await dir.plan()).stdout).toContain("No changes.");

    // Removing a binding removes its manager and nothing else.
    dir.writeConfig(
      config(
        { account_manager: ["AM_USER_MANAGER", "AM_VIEW_ONLY"] },
        { software_trust: ["SM_LEAD", "SM_VIEW_ONLY"] },
      ),
    );
    expect((await dir.apply()).stdout).toContain("0 added, 0 changed, 1 destroyed");
    expect(accessOf(await userNamed(name))).toEqual({
      account_manager: ["AM_USER_MANAGER", "AM_VIEW_ONLY"],
      software_trust: ["SM_LEAD", "SM_VIEW_ONLY"],
    });
    expect((await dir.plan()).stdout).toContain("No changes.");

    expect((await dir.ok(DESTROY)).stdout).toContain("2 destroyed");
    expect(await userNamed(name)).toBeUndefined();
  });

  test("bindings on a user from another configuration", async () => {
    const name = "platform owned bot";
    const platform = workspace();
    platform.writeConfig(userHcl(name, accountId, { account_manager: ["AM_VIEW_ONLY"] }));
    await platform.init();
    await platform.apply();
    const userId = (await userNamed(name))!.id;

    // The product team binds its managers from its own configuration.
    const product = workspace();
    product.writeConfig(
      bindingsHcl(hcl(userId), { software_trust: ["SM_SIGNER"], trust_lifecycle: ["EM_USER"] }),
    );
    await product.init();
    expect((await product.apply()).stdout).toContain("2 added, 0 changed, 0 destroyed");
    expect(accessOf(await userNamed(name))).toEqual({
      account_manager: ["AM_VIEW_ONLY"],
      software_trust: ["SM_SIGNER"],
      trust_lifecycle: ["EM_USER"],
    });

    // Neither configuration plans a change for the other's managers.
    expect((await platform.plan()).stdout).toContain("No changes.");
    expect((await product.plan()).stdout).toContain("No changes.");

    // The platform team's update keeps the product team's managers.
    platform.writeConfig(userHcl(name, accountId, { account_manager: ["AM_USER_MANAGER"] }));
    await platform.apply();
    expect((await product.plan()).stdout).toContain("No changes.");

    // The product team changes and removes its bindings.
    product.writeConfig(bindingsHcl(hcl(userId), { software_trust: ["SM_ADMIN"] }));
    expect((await product.apply()).stdout).toContain("0 added, 1 changed, 1 destroyed");
    expect(accessOf(await userNamed(name))).toEqual({
      account_manager: ["AM_USER_MANAGER"],
      software_trust: ["SM_ADMIN"],
    });
    expect((await platform.plan()).stdout).toContain("No changes.");

    // A manager removed outside Terraform is created again.
    const roles = await roleIds(emulator, "account_manager");
    await updateServiceUserDirectly(emulator, userId, {
      friendly_name: name,
      email: "platform-team@example.com",
      accounts: [accountId],
      applications: [
        { id: roles.applicationId, roles: [{ id: roles.roles.AM_USER_MANAGER }] },
      ],
    });
    const drift = await product.plan();
    expect(drift.stdout).toContain("will be created");
    await product.apply();
    expect(accessOf(await userNamed(name)).software_trust).toEqual(["SM_ADMIN"]);

    // Import adopts an existing manager's roles.
    await product.ok(["state", "rm", "digicertone_service_user_role_binding.software_trust"]);
    await product.ok([
      "import",
      "-no-color",
      "-input=false",
      "digicertone_service_user_role_binding.software_trust",
      `${userId}/software_trust`,
    ]);
    expect((await product.plan()).stdout).toContain("No changes.");

    await product.ok(DESTROY);
    expect(accessOf(await userNamed(name))).toEqual({ account_manager: ["AM_USER_MANAGER"] });
    await platform.ok(DESTROY);
    expect(await userNamed(name)).toBeUndefined();
  });

  test("ten bindings applied together all stay", async () => {
    const name = "ten managers bot";
    const accountManager = await roleIds(emulator, "account_manager");
    const { id: userId } = await createServiceUserDirectly(emulator, {
      user_type: "service",
      friendly_name: name,
      email: "platform-team@example.com",
      accounts: [accountId],
      applications: [
        { id: accountManager.applicationId, roles: [{ id: accountManager.roles.AM_VIEW_ONLY }] },
      ],
    });
    const bindings: Access = {
      account_manager: ["AM_USER_MANAGER"],
      trust_lifecycle: ["EM_USER"],
      software_trust: ["SM_SIGNER"],
      iot_trust: ["IOT_VIEW_ONLY"],
      document_trust: ["DSM_SIGNER"],
      device_trust: ["DTM_VIEW_ONLY"],
      ca_manager: ["CM_VIEW_ONLY"],
      keylocker: ["KL_KEY_USER"],
      dns_trust: ["DNS_OPERATOR"],
      content_trust: ["CTM_SIGNER"],
    };
    const dir = workspace();
    dir.writeConfig(bindingsHcl(hcl(userId), bindings));
    await dir.init();

    // Terraform applies up to 10 resources at once by default.
    const applied = await dir.apply();
    expect(applied.stdout).toContain("10 added, 0 changed, 0 destroyed");
    // The binding took over the manager that the user was created with.
    expect(flat(applied.output)).toContain("Role binding took over a manager");
    expect(accessOf(await userNamed(name))).toEqual(bindings);
    expect((await dir.plan()).stdout).toContain("No changes.");

    // Destroying them all must keep one manager, which DigiCert ONE requires.
    const destroyed = await dir.run(DESTROY);
    expect(destroyed.code).toBe(1);
    const message = flat(destroyed.stderr);
    expect(message).toContain("is the last manager of service user");
    expect(message).toContain("requires every service user to keep at least one manager");
    expect(message).toContain("terraform state rm");
    const left = accessOf(await userNamed(name));
    expect(Object.keys(left)).toHaveLength(1);
    expect(await dir.state()).toHaveLength(1);
  });
});
