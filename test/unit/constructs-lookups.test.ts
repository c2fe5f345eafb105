// The data source helpers of the construct library: DigicertOneAccount,
// DigicertOneAccounts, ManagerRoles, DigicertOneManagers and
// DigicertOneServiceUsers, checked on the synthesized Terraform JSON and on
// their props validation.

import {
  Testing,
  TerraformOutput,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import { Construct } from "constructs";
import {
  DigicertOneAccount,
  DigicertOneAccounts,
  DigicertOneManagers,
  DigicertOneProvider,
  DigicertOneServiceUsers,
  InvalidPropsError,
  ManagerRoles,
  ServiceUser,
} from "../../constructs/src";

/** Terraform JSON as cdktf synthesizes it; only the parts the tests read. */
interface SynthesizedStack {
  data?: { [type: string]: { [logicalId: string]: { [attribute: string]: unknown } } };
  resource?: { [type: string]: { [logicalId: string]: { [attribute: string]: unknown } } };
  output?: { [id: string]: { value: unknown } };
}

function newStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "stack");
  new DigicertOneProvider(stack, "digicert-one");
  return stack;
}

function synth(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

/** Returns the data source of a type and logical id, without cdktf's metadata. */
function dataSource(stack: TerraformStack, type: string, logicalId: string): unknown {
  const found = synth(stack).data?.[type]?.[logicalId];
  if (found === undefined) return undefined;
  const { "//": _metadata, ...attributes } = found;
  return attributes;
}

/** Adds an output for `value` and returns the expression cdktf writes for it. */
function expression(stack: TerraformStack, value: unknown): unknown {
  const id = `value_${stack.node.children.length}`;
  new TerraformOutput(stack, id, { value });
  return synth(stack).output?.[id].value;
}

/** Runs `action` and returns the InvalidPropsError it throws. */
function invalidPropsError(action: () => unknown): InvalidPropsError {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidPropsError) return error;
    throw error;
  }
  throw new Error("the call succeeded");
}

/** A TerraformProvider of another type, for the provider check. */
class OtherProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: "aws" });
  }
}

describe("DigicertOneAccount", () => {
  test("fromName reads one account", () => {
    const stack = newStack();

    const account = DigicertOneAccount.fromName(stack, "platform", "Acme Platform Engineering");

    expect(dataSource(stack, "digicertone_account", "platform")).toEqual({
      name: "Acme Platform Engineering",
    });
    expect(expression(stack, account.accountId)).toBe("${data.digicertone_account.platform.id}");
    expect(expression(stack, account.name)).toBe("${data.digicertone_account.platform.name}");
    expect(expression(stack, account.active)).toBe("${data.digicertone_account.platform.active}");
  });

  test("fromId reads one account", () => {
    const stack = newStack();

    const account = DigicertOneAccount.fromId(stack, "platform", "510f00f0-90ee-4ee2-b52f-0152c01d18eb");

    expect(dataSource(stack, "digicertone_account", "platform")).toEqual({
      id: "510f00f0-90ee-4ee2-b52f-0152c01d18eb",
    });
    expect(expression(stack, account.accountId)).toBe("${data.digicertone_account.platform.id}");
  });

  test("feeds a service user's accounts", () => {
    const stack = newStack();
    const account = DigicertOneAccount.fromName(stack, "platform", "Acme Platform Engineering");

    new ServiceUser(stack, "bot", {
      name: "bot",
      email: "platform-team@example.com",
      accounts: [account.accountId],
      access: { software_trust: ["SM_SIGNER"] },
    });

    const user = synth(stack).resource?.digicertone_service_user?.service_user_bot;
    expect(user?.account_ids).toEqual(["${data.digicertone_account.platform.id}"]);
  });

  test("accepts a token name", () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, "account_name", { type: "string" }).stringValue;

    DigicertOneAccount.fromName(stack, "platform", name);

    expect(dataSource(stack, "digicertone_account", "platform")).toEqual({
      name: "${var.account_name}",
    });
  });

  test("uses the given provider", () => {
    const stack = newStack();
    const japan = new DigicertOneProvider(stack, "japan", { region: "jp", alias: "jp" });

    DigicertOneAccount.fromName(stack, "platform", "Acme", { provider: japan.provider });

    expect(dataSource(stack, "digicertone_account", "platform")).toEqual({
      name: "Acme",
      provider: "digicertone.jp",
    });
  });

  test("rejects an empty name", () => {
    const stack = newStack();

    const error = invalidPropsError(() => DigicertOneAccount.fromName(stack, "platform", ""));

    expect(error.code).toBe("DIGICERT_ONE_INVALID_PROPS");
    expect(error.message).toContain("Invalid props for DigicertOneAccount.fromName at stack/platform");
    expect(error.problems).toEqual([
      {
        prop: "name",
        received: '""',
        message: expect.stringContaining("name is an empty string."),
      },
    ]);
  });

  test("rejects an empty id", () => {
    const stack = newStack();

    const error = invalidPropsError(() => DigicertOneAccount.fromId(stack, "platform", ""));

    expect(error.message).toContain("Invalid props for DigicertOneAccount.fromId at stack/platform");
    expect(error.problems.map((problem) => problem.prop)).toEqual(["accountId"]);
  });

  test("rejects a provider of another type", () => {
    const stack = newStack();
    const aws = new OtherProvider(stack, "aws");

    const error = invalidPropsError(() =>
      DigicertOneAccount.fromName(stack, "platform", "Acme", { provider: aws }),
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["provider"]);
    expect(error.problems[0].message).toContain("A data source needs a digicertone provider.");
  });

  test("rejects options that are not an object", () => {
    const stack = newStack();

    const error = invalidPropsError(() =>
      DigicertOneAccount.fromName(stack, "platform", "Acme", "jp" as never),
    );

    expect(error.problems).toEqual([
      { prop: "options", received: '"jp"', message: "The options argument must be an object or left out." },
    ]);
  });
});

