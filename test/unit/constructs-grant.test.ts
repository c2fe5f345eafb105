// Role grants through IServiceUser.grant, on an owned ServiceUser and on
// service users that ServiceUser.fromName and ServiceUser.fromId reference:
// logical ids, argument validation, the one-owner rule and the synthesized
// role bindings and data sources.

import { App, Testing, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import {
  DigicertOneProvider,
  InvalidPropsError,
  ServiceUser,
  type IServiceUser,
  type ServiceUserProps,
} from "../../constructs/src";

const AUDIT_READER: ServiceUserProps = {
  name: "audit reader",
  email: "security-audit@example.com",
  accounts: ["acc-a"],
  access: { account_manager: ["AM_VIEW_ONLY"] },
};

/** Terraform JSON as cdktf synthesizes it; only the parts the tests read. */
interface SynthesizedStack {
  data?: { [type: string]: { [logicalId: string]: { [attribute: string]: unknown } } };
  resource?: { [type: string]: { [logicalId: string]: { [attribute: string]: unknown } } };
  output?: { [id: string]: { value: unknown } };
}

function newStack(app: App = Testing.app(), id = "stack"): TerraformStack {
  const stack = new TerraformStack(app, id);
  new DigicertOneProvider(stack, "digicert-one");
  return stack;
}

function synth(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

/** Returns the role bindings of a stack, keyed by logical id, without cdktf's metadata. */
function bindings(stack: TerraformStack): { [logicalId: string]: unknown } {
  const all = synth(stack).resource?.digicertone_service_user_role_binding ?? {};
  return Object.fromEntries(
    Object.entries(all).map(([logicalId, binding]) => {
      const { "//": _metadata, ...attributes } = binding;
      return [logicalId, attributes];
    }),
  );
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

/** Returns the warnings that cdktf annotations added to a construct. */
function warnings(construct: Construct): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === "@cdktf/warn")
    .map((entry) => String(entry.data));
}

describe("ServiceUser.grant", () => {
  test("creates a binding with a derived id", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "audit-reader", AUDIT_READER);

    const binding = user.grant("trust_lifecycle", ["EM_VIEW_ONLY"]);

    expect(binding.node.path).toBe(
      "stack/audit-reader/role_binding_audit_reader_trust_lifecycle",
    );
    expect(bindings(stack)).toEqual({
      role_binding_audit_reader_trust_lifecycle: {
        service_user_id: "${digicertone_service_user.service_user_audit_reader.id}",
        manager: "trust_lifecycle",
        roles: ["EM_VIEW_ONLY"],
      },
    });
  });

  test("derives the id from a pinned logicalId", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "ci", { ...AUDIT_READER, logicalId: "service_user_ci" });
    const pinnedOther = new ServiceUser(stack, "other", {
      ...AUDIT_READER,
      name: "other reader",
      logicalId: "reader",
    });

    user.grant("software_trust", ["SM_VIEW_ONLY"]);
    pinnedOther.grant("software_trust", ["SM_VIEW_ONLY"]);

    expect(Object.keys(bindings(stack)).sort()).toEqual([
      "role_binding_ci_software_trust",
      "role_binding_reader_software_trust",
    ]);
  });

  test("keeps the id when the construct moves", () => {
    const stack = newStack();
    const nested = new Construct(new Construct(stack, "team"), "bots");
    const user = new ServiceUser(nested, "reader", AUDIT_READER);

    user.grant("trust_lifecycle", ["EM_VIEW_ONLY"]);

    expect(Object.keys(bindings(stack))).toEqual(["role_binding_audit_reader_trust_lifecycle"]);
  });

  test("uses a pinned logicalId", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "audit-reader", AUDIT_READER);

    user.grant("trust_lifecycle", ["EM_VIEW_ONLY"], { logicalId: "reader_certificates" });

    expect(Object.keys(bindings(stack))).toEqual(["reader_certificates"]);
  });

  test("uses the user's provider", () => {
    const stack = newStack();
    const japan = new DigicertOneProvider(stack, "japan", { region: "jp", alias: "jp" });
    const user = new ServiceUser(stack, "audit-reader", {
      ...AUDIT_READER,
      provider: japan.provider,
    });

    user.grant("trust_lifecycle", ["EM_VIEW_ONLY"]);

    const binding = bindings(stack).role_binding_audit_reader_trust_lifecycle as {
      provider?: string;
    };
    expect(binding.provider).toBe("digicertone.jp");
  });

  test("skips tokens in roles", () => {
    const stack = newStack();
    const roles = new TerraformVariable(stack, "roles", { type: "list(string)" }).listValue;
    const role = new TerraformVariable(stack, "role", { type: "string" }).stringValue;
    const user = new ServiceUser(stack, "audit-reader", AUDIT_READER);

    user.grant("trust_lifecycle", roles);
    user.grant("software_trust", [role]);

    const synthesized = bindings(stack) as { [id: string]: { roles: unknown } };
    expect(synthesized.role_binding_audit_reader_trust_lifecycle.roles).toBe("${var.roles}");
    expect(synthesized.role_binding_audit_reader_software_trust.roles).toEqual(["${var.role}"]);
  });

  test("needs logicalId when manager is a token", () => {
    const stack = newStack();
    const manager = new TerraformVariable(stack, "manager", { type: "string" }).stringValue;
    const user = new ServiceUser(stack, "audit-reader", AUDIT_READER);

    const error = invalidPropsError(() => user.grant(manager, ["EM_VIEW_ONLY"]));

    expect(error.problems.map((problem) => problem.prop)).toEqual(["logicalId"]);
    expect(error.problems[0].message).toContain("cannot be derived because manager is a token");
    expect(error.problems[0].message).toContain("role_binding_audit_reader_software_trust");

    user.grant(manager, ["EM_VIEW_ONLY"], { logicalId: "reader_from_variable" });
    expect(Object.keys(bindings(stack))).toEqual(["reader_from_variable"]);
  });
});

