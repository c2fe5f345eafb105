// Plan-time checks with the real Terraform CLI: manager and role codes
// against DigiCert ONE's role catalogue (in the service user's access and in
// role bindings), the primary account, and plans that ignore set order.

import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
} from "./harness";
import {
  activeAccounts,
  RunningEmulator,
  serviceUsers,
  startTestEmulator,
} from "./emulator-fixture";

/** Terraform wraps diagnostics to the terminal width, so compare with single spaces. */
function flat(text: string): string {
  return text.replace(/\s+/g, " ");
}

interface UserOptions {
  accountIds: string[];
  primaryAccountId?: string;
  /** The HCL of the access map's entries. */
  access: string;
}

function userHcl(options: UserOptions): string {
  const primary =
    options.primaryAccountId === undefined
      ? ""
      : `\n  primary_account_id = ${hcl(options.primaryAccountId)}`;
  return `
resource "digicertone_service_user" "bot" {
  name        = "catalogue bot"
  email       = "platform-team@example.com"
  account_ids = [${options.accountIds.map(hcl).join(", ")}]${primary}
  access = {
    ${options.access}
  }
}
`;
}

function bindingHcl(manager: string, roles: string[]): string {
  return `
resource "digicertone_service_user_role_binding" "extra" {
  service_user_id = digicertone_service_user.bot.id
  manager         = ${hcl(manager)}
  roles           = [${roles.map(hcl).join(", ")}]
}
`;
}

const ACCOUNT_MANAGER_CODES =
  '"AM_ACCOUNT_ADMIN", "AM_ACCOUNT_MANAGER", "AM_ACCOUNT_USER", "AM_DEFAULT_USER", "AM_VIEW_ONLY" and "AM_USER_MANAGER"';
const SOFTWARE_TRUST_CODES = '"SM_ADMIN", "SM_LEAD", "SM_SIGNER" and "SM_VIEW_ONLY"';
const MANAGER_CODES =
  '"account_manager", "trust_lifecycle", "software_trust", "iot_trust", "document_trust", "device_trust", "ca_manager", "keylocker", "dns_trust" and "content_trust"';

interface CodeCase {
  title: string;
  /** The access entry of the service user. */
  access?: string;
  /** A role binding next to a valid service user. */
  binding?: [string, string[]];
  /** The attribute line that Terraform must point at. */
  pointsAt: RegExp;
  /** Texts the error must contain. */
  messages: string[];
}

const VALID_ACCESS = 'account_manager = { roles = ["AM_VIEW_ONLY"] }';

