// Token rotation of digicertone_service_user: the rotation decision, the plan
// of an update, apply against the fake DigiCert ONE, validation of the
// rotation settings, and recovery of a create whose response was lost.

import { DigicertApiError } from "../../provider/src/digicert/errors";
import {
  isUnknown,
  path,
  unknown,
  type Diagnostic,
  type ObjectValue,
  type PlanResponse,
} from "../../provider/src/framework/types";
import { containsUnknown, valuesEqual } from "../../provider/src/framework/values";
import { createLogger } from "../../provider/src/log";
import { createServiceUserResource } from "../../provider/src/resources/service-user";
import {
  decideRotation,
  decodeObservedAt,
  encodeObservedAt,
  rotateToken,
  type RotationDecision,
} from "../../provider/src/resources/service-user/rotation";
import {
  SERVICE_USER_ATTRIBUTE_TYPES,
  serviceUserSchema,
} from "../../provider/src/resources/service-user/schema";
import {
  apiError,
  CREATED_AT,
  FakeDigicertClient,
  ISSUED_AT,
  TOKEN,
} from "./support/fake-service-user-client";

const NOW = new Date("2026-12-04T12:00:00Z");
const context = { signal: new AbortController().signal };
const EMPTY_PRIVATE = new Uint8Array();

let logLines: string[];
let client: FakeDigicertClient;
let resource: ReturnType<typeof createServiceUserResource>;

beforeEach(() => {
  logLines = [];
  client = new FakeDigicertClient();
  resource = createServiceUserResource({
    now: () => NOW,
    logger: createLogger("test", {}, (line) => logLines.push(line)),
  });
});

/** Returns a configuration as Terraform sends it: every attribute, computed ones null. */
function config(overrides: ObjectValue = {}): ObjectValue {
  return {
    id: null,
    name: "release bot",
    description: null,
    email: "platform-team@example.com",
    expiration_date: "2027-06-30",
    expires_at: null,
    account_ids: ["acc-b", "acc-a"],
    primary_account_id: null,
    access: { software_trust: { roles: ["SM_SIGNER"] } },
    enabled: null,
    status: null,
    created_at: null,
    token: null,
    token_created_at: null,
    rotation_triggers: null,
    rotation_days: null,
    token_overlap_days: null,
    ...overrides,
  };
}

async function plan(
  cfg: ObjectValue,
  prior: ObjectValue | null,
  priorPrivate: Uint8Array = EMPTY_PRIVATE,
): Promise<PlanResponse> {
  const proposed: ObjectValue = { ...cfg };
  for (const [name, attribute] of Object.entries(serviceUserSchema.block.attributes)) {
    if (attribute.computed && cfg[name] === null) {
      proposed[name] = prior === null ? null : prior[name];
    }
  }
  return resource.plan({ prior, proposed, config: cfg, priorPrivate }, undefined, context);
}

async function apply(
  prior: ObjectValue | null,
  planned: ObjectValue,
  plannedPrivate: Uint8Array = EMPTY_PRIVATE,
  signal = context.signal,
) {
  return resource.apply(
    { prior, planned, config: planned, plannedPrivate },
    client,
    { signal },
  );
}

/** Plans and applies `cfg` over `prior`, and returns both responses. */
async function planAndApply(
  cfg: ObjectValue,
  prior: ObjectValue | null,
  priorPrivate: Uint8Array = EMPTY_PRIVATE,
) {
  const planned = await plan(cfg, prior, priorPrivate);
  expect(errorsOf(planned.diagnostics)).toEqual([]);
  const applied = await apply(
    prior,
    planned.planned!,
    planned.plannedPrivate ?? EMPTY_PRIVATE,
  );
  return { planned, applied };
}

async function create(cfg = config()): Promise<ObjectValue> {
  const { applied } = await planAndApply(cfg, null);
  expect(applied.diagnostics ?? []).toEqual([]);
  return applied.newState!;
}

/** Refreshes `state` and returns the private state that the read recorded. */
async function refresh(state: ObjectValue): Promise<Uint8Array> {
  const response = await resource.read({ state, private: EMPTY_PRIVATE }, client, context);
  expect(response.diagnostics ?? []).toEqual([]);
  return response.private!;
}

function errorsOf(diagnostics: Diagnostic[] | undefined): Diagnostic[] {
  return (diagnostics ?? []).filter((diagnostic) => diagnostic.severity === "error");
}

/** Asserts that every known planned value came back unchanged (sets as sets). */
function expectKeepsPlannedValues(planned: ObjectValue, state: ObjectValue): void {
  for (const name of Object.keys(serviceUserSchema.block.attributes)) {
    if (containsUnknown(planned[name])) continue;
    const equal = valuesEqual(planned[name], state[name], SERVICE_USER_ATTRIBUTE_TYPES[name]);
    expect({ name, equal }).toEqual({ name, equal: true });
  }
}

function serverError(method = "GET"): DigicertApiError {
  return apiError("internal_error", 500, "boom", method);
}

/** Returns a 504 from a gateway, whose POST may have reached DigiCert ONE. */
function gatewayTimeout(): DigicertApiError {
  return new DigicertApiError({
    status: 504,
    code: "http_504",
    apiMessage: "Gateway Time-out",
    method: "POST",
    path: "/account/api/v1/user",
    origin: "https://one.digicert.test",
  });
}

