// The ServiceUser construct: props validation at construction, stable
// logical ids, duplicate detection and the sensitive token output, checked
// on the synthesized Terraform JSON.

import {
  Testing,
  TerraformOutput,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
  Token,
} from "cdktf";
import { Construct } from "constructs";
import {
  DigicertOneProvider,
  InvalidPropsError,
  ServiceUser,
  type ServiceUserProps,
} from "../../constructs/src";
import { utcDay } from "../../provider/src/validation/dates";

const VALID_PROPS: ServiceUserProps = {
  name: "release-signing bot",
  email: "platform-team@example.com",
  expiresOn: "2099-12-31",
  accounts: ["acc-a", "acc-b"],
  access: { software_trust: ["SM_SIGNER"] },
};

/** Terraform JSON as cdktf synthesizes it; only the parts the tests read. */
interface SynthesizedStack {
  resource?: { [type: string]: { [logicalId: string]: { [attribute: string]: unknown } } };
  output?: { [id: string]: { value: unknown; sensitive?: boolean; description?: string } };
  variable?: { [name: string]: unknown };
}

function newStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "stack");
  new DigicertOneProvider(stack, "digicert-one");
  return stack;
}

function synth(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

function serviceUsers(stack: TerraformStack) {
  return synth(stack).resource?.digicertone_service_user ?? {};
}

/** Builds a ServiceUser at stack/bots/user and returns the error it throws. */
function constructionError(props: unknown): InvalidPropsError {
  const stack = newStack();
  const bots = new Construct(stack, "bots");
  try {
    new ServiceUser(bots, "user", props as ServiceUserProps);
  } catch (error) {
    if (error instanceof InvalidPropsError) return error;
    throw error;
  }
  throw new Error("ServiceUser accepted the props");
}

/** A TerraformProvider of another type, for the provider check. */
class OtherProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: "aws" });
  }
}

interface BadCase {
  title: string;
  /** Props to merge over VALID_PROPS; undefined values remove the prop. */
  overrides: { [prop: string]: unknown };
  prop: string;
  received: string;
  /** Texts the problem message must contain. */
  mentions: string[];
}