interface BadGrant {
  title: string;
  manager: unknown;
  roles: unknown;
  options?: unknown;
  prop: string;
  received: string;
  mentions: string[];
}

const BAD_GRANTS: BadGrant[] = [
  {
    title: "an uppercase manager",
    manager: "Trust_Lifecycle",
    roles: ["EM_VIEW_ONLY"],
    prop: "manager",
    received: '"Trust_Lifecycle"',
    mentions: ['Write it in lowercase: "trust_lifecycle"'],
  },
  {
    title: "a manager with a space",
    manager: "trust lifecycle",
    roles: ["EM_VIEW_ONLY"],
    prop: "manager",
    received: '"trust lifecycle"',
    mentions: ["Use the manager's code in lowercase"],
  },
  {
    title: "a missing manager",
    manager: undefined,
    roles: ["EM_VIEW_ONLY"],
    prop: "manager",
    received: "nothing",
    mentions: ["manager is missing"],
  },
  {
    title: "no roles",
    manager: "trust_lifecycle",
    roles: [],
    prop: "roles",
    received: "[]",
    mentions: ["at least one role"],
  },
  {
    title: "a lowercase role",
    manager: "trust_lifecycle",
    roles: ["em_view_only"],
    prop: "roles[0]",
    received: '"em_view_only"',
    mentions: ['Write it in uppercase: "EM_VIEW_ONLY"'],
  },
  {
    title: "an empty role",
    manager: "trust_lifecycle",
    roles: ["EM_VIEW_ONLY", ""],
    prop: "roles[1]",
    received: '""',
    mentions: ["The role code is an empty string"],
  },
  {
    title: "roles that are not a list",
    manager: "trust_lifecycle",
    roles: "EM_VIEW_ONLY",
    prop: "roles",
    received: '"EM_VIEW_ONLY"',
    mentions: ["roles must be a list of uppercase role codes"],
  },
  {
    title: "an invalid logicalId",
    manager: "trust_lifecycle",
    roles: ["EM_VIEW_ONLY"],
    options: { logicalId: "9 bindings" },
    prop: "logicalId",
    received: '"9 bindings"',
    mentions: ["not a valid Terraform identifier"],
  },
  {
    title: "an unknown option",
    manager: "trust_lifecycle",
    roles: ["EM_VIEW_ONLY"],
    options: { provider: "jp" },
    prop: "provider",
    received: '"jp"',
    mentions: ["has no prop named provider", "use one of manager, roles and logicalId"],
  },
  {
    title: "options that are not an object",
    manager: "trust_lifecycle",
    roles: ["EM_VIEW_ONLY"],
    options: "reader_certificates",
    prop: "options",
    received: '"reader_certificates"',
    mentions: ["must be an object or left out"],
  },
];

