// The example CDK for Terraform app in examples/app: its synthesized stack is
// pinned by a snapshot, contains no secret and no machine-specific path, and
// refers only to accounts, managers and roles that the emulator seeds.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { App } from "cdktf";

import { ACCOUNTS, APPLICATIONS, ROLES } from "../../emulator/src/catalogue";
import { EMULATOR_ACCOUNT_NAMES, PlatformStack } from "../../examples/app/platform-stack";

const ROOT = path.resolve(__dirname, "../..");

interface StackJson {
  terraform: { backend: { local: { path: string } } };
  provider: { digicertone: Array<{ api_key?: string }> };
  variable: { [name: string]: { default?: unknown; sensitive?: boolean } };
  data: {
    digicertone_account: { [name: string]: { for_each?: string; name?: string } };
  };
  resource: {
    digicertone_service_user: {
      [name: string]: {
        name: string;
        account_ids: unknown;
        access: { [manager: string]: { roles: string[] } };
      };
    };
    digicertone_service_user_role_binding: {
      [name: string]: { service_user_id: string; manager: string; roles: string[] };
    };
  };
  output: { [name: string]: { value: unknown; sensitive?: boolean } };
}

/** Synthesizes the platform stack into a temporary outdir and returns its file's text. */
function synthesizeInProcess(): string {
  const outdir = mkdtempSync(path.join(tmpdir(), "example-synth-"));
  try {
    const app = new App({ outdir });
    new PlatformStack(app, "platform");
    app.synth();
    return readFileSync(path.join(outdir, "stacks/platform/cdk.tf.json"), "utf8");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Collects every string value of a JSON value, depth first, leaving out object keys. */
function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === "object") {
    return Object.values(value).flatMap(stringsOf);
  }
  return [];
}

const TOKEN_OUTPUTS = [
  "release_signing_bot_token",
  "certificate_automation_bot_token",
  "audit_reader_token",
];

describe("examples/app", () => {
  const text = synthesizeInProcess();
  const stack = JSON.parse(text) as StackJson;

  test("stack JSON matches snapshot", () => {
    expect(stack).toMatchSnapshot();
  });

  test("main.ts writes the same JSON", async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "example-main-"));
    try {
      await promisify(execFile)(
        process.execPath,
        [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "examples/app/main.ts"],
        { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir } },
      );
      const written = readFileSync(path.join(outdir, "stacks/platform/cdk.tf.json"), "utf8");
      expect(written).toBe(text);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("token outputs are sensitive", () => {
    for (const name of TOKEN_OUTPUTS) {
      expect(stack.output[name]).toBeDefined();
      expect(stack.output[name].sensitive).toBe(true);
    }
  });

  test("every output naming a token is sensitive", () => {
    for (const [name, output] of Object.entries(stack.output)) {
      if (JSON.stringify(output.value).includes(".token}")) {
        expect({ name, sensitive: output.sensitive }).toEqual({ name, sensitive: true });
      }
    }
  });

  test("no API key literal", () => {
    const apiKey = stack.provider.digicertone[0].api_key;
    if (apiKey !== undefined) {
      expect(apiKey).toMatch(/^\$\{var\.[a-z_]+\}$/);
    }
    // The emulator's keys and tokens have this shape.
    expect(text).not.toMatch(/[0-9a-f]{26}_[0-9a-f]{64}/);
    for (const variable of Object.values(stack.variable)) {
      if (variable.sensitive === true) {
        expect(variable.default ?? null).toBeNull();
      }
    }
  });

  test("no absolute paths", () => {
    expect(stack.terraform.backend.local.path).toBe("../../../terraform.platform.tfstate");
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain(tmpdir());
    const absolute = stringsOf(stack).filter((value) => path.isAbsolute(value));
    expect(absolute).toEqual([]);
  });

  test("account names default to the seeded active accounts", () => {
    const active = ACCOUNTS.filter((account) => account.active).map((account) => account.name);
    expect(EMULATOR_ACCOUNT_NAMES).toEqual(active);
    expect(stack.variable.account_names.default).toEqual(active);
  });

  test("accounts are looked up by name", () => {
    expect(stack.data.digicertone_account.accounts).toEqual(
      expect.objectContaining({ for_each: "${toset(var.account_names)}", name: "${each.value}" }),
    );
    for (const user of Object.values(stack.resource.digicertone_service_user)) {
      expect({ name: user.name, accountIds: user.account_ids }).toEqual({
        name: user.name,
        accountIds: "${[ for key, val in data.digicertone_account.accounts: val.id]}",
      });
    }
  });

  test("audit reader gets a role binding", () => {
    expect(stack.resource.digicertone_service_user_role_binding).toEqual({
      role_binding_audit_reader_trust_lifecycle: expect.objectContaining({
        service_user_id: "${digicertone_service_user.service_user_audit_reader.id}",
        manager: "trust_lifecycle",
        roles: ["EM_VIEW_ONLY"],
      }),
    });
  });

  test("roles exist in the emulator catalogue", () => {
    const users = Object.values(stack.resource.digicertone_service_user);
    expect(users.map((user) => user.name).sort()).toEqual([
      "audit reader",
      "certificate-automation bot",
      "release-signing bot",
    ]);
    const grants = users.flatMap((user) =>
      Object.entries(user.access).map(([manager, { roles }]) => ({ manager, roles })),
    );
    for (const binding of Object.values(stack.resource.digicertone_service_user_role_binding)) {
      grants.push({ manager: binding.manager, roles: binding.roles });
    }

    for (const { manager, roles } of grants) {
      const application = APPLICATIONS.find((candidate) => candidate.code === manager);
      expect({ manager, known: application !== undefined }).toEqual({ manager, known: true });
      const roleCodes = ROLES.filter((role) => role.applicationId === application?.id).map(
        (role) => role.code,
      );
      for (const role of roles) {
        expect(roleCodes).toContain(role);
      }
    }
  });
});
