// The plan-summary command on hand-made Terraform JSON plans: the flags, the
// role, account, token and expiry tables, the hiding of sensitive values, the
// --fail-on-* options and the exit codes.

import { type CommandIo, EXIT_OK, EXIT_RULE_FAILED, EXIT_USAGE, runPlanSummary } from "../../review/command";
import { renderMarkdown } from "../../review/markdown";
import { InvalidPlanError, parsePlan } from "../../review/plan-json";
import { checkFailRules, type FailRule } from "../../review/rules";
import { type ResourceSummary, summarizePlan } from "../../review/summarize";

const USER = "digicertone_service_user";
const BINDING = "digicertone_service_user_role_binding";
const TOKEN = "dc1_0123456789abcdef_secret_token_value";
const NEW_TOKEN = "dc1_fedcba9876543210_rotated_token_value";
const USER_ID = "0b6f3c8e-1111-4a5b-9c3d-000000000001";
const ACCOUNT_A = "acc-aaaa";
const ACCOUNT_B = "acc-bbbb";

type Values = Record<string, unknown>;

interface ChangeOptions {
  afterUnknown?: unknown;
  beforeSensitive?: unknown;
  afterSensitive?: unknown;
  replacePaths?: Array<Array<string | number>>;
}

function resourceChange(
  address: string,
  actions: string[],
  before: Values | null,
  after: Values | null,
  options: ChangeOptions = {},
): Values {
  const [type] = address.split(".");
  return {
    address,
    mode: "managed",
    type,
    name: address.split(".")[1],
    change: {
      actions,
      before,
      after,
      after_unknown: options.afterUnknown ?? {},
      before_sensitive: options.beforeSensitive ?? (before === null ? false : { token: true }),
      after_sensitive: options.afterSensitive ?? (after === null ? false : { token: true }),
      ...(options.replacePaths ? { replace_paths: options.replacePaths } : {}),
    },
  };
}

/** Builds the values of a service user as they are in state. */
function user(overrides: Values = {}): Values {
  return {
    id: USER_ID,
    name: "ci bot",
    description: "",
    email: "platform-team@example.com",
    expiration_date: null,
    expires_at: null,
    account_ids: [ACCOUNT_A],
    primary_account_id: ACCOUNT_A,
    access: { account_manager: { roles: ["AM_VIEW_ONLY"] } },
    enabled: true,
    status: "ACTIVE",
    created_at: "2025-01-01T00:00:00Z",
    token: TOKEN,
    token_created_at: "2025-01-01T00:00:00Z",
    rotation_triggers: null,
    rotation_days: null,
    token_overlap_days: 1,
    ...overrides,
  };
}

/** Builds a planned new service user, whose computed attributes are unknown and absent. */
function plannedUser(overrides: Values = {}): Values {
  const values = user(overrides);
  for (const name of ["id", "status", "created_at", "token", "token_created_at"]) {
    delete values[name];
  }
  return values;
}

const CREATE_UNKNOWN = { id: true, status: true, created_at: true, token: true, token_created_at: true };

function binding(overrides: Values = {}): Values {
  return {
    id: `${USER_ID}/software_trust`,
    service_user_id: USER_ID,
    manager: "software_trust",
    roles: ["SM_SIGNER"],
    ...overrides,
  };
}

function bindingChange(
  actions: string[],
  before: Values | null,
  after: Values | null,
  options: ChangeOptions = {},
): Values {
  return resourceChange(`${BINDING}.signing`, actions, before, after, {
    beforeSensitive: before === null ? false : {},
    afterSensitive: after === null ? false : {},
    ...options,
  });
}

function plan(...changes: Values[]): string {
  return JSON.stringify({ format_version: "1.2", terraform_version: "1.11.4", resource_changes: changes });
}

function summaryOf(...changes: Values[]): ResourceSummary[] {
  return summarizePlan(parsePlan(plan(...changes))).resources;
}