const CODE_CASES: CodeCase[] = [
  {
    title: "unknown manager in access",
    access: 'code_signing = { roles = ["SM_SIGNER"] }',
    pointsAt: /code_signing = \{/,
    messages: ["Unknown manager code", '"code_signing"', `Valid manager codes: ${MANAGER_CODES}.`],
  },
  {
    title: "unknown role in access",
    access: 'software_trust = { roles = ["SM_SIGNER", "SM_RELEASER"] }',
    pointsAt: /software_trust = \{/,
    messages: [
      "Unknown role code",
      '"SM_RELEASER"',
      `Valid role codes for "software_trust": ${SOFTWARE_TRUST_CODES}.`,
    ],
  },
  {
    title: "role of another manager in access",
    access: 'account_manager = { roles = ["SM_SIGNER"] }',
    pointsAt: /account_manager = \{/,
    messages: [
      "Role of another manager",
      '"SM_SIGNER" is a role of the manager "software_trust", not of "account_manager".',
      `Valid role codes for "account_manager": ${ACCOUNT_MANAGER_CODES}.`,
    ],
  },
  {
    title: "lowercase role in access",
    access: 'account_manager = { roles = ["am_view_only"] }',
    pointsAt: /account_manager = \{/,
    messages: ['Write "am_view_only" as "AM_VIEW_ONLY".'],
  },
  {
    title: "unknown manager in binding",
    binding: ["softwaretrust", ["SM_SIGNER"]],
    pointsAt: /manager\s+= "softwaretrust"/,
    messages: ["Unknown manager code", `Valid manager codes: ${MANAGER_CODES}.`],
  },
  {
    title: "unknown role in binding",
    binding: ["software_trust", ["SM_RELEASER"]],
    pointsAt: /roles\s+= \["SM_RELEASER"\]/,
    messages: ["Unknown role code", `Valid role codes for "software_trust": ${SOFTWARE_TRUST_CODES}.`],
  },
  {
    title: "role of another manager in binding",
    binding: ["software_trust", ["AM_VIEW_ONLY"]],
    pointsAt: /roles\s+= \["AM_VIEW_ONLY"\]/,
    messages: [
      '"AM_VIEW_ONLY" is a role of the manager "account_manager", not of "software_trust".',
      `Valid role codes for "software_trust": ${SOFTWARE_TRUST_CODES}.`,
      'Grant "AM_VIEW_ONLY" with a role binding whose manager is "account_manager"',
    ],
  },
  {
    title: "uppercase manager in binding",
    binding: ["Software_Trust", ["SM_SIGNER"]],
    pointsAt: /manager\s+= "Software_Trust"/,
    messages: ['Write "Software_Trust" as "software_trust".'],
  },
];

describe("plan-time checks", () => {
  let emulator: RunningEmulator;
  let accountIds: string[];
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    accountIds = (await activeAccounts(emulator)).map((account) => account.id);
    expect(accountIds.length).toBeGreaterThanOrEqual(2);
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
    workspace.writeConfig(userHcl({ accountIds: [accountIds[0]], access: VALID_ACCESS }));
    await workspace.init();
  });

  afterAll(async () => {
    workspace?.remove();
    await emulator?.close();
  });

  test.each(CODE_CASES)("$title fails the plan", async (codeCase) => {
    let config = userHcl({
      accountIds: [accountIds[0]],
      access: codeCase.access ?? VALID_ACCESS,
    });
    if (codeCase.binding !== undefined) config += bindingHcl(...codeCase.binding);
    workspace.writeConfig(config);

    const planned = await workspace.run(["plan", "-no-color", "-input=false"]);
    expect(planned.code).toBe(1);
    expect(planned.stderr).toMatch(codeCase.pointsAt);
    const message = flat(planned.stderr);
    for (const text of codeCase.messages) {
      expect(message).toContain(text);
    }
    expect(await serviceUsers(emulator)).toHaveLength(0);
  });

  test("accounts change in place", async () => {
    const [first, second] = accountIds;
    const apply = async (options: UserOptions) => {
      workspace.writeConfig(userHcl(options));
      return workspace.apply();
    };
    const plan = async (options: UserOptions) => {
      workspace.writeConfig(userHcl(options));
      return (await workspace.plan()).stdout;
    };
    const roles = 'account_manager = { roles = ["AM_VIEW_ONLY", "AM_USER_MANAGER"] }';

    // The primary account is the smallest id, so `first`.
    await apply({ accountIds: [first, second], access: roles });
    const [user] = await serviceUsers(emulator);
    expect(user.primary_account_id).toBe(first);

    // Reordering accounts or roles changes nothing.
    const reorderedRoles = 'account_manager = { roles = ["AM_USER_MANAGER", "AM_VIEW_ONLY"] }';
    expect(await plan({ accountIds: [second, first], access: reorderedRoles })).toContain(
      "No changes.",
    );

    // Removing and adding a non-primary account is an in-place update.
    const removal = await plan({ accountIds: [first], access: roles });
    expect(removal).toContain("will be updated in-place");
    expect(removal).not.toContain("must be replaced");
    await apply({ accountIds: [first], access: roles });
    expect((await serviceUsers(emulator))[0].accounts).toEqual([first]);
    await apply({ accountIds: [second, first], access: roles });
    expect((await serviceUsers(emulator))[0].accounts.sort()).toEqual([first, second].sort());

    // Removing the primary account fails at plan, whether or not the
    // configuration names it, and the message explains why.
    const failedPlan = async (options: UserOptions) => {
      workspace.writeConfig(userHcl(options));
      const planned = await workspace.run(["plan", "-no-color", "-input=false"]);
      expect(planned.code).toBe(1);
      return flat(planned.stderr);
    };
    const unnamed = await failedPlan({ accountIds: [second], access: roles });
    expect(unnamed).toContain("Primary account removed from account_ids");
    expect(unnamed).toContain(`account_ids no longer contains "${first}"`);
    expect(unnamed).toContain("DigiCert ONE cannot remove or change a service user's primary account.");
    const named = await failedPlan({ accountIds: [second], primaryAccountId: first, access: roles });
    expect(named).toContain("Primary account not in account_ids");
    expect(named).toContain(`primary_account_id "${first}" is not one of account_ids.`);
    expect(named).toContain("DigiCert ONE cannot remove it from them.");
    expect((await serviceUsers(emulator))[0].id).toBe(user.id);

    workspace.writeConfig(userHcl({ accountIds: [first], access: roles }));
    await workspace.ok(["destroy", "-no-color", "-input=false", "-auto-approve"]);
  });
});
