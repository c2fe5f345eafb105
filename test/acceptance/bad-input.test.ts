// Every bad value fails `terraform validate` (with no credentials at all) and
// `terraform apply` with a diagnostic on its attribute, and creates nothing.
// Values at the limits apply, and two resources with one name leave one
// service user and a state that matches it.

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

interface BadCase {
  title: string;
  /** Attribute assignments that replace the valid ones. */
  override: Record<string, string>;
  /** The attribute the diagnostic must point at. */
  attribute: string;
  /** Text the diagnostic must contain. */
  message: RegExp;
  /**
   * Checked at plan time only: a date in the past is rejected when a plan
   * sets it, but a date in state that has since passed must still validate.
   */
  planOnly?: boolean;
}

const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const CASES: BadCase[] = [
  { title: "accented name", override: { name: hcl("déploiement bot") }, attribute: "name", message: /"é"/ },
  { title: "emoji name", override: { name: hcl("bot 🤖") }, attribute: "name", message: /🤖/ },
  { title: "punctuation name", override: { name: hcl("ci.bot!") }, attribute: "name", message: /"\."/ },
  { title: "control character", override: { name: hcl("ci\tbot") }, attribute: "name", message: /name/i },
  { title: "leading space", override: { name: hcl(" ci bot") }, attribute: "name", message: /space/i },
  { title: "trailing space", override: { name: hcl("ci bot ") }, attribute: "name", message: /space/i },
  { title: "null byte in name", override: { name: hcl("ci\u0000bot") }, attribute: "name", message: /"\\u0000"/ },
  { title: "empty name", override: { name: hcl("") }, attribute: "name", message: /name/i },
  { title: "65-character name", override: { name: hcl("a".repeat(65)) }, attribute: "name", message: /64/ },
  { title: "email without domain", override: { email: hcl("platform-team") }, attribute: "email", message: /platform-team/ },
  { title: "email with space", override: { email: hcl("platform team@example.com") }, attribute: "email", message: /space/i },
  { title: "null byte in email", override: { email: hcl("team\u0000@example.com") }, attribute: "email", message: /control character/ },
  { title: "null byte in description", override: { description: hcl("ci\u0000bot") }, attribute: "description", message: /\\u0000/ },
  { title: "null byte in account id", override: { account_ids: `[${hcl("acct\u0000")}]` }, attribute: "account_ids", message: /\\u0000/ },
  { title: "impossible date", override: { expiration_date: hcl("2027-02-30") }, attribute: "expiration_date", message: /2027-02-30/ },
  { title: "two-digit year", override: { expiration_date: hcl("27-01-01") }, attribute: "expiration_date", message: /YYYY-MM-DD/ },
  { title: "date with time zone", override: { expiration_date: hcl("2027-01-01T00:00:00+02:00") }, attribute: "expiration_date", message: /YYYY-MM-DD/ },
  { title: "past date", override: { expiration_date: hcl(YESTERDAY) }, attribute: "expiration_date", message: new RegExp(YESTERDAY), planOnly: true },
  { title: "empty account_ids", override: { account_ids: "[]" }, attribute: "account_ids", message: /at least one/i },
  { title: "empty access", override: { access: "{}" }, attribute: "access", message: /at least one/i },
  { title: "empty roles", override: { access: "{ account_manager = { roles = [] } }" }, attribute: "access", message: /at least one/i },
  { title: "rotation_days 0", override: { rotation_days: "0" }, attribute: "rotation_days", message: /from 1 to 3650/ },
  { title: "rotation_days 3651", override: { rotation_days: "3651" }, attribute: "rotation_days", message: /rotation_days is 3651/ },
  { title: "rotation_days 1.5", override: { rotation_days: "1.5" }, attribute: "rotation_days", message: /rotation_days is 1\.5/ },
  { title: "rotation_days -1", override: { rotation_days: "-1" }, attribute: "rotation_days", message: /rotation_days is -1/ },
  { title: "token_overlap_days -1", override: { token_overlap_days: "-1" }, attribute: "token_overlap_days", message: /from 0 to 90/ },
  { title: "token_overlap_days 91", override: { token_overlap_days: "91" }, attribute: "token_overlap_days", message: /token_overlap_days is 91/ },
];

function configWith(accountId: string, override: Record<string, string>): string {
  const attributes: Record<string, string> = {
    name: hcl("ci bot"),
    email: hcl("platform-team@example.com"),
    account_ids: `[${hcl(accountId)}]`,
    access: `{ account_manager = { roles = ["AM_VIEW_ONLY"] } }`,
    ...override,
  };
  const lines = Object.entries(attributes).map(
    ([name, value]) => `  ${name} = ${value}`,
  );
  return `
resource "digicertone_service_user" "bad" {
${lines.join("\n")}
}
`;
}

/** Terraform's source snippet line for the attribute, such as `12:   name = …`. */
function pointsAt(output: string, attribute: string): boolean {
  return new RegExp(`\\d+:\\s+${attribute}\\s*=`).test(output);
}