function onlyResource(...changes: Values[]): ResourceSummary {
  const resources = summaryOf(...changes);
  expect(resources).toHaveLength(1);
  return resources[0];
}

function markdownOf(...changes: Values[]): string {
  return renderMarkdown(summarizePlan(parsePlan(plan(...changes))));
}

const rotation = resourceChange(
  `${USER}.ci`,
  ["update"],
  user({ rotation_triggers: { version: "1" } }),
  (() => {
    const after = user({ rotation_triggers: { version: "2" } });
    delete after.token;
    delete after.token_created_at;
    return after;
  })(),
  { afterUnknown: { token: true, token_created_at: true } },
);

describe("plan summary of service users", () => {
  test("no changes prints a short summary", () => {
    const unchanged = resourceChange(`${USER}.ci`, ["no-op"], user(), user());
    const read = resourceChange(`data.${USER}s.all`, ["read"], null, {});

    expect(markdownOf()).toBe(
      "### DigiCert ONE service users: plan summary\n\nNo changes to service users or role bindings.\n",
    );
    expect(markdownOf(unchanged, read)).toBe(markdownOf());
  });

  test("skips other resource types and data sources", () => {
    const other = resourceChange("null_resource.x", ["create"], null, {});
    const data = { ...resourceChange(`${USER}.ci`, ["read"], null, user()), mode: "data" };

    expect(summaryOf(other, data)).toEqual([]);
  });

  test("create grants roles and issues a token", () => {
    const created = onlyResource(
      resourceChange(`${USER}.ci`, ["create"], null, plannedUser(), { afterUnknown: CREATE_UNKNOWN }),
    );

    expect(created.action).toBe("create");
    expect(created.flags).toEqual(["privilege", "token"]);
    expect(created.roles).toEqual({
      kind: "known",
      managers: [{ manager: "account_manager", added: ["AM_VIEW_ONLY"], removed: [] }],
    });
    expect(created.accounts).toEqual({ kind: "known", added: [ACCOUNT_A], removed: [] });
    expect(created.token).toBe("create");
  });

  test("added role is a privilege gain", () => {
    const after = user({
      access: {
        account_manager: { roles: ["AM_VIEW_ONLY"] },
        software_trust: { roles: ["SM_SIGNER"] },
      },
    });
    const updated = onlyResource(resourceChange(`${USER}.ci`, ["update"], user(), after));

    expect(updated.flags).toEqual(["privilege"]);
    expect(updated.roles).toEqual({
      kind: "known",
      managers: [{ manager: "software_trust", added: ["SM_SIGNER"], removed: [] }],
    });
    expect(updated.attributes.map((attribute) => attribute.name)).toEqual(["access"]);
  });

  test("removed role alone is no privilege gain", () => {
    const before = user({ access: { account_manager: { roles: ["AM_VIEW_ONLY", "AM_USER_MANAGER"] } } });
    const updated = onlyResource(resourceChange(`${USER}.ci`, ["update"], before, user()));

    expect(updated.flags).toEqual([]);
    expect(updated.roles).toEqual({
      kind: "known",
      managers: [{ manager: "account_manager", added: [], removed: ["AM_USER_MANAGER"] }],
    });
  });

  test("added account is a privilege gain", () => {
    const after = user({ account_ids: [ACCOUNT_A, ACCOUNT_B] });
    const updated = onlyResource(resourceChange(`${USER}.ci`, ["update"], user(), after));

    expect(updated.flags).toEqual(["privilege"]);
    expect(updated.accounts).toEqual({ kind: "known", added: [ACCOUNT_B], removed: [] });
  });

  test("removed account alone is no privilege gain", () => {
    const before = user({ account_ids: [ACCOUNT_A, ACCOUNT_B] });
    const updated = onlyResource(resourceChange(`${USER}.ci`, ["update"], before, user()));

    expect(updated.flags).toEqual([]);
    expect(updated.accounts).toEqual({ kind: "known", added: [], removed: [ACCOUNT_B] });
  });

  test("enabling a disabled user is a privilege gain", () => {
    const before = user({ enabled: false, status: "DISABLED" });
    const updated = onlyResource(resourceChange(`${USER}.ci`, ["update"], before, user()));

    expect(updated.enables).toBe(true);
    expect(updated.flags).toEqual(["privilege"]);
    expect(markdownOf(resourceChange(`${USER}.ci`, ["update"], before, user()))).toContain(
      "`enabled` (false → true), `status`",
    );
  });

  test("disabling a user is no privilege gain", () => {
    const after = user({ enabled: false });
    const updated = onlyResource(resourceChange(`${USER}.ci`, ["update"], user(), after));

    expect(updated.enables).toBe(false);
    expect(updated.flags).toEqual([]);
  });

  test("changed rotation_triggers rotate the token", () => {
    const updated = onlyResource(rotation);

    expect(updated.flags).toEqual(["token"]);
    expect(updated.token).toBe("rotation_triggers");
    expect(markdownOf(rotation)).toContain("| `digicertone_service_user.ci` | `rotation_triggers` changed |");
  });

  test("age-based rotation names rotation_days", () => {
    const before = user({ rotation_days: 90 });
    const after = user({ rotation_days: 90 });
    delete after.token;
    delete after.token_created_at;
    const updated = onlyResource(
      resourceChange(`${USER}.ci`, ["update"], before, after, {
        afterUnknown: { token: true, token_created_at: true },
      }),
    );

    expect(updated.flags).toEqual(["token"]);
    expect(updated.token).toBe("rotation_days");
  });

  test("update with a kept token is no rotation", () => {
    const after = user({ description: "Edited" });
    const updated = onlyResource(resourceChange(`${USER}.ci`, ["update"], user(), after));

    expect(updated.token).toBeUndefined();
    expect(updated.flags).toEqual([]);
  });

  test("delete is flagged as deletion", () => {
    const deleted = onlyResource(resourceChange(`${USER}.ci`, ["delete"], user(), null));

    expect(deleted.action).toBe("delete");
    expect(deleted.flags).toEqual(["delete"]);
    expect(deleted.name).toEqual({ kind: "known", text: "ci bot" });
    expect(deleted.roles).toEqual({
      kind: "known",
      managers: [{ manager: "account_manager", added: [], removed: ["AM_VIEW_ONLY"] }],
    });
  });

  test("replace deletes the old user and issues a token", () => {
    const before = user({ account_ids: [ACCOUNT_A, ACCOUNT_B] });
    const after = plannedUser({ account_ids: [ACCOUNT_A, ACCOUNT_B], primary_account_id: ACCOUNT_B });
    const change = resourceChange(`${USER}.ci`, ["delete", "create"], before, after, {
      afterUnknown: CREATE_UNKNOWN,
      replacePaths: [["primary_account_id"]],
    });
    const replaced = onlyResource(change);

    expect(replaced.action).toBe("replace");
    expect(replaced.flags).toEqual(["token", "delete"]);
    expect(replaced.token).toBe("replace");
    expect(markdownOf(change)).toContain("`primary_account_id` (forces replacement)");
  });

  test("create-before-destroy is a replace", () => {
    const change = resourceChange(`${USER}.ci`, ["create", "delete"], user(), plannedUser(), {
      afterUnknown: CREATE_UNKNOWN,
    });

    expect(onlyResource(change).action).toBe("replace");
  });
});

