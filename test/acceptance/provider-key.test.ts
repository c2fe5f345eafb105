// The provider's own API key is an API token of a "pipeline" service user.
// When that token is revoked or past its end date, refresh fails with the
// API's reason and keeps the managed service user in state. A key whose
// user lacks Manage users fails at apply with a 403 that names the
// permission. No output may contain a token.

import { request } from "undici";

import { startEmulator } from "../../emulator/src/server";
import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  RunResult,
  StateResource,
  Workspace,
} from "./harness";
import {
  activeAccounts,
  roleIds,
  RunningEmulator,
  serviceUsers,
} from "./emulator-fixture";

const DAY_MS = 86_400_000;

function userConfig(accountId: string, description: string): string {
  return `
resource "digicertone_service_user" "managed" {
  name        = "managed by pipeline"
  description = ${hcl(description)}
  email       = "platform-team@example.com"
  account_ids = [${hcl(accountId)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
}

/**
 * Joins Terraform's wrapped diagnostic lines, dropping the box-drawing
 * border, so that a phrase can be found whatever the terminal width.
 */
function flatten(output: string): string {
  return output.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");
}

/** Sends a request with the administrator key and returns status and JSON body. */
async function adminCall(
  emulator: RunningEmulator,
  method: "GET" | "POST" | "DELETE",
  apiPath: string,
  body?: Record<string, unknown>,
): Promise<{ status: number; body: any }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {
    "x-api-key": emulator.adminApiKey,
    "user-agent": "digicertone-acceptance-tests",
  };
  if (text !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(text));
  }
  const response = await request(`${emulator.apiUrl}${apiPath}`, { method, headers, body: text });
  const responseText = await response.body.text();
  return {
    status: response.statusCode,
    body: responseText === "" ? undefined : JSON.parse(responseText),
  };
}

/** A service user created with the administrator key, and its first token. */
interface KeyOwner {
  id: string;
  token: string;
}

describe("provider API key of a service user", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;
  let accountId: string;
  let pipeline: KeyOwner;
  /** How far the emulator's clock runs ahead of the real one, in ms. */
  let clockOffsetMs = 0;
  /** Every token handed to Terraform, so that each output can be checked. */
  const secrets: string[] = [];

  /** Returns the emulator's current UTC date as `YYYY-MM-DD`. */
  function emulatorToday(): string {
    return new Date(Date.now() + clockOffsetMs).toISOString().slice(0, 10);
  }

  /**
   * Fails unless the run's output contains none of the tokens. It reports
   * only which token leaked, by position, so a failure never prints one.
   */
  function expectNoSecrets(result: RunResult): void {
    const leaked = secrets
      .map((secret, index) => (result.output.includes(secret) ? index : -1))
      .filter((index) => index >= 0);
    expect({ leakedTokenIndexes: leaked }).toEqual({ leakedTokenIndexes: [] });
  }

  async function createKeyOwner(name: string, roleCode: string): Promise<KeyOwner> {
    const catalogue = await roleIds(emulator, "account_manager");
    const created = await adminCall(emulator, "POST", "/user", {
      user_type: "service",
      friendly_name: name,
      email: "platform-team@example.com",
      accounts: [accountId],
      applications: [
        { id: catalogue.applicationId, roles: [{ id: catalogue.roles[roleCode] }] },
      ],
    });
    if (created.status !== 201) {
      throw new Error(`POST /user for ${name} returned ${created.status}`);
    }
    secrets.push(created.body.api_token);
    return { id: created.body.id, token: created.body.api_token };
  }

  async function tokenIdsOf(userId: string): Promise<string[]> {
    const listed = await adminCall(emulator, "GET", `/api-access-token?user_id=${userId}`);
    if (listed.status !== 200) {
      throw new Error(`GET /api-access-token returned ${listed.status}`);
    }
    return listed.body.map((token: { id: string }) => token.id);
  }

  async function managedInState(): Promise<StateResource | undefined> {
    const resources = await workspace.state();
    return resources.find((resource) => resource.address === "digicertone_service_user.managed");
  }

  function plan(apiKey: string): Promise<RunResult> {
    return workspace.run(["plan", "-no-color", "-input=false"], {
      DIGICERT_ONE_API_KEY: apiKey,
    });
  }

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startEmulator({
      host: "127.0.0.1",
      port: 0,
      quiet: true,
      clock: { now: () => new Date(Date.now() + clockOffsetMs) },
    });
    [{ id: accountId }] = await activeAccounts(emulator);
    secrets.push(emulator.adminApiKey, emulator.viewerApiKey);

    // AM_USER_MANAGER grants Manage users (MANAGE_AM_USER) and the views
    // that refresh needs. AM_ACCOUNT_MANAGER, despite its name, lacks it.
    pipeline = await createKeyOwner("pipeline", "AM_USER_MANAGER");
    workspace = new Workspace({ DIGICERT_ONE_URL: emulator.url });
    workspace.writeConfig(userConfig(accountId, "Created with the pipeline's key"));
    await workspace.init();
    const applied = await workspace.run(
      ["apply", "-no-color", "-input=false", "-auto-approve"],
      { DIGICERT_ONE_API_KEY: pipeline.token },
    );
    expectNoSecrets(applied);
    if (applied.code !== 0) {
      throw new Error(`apply with the pipeline's key exited ${applied.code}:\n${applied.output}`);
    }
  });

  afterAll(async () => {
    workspace?.remove();
    await emulator?.close();
  });

  afterEach(() => {
    clockOffsetMs = 0;
  });

  test("revoked key fails refresh and keeps state", async () => {
    const before = await managedInState();
    const [initialTokenId] = await tokenIdsOf(pipeline.id);
    const revoked = await adminCall(emulator, "DELETE", `/api-access-token/${initialTokenId}`);
    expect(revoked.status).toBe(204);

    const planned = await plan(pipeline.token);

    expectNoSecrets(planned);
    const text = flatten(planned.output);
    expect(planned.code).toBe(1);
    expect(text).toContain('Failed to read service user "managed by pipeline"');
    expect(text).toContain("invalid_api_key (HTTP 401)");
    expect(text).toMatch(/The API key in x-api-key was revoked at \d{4}-\d{2}-\d{2}T/);
    expect(text).toContain(initialTokenId);
    expect(before).toBeDefined();
    expect(await managedInState()).toEqual(before);
    expect((await serviceUsers(emulator)).map((user) => user.friendly_name)).toContain(
      "managed by pipeline",
    );
  });

  test("expired key fails refresh", async () => {
    const endDate = emulatorToday();
    const created = await adminCall(emulator, "POST", "/api-access-token", {
      user_id: pipeline.id,
      name: "ends today",
      end_date: endDate,
    });
    expect(created.status).toBe(201);
    secrets.push(created.body.api_token);
    const before = await managedInState();

    const onLastDay = await plan(created.body.api_token);
    clockOffsetMs = 2 * DAY_MS;
    const afterEndDate = await plan(created.body.api_token);

    expectNoSecrets(onLastDay);
    expectNoSecrets(afterEndDate);
    expect(onLastDay.code).toBe(0);
    expect(onLastDay.stdout).toContain("No changes.");
    expect(afterEndDate.code).toBe(1);
    expect(flatten(afterEndDate.output)).toContain("invalid_api_key (HTTP 401)");
    expect(flatten(afterEndDate.output)).toContain(
      `The API key in x-api-key expired at the end of ${endDate} (UTC)`,
    );
    expect(await managedInState()).toEqual(before);
  });

  test("key without Manage users fails apply", async () => {
    // AM_VIEW_ONLY may read service users, so refresh succeeds and only
    // the update is denied.
    const reader = await createKeyOwner("read only pipeline", "AM_VIEW_ONLY");
    const before = await managedInState();
    workspace.writeConfig(userConfig(accountId, "Changed with a read-only key"));

    const applied = await workspace.run(
      ["apply", "-no-color", "-input=false", "-auto-approve"],
      { DIGICERT_ONE_API_KEY: reader.token },
    );
    const [managed] = (await serviceUsers(emulator)).filter(
      (user) => user.friendly_name === "managed by pipeline",
    );

    expectNoSecrets(applied);
    const text = flatten(applied.output);
    expect(applied.code).toBe(1);
    expect(text).toContain('Failed to update service user "managed by pipeline"');
    expect(text).toContain("access_denied (HTTP 403)");
    expect(text).toContain("lacks the Manage users permission (MANAGE_AM_USER)");
    expect(managed.description).toBe("Created with the pipeline's key");
    expect(await managedInState()).toEqual(before);
  });
});