const BAD_CASES: BadCase[] = [
  { title: "empty name", overrides: { name: "" }, prop: "name", received: '""', mentions: ["The name is empty", "1 to 64 characters"] },
  { title: "punctuation in name", overrides: { name: "ci.bot!" }, prop: "name", received: '"ci.bot!"', mentions: ['"." and "!"', "Remove or replace these characters"] },
  { title: "accented name", overrides: { name: "déploiement bot" }, prop: "name", received: '"déploiement bot"', mentions: ['"é"'] },
  { title: "name of dots only", overrides: { name: "..." }, prop: "name", received: '"..."', mentions: ['"."'] },
  { title: "tab in name", overrides: { name: "ci\tbot" }, prop: "name", received: '"ci\\tbot"', mentions: ['"\\t"'] },
  { title: "leading space in name", overrides: { name: " ci bot" }, prop: "name", received: '" ci bot"', mentions: ["starts or ends with a space"] },
  { title: "trailing space in name", overrides: { name: "ci bot " }, prop: "name", received: '"ci bot "', mentions: ["starts or ends with a space"] },
  { title: "65-character name", overrides: { name: "a".repeat(65) }, prop: "name", received: `"${"a".repeat(65)}"`, mentions: ["65 characters", "maximum of 64"] },
  { title: "numeric name", overrides: { name: 42 }, prop: "name", received: "42", mentions: ["name must be the friendly name"] },
  { title: "missing name", overrides: { name: undefined }, prop: "name", received: "nothing", mentions: ["name is missing"] },
  { title: "numeric description", overrides: { description: 7 }, prop: "description", received: "7", mentions: ["description must be a string"] },
  { title: "email without @", overrides: { email: "platform-team" }, prop: "email", received: '"platform-team"', mentions: ['has no "@"', "platform-team@example.com"] },
  { title: "email with space", overrides: { email: "platform team@example.com" }, prop: "email", received: '"platform team@example.com"', mentions: ["space"] },
  { title: "email domain without dot", overrides: { email: "bot@localhost" }, prop: "email", received: '"bot@localhost"', mentions: ["without a dot"] },
  { title: "missing email", overrides: { email: undefined }, prop: "email", received: "nothing", mentions: ["email is missing"] },
  { title: "date in other format", overrides: { expiresOn: "30/06/2030" }, prop: "expiresOn", received: '"30/06/2030"', mentions: ["YYYY-MM-DD"] },
  { title: "date with time", overrides: { expiresOn: "2030-06-30T00:00:00Z" }, prop: "expiresOn", received: '"2030-06-30T00:00:00Z"', mentions: ["time or time zone"] },
  { title: "date in month 13", overrides: { expiresOn: "2030-13-01" }, prop: "expiresOn", received: '"2030-13-01"', mentions: ["month 13"] },
  { title: "February 30", overrides: { expiresOn: "2030-02-30" }, prop: "expiresOn", received: '"2030-02-30"', mentions: ["February 2030 has days 01 to 28"] },
  { title: "empty accounts", overrides: { accounts: [] }, prop: "accounts", received: "[]", mentions: ["at least one account"] },
  { title: "empty account id", overrides: { accounts: ["acc-a", ""] }, prop: "accounts[1]", received: '""', mentions: ["empty string"] },
  { title: "accounts not a list", overrides: { accounts: "acc-a" }, prop: "accounts", received: '"acc-a"', mentions: ["accounts must be a list of account ids"] },
  { title: "missing accounts", overrides: { accounts: undefined }, prop: "accounts", received: "nothing", mentions: ["accounts is missing"] },
  { title: "primary account elsewhere", overrides: { primaryAccount: "acc-z" }, prop: "primaryAccount", received: '"acc-z"', mentions: ["not one of accounts", 'Add "acc-z" to accounts'] },
  { title: "empty primary account", overrides: { primaryAccount: "" }, prop: "primaryAccount", received: '""', mentions: ["empty string", "one of the ids in accounts"] },
  { title: "empty access", overrides: { access: {} }, prop: "access", received: "{}", mentions: ["no manager", 'software_trust: ["SM_SIGNER"]'] },
  { title: "uppercase manager code", overrides: { access: { Software_Trust: ["SM_SIGNER"] } }, prop: "access.Software_Trust", received: '["SM_SIGNER"]', mentions: ['"Software_Trust" is invalid', 'Write it in lowercase: "software_trust"'] },
  { title: "hyphen in manager code", overrides: { access: { "software-trust": ["SM_SIGNER"] } }, prop: 'access["software-trust"]', received: '["SM_SIGNER"]', mentions: ['"software-trust" is invalid', "lowercase letters, digits and underscores"] },
  { title: "manager without roles", overrides: { access: { software_trust: [] } }, prop: "access.software_trust", received: "[]", mentions: ['"software_trust" has no role'] },
  { title: "lowercase role code", overrides: { access: { software_trust: ["sm_signer"] } }, prop: "access.software_trust[0]", received: '"sm_signer"', mentions: ["role code is invalid", 'Write it in uppercase: "SM_SIGNER"'] },
  { title: "empty role code", overrides: { access: { software_trust: ["SM_SIGNER", ""] } }, prop: "access.software_trust[1]", received: '""', mentions: ["empty string"] },
  { title: "roles not a list", overrides: { access: { software_trust: "SM_SIGNER" } }, prop: "access.software_trust", received: '"SM_SIGNER"', mentions: ["list of role codes"] },
  { title: "access as a list", overrides: { access: ["SM_SIGNER"] }, prop: "access", received: '["SM_SIGNER"]', mentions: ["access must be a map"] },
  { title: "access map token", overrides: { access: Token.asAny("${var.access}") }, prop: "access", received: "an unresolved token", mentions: ["token as a whole", "Role lists and manager codes may be tokens"] },
  { title: "missing access", overrides: { access: undefined }, prop: "access", received: "nothing", mentions: ["access is missing"] },
  { title: "string enabled", overrides: { enabled: "false" }, prop: "enabled", received: '"false"', mentions: ["enabled is not a boolean", "false to disable it"] },
  { title: "rotationTriggers as a list", overrides: { rotationTriggers: ["2027-01"] }, prop: "rotationTriggers", received: '["2027-01"]', mentions: ["not a map of strings", 'rotationTriggers: { rotated: "2027-01" }'] },
  { title: "rotationTriggers as a Map", overrides: { rotationTriggers: new Map([["rotated", "2027-01"]]) }, prop: "rotationTriggers", received: "a Map", mentions: ["not a map of strings", "object literal"] },
  { title: "number rotation trigger", overrides: { rotationTriggers: { rotated: 2027 } }, prop: "rotationTriggers.rotated", received: "2027", mentions: ['The value of "rotated" is not a string', 'Write it as a string: "2027"'] },
  { title: "null rotation trigger", overrides: { rotationTriggers: { rotated: null } }, prop: "rotationTriggers.rotated", received: "null", mentions: ["not a string", "Convert it to a string"] },
  { title: "rotationDays 0", overrides: { rotationDays: 0 }, prop: "rotationDays", received: "0", mentions: ["less than the minimum of 1", "whole number of days from 1 to 3650"] },
  { title: "rotationDays 3651", overrides: { rotationDays: 3651 }, prop: "rotationDays", received: "3651", mentions: ["more than the maximum of 3650", "from 1 to 3650"] },
  { title: "fractional rotationDays", overrides: { rotationDays: 1.5 }, prop: "rotationDays", received: "1.5", mentions: ["not a whole number", "from 1 to 3650"] },
  { title: "NaN rotationDays", overrides: { rotationDays: NaN }, prop: "rotationDays", received: "NaN", mentions: ["not a whole number"] },
  { title: "string rotationDays", overrides: { rotationDays: "30" }, prop: "rotationDays", received: '"30"', mentions: ["rotationDays is not a number", "only when rotationTriggers changes"] },
  { title: "negative tokenOverlapDays", overrides: { tokenOverlapDays: -1 }, prop: "tokenOverlapDays", received: "-1", mentions: ["less than the minimum of 0", "whole number of days from 0 to 90", "0 revokes the previous token"] },
  { title: "tokenOverlapDays 91", overrides: { tokenOverlapDays: 91 }, prop: "tokenOverlapDays", received: "91", mentions: ["more than the maximum of 90", "omit it for the default of 1 day."] },
  { title: "infinite tokenOverlapDays", overrides: { tokenOverlapDays: Infinity }, prop: "tokenOverlapDays", received: "Infinity", mentions: ["not a whole number", "from 0 to 90"] },
  { title: "provider not a provider", overrides: { provider: {} }, prop: "provider", received: "{}", mentions: ["provider must be a TerraformProvider"] },
  { title: "tokenOutput not an identifier", overrides: { tokenOutput: "9 token" }, prop: "tokenOutput", received: '"9 token"', mentions: ["not a valid Terraform identifier"] },
  { title: "tokenOutput true", overrides: { tokenOutput: true }, prop: "tokenOutput", received: "true", mentions: ["false for no output"] },
  { title: "logicalId not an identifier", overrides: { logicalId: "service user" }, prop: "logicalId", received: '"service user"', mentions: ["not a valid Terraform identifier"] },
  { title: "name without letters", overrides: { name: "___" }, prop: "logicalId", received: "nothing", mentions: ['the name "___", which has no letter or digit', "Set logicalId"] },
  { title: "Terraform attribute name", overrides: { expiration_date: "2030-06-30" }, prop: "expiration_date", received: '"2030-06-30"', mentions: ["no prop named expiration_date", "Rename it to expiresOn"] },
  { title: "Terraform rotation attribute name", overrides: { rotation_days: 30 }, prop: "rotation_days", received: "30", mentions: ["no prop named rotation_days", "Rename it to rotationDays"] },
  { title: "unknown prop", overrides: { colour: "blue" }, prop: "colour", received: '"blue"', mentions: ["no prop named colour", "use one of name, description"] },
];