/** Returns the decision narrowed to a rotation, failing the test when it is none. */
function rotating(decision: RotationDecision): Extract<RotationDecision, { rotate: true }> {
  if (!decision.rotate) throw new Error("expected a rotation, but the decision is no rotation");
  return decision;
}

describe("decideRotation", () => {
  const ISSUED = "2027-01-01T00:00:00Z";

  /** Returns the prior state's attributes that decideRotation reads. */
  function prior(overrides: ObjectValue = {}): ObjectValue {
    return {
      name: "release bot",
      token: TOKEN,
      token_created_at: ISSUED,
      rotation_triggers: null,
      rotation_days: null,
      token_overlap_days: 1,
      ...overrides,
    };
  }

  /** Returns the configured or planned attributes that decideRotation reads. */
  function settings(overrides: ObjectValue = {}): ObjectValue {
    return {
      name: "release bot",
      rotation_triggers: null,
      rotation_days: null,
      token_overlap_days: 1,
      ...overrides,
    };
  }

  test.each<[string, ObjectValue | null, ObjectValue | null]>([
    ["changed value", { rotated: "2027-01" }, { rotated: "2027-02" }],
    ["added first trigger", null, { rotated: "2027-01" }],
    ["added second trigger", { rotated: "2027-01" }, { rotated: "2027-01", team: "a" }],
    ["removed one trigger", { rotated: "2027-01", team: "a" }, { rotated: "2027-01" }],
    ["removed every trigger", { rotated: "2027-01" }, null],
    ["emptied map", { rotated: "2027-01" }, {}],
    ["renamed key", { rotated: "2027-01" }, { rotation: "2027-01" }],
  ])("trigger %s rotates", (_title, before, after) => {
    const decision = decideRotation(
      settings({ rotation_triggers: after }),
      prior({ rotation_triggers: before }),
      undefined,
    );

    expect(decision).toEqual({ rotate: true, reason: "triggers", diagnostics: [] });
  });

  test.each<[string, ObjectValue | null, ObjectValue | null]>([
    ["null and null", null, null],
    ["null before, empty after", null, {}],
    ["empty before, null after", {}, null],
    ["same map", { rotated: "2027-01", team: "a" }, { team: "a", rotated: "2027-01" }],
  ])("triggers %s do not rotate", (_title, before, after) => {
    const decision = decideRotation(
      settings({ rotation_triggers: after }),
      prior({ rotation_triggers: before }),
      undefined,
    );

    expect(decision).toEqual({ rotate: false });
  });

  test("unknown trigger map rotates", () => {
    const decision = decideRotation(
      settings({ rotation_triggers: unknown }),
      prior({ rotation_triggers: { rotated: "2027-01" } }),
      undefined,
    );

    expect(decision).toEqual({ rotate: true, reason: "unknown", diagnostics: [] });
  });

  test("unknown trigger value rotates", () => {
    const decision = decideRotation(
      settings({ rotation_triggers: { rotated: unknown } }),
      prior({ rotation_triggers: { rotated: "2027-01" } }),
      undefined,
    );

    expect(decision).toEqual({ rotate: true, reason: "unknown", diagnostics: [] });
  });

  test("changed trigger wins over age", () => {
    const decision = decideRotation(
      settings({ rotation_triggers: { rotated: "1" }, rotation_days: 1 }),
      prior(),
      "2028-01-01T00:00:00Z",
    );

    expect(rotating(decision).reason).toBe("triggers");
  });

  test("age at boundary rotates", () => {
    const decision = decideRotation(
      settings({ rotation_days: 30 }),
      prior(),
      "2027-01-31T00:00:00Z",
    );

    expect(decision).toEqual({
      rotate: true,
      reason: "age",
      diagnostics: [
        {
          severity: "warning",
          summary: "API token will be rotated",
          detail:
            'The API token of service user "release bot" was issued at 2027-01-01T00:00:00Z and was 30 days old at the last refresh (2027-01-31T00:00:00Z, DigiCert ONE\'s time), and rotation_days is 30, so this apply issues a new token in place. ' +
            "The previous token keeps working until 23:59:59 UTC 1 day after the day of the rotation.",
          path: path("rotation_days"),
        },
      ],
    });
  });

  test("age one second short does not rotate", () => {
    const decision = decideRotation(
      settings({ rotation_days: 30 }),
      prior(),
      "2027-01-30T23:59:59Z",
    );

    expect(decision).toEqual({ rotate: false });
  });

  test("age past due rotates", () => {
    const decision = decideRotation(
      settings({ rotation_days: 30 }),
      prior(),
      "2027-03-15T12:00:00Z",
    );

    expect(rotating(decision).reason).toBe("age");
    expect(rotating(decision).diagnostics[0].detail).toContain(
      "was 73 days old at the last refresh",
    );
  });

  test.each<[string, ObjectValue, string]>([
    [
      "several days",
      { token_overlap_days: 7 },
      "The previous token keeps working until 23:59:59 UTC 7 days after the day of the rotation.",
    ],
    [
      "zero days",
      { token_overlap_days: 0 },
      "The previous token is revoked as soon as the new token is issued, because token_overlap_days is 0.",
    ],
    [
      "unknown days",
      { token_overlap_days: unknown },
      "The previous token keeps working until 23:59:59 UTC token_overlap_days days after the day of the rotation.",
    ],
  ])("age warning states overlap of %s", (_title, overlap, sentence) => {
    const decision = decideRotation(
      settings({ rotation_days: 30, ...overlap }),
      prior(),
      "2027-02-01T00:00:00Z",
    );

    expect(rotating(decision).diagnostics[0].detail).toContain(
      "so this apply issues a new token in place. " + sentence,
    );
  });

  test("missing observed_at never rotates by age", () => {
    const decision = decideRotation(settings({ rotation_days: 1 }), prior(), undefined);

    expect(decision).toEqual({ rotate: false });
  });

  test("null token_created_at never rotates by age", () => {
    const decision = decideRotation(
      settings({ rotation_days: 1 }),
      prior({ token: null, token_created_at: null }),
      "2030-01-01T00:00:00Z",
    );

    expect(decision).toEqual({ rotate: false });
  });

  test("unset rotation_days never rotates by age", () => {
    const decision = decideRotation(settings(), prior(), "2030-01-01T00:00:00Z");

    expect(decision).toEqual({ rotate: false });
  });

  test("unknown rotation_days does not rotate", () => {
    const decision = decideRotation(
      settings({ rotation_days: unknown }),
      prior(),
      "2030-01-01T00:00:00Z",
    );

    expect(decision).toEqual({ rotate: false });
  });

  test("invalid observed_at does not rotate", () => {
    const decision = decideRotation(settings({ rotation_days: 1 }), prior(), "yesterday");

    expect(decision).toEqual({ rotate: false });
  });

  test("observed_at before issue does not rotate", () => {
    const decision = decideRotation(
      settings({ rotation_days: 1 }),
      prior(),
      "2026-12-01T00:00:00Z",
    );

    expect(decision).toEqual({ rotate: false });
  });
});