describe("grant validation", () => {
  test.each(BAD_GRANTS)("rejects $title", ({ manager, roles, options, prop, received, mentions }) => {
    const stack = newStack();
    const user = new ServiceUser(new Construct(stack, "bots"), "reader", AUDIT_READER);

    const error = invalidPropsError(() =>
      user.grant(manager as string, roles as string[], options as object),
    );

    expect(error.code).toBe("DIGICERT_ONE_INVALID_PROPS");
    expect(error.constructPath).toBe("stack/bots/reader");
    expect(error.message).toContain("Invalid props for ServiceUser.grant at stack/bots/reader");
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].prop).toBe(prop);
    expect(error.problems[0].received).toBe(received);
    for (const text of mentions) {
      expect(error.problems[0].message).toContain(text);
    }
    expect(bindings(stack)).toEqual({});
  });

  test("reports every problem in one error", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "reader", AUDIT_READER);

    const error = invalidPropsError(() =>
      user.grant("Trust_Lifecycle", ["em_view_only", ""], { logicalId: "9" }),
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual([
      "manager",
      "roles[0]",
      "roles[1]",
      "logicalId",
    ]);
    expect(error.message).toContain("(4 problems)");
  });
});

describe("grant ownership", () => {
  test("rejects a manager in access", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "audit-reader", AUDIT_READER);

    const error = invalidPropsError(() => user.grant("account_manager", ["AM_ACCOUNT_USER"]));

    expect(error.constructPath).toBe("stack/audit-reader");
    expect(error.problems.map((problem) => problem.prop)).toEqual(["manager"]);
    const message = error.problems[0].message;
    expect(message).toContain('The manager "account_manager" is already in the access of this ServiceUser.');
    expect(message).toContain("Each manager of a service user has one owner");
    expect(message).toContain("Add the roles to access.account_manager and drop this grant");
    expect(bindings(stack)).toEqual({});
  });

  test("rejects the same manager twice", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "audit-reader", AUDIT_READER);
    user.grant("trust_lifecycle", ["EM_VIEW_ONLY"]);

    const error = invalidPropsError(() =>
      user.grant("trust_lifecycle", ["EM_USER"], { logicalId: "reader_issuing" }),
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["manager"]);
    expect(error.problems[0].message).toContain(
      'The manager "trust_lifecycle" is already granted on this service user by the role binding at stack/audit-reader/role_binding_audit_reader_trust_lifecycle.',
    );
    expect(error.problems[0].message).toContain("Grant every role of trust_lifecycle in one call.");
    expect(Object.keys(bindings(stack))).toEqual(["role_binding_audit_reader_trust_lifecycle"]);
  });

  test("rejects a derived id in use", () => {
    const stack = newStack();
    const byId = ServiceUser.fromId(stack, "signer", "9201cec5-f880-4968-bcb9-b4d95e907632");
    const byName = ServiceUser.fromName(stack, "reference", "signer");
    byId.grant("software_trust", ["SM_SIGNER"]);

    const error = invalidPropsError(() => byName.grant("software_trust", ["SM_SIGNER"]));

    expect(error.constructPath).toBe("stack/reference");
    expect(error.problems.map((problem) => problem.prop)).toEqual(["manager"]);
    expect(error.problems[0].message).toContain(
      'The logical id "role_binding_signer_software_trust", derived from the service user and the manager, is already used by the role binding at stack/signer/role_binding_signer_software_trust in this stack.',
    );
    expect(error.problems[0].message).toContain("set logicalId on one of them");
  });

  test("rejects one name referenced twice", () => {
    const stack = newStack();
    const first = ServiceUser.fromName(stack, "first", "release-signing bot");
    const second = ServiceUser.fromName(stack, "second", "Release-Signing bot");
    first.grant("software_trust", ["SM_SIGNER"]);

    const error = invalidPropsError(() => second.grant("software_trust", ["SM_SIGNER"]));

    expect(error.problems.map((problem) => problem.prop)).toEqual(["manager"]);
    expect(error.problems[0].message).toContain(
      'The manager "software_trust" of the service user "Release-Signing bot" is already managed by the role binding at stack/first/role_binding_release_signing_bot_software_trust in this stack.',
    );
  });

  test("rejects two references' bindings", () => {
    const stack = newStack();
    const first = ServiceUser.fromName(stack, "first", "release-signing bot");
    const second = ServiceUser.fromName(stack, "second", "release-signing bot");
    first.grant("software_trust", ["SM_SIGNER"]);

    const error = invalidPropsError(() =>
      second.grant("software_trust", ["SM_SIGNER"], { logicalId: "second_signing" }),
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["manager"]);
    expect(error.problems[0].message).toContain(
      'The manager "software_trust" of the service user "release-signing bot" is already managed by the role binding at stack/first/role_binding_release_signing_bot_software_trust in this stack.',
    );
  });

  test("rejects a pinned id in use", () => {
    const stack = newStack();
    const reader = new ServiceUser(stack, "audit-reader", AUDIT_READER);
    const bot = new ServiceUser(stack, "bot", { ...AUDIT_READER, name: "bot" });
    reader.grant("trust_lifecycle", ["EM_VIEW_ONLY"], { logicalId: "certificates" });

    const error = invalidPropsError(() =>
      bot.grant("trust_lifecycle", ["EM_VIEW_ONLY"], { logicalId: "certificates" }),
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["logicalId"]);
    expect(error.problems[0].message).toContain(
      'The logical id "certificates" is already used by the role binding at stack/audit-reader/certificates in this stack.',
    );
  });

  test("rejects a logicalId of a sibling", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "audit-reader", AUDIT_READER);

    const error = invalidPropsError(() =>
      user.grant("trust_lifecycle", ["EM_VIEW_ONLY"], { logicalId: "Resource" }),
    );

    expect(error.problems[0].message).toContain(
      'The logical id "Resource" is the id of the construct at stack/audit-reader/Resource.',
    );
  });

  test("lets a rejected grant's manager be granted", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "audit-reader", AUDIT_READER);
    invalidPropsError(() => user.grant("trust_lifecycle", []));

    user.grant("trust_lifecycle", ["EM_VIEW_ONLY"]);

    expect(Object.keys(bindings(stack))).toEqual(["role_binding_audit_reader_trust_lifecycle"]);
  });
});