describe("ServiceUser props validation", () => {
  test.each(BAD_CASES)("rejects $title", ({ overrides, prop, received, mentions }) => {
    const props: { [prop: string]: unknown } = { ...VALID_PROPS, ...overrides };
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete props[key];
    }

    const error = constructionError(props);

    expect(error.code).toBe("DIGICERT_ONE_INVALID_PROPS");
    expect(error.constructPath).toBe("stack/bots/user");
    expect(error.message).toContain("Invalid props for ServiceUser at stack/bots/user");
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].prop).toBe(prop);
    expect(error.problems[0].received).toBe(received);
    for (const text of mentions) {
      expect(error.problems[0].message).toContain(text);
    }
    expect(error.message).toContain(`- ${prop}: received ${received}. `);
  });

  test("rejects props that are not an object", () => {
    const error = constructionError(null);

    expect(error.problems).toEqual([
      { prop: "props", received: "null", message: "The props of ServiceUser must be an object." },
    ]);
  });

  test("rejects a prop named like an Object method", () => {
    const error = constructionError({ ...VALID_PROPS, constructor: 1 });

    expect(error.problems.map((problem) => problem.prop)).toEqual(["constructor"]);
    expect(error.problems[0].message).toContain("Remove it, or use one of name, description");
  });

  test("rejects a provider of another type", () => {
    const stack = newStack();
    const aws = new OtherProvider(stack, "aws");

    let caught: unknown;
    try {
      new ServiceUser(stack, "user", { ...VALID_PROPS, provider: aws });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(InvalidPropsError);
    const problems = (caught as InvalidPropsError).problems;
    expect(problems.map((problem) => problem.prop)).toEqual(["provider"]);
    expect(problems[0].received).toBe("the OtherProvider at stack/aws");
    expect(problems[0].message).toContain('It is a "aws" provider');
  });

  test("reports every problem in one error", () => {
    const error = constructionError({
      name: "ci.bot",
      email: "platform-team",
      expiresOn: "2000-02-30",
      accounts: [""],
      primaryAccount: "acc-z",
      access: { Software_Trust: ["sm_signer"] },
      tokenOutput: "9",
    });

    expect(error.problems.map((problem) => problem.prop)).toEqual([
      "name",
      "email",
      "expiresOn",
      "accounts[0]",
      "access.Software_Trust",
      "access.Software_Trust[0]",
      "tokenOutput",
      "primaryAccount",
    ]);
    expect(error.message).toContain("(8 problems)");
    expect(error.message.split("\n")).toHaveLength(9);
  });

  test("warns on past expiry day", () => {
    const stack = newStack();

    const user = new ServiceUser(stack, "user", { ...VALID_PROPS, expiresOn: "2000-01-01" });

    const warnings = user.node.metadata.filter((entry) => entry.type === "@cdktf/warn");
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].data)).toContain('expiresOn "2000-01-01" is in the past');
    expect(String(warnings[0].data)).toContain(`today is ${utcDay(new Date())}`);
    expect(serviceUsers(stack).service_user_release_signing_bot.expiration_date).toBe("2000-01-01");
  });

  test("accepts today as expiry day", () => {
    const stack = newStack();

    new ServiceUser(stack, "user", { ...VALID_PROPS, expiresOn: utcDay(new Date()) });

    const user = serviceUsers(stack).service_user_release_signing_bot;
    expect(user.expiration_date).toBe(utcDay(new Date()));
  });

  test("skips tokens", () => {
    const stack = newStack();
    const variable = (name: string, type: string) =>
      new TerraformVariable(stack, name, { type });
    const name = variable("name", "string").stringValue;
    const email = variable("email", "string").stringValue;
    const day = variable("day", "string").stringValue;
    const accounts = variable("accounts", "list(string)").listValue;
    const primary = variable("primary", "string").stringValue;
    const roles = variable("roles", "list(string)").listValue;
    const role = variable("role", "string").stringValue;

    new ServiceUser(stack, "from-variables", {
      name,
      email,
      expiresOn: day,
      accounts,
      primaryAccount: primary,
      access: { software_trust: roles, account_manager: [role] },
      logicalId: "service_user_from_variables",
    });
    new ServiceUser(stack, "mixed", {
      name: `${name} 2`,
      email: "platform-team@example.com",
      accounts: ["acc-a", primary],
      primaryAccount: "acc-z",
      access: { software_trust: ["SM_SIGNER"] },
      logicalId: "service_user_mixed",
    });

    const users = serviceUsers(stack);
    expect(users.service_user_from_variables).toEqual({
      name: "${var.name}",
      email: "${var.email}",
      expiration_date: "${var.day}",
      account_ids: "${var.accounts}",
      primary_account_id: "${var.primary}",
      access: {
        software_trust: { roles: "${var.roles}" },
        account_manager: { roles: ["${var.role}"] },
      },
    });
    expect(users.service_user_mixed.name).toBe("${var.name} 2");
    expect(users.service_user_mixed.account_ids).toEqual(["acc-a", "${var.primary}"]);
  });

  test("skips tokens in token props", () => {
    const stack = newStack();
    const enabled = new TerraformVariable(stack, "enabled", { type: "bool" });
    const triggers = new TerraformVariable(stack, "triggers", { type: "map(string)" });
    const trigger = new TerraformVariable(stack, "trigger", { type: "string" });
    const days = new TerraformVariable(stack, "days", { type: "number" });

    new ServiceUser(stack, "whole-map", {
      ...VALID_PROPS,
      // enabled is typed boolean, like DigicertOneProvider's demo, so a
      // variable's IResolvable needs a cast.
      enabled: enabled.booleanValue as unknown as boolean,
      rotationTriggers: Token.asStringMap(triggers.value),
      rotationDays: days.numberValue,
      tokenOverlapDays: days.numberValue,
    });
    new ServiceUser(stack, "one-trigger", {
      ...VALID_PROPS,
      name: "deploy bot",
      rotationTriggers: { rotated: trigger.stringValue },
    });

    const users = serviceUsers(stack);
    expect(users.service_user_release_signing_bot.enabled).toBe("${var.enabled}");
    expect(users.service_user_release_signing_bot.rotation_triggers).toBe("${var.triggers}");
    expect(users.service_user_release_signing_bot.rotation_days).toBe("${var.days}");
    expect(users.service_user_release_signing_bot.token_overlap_days).toBe("${var.days}");
    expect(users.service_user_deploy_bot.rotation_triggers).toEqual({ rotated: "${var.trigger}" });
  });

  test("reports every token prop problem", () => {
    const error = constructionError({
      ...VALID_PROPS,
      enabled: 0,
      rotationTriggers: { rotated: 1, reason: true },
      rotationDays: 0,
      tokenOverlapDays: 91,
    });

    expect(error.problems.map((problem) => problem.prop)).toEqual([
      "enabled",
      "rotationTriggers.rotated",
      "rotationTriggers.reason",
      "rotationDays",
      "tokenOverlapDays",
    ]);
  });

  test("needs logicalId when name is a token", () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, "name", { type: "string" }).stringValue;

    let caught: unknown;
    try {
      new ServiceUser(stack, "user", { ...VALID_PROPS, name });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(InvalidPropsError);
    const problems = (caught as InvalidPropsError).problems;
    expect(problems.map((problem) => problem.prop)).toEqual(["logicalId"]);
    expect(problems[0].message).toContain("name is a token");
  });

  test("rejects a token as logicalId", () => {
    const stack = newStack();
    const id = new TerraformVariable(stack, "id", { type: "string" }).stringValue;

    let caught: unknown;
    try {
      new ServiceUser(stack, "user", { ...VALID_PROPS, logicalId: id });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(InvalidPropsError);
    const problems = (caught as InvalidPropsError).problems;
    expect(problems.map((problem) => problem.prop)).toEqual(["logicalId"]);
    expect(problems[0].message).toContain("Write it as a literal string");
  });
});