describe("observed_at private state", () => {
  test("round trip keeps the time", () => {
    const encoded = encodeObservedAt("2027-01-31T00:00:00Z");

    expect(decodeObservedAt(encoded)).toBe("2027-01-31T00:00:00Z");
    expect(new TextDecoder().decode(encoded)).toBe('{"observed_at":"2027-01-31T00:00:00Z"}');
  });

  test.each<[string, Uint8Array | undefined]>([
    ["undefined", undefined],
    ["empty bytes", new Uint8Array()],
    ["invalid UTF-8", new Uint8Array([0xff, 0xfe, 0x00, 0x7b])],
    ["text that is not JSON", new TextEncoder().encode("observed_at=2027")],
    ["JSON null", new TextEncoder().encode("null")],
    ["JSON array", new TextEncoder().encode('["2027-01-31T00:00:00Z"]')],
    ["a number", new TextEncoder().encode('{"observed_at":1767139200}')],
    ["another key", new TextEncoder().encode('{"refreshed_at":"2027-01-31T00:00:00Z"}')],
  ])("%s decodes as undefined", (_title, data) => {
    expect(decodeObservedAt(data)).toBeUndefined();
  });
});

describe("rotation plan", () => {
  test("changed trigger plans unknown token", async () => {
    const prior = await create();
    const response = await plan(config({ rotation_triggers: { rotated: "2027-01" } }), prior);
    const planned = response.planned!;

    expect(response.diagnostics).toEqual([]);
    expect(isUnknown(planned.token)).toBe(true);
    expect(isUnknown(planned.token_created_at)).toBe(true);
    expect(planned.rotation_triggers).toEqual({ rotated: "2027-01" });
    expect(planned.id).toBe(prior.id);
    expect(planned.created_at).toBe(prior.created_at);
    expect(planned.status).toBe(prior.status);
  });

  test("unchanged triggers keep the token", async () => {
    const prior = await create(config({ rotation_triggers: { rotated: "2027-01" } }));
    const response = await plan(config({ rotation_triggers: { rotated: "2027-01" } }), prior);

    expect(response.diagnostics).toEqual([]);
    expect(response.planned!.token).toBe(TOKEN);
    expect(response.planned!.token_created_at).toBe(CREATED_AT);
  });

  test("unknown triggers plan unknown token", async () => {
    const prior = await create();
    const response = await plan(config({ rotation_triggers: unknown }), prior);

    expect(isUnknown(response.planned!.token)).toBe(true);
    expect(isUnknown(response.planned!.token_created_at)).toBe(true);
  });

  test.each<[string, ObjectValue]>([
    ["name", { name: "release bot 2" }],
    ["description", { description: "Signs builds" }],
    ["email", { email: "ops@example.com" }],
    ["account_ids", { account_ids: ["acc-a", "acc-b", "acc-c"] }],
    ["access", { access: { software_trust: { roles: ["SM_SIGNER", "SM_VIEWER"] } } }],
    ["expiration_date", { expiration_date: "2028-01-31" }],
    ["enabled", { enabled: false }],
    ["token_overlap_days", { token_overlap_days: 7 }],
    ["rotation_days not yet due", { rotation_days: 365 }],
  ])("editing %s keeps the token", async (_title, edit) => {
    const prior = await create();
    const observed = encodeObservedAt("2027-01-10T00:00:00Z");
    const response = await plan(config(edit), prior, observed);

    expect(errorsOf(response.diagnostics)).toEqual([]);
    expect(response.planned!.token).toBe(TOKEN);
    expect(response.planned!.token_created_at).toBe(CREATED_AT);
  });

  test("due age plans unknown token", async () => {
    const prior = await create();
    const observed = encodeObservedAt("2027-01-03T12:00:01Z");
    const response = await plan(config({ rotation_days: 30 }), prior, observed);
    const [warning] = response.diagnostics!;

    expect(isUnknown(response.planned!.token)).toBe(true);
    expect(isUnknown(response.planned!.token_created_at)).toBe(true);
    expect(response.diagnostics).toHaveLength(1);
    expect(warning.severity).toBe("warning");
    expect(warning.summary).toBe("API token will be rotated");
    expect(warning.path).toEqual(path("rotation_days"));
  });

  test("age check needs a refresh", async () => {
    const prior = await create();
    const response = await plan(config({ rotation_days: 1 }), prior, EMPTY_PRIVATE);

    expect(response.diagnostics).toEqual([]);
    expect(response.planned!.token).toBe(TOKEN);
  });

  test("plannedPrivate is the prior private state", async () => {
    const prior = await create();
    const observed = encodeObservedAt("2027-01-10T00:00:00Z");
    const response = await plan(config({ rotation_days: 365 }), prior, observed);

    expect(response.plannedPrivate).toEqual(observed);
  });

  test("create plans unknown token_created_at", async () => {
    const response = await plan(config({ rotation_triggers: { rotated: "1" } }), null);

    expect(isUnknown(response.planned!.token)).toBe(true);
    expect(isUnknown(response.planned!.token_created_at)).toBe(true);
    expect(response.planned!.token_overlap_days).toBe(1);
  });
});

