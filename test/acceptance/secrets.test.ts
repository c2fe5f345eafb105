// The one-time token reaches `terraform output -raw` and nowhere else: not
// the plan, not the apply output, not a TF_LOG=trace log, not the
// emulator's request log. The same holds for the provider's API key, and for
// every token through import, rotation and destroy.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { startEmulator } from "../../emulator/src/server";
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

describe("token secrecy", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
  });

  afterAll(async () => {
    workspace?.remove();
    await emulator?.close();
  });

  test("aliases with literal keys reach their own tenant", async () => {
    const second = await startTestEmulator();
    const aliased = new Workspace();
    try {
      const [account] = await activeAccounts(emulator);
      const [secondAccount] = await activeAccounts(second);
      const user = (name: string, provider: string, accountId: string) => `
resource "digicertone_service_user" "${name}" {
  provider    = ${provider}
  name        = "${name} bot"
  email       = "security@example.com"
  account_ids = [${hcl(accountId)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
      aliased.writeConfig(`
provider "digicertone" {
  url     = ${hcl(emulator.url)}
  api_key = ${hcl(emulator.adminApiKey)}
}

provider "digicertone" {
  alias   = "second"
  url     = ${hcl(second.url.replace("127.0.0.1", "localhost"))}
  api_key = ${hcl(second.adminApiKey)}
}
${user("first", "digicertone", account.id)}
${user("second", "digicertone.second", secondAccount.id)}
`);
      const logFile = path.join(aliased.dir, "trace.log");
      const traced = { TF_LOG: "trace", TF_LOG_PATH: logFile };
      await aliased.init();
      const apply = await aliased.ok(
        ["apply", "-no-color", "-input=false", "-auto-approve"],
        traced,
      );
      const shown = await aliased.ok(["show", "-no-color"]);
      const plan = await aliased.ok(["plan", "-no-color", "-input=false"], traced);

      expect(apply.stdout).toContain("2 added, 0 changed, 0 destroyed");
      expect(plan.stdout).toContain("No changes.");
      expect((await serviceUsers(emulator)).map((u) => u.friendly_name)).toContain("first bot");
      expect((await serviceUsers(emulator)).map((u) => u.friendly_name)).not.toContain("second bot");
      expect((await serviceUsers(second)).map((u) => u.friendly_name)).toEqual(["second bot"]);

      const places: Array<[string, string]> = [
        ["apply", apply.output],
        ["plan", plan.output],
        ["terraform show", shown.output],
        ["state file", readFileSync(path.join(aliased.dir, "terraform.tfstate"), "utf8")],
        ["TF_LOG=trace log", readFileSync(logFile, "utf8")],
      ];
      for (const [place, text] of places) {
        for (const key of [emulator.adminApiKey, second.adminApiKey]) {
          expect({ place, apiKeyFound: text.includes(key) }).toEqual({
            place,
            apiKeyFound: false,
          });
        }
      }
    } finally {
      await aliased.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
      aliased.remove();
      await second.close();
    }
  });

  test("token is only in output -raw and state", async () => {
    const [account] = await activeAccounts(emulator);
    workspace.writeConfig(`
resource "digicertone_service_user" "audit" {
  name        = "audit reader"
  email       = "security@example.com"
  account_ids = [${hcl(account.id)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}

output "audit_token" {
  value     = digicertone_service_user.audit.token
  sensitive = true
}
`);
    const logFile = path.join(workspace.dir, "trace.log");
    const traced = { TF_LOG: "trace", TF_LOG_PATH: logFile };

    await workspace.init();
    const plan = await workspace.ok(
      ["plan", "-no-color", "-input=false", "-out=tfplan"],
      traced,
    );
    const apply = await workspace.ok(
      ["apply", "-no-color", "-input=false", "tfplan"],
      traced,
    );
    const refresh = await workspace.ok(
      ["plan", "-no-color", "-input=false"],
      traced,
    );
    const shown = await workspace.ok(["output", "-no-color"]);
    const token = (await workspace.ok(["output", "-raw", "audit_token"]))
      .stdout;
    const log = readFileSync(logFile, "utf8");

    expect(token).toMatch(/\S{16,}/);
    expect(apply.stdout).toContain("audit_token = <sensitive>");
    expect(shown.stdout).toContain("<sensitive>");
    expect(log.length).toBeGreaterThan(1000);
    expect(log).toContain("provider.digicertone");

    const places: Array<[string, string]> = [
      ["plan", plan.output],
      ["apply", apply.output],
      ["refresh plan", refresh.output],
      ["terraform output", shown.output],
      ["TF_LOG=trace log", log],
    ];
    for (const [place, text] of places) {
      // Report only where it leaked, never the token itself.
      expect({ place, tokenFound: text.includes(token) }).toEqual({
        place,
        tokenFound: false,
      });
      expect({ place, apiKeyFound: text.includes(emulator.adminApiKey) }).toEqual({
        place,
        apiKeyFound: false,
      });
    }
  });

  test("no token leaks through import, rotation or destroy", async () => {
    // An emulator of its own whose request log is captured, so the scan
    // covers what DigiCert ONE's side writes too.
    const emulatorLog: string[] = [];
    const logged = await startEmulator({
      host: "127.0.0.1",
      port: 0,
      log: (line) => emulatorLog.push(line),
    });
    const lifecycle = new Workspace({
      DIGICERT_ONE_URL: logged.url,
      DIGICERT_ONE_API_KEY: logged.adminApiKey,
    });
    const [account] = await activeAccounts(logged);
    const config = (trigger: string) => `
resource "digicertone_service_user" "bot" {
  name              = "lifecycle bot"
  email             = "security@example.com"
  account_ids       = [${hcl(account.id)}]
  rotation_triggers = { rotated = ${hcl(trigger)} }
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}

output "token" {
  value     = digicertone_service_user.bot.token
  sensitive = true
}
`;
    /** Every captured stream, by the step and stream that produced it. */
    const streams: Array<[string, string]> = [];
    const logFiles: string[] = [];
    const tokens: string[] = [];

    async function traced(step: string, args: string[]): Promise<void> {
      const logFile = path.join(lifecycle.dir, `trace-${logFiles.length}.log`);
      logFiles.push(logFile);
      const result = await lifecycle.ok(args, {
        TF_LOG: "trace",
        TF_LOG_PATH: logFile,
      });
      streams.push([`${step} stdout`, result.stdout], [`${step} stderr`, result.stderr]);
      streams.push([`${step} TF_LOG=trace log`, readFileSync(logFile, "utf8")]);
    }

    async function currentToken(): Promise<string> {
      const token = (await lifecycle.ok(["output", "-raw", "token"])).stdout;
      expect(token).toMatch(/\S{16,}/);
      tokens.push(token);
      return token;
    }

    try {
      lifecycle.writeConfig(config("1"));
      await lifecycle.init();
      await traced("plan", ["plan", "-no-color", "-input=false", "-out=tfplan"]);
      await traced("apply", ["apply", "-no-color", "-input=false", "tfplan"]);
      const created = await currentToken();
      const [{ values }] = await lifecycle.state();
      const userId = values.id as string;

      lifecycle.writeConfig(config("2"));
      await traced("rotation", ["apply", "-no-color", "-input=false", "-auto-approve"]);
      const rotated = await currentToken();

      await lifecycle.ok(["state", "rm", "-no-color", "digicertone_service_user.bot"]);
      await traced("import", [
        "import",
        "-no-color",
        "-input=false",
        "digicertone_service_user.bot",
        userId,
      ]);
      // The imported user has no token, so a new trigger issues one.
      lifecycle.writeConfig(config("3"));
      await traced("rotation after import", [
        "apply",
        "-no-color",
        "-input=false",
        "-auto-approve",
      ]);
      const afterImport = await currentToken();

      const stateShow = await lifecycle.ok(["state", "show", "-no-color", "digicertone_service_user.bot"]);
      streams.push(["state show", stateShow.output]);
      await traced("destroy", ["destroy", "-no-color", "-input=false", "-auto-approve"]);
      streams.push(["emulator log", emulatorLog.join("\n")]);

      expect(new Set([created, rotated, afterImport]).size).toBe(3);
      expect(stateShow.stdout).toContain("token");
      expect(stateShow.stdout).toContain("(sensitive value)");
      expect(logFiles.every((file) => existsSync(file))).toBe(true);
      for (const [step, text] of streams) {
        if (step.endsWith("TF_LOG=trace log")) {
          expect({ step, tracesProvider: text.includes("provider.digicertone") }).toEqual({
            step,
            tracesProvider: true,
          });
        }
      }
      expect(emulatorLog.some((line) => line.includes("/api-access-token"))).toBe(true);
      expect(await serviceUsers(logged)).toHaveLength(0);

      const secrets: Array<[string, string]> = [
        ["created token", created],
        ["rotated token", rotated],
        ["token issued after import", afterImport],
        ["API key", logged.adminApiKey],
      ];
      for (const [place, text] of streams) {
        for (const [secret, value] of secrets) {
          // Report only where it leaked, never the secret itself.
          expect({ place, secret, found: text.includes(value) }).toEqual({
            place,
            secret,
            found: false,
          });
        }
      }
    } finally {
      await lifecycle.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
      lifecycle.remove();
      await logged.close();
    }
  });
});