describe("ServiceUser logical id", () => {
  test.each([
    ["Release Signing Bot", "service_user_release_signing_bot", "release_signing_bot_token"],
    ["release-signing_bot 2", "service_user_release_signing_bot_2", "release_signing_bot_2_token"],
    ["CI--Bot__X", "service_user_ci_bot_x", "ci_bot_x_token"],
    ["_ci_", "service_user_ci", "ci_token"],
    ["2fa reset", "service_user_2fa_reset", "2fa_reset_token"],
  ])("derives %j from the name", (name, logicalId, outputId) => {
    const stack = newStack();

    new ServiceUser(stack, "user", { ...VALID_PROPS, name });

    const json = synth(stack);
    expect(Object.keys(json.resource?.digicertone_service_user ?? {})).toEqual([logicalId]);
    expect(Object.keys(json.output ?? {})).toEqual([outputId]);
  });

  test("does not depend on the construct's place", () => {
    const atRoot = newStack();
    new ServiceUser(atRoot, "release", VALID_PROPS);

    const nested = newStack();
    const team = new Construct(new Construct(nested, "platform"), "release-team");
    new ServiceUser(team, "signing-bot", VALID_PROPS);

    const rootJson = synth(atRoot);
    const nestedJson = synth(nested);
    expect(Object.keys(nestedJson.resource?.digicertone_service_user ?? {})).toEqual([
      "service_user_release_signing_bot",
    ]);
    expect(nestedJson.resource).toEqual(rootJson.resource);
    expect(nestedJson.output).toEqual(rootJson.output);
  });

  test("uses a pinned logicalId", () => {
    const stack = newStack();

    const renamed = new ServiceUser(stack, "user", {
      ...VALID_PROPS,
      name: "release-signing bot v2",
      logicalId: "service_user_release_signing_bot",
    });
    new ServiceUser(stack, "ci", { ...VALID_PROPS, name: "ci bot", logicalId: "ci" });

    const json = synth(stack);
    expect(Object.keys(json.resource?.digicertone_service_user ?? {}).sort()).toEqual([
      "ci",
      "service_user_release_signing_bot",
    ]);
    expect(json.resource?.digicertone_service_user.service_user_release_signing_bot.name).toBe(
      "release-signing bot v2",
    );
    expect(Object.keys(json.output ?? {}).sort()).toEqual(["ci_token", "release_signing_bot_token"]);
    expect(renamed.tokenOutput).toBeDefined();
  });

  test("exposes id and token as references", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "user", { ...VALID_PROPS, tokenOutput: false });
    new TerraformOutput(stack, "id", { value: user.serviceUserId });
    new TerraformOutput(stack, "token", { value: user.token, sensitive: true });

    const outputs = synth(stack).output ?? {};
    expect(outputs.id.value).toBe("${digicertone_service_user.service_user_release_signing_bot.id}");
    expect(outputs.token.value).toBe(
      "${digicertone_service_user.service_user_release_signing_bot.token}",
    );
  });

  test("exposes tokenCreatedAt as a reference", () => {
    const stack = newStack();
    const user = new ServiceUser(stack, "user", VALID_PROPS);
    new TerraformOutput(stack, "token_created_at", { value: user.tokenCreatedAt });

    const outputs = synth(stack).output ?? {};
    expect(outputs.token_created_at.value).toBe(
      "${digicertone_service_user.service_user_release_signing_bot.token_created_at}",
    );
  });
});