describe("DigicertOneAccounts", () => {
  test("lists every account", () => {
    const stack = newStack();

    const accounts = new DigicertOneAccounts(stack, "all");

    expect(dataSource(stack, "digicertone_accounts", "all")).toEqual({});
    expect(expression(stack, accounts.ids)).toBe(
      "${[ for key, val in { for key, val in data.digicertone_accounts.all.accounts: val.id => val }: val.id]}",
    );
    expect(expression(stack, accounts.activeIds)).toBe(
      "${[ for key, val in { for key, val in data.digicertone_accounts.all.accounts: val.id => val }: val.id if val.active]}",
    );
    expect(expression(stack, accounts.names)).toBe(
      "${[ for key, val in { for key, val in data.digicertone_accounts.all.accounts: val.id => val }: val.name]}",
    );
  });

  test("looks up names with for_each", () => {
    const stack = newStack();

    const accounts = new DigicertOneAccounts(stack, "accounts", {
      names: ["Acme Platform Engineering", "Acme Product Security"],
    });

    expect(dataSource(stack, "digicertone_account", "accounts")).toEqual({
      for_each: '${toset(["Acme Platform Engineering", "Acme Product Security"])}',
      name: "${each.value}",
    });
    expect(expression(stack, accounts.ids)).toBe(
      "${[ for key, val in data.digicertone_account.accounts: val.id]}",
    );
  });

  test("takes names from a variable", () => {
    const stack = newStack();
    const names = new TerraformVariable(stack, "account_names", { type: "list(string)" });

    new DigicertOneAccounts(stack, "accounts", { names: names.listValue });

    expect(dataSource(stack, "digicertone_account", "accounts")).toEqual({
      for_each: "${toset(var.account_names)}",
      name: "${each.value}",
    });
  });

  test.each([
    { title: "no names", names: [], prop: "names", mention: "The list is empty." },
    { title: "an empty name", names: ["Acme", ""], prop: "names[1]", mention: "empty string" },
    { title: "a repeated name", names: ["Acme", "Acme"], prop: "names[1]", mention: 'The account name "Acme" is listed twice.' },
    { title: "names as a string", names: "Acme", prop: "names", mention: "names must be a list of account names" },
  ])("rejects $title", ({ names, prop, mention }) => {
    const stack = newStack();

    const error = invalidPropsError(
      () => new DigicertOneAccounts(stack, "accounts", { names: names as string[] }),
    );

    expect(error.message).toContain("Invalid props for DigicertOneAccounts at stack/accounts");
    expect(error.problems.map((problem) => problem.prop)).toEqual([prop]);
    expect(error.problems[0].message).toContain(mention);
  });

  test("rejects an unknown prop", () => {
    const stack = newStack();

    const error = invalidPropsError(
      () => new DigicertOneAccounts(stack, "accounts", { name: "Acme" } as never),
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["name"]);
    expect(error.problems[0].message).toContain("Remove it, or use one of provider and names.");
  });
});

