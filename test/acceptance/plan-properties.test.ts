// Property test of plan and apply: random valid configurations of several
// service users, each applied over the last, must apply without
// "inconsistent result" errors and leave a plan with no changes. The seed
// is printed on failure; set DIGICERT_ONE_PROPERTY_SEED to replay a run and
// DIGICERT_ONE_PROPERTY_ROUNDS for a longer one (default 8).

import { startTestEmulator, activeAccounts, roleIds, type RunningEmulator } from "./emulator-fixture";
import { hcl, requireBuiltProvider, requireTerraform, Workspace } from "./harness";

const DAY_MS = 86_400_000;
const USERS = 4;
const ROUNDS = Number(process.env.DIGICERT_ONE_PROPERTY_ROUNDS ?? 8);
const MANAGERS = ["account_manager", "software_trust", "trust_lifecycle", "keylocker"];

/** A small seeded generator (mulberry32), so that a failing run can be replayed. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const integer = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[integer(0, items.length - 1)];
  const chance = (probability: number): boolean => next() < probability;
  const subset = <T>(items: readonly T[], min: number): T[] => {
    const chosen = items.filter(() => chance(0.5));
    while (chosen.length < min) {
      const item = pick(items);
      if (!chosen.includes(item)) chosen.push(item);
    }
    return chosen;
  };
  return { integer, pick, chance, subset };
}

type Random = ReturnType<typeof randomSource>;

function dayFromToday(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

/** One service user's configuration; `primary` stays in its accounts once known. */
function userBlock(
  index: number,
  random: Random,
  accountIds: string[],
  roles: { [manager: string]: string[] },
  primary: string | undefined,
): string {
  const lines: string[] = [];
  const name = `prop ${index}${random.pick(["", " bot", "-bot", "_bot", " Signer"])}`;
  lines.push(`name = ${hcl(name)}`);
  lines.push(`email = ${hcl(random.pick(["platform-team@example.com", "ci+bots@example.org"]))}`);
  const description = random.pick([undefined, "", "Signs builds", "Zürich release bot — nightly"]);
  if (description !== undefined) lines.push(`description = ${hcl(description)}`);
  if (random.chance(0.5)) lines.push(`expiration_date = ${hcl(dayFromToday(random.integer(1, 900)))}`);
  const enabled = random.pick([undefined, true, false]);
  if (enabled !== undefined) lines.push(`enabled = ${enabled}`);

  const accounts = random.subset(accountIds, 1);
  if (primary !== undefined && !accounts.includes(primary)) accounts.push(primary);
  lines.push(`account_ids = [${accounts.map(hcl).join(", ")}]`);
  if (primary !== undefined && random.chance(0.5)) lines.push(`primary_account_id = ${hcl(primary)}`);

  const access = random.subset(MANAGERS, 1).map((manager) => {
    const granted = random.subset(roles[manager], 1);
    return `    ${manager} = { roles = [${granted.map(hcl).join(", ")}] }`;
  });
  lines.push(`access = {\n${access.join("\n")}\n  }`);

  const triggers = random.pick([undefined, {}, { version: String(random.integer(1, 3)) }]);
  if (triggers !== undefined) {
    const entries = Object.entries(triggers).map(([key, value]) => `${key} = ${hcl(value)}`);
    lines.push(`rotation_triggers = { ${entries.join(", ")} }`);
  }
  if (random.chance(0.3)) lines.push(`rotation_days = ${random.integer(1, 400)}`);
  if (random.chance(0.3)) lines.push(`token_overlap_days = ${random.integer(0, 5)}`);
  return `resource "digicertone_service_user" "u${index}" {\n  ${lines.join("\n  ")}\n}\n`;
}

describe("plan properties", () => {
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
    await workspace?.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    workspace?.remove();
    await emulator?.close();
  });

  test("random configurations apply cleanly and plan no changes", async () => {
    const seed = Number(process.env.DIGICERT_ONE_PROPERTY_SEED ?? Date.now() % 2 ** 31);
    const random = randomSource(seed);
    const accountIds = (await activeAccounts(emulator)).map((account) => account.id);
    const roles: { [manager: string]: string[] } = {};
    for (const manager of MANAGERS) {
      roles[manager] = Object.keys((await roleIds(emulator, manager)).roles).sort();
    }
    const primaries = new Map<number, string>();

    for (let round = 1; round <= ROUNDS; round += 1) {
      const blocks: string[] = [];
      for (let index = 0; index < USERS; index += 1) {
        blocks.push(userBlock(index, random, accountIds, roles, primaries.get(index)));
      }
      const config = blocks.join("\n");
      workspace.writeConfig(config);
      if (round === 1) await workspace.init();
      const context = `seed ${seed}, round ${round}; replay with DIGICERT_ONE_PROPERTY_SEED=${seed}\n${config}`;

      const applied = await workspace.run(["apply", "-no-color", "-input=false", "-auto-approve"]);
      if (applied.code !== 0) throw new Error(`apply failed (${context}):\n${applied.output}`);
      const plan = await workspace.run(["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
      if (plan.code !== 0) throw new Error(`plan after apply not empty (${context}):\n${plan.output}`);

      for (const resource of await workspace.state()) {
        const index = Number(resource.name.slice(1));
        primaries.set(index, resource.values.primary_account_id as string);
        expect(typeof resource.values.token).toBe("string");
      }
    }
  });
});