describe("ServiceUser duplicates", () => {
  /** Builds two ServiceUsers in one stack and returns the second one's error. */
  function secondError(first: Partial<ServiceUserProps>, second: Partial<ServiceUserProps>) {
    const stack = newStack();
    new ServiceUser(new Construct(stack, "team-a"), "first", { ...VALID_PROPS, ...first });
    try {
      new ServiceUser(new Construct(stack, "team-b"), "second", { ...VALID_PROPS, ...second });
    } catch (error) {
      if (error instanceof InvalidPropsError) return error;
      throw error;
    }
    throw new Error("the second ServiceUser was accepted");
  }

  test("rejects the same name", () => {
    const error = secondError({}, {});

    expect(error.problems.map((problem) => problem.prop)).toEqual(["name"]);
    expect(error.problems[0].message).toContain(
      'already used by the ServiceUser at stack/team-a/first (name "release-signing bot")',
    );
    expect(error.problems[0].message).toContain("case-insensitively");
  });

  test("rejects a name differing in case only", () => {
    const error = secondError(
      { logicalId: "bot_a", tokenOutput: "bot_a_token" },
      { name: "Release-Signing BOT", logicalId: "bot_b", tokenOutput: "bot_b_token" },
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["name"]);
    expect(error.problems[0].message).toContain("stack/team-a/first");
  });

  test("rejects names deriving one logical id", () => {
    const error = secondError({ name: "ci-bot" }, { name: "ci bot" });

    expect(error.problems.map((problem) => problem.prop)).toEqual(["name"]);
    expect(error.problems[0].message).toContain(
      'The logical id "service_user_ci_bot", derived from the name, is already used by the ServiceUser at stack/team-a/first (name "ci-bot")',
    );
    expect(error.problems[0].message).toContain("set logicalId on one of them");
  });

  test("rejects a pinned logical id in use", () => {
    const error = secondError(
      { name: "ci bot" },
      { name: "deploy bot", logicalId: "service_user_ci_bot" },
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["logicalId"]);
    expect(error.problems[0].message).toContain("Set a different logicalId");
  });

  test("rejects an output id in use", () => {
    const error = secondError(
      { name: "ci bot" },
      { name: "deploy bot", tokenOutput: "ci_bot_token" },
    );

    expect(error.problems.map((problem) => problem.prop)).toEqual(["tokenOutput"]);
    expect(error.problems[0].message).toContain(
      'The output id "ci_bot_token" is already used by the token output of the ServiceUser at stack/team-a/first',
    );
  });

  test("allows the same name in two stacks", () => {
    const app = Testing.app();
    for (const id of ["staging", "production"]) {
      const stack = new TerraformStack(app, id);
      new DigicertOneProvider(stack, "digicert-one");
      new ServiceUser(stack, "user", VALID_PROPS);
    }

    const stacks = app.node.children.filter(
      (child): child is TerraformStack => child instanceof TerraformStack,
    );
    expect(stacks.map((stack) => Object.keys(serviceUsers(stack)))).toEqual([
      ["service_user_release_signing_bot"],
      ["service_user_release_signing_bot"],
    ]);
  });

  test("lets a rejected user's name be reused", () => {
    const stack = newStack();
    expect(
      () => new ServiceUser(stack, "bad", { ...VALID_PROPS, email: "platform-team" }),
    ).toThrow(InvalidPropsError);

    new ServiceUser(stack, "good", VALID_PROPS);

    expect(Object.keys(serviceUsers(stack))).toEqual(["service_user_release_signing_bot"]);
  });
});