describe("plan summary of expiry changes", () => {
  function expiryOf(before: string | null, after: string | null): ResourceSummary {
    return onlyResource(
      resourceChange(
        `${USER}.ci`,
        ["update"],
        user({ expiration_date: before }),
        user({ expiration_date: after }),
      ),
    );
  }

  test("added expiration_date", () => {
    const updated = expiryOf(null, "2030-01-31");

    expect(updated.flags).toEqual(["expiry"]);
    expect(updated.expiry).toEqual({ change: "added", before: null, after: "2030-01-31" });
  });

  test("removed expiration_date", () => {
    expect(expiryOf("2030-01-31", null).expiry).toEqual({
      change: "removed",
      before: "2030-01-31",
      after: null,
    });
  });

  test("extended expiration_date", () => {
    expect(expiryOf("2030-01-31", "2030-03-01").expiry).toEqual({
      change: "extended",
      before: "2030-01-31",
      after: "2030-03-01",
      days: 29,
    });
  });

  test("shortened expiration_date", () => {
    const change = resourceChange(
      `${USER}.ci`,
      ["update"],
      user({ expiration_date: "2030-01-31" }),
      user({ expiration_date: "2030-01-30" }),
    );

    expect(onlyResource(change).expiry).toEqual({
      change: "shortened",
      before: "2030-01-31",
      after: "2030-01-30",
      days: 1,
    });
    expect(markdownOf(change)).toContain(
      "| `digicertone_service_user.ci` | 2030-01-31 | 2030-01-30 | shortened by 1 day |",
    );
  });

  test("unknown expiration_date shows as known after apply", () => {
    const after = user();
    delete after.expiration_date;
    const change = resourceChange(`${USER}.ci`, ["update"], user({ expiration_date: "2030-01-31" }), after, {
      afterUnknown: { expiration_date: true },
    });

    expect(onlyResource(change).expiry).toEqual({ change: "unknown" });
    expect(markdownOf(change)).toContain(
      "| `digicertone_service_user.ci` | _(known after apply)_ | _(known after apply)_ | known after apply |",
    );
  });

  test("create sets no expiry flag", () => {
    const change = resourceChange(`${USER}.ci`, ["create"], null, plannedUser({ expiration_date: "2030-01-31" }), {
      afterUnknown: CREATE_UNKNOWN,
    });

    expect(onlyResource(change).expiry).toBeUndefined();
  });
});