describe("ServiceUser.fromName", () => {
  test("reads the user with a data source", () => {
    const stack = newStack();

    const user = ServiceUser.fromName(stack, "release-signing", "release-signing bot");
    new TerraformOutput(stack, "id", { value: user.serviceUserId });
    new TerraformOutput(stack, "name", { value: user.name });

    const synthesized = synth(stack);
    expect(synthesized.data?.digicertone_service_user?.["release-signing"]).toEqual(
      expect.objectContaining({ name: "release-signing bot" }),
    );
    expect(synthesized.output?.id.value).toBe("${data.digicertone_service_user.release-signing.id}");
    expect(synthesized.output?.name.value).toBe(
      "${data.digicertone_service_user.release-signing.name}",
    );
  });

  test("grants with the owner's binding id", () => {
    const stack = newStack();
    const user: IServiceUser = ServiceUser.fromName(stack, "bot", "Release-Signing Bot");

    user.grant("software_trust", ["SM_SIGNER"]);

    expect(bindings(stack)).toEqual({
      role_binding_release_signing_bot_software_trust: {
        service_user_id: "${data.digicertone_service_user.bot.id}",
        manager: "software_trust",
        roles: ["SM_SIGNER"],
      },
    });
  });

  test("takes the id base from props", () => {
    const stack = newStack();
    const user = ServiceUser.fromName(stack, "bot", "release-signing bot", {
      logicalIdBase: "signer",
    });

    user.grant("software_trust", ["SM_SIGNER"]);

    expect(Object.keys(bindings(stack))).toEqual(["role_binding_signer_software_trust"]);
  });

  test("uses the construct id for a token name", () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, "name", { type: "string" }).stringValue;
    const user = ServiceUser.fromName(stack, "Shared-Bot", name);

    user.grant("software_trust", ["SM_SIGNER"]);

    expect(Object.keys(bindings(stack))).toEqual(["role_binding_shared_bot_software_trust"]);
    expect(synth(stack).data?.digicertone_service_user?.["Shared-Bot"]).toEqual(
      expect.objectContaining({ name: "${var.name}" }),
    );
  });

  test("rejects an invalid name", () => {
    const stack = newStack();

    const error = invalidPropsError(() => ServiceUser.fromName(stack, "bot", "ci.bot"));

    expect(error.message).toContain("Invalid props for ServiceUser.fromName at stack/bot");
    expect(error.problems.map((problem) => problem.prop)).toEqual(["name"]);
    expect(error.problems[0].message).toContain('DigiCert ONE does not allow: "."');
  });

  test("rejects an invalid logicalIdBase", () => {
    const stack = newStack();

    const error = invalidPropsError(() =>
      ServiceUser.fromName(stack, "bot", "release-signing bot", { logicalIdBase: "signing bot" }),
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["logicalIdBase"]);
    expect(error.problems[0].message).toContain("not a valid Terraform identifier");
  });

  test("needs a base without letters", () => {
    const stack = newStack();

    const error = invalidPropsError(() => ServiceUser.fromName(stack, "--", "---"));

    expect(error.problems.map((problem) => problem.prop)).toEqual(["logicalIdBase"]);
    expect(error.problems[0].message).toContain("logicalIdBase is missing");
  });

  test("rejects a name this stack creates", () => {
    const stack = newStack();
    new ServiceUser(stack, "audit-reader", AUDIT_READER);

    const error = invalidPropsError(() => ServiceUser.fromName(stack, "reference", "Audit Reader"));

    expect(error.problems.map((problem) => problem.prop)).toEqual(["name"]);
    expect(error.problems[0].message).toContain(
      'The ServiceUser at stack/audit-reader in this stack creates the service user "audit reader".',
    );
    expect(error.problems[0].message).toContain("Call grant on the ServiceUser at stack/audit-reader instead.");
  });

  test("rejects a user created after it", () => {
    const stack = newStack();
    ServiceUser.fromName(stack, "reference", "audit reader");

    const error = invalidPropsError(() => new ServiceUser(stack, "audit-reader", AUDIT_READER));

    expect(error.problems.map((problem) => problem.prop)).toEqual(["name"]);
    expect(error.problems[0].message).toContain(
      "ServiceUser.fromName at stack/reference references a service user with this name in this stack.",
    );
  });
});

