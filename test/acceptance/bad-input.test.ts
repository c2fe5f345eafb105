// Every bad value fails `terraform validate` (with no credentials at all) and
// `terraform apply` with a diagnostic on its attribute, and creates nothing.

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
  { title: "empty name", override: { name: hcl("") }, attribute: "name", message: /name/i },
  { title: "65-character name", override: { name: hcl("a".repeat(65)) }, attribute: "name", message: /64/ },
  { title: "email without domain", override: { email: hcl("platform-team") }, attribute: "email", message: /platform-team/ },
  { title: "email with space", override: { email: hcl("platform team@example.com") }, attribute: "email", message: /email/i },
  { title: "impossible date", override: { expiration_date: hcl("2027-02-30") }, attribute: "expiration_date", message: /2027-02-30/ },
  { title: "two-digit year", override: { expiration_date: hcl("27-01-01") }, attribute: "expiration_date", message: /YYYY-MM-DD/ },
  { title: "date with time zone", override: { expiration_date: hcl("2027-01-01T00:00:00+02:00") }, attribute: "expiration_date", message: /YYYY-MM-DD/ },
  { title: "past date", override: { expiration_date: hcl(YESTERDAY) }, attribute: "expiration_date", message: new RegExp(YESTERDAY), planOnly: true },
  { title: "empty account_ids", override: { account_ids: "[]" }, attribute: "account_ids", message: /at least one/i },
  { title: "empty access", override: { access: "{}" }, attribute: "access", message: /at least one/i },
  { title: "empty roles", override: { access: "{ account_manager = { roles = [] } }" }, attribute: "access", message: /at least one/i },
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