describe("bad input", () => {
  let emulator: RunningEmulator;
  let accountId: string;
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    [{ id: accountId }] = await activeAccounts(emulator);
    workspace = new Workspace();
    workspace.writeConfig(configWith(accountId, {}));
    await workspace.init();
  });

  afterAll(async () => {
    workspace?.remove();
    await emulator?.close();
  });

  test.each(CASES)("$title fails validate and apply", async (badCase) => {
    workspace.writeConfig(configWith(accountId, badCase.override));

    const validated = await workspace.run(["validate", "-no-color"]);
    if (badCase.planOnly) {
      expect(validated.code).toBe(0);
    } else {
      expect(validated.code).toBe(1);
      expect(validated.stderr).toMatch(badCase.message);
      expect(pointsAt(validated.stderr, badCase.attribute)).toBe(true);
    }

    const applied = await workspace.run(
      ["apply", "-no-color", "-input=false", "-auto-approve"],
      {
        DIGICERT_ONE_URL: emulator.url,
        DIGICERT_ONE_API_KEY: emulator.adminApiKey,
      },
    );
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(badCase.message);
    expect(pointsAt(applied.stderr, badCase.attribute)).toBe(true);
    expect(await serviceUsers(emulator)).toHaveLength(0);
  });

  test("unknown bad name fails at apply", async () => {
    workspace.writeConfig(
      `
resource "terraform_data" "name" {
  input = "ci.bot!"
}
` + configWith(accountId, { name: "terraform_data.name.output" }),
    );
    const env = {
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    };

    const plan = await workspace.run(["plan", "-no-color", "-input=false"], env);
    expect(plan.code).toBe(0);

    const applied = await workspace.run(
      ["apply", "-no-color", "-input=false", "-auto-approve"],
      env,
    );
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/"\."/);
    expect(await serviceUsers(emulator)).toHaveLength(0);

    // Terraform validates the configuration before a destroy too, so drop
    // the invalid resource before cleaning up the terraform_data one.
    workspace.writeConfig(`resource "terraform_data" "name" {\n  input = "ci.bot!"\n}\n`);
    await workspace.ok(
      ["destroy", "-no-color", "-input=false", "-auto-approve"],
      env,
    );
  });

  test("boundary lengths apply unchanged", async () => {
    // Names have 1 to 64 characters. DigiCert publishes no limit on
    // descriptions, so the provider sets none, and 10 000 characters must
    // arrive whole.
    const description = "d".repeat(10_000);
    const longName = "n".repeat(64);
    workspace.writeConfig(
      configWith(accountId, { name: hcl("a"), description: hcl(description) }).replace(
        '"bad"',
        '"short"',
      ) + configWith(accountId, { name: hcl(longName) }).replace('"bad"', '"long"'),
    );
    const env = {
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    };

    await workspace.ok(["apply", "-no-color", "-input=false", "-auto-approve"], env);
    const users = await serviceUsers(emulator);
    const plan = await workspace.ok(["plan", "-no-color", "-input=false"], env);
    await workspace.ok(["destroy", "-no-color", "-input=false", "-auto-approve"], env);

    expect(users.map((user) => user.friendly_name).sort()).toEqual(["a", longName]);
    expect(users.find((user) => user.friendly_name === "a")?.description).toBe(description);
    expect(plan.stdout).toContain("No changes.");
  });

  test("same name twice creates one user", async () => {
    // Terraform plans each resource on its own, so the clash shows only when
    // DigiCert ONE rejects the second create.
    workspace.writeConfig(
      configWith(accountId, { name: hcl("twin bot") }).replace('"bad"', '"first"') +
        configWith(accountId, { name: hcl("twin bot") }).replace('"bad"', '"second"'),
    );
    const env = {
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    };

    const applied = await workspace.run(
      ["apply", "-no-color", "-input=false", "-auto-approve"],
      env,
    );
    const message = applied.stderr.replace(/\s+/g, " ");
    const users = await serviceUsers(emulator);
    const state = await workspace.state();
    const plan = await workspace.ok(["plan", "-no-color", "-input=false"], env);
    await workspace.ok(["destroy", "-no-color", "-input=false", "-auto-approve"], env);

    expect(applied.code).toBe(1);
    expect(message).toContain("duplicate_error");
    expect(message).toContain('the name "twin bot"');
    expect(message).toContain("another resource in this configuration");
    expect(message).toMatch(/with digicertone_service_user\.(first|second),/);
    expect(users).toHaveLength(1);
    expect(users[0].friendly_name).toBe("twin bot");
    expect(message).toContain(users[0].id);
    expect(state).toHaveLength(1);
    expect(state[0].values.id).toBe(users[0].id);
    expect(plan.stdout).toContain("1 to add, 0 to change, 0 to destroy");
    expect(await serviceUsers(emulator)).toHaveLength(0);
  });

  test("missing API key fails at configure", async () => {
    workspace.writeConfig(configWith(accountId, {}));
    const plan = await workspace.run(["plan", "-no-color", "-input=false"], {
      DIGICERT_ONE_URL: emulator.url,
    });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("DIGICERT_ONE_API_KEY");
    expect(plan.stderr).toContain("api_key");
  });
});
