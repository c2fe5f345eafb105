// The state backend of the example app in examples/app: a local file unless
// PG_CONN_STR is set, then Terraform's pg backend with a schema and without
// the connection string, so the database password never reaches the
// synthesized JSON.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { App } from "cdktf";

import {
  BackendSettingError,
  defaultPgSchema,
  stateBackendFromEnvironment,
} from "../../examples/app/backend";
import { PlatformStack } from "../../examples/app/platform-stack";

const PASSWORD = "s3cret-Pa55word";
const CONN_STR = `postgres://terraform:${PASSWORD}@db.example.com:5432/terraform_state?sslmode=require`;

interface BackendJson {
  terraform: { backend: { [kind: string]: { [name: string]: unknown } } };
}

/** Synthesizes the platform stack with `env` and returns cdk.tf.json's text. */
function synthesize(env: NodeJS.ProcessEnv): string {
  const outdir = mkdtempSync(path.join(tmpdir(), "example-backend-"));
  try {
    const app = new App({ outdir });
    new PlatformStack(app, "platform", { env });
    app.synth();
    return readFileSync(path.join(outdir, "stacks/platform/cdk.tf.json"), "utf8");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("example app backend", () => {
  test("local file without PG_CONN_STR", () => {
    const stack = JSON.parse(synthesize({})) as BackendJson;
    expect(stack.terraform.backend).toEqual({
      local: { path: "../../../terraform.platform.tfstate" },
    });
  });

  test("empty PG_CONN_STR keeps the local file", () => {
    const stack = JSON.parse(synthesize({ PG_CONN_STR: "" })) as BackendJson;
    expect(Object.keys(stack.terraform.backend)).toEqual(["local"]);
  });

  test("pg with the default schema", () => {
    const stack = JSON.parse(synthesize({ PG_CONN_STR: CONN_STR })) as BackendJson;
    expect(stack.terraform.backend).toEqual({ pg: { schema_name: "digicertone_platform" } });
  });

  test("pg with DIGICERT_ONE_PG_SCHEMA", () => {
    const text = synthesize({ PG_CONN_STR: CONN_STR, DIGICERT_ONE_PG_SCHEMA: "team_state" });
    const stack = JSON.parse(text) as BackendJson;
    expect(stack.terraform.backend).toEqual({ pg: { schema_name: "team_state" } });
  });

  test("connection string stays out of JSON", () => {
    const text = synthesize({ PG_CONN_STR: CONN_STR });
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain("db.example.com");
    expect(text).not.toContain("conn_str");
  });

  test("default schema is a plain identifier", () => {
    expect(defaultPgSchema("platform")).toBe("digicertone_platform");
    expect(defaultPgSchema("Team-A")).toBe("digicertone_team_a");
  });

  test.each([
    ["uppercase letters", "Team_State"],
    ["a leading digit", "1state"],
    ["a hyphen", "team-state"],
    ["a quote", 'state"; DROP SCHEMA public; --'],
    ["64 characters", "s".repeat(64)],
  ])("schema with %s is rejected", (_, schema) => {
    const env = { PG_CONN_STR: CONN_STR, DIGICERT_ONE_PG_SCHEMA: schema };
    expect(() => stateBackendFromEnvironment("platform", env)).toThrow(BackendSettingError);
    expect(() => stateBackendFromEnvironment("platform", env)).toThrow(
      `DIGICERT_ONE_PG_SCHEMA is ${JSON.stringify(schema)}, which is not a valid schema name.`,
    );
  });

  test("63-character schema is accepted", () => {
    const schema = "s".repeat(63);
    const env = { PG_CONN_STR: CONN_STR, DIGICERT_ONE_PG_SCHEMA: schema };
    expect(stateBackendFromEnvironment("platform", env)).toEqual({ kind: "pg", schemaName: schema });
  });

  test("schema is ignored without PG_CONN_STR", () => {
    const env = { DIGICERT_ONE_PG_SCHEMA: "Not Valid" };
    expect(stateBackendFromEnvironment("platform", env)).toEqual({
      kind: "local",
      path: "../../../terraform.platform.tfstate",
    });
  });
});
