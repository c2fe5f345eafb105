// The provider's policy block through the real Terraform CLI: each rule
// fails `terraform plan` on the attribute at fault, warnings let the plan
// go on, nothing is created, and values already in state only warn.

import { readFileSync } from "node:fs";
import path from "node:path";
import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
  type RunResult,
} from "./harness";
import {
  activeAccounts,
  serviceUsers,
  startTestEmulator,
  type RunningEmulator,
} from "./emulator-fixture";

const DAY_MS = 86_400_000;

function daysFromNow(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

interface UserOptions {
  name?: string;
  expirationDate?: string | null;
  access?: string;
  extra?: string;
}

function userResource(accountIds: string[], options: UserOptions = {}): string {
  const expirationDate =
    options.expirationDate === undefined ? daysFromNow(20) : options.expirationDate;
  const dateLine = expirationDate === null ? "" : `  expiration_date = ${hcl(expirationDate)}\n`;
  return `
resource "digicertone_service_user" "bot" {
  name            = ${hcl(options.name ?? "ci-release")}
  email           = "platform-team@example.com"
${dateLine}  account_ids     = [${accountIds.map(hcl).join(", ")}]
${options.extra ?? ""}  access = {
    ${options.access ?? 'account_manager = { roles = ["AM_VIEW_ONLY"] }'}
  }
}
`;
}

function providerWithPolicy(policy: string): string {
  return `
provider "digicertone" {
  policy {
${policy}
  }
}
`;
}

/** A plan failure for one rule: the policy, the configuration and what Terraform must show. */
interface RuleCase {
  title: string;
  policy: string;
  resources: (accountIds: string[]) => string;
  summary: string;
  address: string;
  /**
   * The attribute or map key whose source line Terraform shows, or
   * undefined when the configuration leaves the attribute out.
   */
  attribute?: string;
  /** Text of the detail that names the attribute and the value received. */
  detail: string;
}

const RULE_CASES: RuleCase[] = [
  {
    title: "require_expiration",
    policy: "    require_expiration {}",
    resources: (accountIds) => userResource(accountIds, { expirationDate: null }),
    summary: "Missing expiration_date required by policy",
    address: "digicertone_service_user.bot",
    detail: 'Service user "ci-release" has no expiration_date (null)',
  },
  {
    title: "max_lifetime",
    policy: "    max_lifetime {\n      days = 30\n    }",
    resources: (accountIds) => userResource(accountIds, { expirationDate: daysFromNow(45) }),
    summary: "expiration_date beyond policy max_lifetime",
    address: "digicertone_service_user.bot",
    attribute: "expiration_date",
    detail: `The expiration_date "${daysFromNow(45)}" is 45 days after today`,
  },
  {
    title: "name_pattern",
    policy: '    name_pattern {\n      regex = "ci-[a-z0-9-]+"\n    }',
    resources: (accountIds) => userResource(accountIds, { name: "release bot" }),
    summary: "Name does not match policy name_pattern",
    address: "digicertone_service_user.bot",
    attribute: "name",
    detail: 'The name "release bot" does not match the regular expression "ci-[a-z0-9-]+".',
  },
  {
    title: "forbidden_roles on access",
    policy:
      '    forbidden_roles {\n      manager = "software_trust"\n      roles   = ["SM_ADMIN"]\n    }',
    resources: (accountIds) =>
      userResource(accountIds, { access: 'software_trust = { roles = ["SM_SIGNER", "SM_ADMIN"] }' }),
    summary: "Role forbidden by policy",
    address: "digicertone_service_user.bot",
    attribute: "software_trust",
    detail: 'access["software_trust"].roles contains "SM_ADMIN"',
  },
  {
    title: "allowed_roles on access",
    policy:
      '    allowed_roles {\n      manager = "account_manager"\n      roles   = ["AM_VIEW_ONLY"]\n    }',
    resources: (accountIds) =>
      userResource(accountIds, { access: 'account_manager = { roles = ["AM_ACCOUNT_ADMIN"] }' }),
    summary: "Role not allowed by policy",
    address: "digicertone_service_user.bot",
    attribute: "account_manager",
    detail: 'access["account_manager"].roles contains "AM_ACCOUNT_ADMIN", which is not an allowed role',
  },
  {
    title: "forbidden_roles on a role binding",
    policy:
      '    forbidden_roles {\n      manager = "software_trust"\n      roles   = ["SM_ADMIN"]\n    }',
    resources: (accountIds) =>
      userResource(accountIds) +
      `
resource "digicertone_service_user_role_binding" "signing" {
  service_user_id = digicertone_service_user.bot.id
  manager         = "software_trust"
  roles           = ["SM_ADMIN"]
}
`,
    summary: "Role forbidden by policy",
    address: "digicertone_service_user_role_binding.signing",
    attribute: "roles",
    detail: 'roles contains "SM_ADMIN", which the policy forbids in the manager "software_trust".',
  },
];

/**
 * Returns the 1-based line of main.tf where `attribute` is assigned inside
 * the block of `address`, or the block's first line without `attribute`.
 */
function lineOf(workspace: Workspace, address: string, attribute?: string): number {
  const lines = readFileSync(path.join(workspace.dir, "main.tf"), "utf8").split("\n");
  const [type, name] = address.split(".");
  const start = lines.findIndex((line) => line.startsWith(`resource "${type}" "${name}"`));
  if (attribute === undefined) return start + 1;
  const offset = lines
    .slice(start)
    .findIndex((line) => new RegExp(`^\\s+${attribute}\\s*=`).test(line));
  return start + offset + 1;
}

function expectSuccess(result: RunResult): void {
  if (result.code !== 0) throw new Error(`terraform exited ${result.code}:\n${result.output}`);
}

describe("provider policy", () => {
  let emulator: RunningEmulator;
  let accountIds: string[];
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    accountIds = (await activeAccounts(emulator)).map((account) => account.id);
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
    workspace.writeConfig(userResource(accountIds.slice(0, 1)));
    await workspace.init();
  });

  afterAll(async () => {
    workspace?.remove();
    await emulator?.close();
  });

  test.each(RULE_CASES)("$title error fails the plan", async (ruleCase) => {
    workspace.writeConfig(
      providerWithPolicy(ruleCase.policy) + ruleCase.resources(accountIds.slice(0, 1)),
    );

    const planned = await workspace.run(["plan", "-no-color", "-input=false"]);

    expect(planned.code).toBe(1);
    expect(planned.stderr).toContain(`Error: ${ruleCase.summary}`);
    expect(planned.stderr).toContain(`with ${ruleCase.address},`);
    expect(planned.stderr.replace(/\s+/g, " ")).toContain(ruleCase.detail);
    const line = lineOf(workspace, ruleCase.address, ruleCase.attribute);
    expect(planned.stderr).toContain(`on main.tf line ${line}`);
    if (ruleCase.attribute !== undefined) {
      expect(planned.stderr).toMatch(new RegExp(`${line}:\\s+${ruleCase.attribute}\\s*=`));
    }
  });

  test.each(RULE_CASES)("$title warning lets the plan go on", async (ruleCase) => {
    const warningPolicy = ruleCase.policy.endsWith("{}")
      ? ruleCase.policy.replace("{}", '{\n      severity = "warning"\n    }')
      : ruleCase.policy.replace(/\n {4}\}$/, '\n      severity = "warning"\n    }');
    workspace.writeConfig(
      providerWithPolicy(warningPolicy) + ruleCase.resources(accountIds.slice(0, 1)),
    );

    const planned = await workspace.run(["plan", "-no-color", "-input=false"]);

    expectSuccess(planned);
    expect(planned.output).toContain(`Warning: ${ruleCase.summary}`);
    expect(planned.stdout).toMatch(/Plan: \d+ to add/);
  });

  test("apply with an error creates nothing", async () => {
    workspace.writeConfig(
      providerWithPolicy("    require_expiration {}") +
        userResource(accountIds.slice(0, 1), { expirationDate: null }),
    );

    const applied = await workspace.run(["apply", "-no-color", "-input=false", "-auto-approve"]);

    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("Error: Missing expiration_date required by policy");
    expect(await serviceUsers(emulator)).toHaveLength(0);
  });

  test("invalid regex fails validate", async () => {
    workspace.writeConfig(
      providerWithPolicy('    name_pattern {\n      regex = "(?i)ci-.*"\n    }') +
        userResource(accountIds.slice(0, 1)),
    );

    const validated = await workspace.run(["validate", "-no-color"]);

    expect(validated.code).toBe(1);
    expect(validated.stderr).toContain("Error: Invalid policy name_pattern");
    expect(validated.stderr).toMatch(/\d+:\s+regex\s*=/);
    expect(validated.stderr.replace(/\s+/g, " ")).toContain("Inline flags such as Go's (?i)");
  });

  test("kept values warn and replacements fail", async () => {
    const existing = userResource(accountIds, { expirationDate: null });
    workspace.writeConfig(existing);
    await workspace.apply();
    expect(await serviceUsers(emulator)).toHaveLength(1);

    // A new rule that the stored user breaks: the plan warns and changes nothing.
    workspace.writeConfig(providerWithPolicy("    require_expiration {}") + existing);
    const kept = await workspace.run(["plan", "-no-color", "-input=false"]);
    expectSuccess(kept);
    expect(kept.output).toContain("Warning: Missing expiration_date required by policy");
    expect(kept.output).toContain("already in state");
    expect(kept.stdout).toContain("No changes.");

    // A replacement creates a new user, so the rule applies at its severity.
    const primary = [...accountIds].sort()[1];
    workspace.writeConfig(
      providerWithPolicy("    require_expiration {}") +
        userResource(accountIds, {
          expirationDate: null,
          extra: `  primary_account_id = ${hcl(primary)}\n`,
        }),
    );
    const replaced = await workspace.run(["plan", "-no-color", "-input=false"]);
    expect(replaced.code).toBe(1);
    expect(replaced.stderr).toContain("Error: Missing expiration_date required by policy");

    workspace.writeConfig(existing);
    await workspace.ok(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    expect(await serviceUsers(emulator)).toHaveLength(0);
  });
});