describe("rotation apply", () => {
  const ROTATE = config({ rotation_triggers: { rotated: "2027-01" } });

  test("changed trigger issues a new token", async () => {
    const prior = await create();
    const { planned, applied } = await planAndApply(ROTATE, prior);
    const state = applied.newState!;

    expect(applied.diagnostics).toEqual([]);
    expect(state.token).toBe("rotated-token-2");
    expect(state.token_created_at).toBe(ISSUED_AT);
    expect(state.rotation_triggers).toEqual({ rotated: "2027-01" });
    expect(state.id).toBe("user-1");
    expectKeepsPlannedValues(planned.planned!, state);
  });

  test("rotation follows the field update", async () => {
    const prior = await create();
    client.calls.length = 0;
    await planAndApply({ ...ROTATE, description: "Signs builds" }, prior);
    const methods = client.calls.map((call) => call.method);

    expect(methods.indexOf("update")).toBeGreaterThanOrEqual(0);
    expect(methods.indexOf("update")).toBeLessThan(methods.indexOf("listTokens"));
    expect(client.tokenCalls()).toEqual([
      { method: "listTokens", id: "user-1" },
      { method: "createToken", id: "user-1" },
      { method: "setTokenEndDate", id: "token-1", endDate: "2027-01-11" },
    ]);
  });

  test("earlier token ends after the overlap", async () => {
    const prior = await create(config({ token_overlap_days: 7 }));
    await planAndApply({ ...ROTATE, token_overlap_days: 7 }, prior);

    expect(client.tokens.get("token-1")!.endDate).toBe("2027-01-17");
    expect(client.tokens.get("token-2")!.endDate).toBeNull();
  });

  test("overlap counts from the issue day", async () => {
    // Issued one second before midnight UTC: the overlap still counts from
    // that day, not from the next.
    client.issuedAt = "2027-01-10T23:59:59Z";
    const prior = await create();
    await planAndApply(ROTATE, prior);

    expect(client.tokens.get("token-1")!.endDate).toBe("2027-01-11");
  });

  test("earlier-ending token is left alone", async () => {
    const prior = await create();
    client.addToken("user-1", "2026-12-20T00:00:00Z", "2027-01-11");
    client.addToken("user-1", "2026-12-21T00:00:00Z", "2027-01-05");
    client.addToken("user-1", "2026-12-22T00:00:00Z", "2027-06-30");
    const { applied } = await planAndApply(ROTATE, prior);

    expect(applied.diagnostics).toEqual([]);
    expect(client.tokens.get("token-1")!.endDate).toBe("2027-01-11");
    expect(client.tokens.get("token-2")!.endDate).toBe("2027-01-11");
    expect(client.tokens.get("token-3")!.endDate).toBe("2027-01-05");
    expect(client.tokens.get("token-4")!.endDate).toBe("2027-01-11");
    expect(client.tokenCalls().filter((call) => call.method === "setTokenEndDate")).toEqual([
      { method: "setTokenEndDate", id: "token-1", endDate: "2027-01-11" },
      { method: "setTokenEndDate", id: "token-4", endDate: "2027-01-11" },
    ]);
  });

  test("overlap 0 revokes earlier tokens", async () => {
    const prior = await create(config({ token_overlap_days: 0 }));
    client.addToken("user-1", "2026-12-20T00:00:00Z", "2027-01-05");
    const { applied } = await planAndApply({ ...ROTATE, token_overlap_days: 0 }, prior);

    expect(applied.diagnostics).toEqual([]);
    expect(applied.newState!.token).toBe("rotated-token-3");
    expect(client.tokenIdsOf("user-1")).toEqual(["token-3"]);
    expect(client.tokenCalls().filter((call) => call.method === "deleteToken")).toEqual([
      { method: "deleteToken", id: "token-1" },
      { method: "deleteToken", id: "token-2" },
    ]);
    expect(client.tokenCalls().some((call) => call.method === "setTokenEndDate")).toBe(false);
  });

  test("tokens of other users are untouched", async () => {
    const prior = await create();
    await create(config({ name: "other bot" }));
    await planAndApply(ROTATE, prior);

    expect(client.tokens.get("token-2")!.userId).toBe("user-2");
    expect(client.tokens.get("token-2")!.endDate).toBeNull();
  });

  test.each<[string, string]>([
    ["listing", "listTokens"],
    ["issuing", "createToken"],
  ])("failed %s keeps the prior token", async (_title, method) => {
    const prior = await create(config({ rotation_triggers: { rotated: "2026-12" } }));
    client.failOn(method, serverError());
    const { applied } = await planAndApply({ ...ROTATE, description: "Signs builds" }, prior);
    const state = applied.newState!;
    const [diagnostic] = applied.diagnostics!;

    expect(state.token).toBe(TOKEN);
    expect(state.token_created_at).toBe(CREATED_AT);
    expect(state.rotation_triggers).toEqual({ rotated: "2026-12" });
    // The other change was written, so state records it.
    expect(state.description).toBe("Signs builds");
    expect(applied.diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe('Failed to rotate the API token of service user "release bot"');
    expect(diagnostic.detail).toContain("internal_error (HTTP 500): boom.");
    expect(diagnostic.detail).toContain(
      "The other changes were applied. The service user keeps its previous token, which still works, and the next apply tries the rotation again.",
    );
    expect(client.tokens.get("token-1")!.endDate).toBeNull();
  });

  test("failed rotation is planned again", async () => {
    const prior = await create();
    client.failOn("createToken", serverError("POST"));
    const { applied } = await planAndApply(ROTATE, prior);
    const next = await plan(ROTATE, applied.newState!);

    expect(applied.newState!.rotation_triggers).toBeNull();
    expect(isUnknown(next.planned!.token)).toBe(true);
  });

  test("failed retire keeps the new token", async () => {
    const prior = await create();
    client.addToken("user-1", "2026-12-20T00:00:00Z");
    client.failOn("setTokenEndDate", serverError("PUT"), "token-1");
    const { applied } = await planAndApply(ROTATE, prior);
    const state = applied.newState!;
    const [diagnostic] = applied.diagnostics!;

    expect(state.token).toBe("rotated-token-3");
    expect(state.token_created_at).toBe(ISSUED_AT);
    expect(state.rotation_triggers).toEqual({ rotated: "2027-01" });
    expect(applied.diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe('Earlier API tokens of service user "release bot" still work');
    expect(diagnostic.detail).toContain('the earlier tokens with the ids "token-1":');
    expect(diagnostic.detail).toContain("set their end_date to 2027-01-11");
    // The token after the failing one is still retired.
    expect(client.tokens.get("token-2")!.endDate).toBe("2027-01-11");
  });

  test("failed revoke advises revoking", async () => {
    const prior = await create(config({ token_overlap_days: 0 }));
    client.failOn("deleteToken", serverError("DELETE"));
    const { applied } = await planAndApply({ ...ROTATE, token_overlap_days: 0 }, prior);
    const [diagnostic] = applied.diagnostics!;

    expect(applied.newState!.token).toBe("rotated-token-2");
    expect(diagnostic.summary).toBe('Earlier API tokens of service user "release bot" still work');
    expect(diagnostic.detail).toContain('"token-1"');
    expect(diagnostic.detail).toContain("To retire them, revoke them in DigiCert ONE");
  });

  test("unknown triggers equal at apply do not rotate", async () => {
    const prior = await create(config({ rotation_triggers: { rotated: "2027-01" } }));
    const planned = await plan(config({ rotation_triggers: unknown }), prior);
    const known = { ...planned.planned!, rotation_triggers: { rotated: "2027-01" } };
    const applied = await apply(prior, known, planned.plannedPrivate);

    expect(isUnknown(planned.planned!.token)).toBe(true);
    expect(applied.diagnostics).toEqual([]);
    expect(applied.newState!.token).toBe(TOKEN);
    expect(applied.newState!.token_created_at).toBe(CREATED_AT);
    expect(client.tokenCalls()).toEqual([]);
  });

  test("unknown triggers changed at apply rotate", async () => {
    const prior = await create(config({ rotation_triggers: { rotated: "2027-01" } }));
    const planned = await plan(config({ rotation_triggers: unknown }), prior);
    const known = { ...planned.planned!, rotation_triggers: { rotated: "2027-02" } };
    const applied = await apply(prior, known, planned.plannedPrivate);

    expect(applied.diagnostics).toEqual([]);
    expect(applied.newState!.token).toBe("rotated-token-2");
  });

  test.each<[string, ObjectValue]>([
    ["name", { name: "release bot 2" }],
    ["description", { description: "Signs builds" }],
    ["email", { email: "ops@example.com" }],
    ["account_ids", { account_ids: ["acc-a", "acc-b", "acc-c"] }],
    ["access", { access: { software_trust: { roles: ["SM_SIGNER", "SM_VIEWER"] } } }],
    ["token_overlap_days", { token_overlap_days: 0 }],
  ])("editing %s never rotates", async (_title, edit) => {
    const prior = await create(config({ rotation_triggers: { rotated: "2027-01" } }));
    const observed = await refresh(prior);
    const { applied } = await planAndApply(
      config({ rotation_triggers: { rotated: "2027-01" }, ...edit }),
      prior,
      observed,
    );

    expect(applied.diagnostics).toEqual([]);
    expect(applied.newState!.token).toBe(TOKEN);
    expect(client.tokenCalls()).toEqual([]);
  });

  test("due age rotates at apply", async () => {
    const prior = await create(config({ rotation_days: 30 }));
    client.serverTime = "2027-01-03T12:00:01Z";
    const observed = await refresh(prior);
    const { planned, applied } = await planAndApply(config({ rotation_days: 30 }), prior, observed);

    expect(planned.diagnostics!.map((diagnostic) => diagnostic.summary)).toEqual([
      "API token will be rotated",
    ]);
    expect(applied.diagnostics).toEqual([]);
    expect(applied.newState!.token).toBe("rotated-token-2");
    expect(applied.newState!.token_created_at).toBe(ISSUED_AT);
  });

  test("age not yet due does not rotate", async () => {
    const prior = await create(config({ rotation_days: 30 }));
    client.serverTime = "2027-01-03T12:00:00Z";
    const observed = await refresh(prior);
    const { applied } = await planAndApply(config({ rotation_days: 30 }), prior, observed);

    expect(applied.newState!.token).toBe(TOKEN);
    expect(client.tokenCalls()).toEqual([]);
  });

  test("failed field update does not rotate", async () => {
    const prior = await create();
    client.failOn("update", apiError("invalid_request", 400, "email is invalid", "PUT"));
    const { applied } = await planAndApply({ ...ROTATE, email: "ops@example.com" }, prior);

    expect(applied.newState).toBe(prior);
    expect(client.tokenCalls()).toEqual([]);
  });

  test("failed disable skips the rotation", async () => {
    const prior = await create();
    client.disableServiceUser = async () => {
      throw serverError("PUT");
    };
    const { applied } = await planAndApply({ ...ROTATE, enabled: false }, prior);

    expect(errorsOf(applied.diagnostics)).toHaveLength(1);
    expect(applied.newState!.token).toBe(TOKEN);
    expect(applied.newState!.rotation_triggers).toBeNull();
    expect(client.tokenCalls()).toEqual([]);
  });

  test("token values stay out of logs", async () => {
    const prior = await create();
    await planAndApply(ROTATE, prior);
    const text = logLines.join("\n");

    expect(text).toContain("Issued API token");
    expect(text).toContain("token-2");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain("rotated-token-2");
  });
});

describe("rotateToken", () => {
  const logger = createLogger("test", {}, () => undefined);

  test("retired lists only changed tokens", async () => {
    client.addToken("user-1", "2026-12-01T00:00:00Z");
    client.addToken("user-1", "2026-12-02T00:00:00Z", "2027-01-05");
    const result = await rotateToken("user-1", 1, client, undefined, logger);

    expect(result.issued.token).toBe("rotated-token-3");
    expect(result.endDate).toBe("2027-01-11");
    expect(result.retired.map((token) => token.id)).toEqual(["token-1"]);
    expect(result.failed).toEqual([]);
  });

  test("overlap 0 has no end date", async () => {
    client.addToken("user-1", "2026-12-01T00:00:00Z", "2027-01-05");
    const result = await rotateToken("user-1", 0, client, undefined, logger);

    expect(result.endDate).toBeNull();
    expect(result.retired.map((token) => token.id)).toEqual(["token-1"]);
  });

  test("failed list issues nothing", async () => {
    client.failOn("listTokens", serverError());

    await expect(rotateToken("user-1", 1, client, undefined, logger)).rejects.toThrow(
      DigicertApiError,
    );
    expect(client.tokens.size).toBe(0);
  });
});

describe("read for rotation", () => {
  test("read records DigiCert ONE's time", async () => {
    const prior = await create();
    client.serverTime = "2027-02-01T09:30:00Z";
    const observed = await refresh(prior);

    expect(decodeObservedAt(observed)).toBe("2027-02-01T09:30:00Z");
  });

  test("read without a Date header uses the local clock", async () => {
    const prior = await create();
    const before = Date.now();
    const observed = decodeObservedAt(await refresh(prior));

    expect(observed).toBeDefined();
    expect(Date.parse(observed!)).toBeGreaterThanOrEqual(before - 1000);
  });

  test("read keeps token and rotation settings", async () => {
    const prior = await create(
      config({ rotation_triggers: { rotated: "1" }, rotation_days: 90, token_overlap_days: 3 }),
    );
    const response = await resource.read({ state: prior, private: EMPTY_PRIVATE }, client, context);
    const state = response.state!;

    expect(state.token).toBe(TOKEN);
    expect(state.token_created_at).toBe(CREATED_AT);
    expect(state.rotation_triggers).toEqual({ rotated: "1" });
    expect(state.rotation_days).toBe(90);
    expect(state.token_overlap_days).toBe(3);
  });

  test("user deleted outside Terraform warns", async () => {
    const prior = await create();
    client.users.clear();
    const response = await resource.read({ state: prior, private: EMPTY_PRIVATE }, client, context);
    const [warning] = response.diagnostics!;

    expect(response.state).toBeNull();
    expect(response.diagnostics).toHaveLength(1);
    expect(warning.severity).toBe("warning");
    expect(warning.summary).toBe("Service user deleted outside Terraform");
    expect(warning.detail).toBe(
      'DigiCert ONE has no service user "release bot" with id "user-1" any more, so Terraform removes it from state and plans to create it again. ' +
        "The new service user gets a new id and a new API token; clients that use the old token must switch to the new one.",
    );
  });
});

describe("rotation settings validation", () => {
  test.each<[string, number, string]>([
    ["rotation_days", 0, "from 1 to 3650"],
    ["rotation_days", 3651, "from 1 to 3650"],
    ["rotation_days", 1.5, "from 1 to 3650"],
    ["token_overlap_days", -1, "from 0 to 90"],
    ["token_overlap_days", 91, "from 0 to 90"],
  ])("%s %p is invalid", (name, value, range) => {
    const diagnostics = resource.validate!({ config: config({ [name]: value }) });
    const [diagnostic] = diagnostics;

    expect(diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe(`Invalid ${name}`);
    expect(diagnostic.path).toEqual(path(name));
    expect(diagnostic.detail).toContain(`${name} is ${value}.`);
    expect(diagnostic.detail).toContain(`It must be a whole number of days ${range}`);
  });

  test.each<[string, number]>([
    ["rotation_days", 1],
    ["rotation_days", 3650],
    ["token_overlap_days", 0],
    ["token_overlap_days", 90],
  ])("%s %p is valid", (name, value) => {
    expect(resource.validate!({ config: config({ [name]: value }) })).toEqual([]);
  });

  test("unknown settings are skipped", () => {
    const cfg = config({ rotation_days: unknown, token_overlap_days: unknown });

    expect(resource.validate!({ config: cfg })).toEqual([]);
  });

  test("messages are pinned", () => {
    const [rotationDays] = resource.validate!({ config: config({ rotation_days: 0 }) });
    const [overlapDays] = resource.validate!({ config: config({ token_overlap_days: 91 }) });

    expect(rotationDays.detail).toBe(
      "rotation_days is 0. It must be a whole number of days from 1 to 3650. Set it to a number in that range, or remove it to rotate the token only through rotation_triggers.",
    );
    expect(overlapDays.detail).toBe(
      "token_overlap_days is 91. It must be a whole number of days from 0 to 90, where 0 revokes the previous token as soon as the new one is issued. Set it to a number in that range, or remove it for the default of 1.",
    );
  });

  test("plan rejects invalid settings", async () => {
    const prior = await create();
    const response = await plan(config({ rotation_days: 0 }), prior);

    expect(errorsOf(response.diagnostics).map((diagnostic) => diagnostic.path)).toEqual([
      path("rotation_days"),
    ]);
  });
});

describe("lost create recovery", () => {
  test("found user gets a new token", async () => {
    client.loseNextCreateResponse = gatewayTimeout();
    const planned = await plan(config({ rotation_triggers: { rotated: "1" } }), null);
    const { newState, diagnostics } = await apply(null, planned.planned!);
    const [warning] = diagnostics!;

    expect(newState!.id).toBe("user-1");
    expect(newState!.token).toBe("rotated-token-2");
    expect(newState!.token_created_at).toBe(ISSUED_AT);
    expect(newState!.rotation_triggers).toEqual({ rotated: "1" });
    expectKeepsPlannedValues(planned.planned!, newState!);
    expect(diagnostics).toHaveLength(1);
    expect(warning.severity).toBe("warning");
    expect(warning.summary).toBe('Recovered service user "release bot" after a lost response');
    expect(warning.detail).toContain("with id user-1, but its API token never arrived.");
    expect(warning.detail).toContain("HTTP 504");
    expect(warning.detail).toMatch(
      /The provider found the service user by name and issued it a new API token, which is in state, and revoked the token that was lost\.$/,
    );
  });

  test("lost token is revoked at once", async () => {
    client.loseNextCreateResponse = gatewayTimeout();
    const planned = await plan(config({ token_overlap_days: 5 }), null);
    await apply(null, planned.planned!);

    expect(client.tokenIdsOf("user-1")).toEqual(["token-2"]);
    expect(client.tokenCalls()).toEqual([
      { method: "listTokens", id: "user-1" },
      { method: "createToken", id: "user-1" },
      { method: "deleteToken", id: "token-1" },
    ]);
  });

  test("no matching user gives the original error", async () => {
    client.failNext = gatewayTimeout();
    const planned = await plan(config(), null);
    const { newState, diagnostics } = await apply(null, planned.planned!);
    const [diagnostic] = diagnostics!;

    expect(newState).toBeNull();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe('Failed to create service user "release bot"');
    expect(diagnostic.detail).toContain("returned HTTP 504");
    expect(diagnostic.detail).toContain("may have created the service user");
    expect(client.calls.some((call) => call.method === "listUsers")).toBe(true);
    expect(client.tokenCalls()).toEqual([]);
  });

  test.each<[string, ObjectValue]>([
    ["email", { email: "someone-else@example.com" }],
    ["primary account", { primaryAccountId: "acc-z" }],
    // Created long before the POST was sent, so the POST did not create it.
    ["creation time", { createdAt: "2026-12-04T11:00:00Z" }],
  ])("user with another %s is not taken", async (_title, difference) => {
    client.users.set("user-9", {
      id: "user-9",
      name: "Release Bot",
      description: "",
      email: "platform-team@example.com",
      status: "ACTIVE",
      primaryAccountId: "acc-a",
      accountIds: ["acc-a"],
      expirationDate: null,
      // Within the clock-skew window before the POST (NOW is 12:00).
      createdAt: "2026-12-04T11:55:00Z",
      access: { software_trust: ["SM_SIGNER"] },
      ...difference,
    });
    client.addToken("user-9", "2026-01-01T00:00:00Z");
    client.failNext = gatewayTimeout();
    const planned = await plan(config(), null);
    const { newState, diagnostics } = await apply(null, planned.planned!);

    expect(newState).toBeNull();
    expect(diagnostics![0].summary).toBe('Failed to create service user "release bot"');
    expect(client.tokenIdsOf("user-9")).toEqual(["token-1"]);
    expect(client.tokenCalls()).toEqual([]);
  });

  test("name matches without regard to case", async () => {
    client.loseNextCreateResponse = gatewayTimeout();
    client.transform = (user) => ({ ...user, name: user.name.toUpperCase() });
    const planned = await plan(config(), null);
    const { newState, diagnostics } = await apply(null, planned.planned!);

    expect(newState!.id).toBe("user-1");
    expect(newState!.token).toBe("rotated-token-2");
    expect(diagnostics![0].severity).toBe("warning");
  });

  test("failed token issue records a null token", async () => {
    client.loseNextCreateResponse = gatewayTimeout();
    client.failOn("createToken", serverError("POST"));
    const planned = await plan(config(), null);
    const { newState, diagnostics } = await apply(null, planned.planned!);
    const [diagnostic] = diagnostics!;

    expect(newState!.id).toBe("user-1");
    expect(newState!.token).toBeNull();
    expect(newState!.token_created_at).toBeNull();
    expect(newState!.name).toBe("release bot");
    expect(containsUnknown(newState!)).toBe(false);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe('Failed to create service user "release bot"');
    expect(diagnostic.detail).toContain("with id user-1");
    expect(diagnostic.detail).toContain("internal_error (HTTP 500): boom.");
    expect(diagnostic.detail).toContain("as tainted");
    // Nothing was revoked, because no new token replaced the lost one.
    expect(client.tokenIdsOf("user-1")).toEqual(["token-1"]);
  });

  test("failed token list records a null token", async () => {
    client.loseNextCreateResponse = gatewayTimeout();
    client.failOn("listTokens", serverError());
    const planned = await plan(config(), null);
    const { newState, diagnostics } = await apply(null, planned.planned!);

    expect(newState!.id).toBe("user-1");
    expect(newState!.token).toBeNull();
    expect(diagnostics![0].severity).toBe("error");
    expect(diagnostics![0].detail).toContain("Listing its API tokens or issuing a new one failed too");
  });

  test("failed revoke of lost token is an error", async () => {
    client.loseNextCreateResponse = gatewayTimeout();
    client.failOn("deleteToken", serverError("DELETE"));
    const planned = await plan(config(), null);
    const { newState, diagnostics } = await apply(null, planned.planned!);

    expect(newState!.token).toBe("rotated-token-2");
    expect(diagnostics!.map((diagnostic) => diagnostic.severity)).toEqual(["warning", "error"]);
    expect(diagnostics![0].detail).toMatch(/issued it a new API token, which is in state\.$/);
    expect(diagnostics![1].summary).toBe('Lost API token of service user "release bot" still works');
    expect(diagnostics![1].detail).toContain("(token ids token-1)");
  });

  test("failed user lookup gives the original error", async () => {
    client.loseNextCreateResponse = gatewayTimeout();
    client.listServiceUsers = async () => {
      throw serverError();
    };
    const planned = await plan(config(), null);
    const { newState, diagnostics } = await apply(null, planned.planned!);

    expect(newState).toBeNull();
    expect(diagnostics![0].detail).toContain("returned HTTP 504");
    expect(client.tokenCalls()).toEqual([]);
  });

  test("rejected create skips the lookup", async () => {
    client.failNext = apiError("invalid_request", 400, "email is invalid");
    const planned = await plan(config(), null);
    await apply(null, planned.planned!);

    expect(client.calls.some((call) => call.method === "listUsers")).toBe(false);
  });

  test("cancelled create skips the lookup", async () => {
    const controller = new AbortController();
    client.createServiceUser = async () => {
      controller.abort();
      throw gatewayTimeout();
    };
    const planned = await plan(config(), null);
    const { newState, diagnostics } = await apply(
      null,
      planned.planned!,
      EMPTY_PRIVATE,
      controller.signal,
    );

    expect(newState).toBeNull();
    expect(diagnostics![0].detail).toContain("cancelled");
    expect(client.calls.some((call) => call.method === "listUsers")).toBe(false);
  });

  test("token values stay out of logs and diagnostics", async () => {
    client.loseNextCreateResponse = gatewayTimeout();
    const planned = await plan(config(), null);
    const { diagnostics } = await apply(null, planned.planned!);
    const text = JSON.stringify(diagnostics) + logLines.join("\n");

    expect(text).toContain("user-1");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain("rotated-token-2");
  });
});