describe("ServiceUser token output", () => {
  test("is sensitive with the derived id", () => {
    const stack = newStack();

    const user = new ServiceUser(stack, "user", VALID_PROPS);

    expect(synth(stack).output).toEqual({
      release_signing_bot_token: {
        value: "${digicertone_service_user.service_user_release_signing_bot.token}",
        sensitive: true,
        description: "API token of the DigiCert ONE service user release-signing bot",
      },
    });
    expect(user.tokenOutput).toBeDefined();
  });

  test("takes the id from tokenOutput", () => {
    const stack = newStack();

    new ServiceUser(stack, "user", { ...VALID_PROPS, tokenOutput: "signing_token" });

    const outputs = synth(stack).output ?? {};
    expect(Object.keys(outputs)).toEqual(["signing_token"]);
    expect(outputs.signing_token.sensitive).toBe(true);
  });

  test("is left out when tokenOutput is false", () => {
    const stack = newStack();

    const user = new ServiceUser(stack, "user", { ...VALID_PROPS, tokenOutput: false });

    const json = synth(stack);
    expect(json.output).toBeUndefined();
    expect(user.tokenOutput).toBeUndefined();
    expect(Object.keys(json.resource?.digicertone_service_user ?? {})).toEqual([
      "service_user_release_signing_bot",
    ]);
  });
});

