// The construct library end to end with the real Terraform CLI: a platform
// stack owns a service user, and a product stack references it with
// ServiceUser.fromName and grants its own manager's roles. Each stack is
// synthesized with cdktf, applied in its own working directory against one
// emulator, and plans no changes afterwards. The lookups (accounts, roles,
// managers) are read by the real provider.

import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";

import {
  DigicertOneAccounts,
  DigicertOneManagers,
  DigicertOneProvider,
  ManagerRoles,
  ServiceUser,
} from "../../constructs/src";
import {
  activeAccounts,
  RunningEmulator,
  serviceUsers,
  startTestEmulator,
  type AccountSummary,
  type ServiceUserSummary,
} from "./emulator-fixture";
import { requireBuiltProvider, requireTerraform, RunResult, Workspace } from "./harness";

const USER_NAME = "release-signing bot";

/** Declares the provider and a state file inside the stack's working directory. */
function prepareStack(stack: TerraformStack): void {
  new LocalBackend(stack, { path: "terraform.tfstate" });
  new DigicertOneProvider(stack, "digicert-one");
}

/** The platform team's stack: it owns the service user and its Software Trust roles. */
class PlatformStack extends TerraformStack {
  constructor(scope: Construct, id: string, accountNames: string[]) {
    super(scope, id);
    prepareStack(this);

    const accounts = new DigicertOneAccounts(this, "accounts", { names: accountNames });
    new ServiceUser(this, "release-signing", {
      name: USER_NAME,
      email: "release-engineering@example.com",
      accounts: accounts.ids,
      access: { software_trust: ["SM_SIGNER"] },
    });
  }
}

/** The product team's stack: it grants Trust Lifecycle roles on the platform's user. */
class ProductStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    prepareStack(this);

    const releaseSigning = ServiceUser.fromName(this, "release-signing", USER_NAME);
    releaseSigning.grant("trust_lifecycle", ["EM_CERTIFICATE_MANAGER"]);

    new TerraformOutput(this, "trust_lifecycle_roles", {
      value: ManagerRoles.of(this, "trust-lifecycle-roles", "trust_lifecycle").roleCodes,
    });
    new TerraformOutput(this, "manager_codes", {
      value: new DigicertOneManagers(this, "managers").codes,
    });
    new TerraformOutput(this, "active_account_ids", {
      value: new DigicertOneAccounts(this, "all-accounts").activeIds,
    });
  }
}

/** Returns the access of a service user in the emulator, with roles sorted. */
function accessOf(user: ServiceUserSummary | undefined): Record<string, string[]> {
  const access: Record<string, string[]> = {};
  for (const application of user?.applications ?? []) {
    access[application.code] = application.roles.map((role) => role.code).sort();
  }
  return access;
}

/** Reads the stack's outputs as JSON. */
async function outputs(workspace: Workspace): Promise<Record<string, { value: unknown }>> {
  const result = await workspace.ok(["output", "-json", "-no-color"]);
  return JSON.parse(result.stdout) as Record<string, { value: unknown }>;
}

describe("constructs: grant from another stack", () => {
  let emulator: RunningEmulator;
  let accounts: AccountSummary[];
  let outdir: string;
  let platform: Workspace;
  let product: Workspace;
  let platformApply: RunResult;
  let productApply: RunResult;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    accounts = await activeAccounts(emulator);

    outdir = mkdtempSync(path.join(tmpdir(), "constructs-grant-"));
    const app = new App({ outdir });
    new PlatformStack(app, "platform", accounts.map((account) => account.name));
    new ProductStack(app, "product");
    app.synth();

    const env = { DIGICERT_ONE_URL: emulator.url, DIGICERT_ONE_API_KEY: emulator.adminApiKey };
    platform = new Workspace(env);
    product = new Workspace(env);
    for (const [workspace, stack] of [
      [platform, "platform"],
      [product, "product"],
    ] as const) {
      copyFileSync(
        path.join(outdir, "stacks", stack, "cdk.tf.json"),
        path.join(workspace.dir, "cdk.tf.json"),
      );
      await workspace.init();
    }

    // The product stack reads the service user at plan, so the platform
    // stack goes first.
    platformApply = await platform.apply();
    productApply = await product.apply();
  });

  afterAll(async () => {
    platform?.remove();
    product?.remove();
    if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
    await emulator?.close();
  });

  test("platform creates the user", () => {
    expect(platformApply.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
  });

  test("product creates one binding", () => {
    expect(productApply.stdout).toContain(
      "digicertone_service_user_role_binding.role_binding_release_signing_bot_trust_lifecycle: Creation complete",
    );
    expect(productApply.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
  });

  test("user has both managers' roles", async () => {
    const users = await serviceUsers(emulator);
    expect(users.map((user) => user.friendly_name)).toEqual([USER_NAME]);

    expect(accessOf(users[0])).toEqual({
      software_trust: ["SM_SIGNER"],
      trust_lifecycle: ["EM_CERTIFICATE_MANAGER"],
    });
  });

  test("user gets the named accounts", async () => {
    const [user] = await serviceUsers(emulator);

    expect([...user.accounts].sort()).toEqual(accounts.map((account) => account.id).sort());
  });

  test("platform plans no changes", async () => {
    const plan = await platform.plan();

    expect(plan.stdout).toContain("No changes.");
  });

  test("product plans no changes", async () => {
    const plan = await product.plan();

    expect(plan.stdout).toContain("No changes.");
  });

  test("lookups read the emulator", async () => {
    const values = await outputs(product);

    expect(values.trust_lifecycle_roles.value).toEqual([
      "EM_ADMIN",
      "EM_CERTIFICATE_MANAGER",
      "EM_USER",
      "EM_VIEW_ONLY",
    ]);
    expect(values.manager_codes.value).toEqual(expect.arrayContaining(["software_trust", "trust_lifecycle"]));
    expect(values.active_account_ids.value).toEqual(accounts.map((account) => account.id).sort());
  });
});