describe("plan summary of role bindings", () => {
  const named = resourceChange(`${USER}.ci`, ["no-op"], user(), user());

  test("create grants roles on the named user", () => {
    const [created] = summaryOf(named, bindingChange(["create"], null, binding()));

    expect(created.flags).toEqual(["privilege"]);
    expect(created.name).toEqual({ kind: "known", text: "ci bot" });
    expect(created.roles).toEqual({
      kind: "known",
      managers: [{ manager: "software_trust", added: ["SM_SIGNER"], removed: [] }],
    });
  });

  test("added role is a privilege gain", () => {
    const after = binding({ roles: ["SM_LEAD", "SM_SIGNER"] });
    const [updated] = summaryOf(named, bindingChange(["update"], binding(), after));

    expect(updated.flags).toEqual(["privilege"]);
    expect(updated.roles).toEqual({
      kind: "known",
      managers: [{ manager: "software_trust", added: ["SM_LEAD"], removed: [] }],
    });
  });

  test("changed manager moves every role", () => {
    const after = binding({ manager: "document_trust", roles: ["DSM_SIGNER"] });
    const change = bindingChange(["delete", "create"], binding(), after, { replacePaths: [["manager"]] });
    const [replaced] = summaryOf(named, change);

    expect(replaced.flags).toEqual(["privilege", "delete"]);
    expect(replaced.token).toBeUndefined();
    expect(replaced.roles).toEqual({
      kind: "known",
      managers: [
        { manager: "document_trust", added: ["DSM_SIGNER"], removed: [] },
        { manager: "software_trust", added: [], removed: ["SM_SIGNER"] },
      ],
    });
  });

  test("delete removes roles", () => {
    const [deleted] = summaryOf(named, bindingChange(["delete"], binding(), null));

    expect(deleted.flags).toEqual(["delete"]);
    expect(deleted.name).toEqual({ kind: "known", text: "ci bot" });
  });

  test("unknown user id resolves through the configuration", () => {
    const createdUser = resourceChange(`${USER}.bot`, ["create"], null, plannedUser({ name: "new bot" }), {
      afterUnknown: CREATE_UNKNOWN,
    });
    const after = binding();
    delete after.id;
    delete after.service_user_id;
    const createdBinding = bindingChange(["create"], null, after, {
      afterUnknown: { id: true, service_user_id: true },
    });
    const text = JSON.stringify({
      format_version: "1.2",
      resource_changes: [createdUser, createdBinding],
      configuration: {
        root_module: {
          resources: [
            {
              address: `${BINDING}.signing`,
              expressions: {
                service_user_id: { references: [`${USER}.bot.id`, `${USER}.bot`] },
              },
            },
          ],
        },
      },
    });
    const resources = summarizePlan(parsePlan(text)).resources;

    expect(resources.map((resource) => resource.name)).toEqual([
      { kind: "known", text: "new bot" },
      { kind: "known", text: "new bot" },
    ]);
  });

  test("user outside the plan shows its id", () => {
    const [created] = summaryOf(bindingChange(["create"], null, binding()));

    expect(created.serviceUserId).toBe(USER_ID);
    expect(renderMarkdown({ resources: [created] })).toContain(`| id \`${USER_ID}\` | create |`);
  });

  test("unknown roles count as a privilege gain", () => {
    const after = binding();
    delete after.roles;
    const [updated] = summaryOf(
      named,
      bindingChange(["update"], binding(), after, { afterUnknown: { roles: true } }),
    );

    expect(updated.roles).toEqual({ kind: "unknown" });
    expect(updated.flags).toEqual(["privilege"]);
  });
});

