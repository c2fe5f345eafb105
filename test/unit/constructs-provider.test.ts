// The DigicertOneProvider construct: settings passed through to the
// provider block, props validation, and an API key that never reaches the
// synthesized JSON.

import { readFileSync } from "node:fs";
import path from "node:path";
import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import {
  DigicertOneProvider,
  InvalidPropsError,
  type DigicertOneProviderProps,
} from "../../constructs/src";

/** Terraform JSON as cdktf synthesizes it; only the parts the tests read. */
interface SynthesizedStack {
  provider?: { digicertone?: { [attribute: string]: unknown }[] };
  variable?: { [name: string]: { [attribute: string]: unknown } };
}

function newStack(): TerraformStack {
  return new TerraformStack(Testing.app(), "stack");
}

function synth(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

function providerBlocks(stack: TerraformStack) {
  return synth(stack).provider?.digicertone ?? [];
}

/** Builds a DigicertOneProvider at stack/digicert-one and returns the error it throws. */
function constructionError(props: unknown, stack = newStack()): InvalidPropsError {
  try {
    new DigicertOneProvider(stack, "digicert-one", props as DigicertOneProviderProps);
  } catch (error) {
    if (error instanceof InvalidPropsError) return error;
    throw error;
  }
  throw new Error("DigicertOneProvider accepted the props");
}

const LITERAL_KEY = "0123456789abcdef01234567ab_" + "f".repeat(64);

describe("DigicertOneProvider API key", () => {
  test("defaults to a sensitive nullable variable", () => {
    const stack = newStack();

    const digicertOne = new DigicertOneProvider(stack, "digicert-one");

    const json = synth(stack);
    expect(json.variable).toEqual({
      digicert_one_api_key: {
        type: "string",
        sensitive: true,
        nullable: true,
        default: null,
        description:
          "API key of a DigiCert ONE user whose role has the Manage users permission. When it is null, the provider reads the DIGICERT_ONE_API_KEY environment variable.",
      },
    });
    expect(json.provider?.digicertone).toEqual([{ api_key: "${var.digicert_one_api_key}" }]);
    expect(digicertOne.apiKeyVariable).toBeDefined();
  });

  test("rejects a literal without showing it", () => {
    const error = constructionError({ apiKey: LITERAL_KEY });

    expect(error.problems.map((problem) => problem.prop)).toEqual(["apiKey"]);
    expect(error.problems[0].received).toBe("a string (not shown)");
    expect(error.problems[0].message).toContain("plain text");
    expect(error.problems[0].message).toContain("TF_VAR_digicert_one_api_key");
    expect(error.message).toContain("Invalid props for DigicertOneProvider at stack/digicert-one");
    expect(error.message).not.toContain(LITERAL_KEY);
  });

  test("rejects an empty literal", () => {
    const error = constructionError({ apiKey: "" });

    expect(error.problems.map((problem) => problem.prop)).toEqual(["apiKey"]);
    expect(error.problems[0].message).toContain("literal string");
  });

  test("rejects literal text around a token", () => {
    const stack = newStack();
    const suffix = new TerraformVariable(stack, "suffix", { type: "string", sensitive: true });

    const error = constructionError({ apiKey: `${LITERAL_KEY.slice(0, 27)}${suffix.stringValue}` }, stack);

    expect(error.problems.map((problem) => problem.prop)).toEqual(["apiKey"]);
    expect(error.problems[0].message).toContain("mixes a token with literal text");
    expect(error.message).not.toContain(LITERAL_KEY.slice(0, 27));
  });

  test("rejects a non-string", () => {
    const error = constructionError({ apiKey: 12345 });

    expect(error.problems[0].prop).toBe("apiKey");
    expect(error.problems[0].received).toBe("a value of type number (not shown)");
    expect(error.message).not.toContain("12345");
  });

  test("uses a token as given", () => {
    const stack = newStack();
    const key = new TerraformVariable(stack, "my_key", { type: "string", sensitive: true });

    const digicertOne = new DigicertOneProvider(stack, "digicert-one", { apiKey: key.stringValue });

    const json = synth(stack);
    expect(json.provider?.digicertone).toEqual([{ api_key: "${var.my_key}" }]);
    expect(Object.keys(json.variable ?? {})).toEqual(["my_key"]);
    expect(digicertOne.apiKeyVariable).toBeUndefined();
  });

  test("shares one variable between providers", () => {
    const stack = newStack();

    const first = new DigicertOneProvider(stack, "us");
    const second = new DigicertOneProvider(stack, "japan", { region: "jp", alias: "jp" });

    const json = synth(stack);
    expect(Object.keys(json.variable ?? {})).toEqual(["digicert_one_api_key"]);
    expect(second.apiKeyVariable).toBe(first.apiKeyVariable);
    expect(json.provider?.digicertone).toEqual([
      { api_key: "${var.digicert_one_api_key}" },
      { alias: "jp", api_key: "${var.digicert_one_api_key}", region: "jp" },
    ]);
  });

  test("rejects a foreign variable of that name", () => {
    const stack = newStack();
    new TerraformVariable(stack, "digicert_one_api_key", { type: "string" });

    const error = constructionError({}, stack);

    expect(error.problems.map((problem) => problem.prop)).toEqual(["apiKey"]);
    expect(error.problems[0].message).toContain("stack/digicert_one_api_key");
    expect(error.problems[0].message).toContain("Pass that variable's stringValue as apiKey");
  });

  test("never writes a key from the environment", () => {
    const environmentKey = "fedcba9876543210fedcba9876_" + "e".repeat(64);
    const saved = {
      DIGICERT_ONE_API_KEY: process.env.DIGICERT_ONE_API_KEY,
      TF_VAR_digicert_one_api_key: process.env.TF_VAR_digicert_one_api_key,
    };
    process.env.DIGICERT_ONE_API_KEY = environmentKey;
    process.env.TF_VAR_digicert_one_api_key = environmentKey;
    try {
      const stack = newStack();
      new DigicertOneProvider(stack, "digicert-one", { url: "http://127.0.0.1:8080" });

      const outdir = Testing.fullSynth(stack);
      const text = readFileSync(path.join(outdir, "stacks", "stack", "cdk.tf.json"), "utf8");

      expect(text).toContain('"api_key": "${var.digicert_one_api_key}"');
      expect(text).not.toContain(environmentKey);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe("DigicertOneProvider settings", () => {
  test("passes region and demo through", () => {
    const stack = newStack();

    new DigicertOneProvider(stack, "digicert-one", { region: "ch", demo: true });

    expect(providerBlocks(stack)).toEqual([
      { api_key: "${var.digicert_one_api_key}", demo: true, region: "ch" },
    ]);
  });

  test("passes url and alias through", () => {
    const stack = newStack();

    new DigicertOneProvider(stack, "digicert-one", {
      url: "http://127.0.0.1:8080",
      alias: "emulator",
    });

    expect(providerBlocks(stack)).toEqual([
      { alias: "emulator", api_key: "${var.digicert_one_api_key}", url: "http://127.0.0.1:8080" },
    ]);
  });

  test("passes demo false through", () => {
    const stack = newStack();

    new DigicertOneProvider(stack, "digicert-one", { region: "nl", demo: false });

    expect(providerBlocks(stack)).toEqual([
      { api_key: "${var.digicert_one_api_key}", demo: false, region: "nl" },
    ]);
  });

  test.each([0, 30, 3650])("passes expiryWarningDays %d through", (days) => {
    const stack = newStack();

    new DigicertOneProvider(stack, "digicert-one", { expiryWarningDays: days });

    expect(providerBlocks(stack)).toEqual([
      { api_key: "${var.digicert_one_api_key}", expiry_warning_days: days },
    ]);
  });

  test("leaves expiryWarningDays out by default", () => {
    const stack = newStack();

    new DigicertOneProvider(stack, "digicert-one");

    expect(providerBlocks(stack)[0]).not.toHaveProperty("expiry_warning_days");
  });

  test("skips an expiryWarningDays token", () => {
    const stack = newStack();
    const days = new TerraformVariable(stack, "days", { type: "number" });

    new DigicertOneProvider(stack, "digicert-one", { expiryWarningDays: days.numberValue });

    expect(providerBlocks(stack)).toEqual([
      { api_key: "${var.digicert_one_api_key}", expiry_warning_days: "${var.days}" },
    ]);
  });

  test("skips tokens", () => {
    const stack = newStack();
    const url = new TerraformVariable(stack, "url", { type: "string" });
    const region = new TerraformVariable(stack, "region", { type: "string" });

    new DigicertOneProvider(stack, "from-variables", {
      url: url.stringValue,
      region: region.stringValue as "us",
    });

    expect(providerBlocks(stack)).toEqual([
      { api_key: "${var.digicert_one_api_key}", region: "${var.region}", url: "${var.url}" },
    ]);
  });
});

interface BadCase {
  title: string;
  props: { [prop: string]: unknown };
  prop: string;
  received: string;
  /** Texts the problem message must contain. */
  mentions: string[];
}

const BAD_CASES: BadCase[] = [
  { title: "ftp url", props: { url: "ftp://one.digicert.com" }, prop: "url", received: '"ftp://one.digicert.com"', mentions: ['scheme "ftp"', "https"] },
  { title: "http url on a public host", props: { url: "http://one.digicert.com" }, prop: "url", received: '"http://one.digicert.com"', mentions: ["only for loopback hosts"] },
  { title: "url with a path", props: { url: "https://one.digicert.com/account" }, prop: "url", received: '"https://one.digicert.com/account"', mentions: ['the path "/account"'] },
  { title: "url with credentials", props: { url: "https://admin:hunter2@one.digicert.com" }, prop: "url", received: '"https://REDACTED@one.digicert.com"', mentions: ["user name or password"] },
  { title: "relative url", props: { url: "one.digicert.com" }, prop: "url", received: '"one.digicert.com"', mentions: ["not an absolute URL"] },
  { title: "uppercase region", props: { region: "JP" }, prop: "region", received: '"JP"', mentions: ["not a DigiCert ONE region", 'Write it in lowercase: "jp"'] },
  { title: "unknown region", props: { region: "eu" }, prop: "region", received: '"eu"', mentions: ['"us", "jp", "ch" and "nl"'] },
  { title: "string demo", props: { demo: "yes" }, prop: "demo", received: '"yes"', mentions: ["demo is not a boolean"] },
  { title: "url with region", props: { url: "https://one.digicert.com", region: "us" }, prop: "url", received: '"https://one.digicert.com"', mentions: ["url is set together with region", "Remove url"] },
  { title: "url with demo", props: { url: "https://one.digicert.com", demo: true }, prop: "url", received: '"https://one.digicert.com"', mentions: ["url is set together with demo: true"] },
  { title: "alias with a space", props: { alias: "us east" }, prop: "alias", received: '"us east"', mentions: ["not a valid Terraform identifier"] },
  { title: "negative expiryWarningDays", props: { expiryWarningDays: -1 }, prop: "expiryWarningDays", received: "-1", mentions: ["less than the minimum of 0", "whole number of days from 0 to 3650", "0 turns the warning off"] },
  { title: "expiryWarningDays 3651", props: { expiryWarningDays: 3651 }, prop: "expiryWarningDays", received: "3651", mentions: ["more than the maximum of 3650", "omit it for the default of 30 days"] },
  { title: "fractional expiryWarningDays", props: { expiryWarningDays: 7.5 }, prop: "expiryWarningDays", received: "7.5", mentions: ["not a whole number", "from 0 to 3650"] },
  { title: "string expiryWarningDays", props: { expiryWarningDays: "30" }, prop: "expiryWarningDays", received: '"30"', mentions: ["expiryWarningDays is not a number", "from 0 to 3650"] },
  { title: "Terraform expiry attribute name", props: { expiry_warning_days: 30 }, prop: "expiry_warning_days", received: "30", mentions: ["no prop named expiry_warning_days", "Rename it to expiryWarningDays"] },
  { title: "Terraform attribute name", props: { api_key: "x" }, prop: "api_key", received: '"x"', mentions: ["no prop named api_key", "Rename it to apiKey"] },
];

describe("DigicertOneProvider props validation", () => {
  test.each(BAD_CASES)("rejects $title", ({ props, prop, received, mentions }) => {
    const error = constructionError(props);

    expect(error.code).toBe("DIGICERT_ONE_INVALID_PROPS");
    expect(error.constructPath).toBe("stack/digicert-one");
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].prop).toBe(prop);
    expect(error.problems[0].received).toBe(received);
    for (const text of mentions) {
      expect(error.problems[0].message).toContain(text);
    }
  });

  test("rejects props that are not an object", () => {
    const error = constructionError(null);

    expect(error.problems).toEqual([
      { prop: "props", received: "null", message: "The props of DigicertOneProvider must be an object." },
    ]);
  });

  test("never shows URL credentials", () => {
    const error = constructionError({ url: "https://admin:hunter2@one.digicert.com/?token=abc" });

    expect(error.message).not.toContain("hunter2");
    expect(error.message).not.toContain("abc");
  });

  test("reports every problem in one error", () => {
    const error = constructionError({
      url: "http://one.digicert.com",
      region: "EU",
      demo: 1,
      apiKey: LITERAL_KEY,
      alias: "1st",
    });

    expect(error.problems.map((problem) => problem.prop)).toEqual([
      "url",
      "region",
      "demo",
      "apiKey",
      "alias",
      "url",
    ]);
    expect(error.message).toContain("(6 problems)");
    expect(error.message).not.toContain(LITERAL_KEY);
  });
});

describe("DigicertOneProvider policy", () => {
  test("renders every rule as a provider block", () => {
    const stack = newStack();

    new DigicertOneProvider(stack, "digicert-one", {
      policy: {
        requireExpiration: {},
        maxLifetime: { days: 365, severity: "warning" },
        namePattern: { regex: "ci-[a-z0-9-]+" },
        allowedRoles: { software_trust: { roles: ["SM_SIGNER", "SM_VIEW_ONLY"] } },
        forbiddenRoles: {
          software_trust: { roles: ["SM_ADMIN"] },
          account_manager: { roles: ["AM_ACCOUNT_ADMIN"], severity: "warning" },
        },
      },
    });

    const [block] = providerBlocks(stack);
    expect(block.policy).toEqual({
      require_expiration: {},
      max_lifetime: { days: 365, severity: "warning" },
      name_pattern: { regex: "ci-[a-z0-9-]+" },
      allowed_roles: [{ manager: "software_trust", roles: ["SM_SIGNER", "SM_VIEW_ONLY"] }],
      forbidden_roles: [
        { manager: "account_manager", roles: ["AM_ACCOUNT_ADMIN"], severity: "warning" },
        { manager: "software_trust", roles: ["SM_ADMIN"] },
      ],
    });
  });

  test("leaves the block out without a policy", () => {
    const stack = newStack();

    new DigicertOneProvider(stack, "digicert-one");

    expect(providerBlocks(stack)[0]).not.toHaveProperty("policy");
  });

  test("rejects an invalid regex", () => {
    const error = constructionError({ policy: { namePattern: { regex: "ci-[a-z" } } });

    expect(error.problems.map((problem) => problem.prop)).toEqual(["policy.namePattern.regex"]);
    expect(error.problems[0].received).toBe('"ci-[a-z"');
    expect(error.problems[0].message).toContain("is not a valid JavaScript regular expression");
  });

  test("rejects an unknown severity", () => {
    const error = constructionError({ policy: { requireExpiration: { severity: "fatal" } } });

    expect(error.problems.map((problem) => problem.prop)).toEqual([
      "policy.requireExpiration.severity",
    ]);
    expect(error.problems[0].message).toContain('severity must be "error"');
  });

  test.each([0, 3651, 1.5, undefined])("rejects maxLifetime days of %s", (days) => {
    const error = constructionError({ policy: { maxLifetime: { days } } });

    expect(error.problems.map((problem) => problem.prop)).toEqual(["policy.maxLifetime.days"]);
    expect(error.problems[0].message).toContain("from 1 to 3650");
  });

  test("rejects bad manager and role codes", () => {
    const error = constructionError({
      policy: { forbiddenRoles: { Software_Trust: { roles: ["sm_admin"] } } },
    });

    expect(error.problems.map((problem) => problem.prop)).toEqual([
      "policy.forbiddenRoles.Software_Trust.roles[0]",
      "policy.forbiddenRoles.Software_Trust",
    ]);
    expect(error.problems[0].message).toContain('Write "SM_ADMIN".');
    expect(error.problems[1].message).toContain('Write "software_trust".');
  });

  test("rejects an empty role list", () => {
    const error = constructionError({ policy: { allowedRoles: { software_trust: { roles: [] } } } });

    expect(error.problems.map((problem) => problem.prop)).toEqual([
      "policy.allowedRoles.software_trust.roles",
    ]);
    expect(error.problems[0].message).toContain("roles is empty.");
  });

  test("rejects an unknown rule", () => {
    const error = constructionError({ policy: { requireExpirationDate: {} } });

    expect(error.problems.map((problem) => problem.prop)).toEqual([
      "policy.requireExpirationDate",
    ]);
  });

  test("accepts tokens", () => {
    const stack = newStack();
    const days = new TerraformVariable(stack, "days", { type: "number" });
    const regex = new TerraformVariable(stack, "regex", { type: "string" });

    new DigicertOneProvider(stack, "digicert-one", {
      policy: {
        maxLifetime: { days: days.numberValue },
        namePattern: { regex: regex.stringValue },
      },
    });

    const [block] = providerBlocks(stack);
    expect(block.policy).toEqual({
      max_lifetime: { days: "${var.days}" },
      name_pattern: { regex: "${var.regex}" },
    });
  });
});