describe("ServiceUser.fromId", () => {
  test("reads the user by id", () => {
    const stack = newStack();

    const user = ServiceUser.fromId(stack, "release-signing", "9201cec5-f880-4968-bcb9-b4d95e907632");
    user.grant("software_trust", ["SM_SIGNER"]);

    expect(synth(stack).data?.digicertone_service_user?.["release-signing"]).toEqual(
      expect.objectContaining({ id: "9201cec5-f880-4968-bcb9-b4d95e907632" }),
    );
    expect(bindings(stack)).toEqual({
      role_binding_release_signing_software_trust: {
        service_user_id: "${data.digicertone_service_user.release-signing.id}",
        manager: "software_trust",
        roles: ["SM_SIGNER"],
      },
    });
  });

  test("rejects an id with a slash", () => {
    const stack = newStack();

    const error = invalidPropsError(() => ServiceUser.fromId(stack, "bot", "abc/def"));

    expect(error.message).toContain("Invalid props for ServiceUser.fromId at stack/bot");
    expect(error.problems.map((problem) => problem.prop)).toEqual(["id"]);
    expect(error.problems[0].message).toContain('contains whitespace or "/"');
  });

  test("rejects an empty id", () => {
    const stack = newStack();

    const error = invalidPropsError(() => ServiceUser.fromId(stack, "bot", ""));

    expect(error.problems.map((problem) => problem.prop)).toEqual(["id"]);
  });
});