describe("plan summary secrets", () => {
  test("token values never show", () => {
    const replaced = resourceChange(
      `${USER}.ci`,
      ["delete", "create"],
      user(),
      user({ token: NEW_TOKEN, primary_account_id: ACCOUNT_B }),
      { replacePaths: [["primary_account_id"]] },
    );
    const output = markdownOf(rotation, replaced);

    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(NEW_TOKEN);
    expect(output).toContain("`token` (sensitive");
  });

  test("sensitive name shows as sensitive", () => {
    const change = resourceChange(`${USER}.ci`, ["update"], user(), user({ name: "secret name" }), {
      beforeSensitive: { token: true, name: true },
      afterSensitive: { token: true, name: true },
    });
    const output = markdownOf(change);

    expect(output).not.toContain("ci bot");
    expect(output).not.toContain("secret name");
    expect(output).toContain("| _(sensitive)_ → _(sensitive)_ | update | `name` (sensitive) |");
  });

  test("sensitive roles are hidden but still flagged", () => {
    const after = user({ access: { account_manager: { roles: ["AM_VIEW_ONLY", "AM_ACCOUNT_ADMIN"] } } });
    const change = resourceChange(`${USER}.ci`, ["update"], user(), after, {
      afterSensitive: { token: true, access: true },
    });
    const updated = onlyResource(change);

    expect(updated.roles).toEqual({ kind: "sensitive" });
    expect(updated.flags).toEqual(["privilege"]);
    expect(markdownOf(change)).not.toContain("AM_ACCOUNT_ADMIN");
  });

  test("sensitive expiration_date hides the dates", () => {
    const change = resourceChange(
      `${USER}.ci`,
      ["update"],
      user({ expiration_date: "2030-01-31" }),
      user({ expiration_date: "2031-06-30" }),
      { afterSensitive: { token: true, expiration_date: true } },
    );
    const output = markdownOf(change);

    expect(onlyResource(change).expiry).toEqual({ change: "changed" });
    expect(output).not.toContain("2031-06-30");
    expect(output).toContain("| _(sensitive)_ | _(sensitive)_ | changed |");
  });
});