describe("ManagerRoles", () => {
  test("reads the roles of a manager", () => {
    const stack = newStack();

    const roles = ManagerRoles.of(stack, "signing-roles", "software_trust");

    expect(roles.manager).toBe("software_trust");
    expect(dataSource(stack, "digicertone_roles", "signing-roles")).toEqual({
      manager: "software_trust",
    });
    expect(expression(stack, roles.roleCodes)).toBe(
      "${[ for key, val in { for key, val in data.digicertone_roles.signing-roles.roles: val.code => val }: val.code]}",
    );
    expect(expression(stack, roles.managerId)).toBe(
      "${data.digicertone_roles.signing-roles.manager_id}",
    );
  });

  test("feeds a grant's roles", () => {
    const stack = newStack();
    const roles = ManagerRoles.of(stack, "signing-roles", "software_trust");
    const user = ServiceUser.fromName(stack, "bot", "release-signing bot");

    user.grant("software_trust", roles.roleCodes);

    const binding = synth(stack).resource?.digicertone_service_user_role_binding
      ?.role_binding_release_signing_bot_software_trust;
    expect(binding?.roles).toBe(
      "${[ for key, val in { for key, val in data.digicertone_roles.signing-roles.roles: val.code => val }: val.code]}",
    );
  });

  test("rejects an uppercase manager", () => {
    const stack = newStack();

    const error = invalidPropsError(() => ManagerRoles.of(stack, "roles", "Software_Trust"));

    expect(error.message).toContain("Invalid props for ManagerRoles.of at stack/roles");
    expect(error.problems.map((problem) => problem.prop)).toEqual(["manager"]);
    expect(error.problems[0].message).toContain('Write it in lowercase: "software_trust"');
  });

  test("accepts a token manager", () => {
    const stack = newStack();
    const manager = new TerraformVariable(stack, "manager", { type: "string" }).stringValue;

    ManagerRoles.of(stack, "roles", manager);

    expect(dataSource(stack, "digicertone_roles", "roles")).toEqual({ manager: "${var.manager}" });
  });
});

describe("DigicertOneManagers", () => {
  test("lists the manager codes", () => {
    const stack = newStack();

    const managers = new DigicertOneManagers(stack, "managers");

    expect(dataSource(stack, "digicertone_managers", "managers")).toEqual({});
    expect(expression(stack, managers.codes)).toBe(
      "${[ for key, val in { for key, val in data.digicertone_managers.managers.managers: val.code => val }: val.code]}",
    );
  });

  test("rejects an unknown prop", () => {
    const stack = newStack();

    const error = invalidPropsError(
      () => new DigicertOneManagers(stack, "managers", { manager: "software_trust" } as never),
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["manager"]);
  });
});

describe("DigicertOneServiceUsers", () => {
  test("passes the filters", () => {
    const stack = newStack();

    const users = new DigicertOneServiceUsers(stack, "bots", {
      namePrefix: "release",
      status: "ACTIVE",
      accountId: "510f00f0-90ee-4ee2-b52f-0152c01d18eb",
    });

    expect(dataSource(stack, "digicertone_service_users", "bots")).toEqual({
      name_prefix: "release",
      status: "ACTIVE",
      account_id: "510f00f0-90ee-4ee2-b52f-0152c01d18eb",
    });
    expect(expression(stack, users.ids)).toBe(
      "${[ for key, val in { for key, val in data.digicertone_service_users.bots.users: val.id => val }: val.id]}",
    );
    expect(expression(stack, users.names)).toBe(
      "${[ for key, val in { for key, val in data.digicertone_service_users.bots.users: val.id => val }: val.name]}",
    );
  });

  test("lists every user without filters", () => {
    const stack = newStack();

    new DigicertOneServiceUsers(stack, "all");

    expect(dataSource(stack, "digicertone_service_users", "all")).toEqual({});
  });

  test("rejects a lowercase status", () => {
    const stack = newStack();

    const error = invalidPropsError(
      () => new DigicertOneServiceUsers(stack, "bots", { status: "active" as never }),
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["status"]);
    expect(error.problems[0].message).toContain('Write it in uppercase: "ACTIVE"');
  });

  test("rejects an empty accountId", () => {
    const stack = newStack();

    const error = invalidPropsError(() => new DigicertOneServiceUsers(stack, "bots", { accountId: "" }));

    expect(error.problems.map((problem) => problem.prop)).toEqual(["accountId"]);
    expect(error.problems[0].message).toContain("Leave accountId out");
  });
});
