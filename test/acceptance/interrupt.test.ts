// Ctrl-C during a slow apply of many service users: every user that
// DigiCert ONE created must reach the state with a working token, none may
// be created twice, and the next apply must finish the rest.

import { spawn } from "node:child_process";
import {
  baseEnvironment,
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
  type StateResource,
} from "./harness";
import { activeAccounts, RunningEmulator, startTestEmulator, tokenOwner } from "./emulator-fixture";

const USER_COUNT = 20;
/** Creations to wait for before the interrupt. */
const CREATED_BEFORE_INTERRUPT = 3;

function usersConfig(accountId: string): string {
  return `
resource "digicertone_service_user" "bot" {
  count       = ${USER_COUNT}
  name        = "interrupt-bot-\${count.index}"
  email       = "platform-team@example.com"
  account_ids = [${hcl(accountId)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
}

function countOf(text: string, phrase: string): number {
  return text.split(phrase).length - 1;
}

describe("interrupted apply", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;
  let accountId: string;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    [{ id: accountId }] = await activeAccounts(emulator);
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
  });

  afterAll(async () => {
    emulator?.setFaults({});
    await workspace?.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    workspace?.remove();
    await emulator?.close();
  });

  /**
   * Checks that state and the emulator contain the same service users, each
   * once, and that every token in state authenticates as its user. Token
   * values stay out of failure messages.
   */
  async function expectStateMatchesEmulator(output: string): Promise<StateResource[]> {
    const resources = await workspace.state();
    const stateIds = resources.map((resource) => resource.values.id as string);
    const emulatorUsers = emulator.serviceUsers();
    const emulatorIds = emulatorUsers.map((user) => user.id);

    expect(new Set(stateIds).size).toBe(stateIds.length);
    expect(new Set(emulatorUsers.map((user) => user.friendlyName)).size).toBe(emulatorUsers.length);
    expect([...stateIds].sort()).toEqual([...emulatorIds].sort());

    for (const resource of resources) {
      const id = resource.values.id as string;
      const token = resource.values.token;
      expect(typeof token).toBe("string");
      expect(await tokenOwner(emulator, token as string)).toBe(id);
      const printed = output.includes(token as string);
      expect(printed).toBe(false);
    }
    return resources;
  }

  test("Ctrl-C keeps created users and tokens", async () => {
    workspace.writeConfig(usersConfig(accountId));
    await workspace.init();
    emulator.setFaults({ seed: 20, latency: { minMs: 300, maxMs: 600 } });

    const child = spawn("terraform", ["apply", "-no-color", "-input=false", "-auto-approve"], {
      cwd: workspace.dir,
      env: baseEnvironment({
        DIGICERT_ONE_URL: emulator.url,
        DIGICERT_ONE_API_KEY: emulator.adminApiKey,
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let interrupted = false;
    let startedAtInterrupt = 0;
    const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
    const onOutput = (chunk: string) => {
      output += chunk;
      if (!interrupted && countOf(output, "Creation complete") >= CREATED_BEFORE_INTERRUPT) {
        interrupted = true;
        startedAtInterrupt = countOf(output, "Creating...");
        child.kill("SIGINT");
      }
    };
    child.stdout.setEncoding("utf8").on("data", onOutput);
    child.stderr.setEncoding("utf8").on("data", onOutput);

    const code = await exited;
    expect(interrupted).toBe(true);
    expect(output).toContain("Interrupt received");
    expect(code).not.toBe(0);
    // Some creates were still running when the interrupt came.
    expect(startedAtInterrupt).toBeGreaterThan(CREATED_BEFORE_INTERRUPT);

    // The apply stopped early: some users were never created.
    const created = emulator.serviceUsers().length;
    expect(created).toBeGreaterThanOrEqual(CREATED_BEFORE_INTERRUPT);
    expect(created).toBeLessThan(USER_COUNT);
    await expectStateMatchesEmulator(output);

    // The next apply creates the rest, and then nothing is left to change.
    emulator.setFaults({});
    const applied = await workspace.apply();
    expect(applied.stdout).toContain(`${USER_COUNT - created} added, 0 changed, 0 destroyed`);
    const resources = await expectStateMatchesEmulator(output + applied.output);
    expect(resources).toHaveLength(USER_COUNT);
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });
});