describe("plan summary markdown", () => {
  test("renders the full format", () => {
    const deleted = resourceChange(`${USER}.old`, ["delete"], user({ name: "old bot" }), null);
    const shortened = resourceChange(
      `${USER}.ci`,
      ["update"],
      user({ expiration_date: "2030-01-31" }),
      user({ expiration_date: "2030-01-01" }),
    );

    expect(markdownOf(deleted, shortened)).toBe(
      [
        "### DigiCert ONE service users: plan summary",
        "",
        "2 changes: 1 to update, 1 to delete.",
        "",
        "| Flags | Resource | Service user | Action | Changes |",
        "|---|---|---|---|---|",
        "| **EXPIRY** | `digicertone_service_user.ci` | ci bot | update | `expiration_date` |",
        "| **DELETE** | `digicertone_service_user.old` | old bot | delete | deleted |",
        "",
        "Flags:",
        "- **PRIVILEGE**: roles or accounts are added, a new service user or binding grants roles, or a disabled service user is enabled.",
        "- **TOKEN**: a new API token is issued: by a rotation, or for a new or replaced service user.",
        "- **DELETE**: the resource is deleted, or replaced, which deletes the old one.",
        "- **EXPIRY**: `expiration_date` is added, removed, extended or shortened.",
        "",
        "#### Roles",
        "",
        "| Resource | Manager | Added | Removed |",
        "|---|---|---|---|",
        "| `digicertone_service_user.old` | `account_manager` |  | `AM_VIEW_ONLY` |",
        "",
        "#### Accounts",
        "",
        "| Resource | Added | Removed |",
        "|---|---|---|",
        "| `digicertone_service_user.old` |  | `acc-aaaa` |",
        "",
        "#### Expiry",
        "",
        "| Resource | Before | After | Change |",
        "|---|---|---|---|",
        "| `digicertone_service_user.ci` | 2030-01-31 | 2030-01-01 | shortened by 30 days |",
        "",
        "Token values and other values that the plan marks as sensitive are never shown.",
        "",
      ].join("\n"),
    );
  });

  test("escapes table characters in names and addresses", () => {
    const change = resourceChange(`${USER}.ci["a|b"]`, ["update"], user(), user({ name: "a|b *c*" }));
    const output = markdownOf(change);

    expect(output).toContain('| `digicertone_service_user.ci["a\\|b"]` | ci bot → a\\|b \\*c\\* | update |');
  });
});

describe("fail rules", () => {
  const deleted = resourceChange(`${USER}.old`, ["delete"], user(), null);
  const replaced = resourceChange(`${USER}.moved`, ["delete", "create"], user(), plannedUser(), {
    afterUnknown: CREATE_UNKNOWN,
  });
  const granted = resourceChange(
    `${USER}.ci`,
    ["update"],
    user(),
    user({ access: { account_manager: { roles: ["AM_VIEW_ONLY", "AM_USER_MANAGER"] } } }),
  );
  const summary = summarizePlan(parsePlan(plan(deleted, replaced, granted)));

  function messages(...rules: FailRule[]): string[] {
    return checkFailRules(summary, new Set(rules)).map((failure) => failure.message);
  }

  test("--fail-on-delete matches deletes and replaces", () => {
    expect(messages("fail-on-delete")).toEqual([
      "--fail-on-delete failed: deletion or replacement in digicertone_service_user.moved, digicertone_service_user.old",
    ]);
  });

  test("--fail-on-replace matches replaces only", () => {
    expect(messages("fail-on-replace")).toEqual([
      "--fail-on-replace failed: replacement in digicertone_service_user.moved",
    ]);
  });

  test("--fail-on-privilege-gain matches added roles", () => {
    expect(messages("fail-on-privilege-gain")).toEqual([
      "--fail-on-privilege-gain failed: privilege gain in digicertone_service_user.ci",
    ]);
  });

  test("no rule matches a harmless plan", () => {
    const harmless = summarizePlan(
      parsePlan(plan(resourceChange(`${USER}.ci`, ["update"], user(), user({ description: "x" })))),
    );
    const rules = new Set<FailRule>(["fail-on-delete", "fail-on-replace", "fail-on-privilege-gain"]);

    expect(checkFailRules(harmless, rules)).toEqual([]);
  });
});