describe("grants across stacks", () => {
  test("reference grants in another stack", () => {
    const app = Testing.app();
    const platform = newStack(app, "platform");
    const product = newStack(app, "product");
    new ServiceUser(platform, "release-signing", {
      ...AUDIT_READER,
      name: "release-signing bot",
      access: { software_trust: ["SM_SIGNER"] },
    });

    const shared = ServiceUser.fromName(product, "release-signing", "release-signing bot");
    const binding = shared.grant("trust_lifecycle", ["EM_CERTIFICATE_MANAGER"]);

    expect(bindings(product)).toEqual({
      role_binding_release_signing_bot_trust_lifecycle: {
        service_user_id: "${data.digicertone_service_user.release-signing.id}",
        manager: "trust_lifecycle",
        roles: ["EM_CERTIFICATE_MANAGER"],
      },
    });
    expect(bindings(platform)).toEqual({});
    expect(warnings(binding)).toEqual([]);
  });

  test("warns on a manager in access", () => {
    const app = Testing.app();
    const platform = newStack(app, "platform");
    const product = newStack(app, "product");
    new ServiceUser(platform, "release-signing", {
      ...AUDIT_READER,
      name: "release-signing bot",
      access: { software_trust: ["SM_SIGNER"] },
    });

    const binding = ServiceUser.fromName(product, "bot", "Release-signing bot").grant(
      "software_trust",
      ["SM_LEAD"],
    );

    expect(warnings(binding)).toEqual([
      expect.stringContaining(
        'The manager "software_trust" of the service user "Release-signing bot" is also managed by the access of the ServiceUser at platform/release-signing, in the stack "platform".',
      ),
    ]);
    expect(warnings(binding)[0]).toContain("If both stacks manage the same DigiCert ONE tenant");
  });

  test("warns when the owner comes later", () => {
    const app = Testing.app();
    const platform = newStack(app, "platform");
    const product = newStack(app, "product");
    const binding = ServiceUser.fromName(product, "bot", "release-signing bot").grant(
      "software_trust",
      ["SM_LEAD"],
    );

    new ServiceUser(platform, "release-signing", {
      ...AUDIT_READER,
      name: "release-signing bot",
      access: { software_trust: ["SM_SIGNER"] },
    });

    expect(warnings(binding)).toEqual([
      expect.stringContaining("is also managed by the access of the ServiceUser at platform/release-signing"),
    ]);
  });

  test("warns on two bindings", () => {
    const app = Testing.app();
    const first = ServiceUser.fromName(newStack(app, "first"), "bot", "release-signing bot");
    const second = ServiceUser.fromName(newStack(app, "second"), "bot", "release-signing bot");

    const firstBinding = first.grant("software_trust", ["SM_SIGNER"]);
    const secondBinding = second.grant("software_trust", ["SM_LEAD"]);

    expect(warnings(firstBinding)).toEqual([
      expect.stringContaining(
        'is also managed by the role binding at second/bot/role_binding_release_signing_bot_software_trust, in the stack "second"',
      ),
    ]);
    expect(warnings(secondBinding)).toEqual([
      expect.stringContaining(
        'is also managed by the role binding at first/bot/role_binding_release_signing_bot_software_trust, in the stack "first"',
      ),
    ]);
  });

  test("allows one name in two stacks' access", () => {
    const app = Testing.app();
    const staging = newStack(app, "staging");
    const production = newStack(app, "production");

    const stagingUser = new ServiceUser(staging, "reader", AUDIT_READER);
    const productionUser = new ServiceUser(production, "reader", AUDIT_READER);

    expect(warnings(stagingUser)).toEqual([]);
    expect(warnings(productionUser)).toEqual([]);
  });
});