describe("ServiceUser resource", () => {
  test("maps every prop to its attribute", () => {
    const stack = newStack();

    new ServiceUser(stack, "user", {
      ...VALID_PROPS,
      description: "Signs release builds",
      primaryAccount: "acc-b",
      access: { software_trust: ["SM_SIGNER", "SM_LEAD"], account_manager: ["AM_VIEW_ONLY"] },
    });

    expect(serviceUsers(stack).service_user_release_signing_bot).toEqual({
      name: "release-signing bot",
      description: "Signs release builds",
      email: "platform-team@example.com",
      expiration_date: "2099-12-31",
      account_ids: ["acc-a", "acc-b"],
      primary_account_id: "acc-b",
      access: {
        software_trust: { roles: ["SM_SIGNER", "SM_LEAD"] },
        account_manager: { roles: ["AM_VIEW_ONLY"] },
      },
    });
  });

  test("maps the token props to their attributes", () => {
    const stack = newStack();

    new ServiceUser(stack, "user", {
      ...VALID_PROPS,
      enabled: false,
      rotationTriggers: { rotated: "2027-01", reason: "staff change" },
      rotationDays: 90,
      tokenOverlapDays: 7,
    });

    const user = serviceUsers(stack).service_user_release_signing_bot;
    expect(user.enabled).toBe(false);
    expect(user.rotation_triggers).toEqual({ rotated: "2027-01", reason: "staff change" });
    expect(user.rotation_days).toBe(90);
    expect(user.token_overlap_days).toBe(7);
  });

  test.each([
    ["lowest", 1, 0],
    ["highest", 3650, 90],
  ])("accepts the %s rotation values", (_title, rotationDays, tokenOverlapDays) => {
    const stack = newStack();

    new ServiceUser(stack, "user", { ...VALID_PROPS, rotationDays, tokenOverlapDays });

    const user = serviceUsers(stack).service_user_release_signing_bot;
    expect(user.rotation_days).toBe(rotationDays);
    expect(user.token_overlap_days).toBe(tokenOverlapDays);
  });

  test("keeps enabled true and empty triggers", () => {
    const stack = newStack();

    new ServiceUser(stack, "user", { ...VALID_PROPS, enabled: true, rotationTriggers: {} });

    const user = serviceUsers(stack).service_user_release_signing_bot;
    expect(user.enabled).toBe(true);
    expect(user.rotation_triggers).toEqual({});
  });

  test("uses the given provider", () => {
    const stack = newStack();
    const japan = new DigicertOneProvider(stack, "japan", { region: "jp", alias: "jp" });

    new ServiceUser(stack, "user", { ...VALID_PROPS, provider: japan.provider });

    expect(serviceUsers(stack).service_user_release_signing_bot.provider).toBe("digicertone.jp");
  });

  test("fails synth without a provider", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    new ServiceUser(stack, "user", VALID_PROPS);

    expect(() => Testing.synth(stack, true)).toThrow(
      "Found resources without a matching provider construct",
    );
  });
});