describe("plan-summary command", () => {
  interface Run {
    code: number;
    stdout: string;
    stderr: string;
  }

  async function run(args: string[], files: Record<string, string> = {}, stdin = ""): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const io: CommandIo = {
      readFile: async (path) => {
        if (!(path in files)) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
        return files[path];
      },
      readStdin: async () => stdin,
      writeStdout: (text) => (stdout += text),
      writeStderr: (text) => (stderr += text),
    };
    const code = await runPlanSummary(args, io);
    return { code, stdout, stderr };
  }

  const risky = plan(resourceChange(`${USER}.old`, ["delete"], user(), null));

  test("writes the summary of a file", async () => {
    const result = await run(["plan.json"], { "plan.json": risky });

    expect(result.code).toBe(EXIT_OK);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(markdownOf(resourceChange(`${USER}.old`, ["delete"], user(), null)));
  });

  test("reads stdin for -", async () => {
    const result = await run(["-"], {}, risky);

    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain("| **DELETE** |");
  });

  test("failed rule exits 1 after the summary", async () => {
    const result = await run(["plan.json", "--fail-on-delete", "--fail-on-privilege-gain"], {
      "plan.json": risky,
    });

    expect(result.code).toBe(EXIT_RULE_FAILED);
    expect(result.stdout).toContain("1 change: 1 to delete.");
    expect(result.stderr).toBe(
      "error: --fail-on-delete failed: deletion or replacement in digicertone_service_user.old\n",
    );
  });

  test("no changes pass every rule", async () => {
    const result = await run(
      ["plan.json", "--fail-on-delete", "--fail-on-replace", "--fail-on-privilege-gain"],
      { "plan.json": plan() },
    );

    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain("No changes");
  });

  test("missing argument is a usage error", async () => {
    const result = await run([]);

    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: expected one plan file, or - for stdin, but got 0 arguments\.\n\nUsage:/);
  });

  test("unknown option is a usage error", async () => {
    const result = await run(["plan.json", "--fail-on-everything"], { "plan.json": risky });

    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain("--fail-on-everything");
  });

  test("unreadable file is an input error", async () => {
    const result = await run(["missing.json"]);

    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(/^error: Failed to read missing\.json: ENOENT/);
  });

  test("invalid JSON is an input error", async () => {
    const result = await run(["-"], {}, "not json");

    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("error: The input is not valid JSON");
  });

  test("state JSON is not a plan", async () => {
    const state = JSON.stringify({ format_version: "1.0", values: { root_module: {} } });
    const result = await run(["-"], {}, state);

    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain("so it is not a plan");
  });

  test("failed plan is an input error", async () => {
    const failed = JSON.stringify({
      ...(JSON.parse(plan()) as object),
      errored: true,
      complete: false,
    });
    const result = await run(["-", "--fail-on-replace"], {}, failed);

    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("The plan failed (errored is true)");
  });

  test("help prints the usage", async () => {
    const result = await run(["--help"]);

    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain("--fail-on-privilege-gain");
    expect(result.stdout).toContain("Exit codes:");
  });
});

describe("parsePlan", () => {
  test("rejects another format version", () => {
    expect(() => parsePlan(JSON.stringify({ format_version: "2.0", resource_changes: [] }))).toThrow(
      InvalidPlanError,
    );
  });

  test("rejects a malformed resource change", () => {
    const text = JSON.stringify({ format_version: "1.2", resource_changes: [{ address: 1 }] });

    expect(() => parsePlan(text)).toThrow(/at resource_changes\.0\.address/);
  });
});
