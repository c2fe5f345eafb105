// 100 service users applied in one run while the emulator rate limits,
// fails and drops responses: the retries and the lost-create recovery must
// end with exactly 100 users, no duplicates, and every token in state and
// working.

import type { FaultOptions } from "../../emulator/src/faults";
import { requireBuiltProvider, requireTerraform, Workspace, hcl } from "./harness";
import {
  activeAccounts,
  serviceUsers,
  startTestEmulator,
  tokenOwner,
  type RunningEmulator,
} from "./emulator-fixture";

const USERS = 100;

/** 30% 429s, 10% 503s, and 5% of read and update responses dropped after the work. */
const FAULT_MIX: FaultOptions = {
  seed: 6,
  randomRateLimit: { probability: 0.3, retryAfterSeconds: 1 },
  serverErrors: { probability: 0.1 / 0.7, statuses: [503] },
  dropResponses: { probability: 0.05, methods: ["GET", "PUT"] },
};

function config(prefix: string, accountId: string): string {
  return `
provider "digicertone" {
  # The fault mix fails 40% of requests; allow long runs of failures.
  max_retries        = 15
  max_retry_duration = "5m"
}

resource "digicertone_service_user" "load" {
  count       = ${USERS}
  name        = "${prefix} \${count.index}"
  email       = "platform-team@example.com"
  account_ids = [${hcl(accountId)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
}

describe("apply under faults", () => {
  let emulator: RunningEmulator;
  let accountId: string;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    [{ id: accountId }] = await activeAccounts(emulator);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  async function applyUnderFaults(
    prefix: string,
    faults: FaultOptions,
    expectRecovery = false,
  ): Promise<void> {
    const workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
    try {
      workspace.writeConfig(config(prefix, accountId));
      await workspace.init();
      emulator.setFaults(faults);
      const applied = await workspace.run(["apply", "-no-color", "-input=false", "-auto-approve"]);
      emulator.setFaults({});
      if (applied.code !== 0) {
        throw new Error(`apply under faults failed:\n${applied.output.slice(-4000)}`);
      }
      expect(applied.output).toContain(`${USERS} added, 0 changed, 0 destroyed`);
      if (expectRecovery) expect(applied.output).toContain("Recovered service user");

      const users = (await serviceUsers(emulator)).filter((user) =>
        user.friendly_name.startsWith(`${prefix} `),
      );
      expect(users).toHaveLength(USERS);
      expect(new Set(users.map((user) => user.friendly_name)).size).toBe(USERS);

      const state = await workspace.state();
      expect(state).toHaveLength(USERS);
      const stateIds = state.map((resource) => resource.values.id as string).sort();
      expect(stateIds).toEqual(users.map((user) => user.id).sort());
      const owners = await Promise.all(state.map((resource) => tokenOwner(emulator, resource.values.token)));
      expect(owners).toEqual(state.map((resource) => resource.values.id));
      for (const resource of state) {
        expect(applied.output).not.toContain(resource.values.token as string);
      }

      expect((await workspace.plan()).stdout).toContain("No changes.");
    } finally {
      emulator.setFaults({});
      await workspace.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
      workspace.remove();
    }
  }

  test("100 users with 429s, 503s and dropped reads", async () => {
    await applyUnderFaults("load", FAULT_MIX);
  });

  test("dropped create responses are recovered", async () => {
    await applyUnderFaults("recovered", {
      ...FAULT_MIX,
      seed: 7,
      dropResponses: { probability: 0.05, methods: ["GET", "PUT", "POST"] },
    }, true);
  });
});
