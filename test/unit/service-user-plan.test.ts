// Planning of digicertone_service_user: create, update, replace and destroy,
// with the unknown and known values Terraform requires of each.

import {
  hasErrors,
  isUnknown,
  path,
  unknown,
  type Diagnostic,
  type ObjectValue,
  type PlanRequest,
} from "../../provider/src/framework/types";
import type {
  DigicertClient,
  ServiceUser,
  ServiceUserInput,
} from "../../provider/src/digicert/types";
import { valuesEqual } from "../../provider/src/framework/values";
import { createServiceUserResource } from "../../provider/src/resources/service-user";
import {
  SERVICE_USER_ATTRIBUTE_TYPES,
  serviceUserSchema,
} from "../../provider/src/resources/service-user/schema";
import { reconcileWithPlan } from "../../provider/src/resources/service-user/state";
import { expiryWarnings } from "../../provider/src/resources/service-user/expiry";
import { setProviderSettings } from "../../provider/src/provider-settings";
import { utcDay } from "../../provider/src/validation/dates";

const NOW = new Date("2026-12-04T12:00:00Z");
const resource = createServiceUserResource({ now: () => NOW });
const context = { signal: new AbortController().signal };

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
    ...overrides,
  };
}

/** Returns the state after creating `config()`. */
function priorState(overrides: ObjectValue = {}): ObjectValue {
  return {
    id: "user-1",
    name: "release bot",
    description: "",
    email: "platform-team@example.com",
    expiration_date: "2027-06-30",
    expires_at: "2027-06-30T23:59:59Z",
    account_ids: ["acc-a", "acc-b"],
    primary_account_id: "acc-a",
    access: { software_trust: { roles: ["SM_SIGNER"] } },
    enabled: true,
    status: "ACTIVE",
    created_at: "2026-12-01T08:00:00Z",
    token: "token-1",
    token_created_at: "2026-12-01T08:00:00Z",
    rotation_triggers: null,
    rotation_days: null,
    token_overlap_days: 1,
    ...overrides,
  };
}

/**
 * Terraform's proposed new state: the configuration, with the prior value
 * for each computed attribute that the configuration leaves null.
 */
function proposedFrom(cfg: ObjectValue, prior: ObjectValue | null): ObjectValue {
  const proposed: ObjectValue = { ...cfg };
  for (const [name, attribute] of Object.entries(
    serviceUserSchema.block.attributes,
  )) {
    if (attribute.computed && cfg[name] === null) {
      proposed[name] = prior === null ? null : prior[name];
    }
  }
  return proposed;
}

function planRequest(cfg: ObjectValue, prior: ObjectValue | null): PlanRequest {
  return {
    prior,
    proposed: proposedFrom(cfg, prior),
    config: cfg,
    priorPrivate: new Uint8Array(),
  };
}

async function plan(cfg: ObjectValue, prior: ObjectValue | null = null) {
  return resource.plan(planRequest(cfg, prior), undefined, context);
}

function errorsOf(diagnostics: Diagnostic[] | undefined): Diagnostic[] {
  return (diagnostics ?? []).filter((diagnostic) => diagnostic.severity === "error");
}

function expectEqualValues(actual: ObjectValue, expected: ObjectValue): void {
  for (const name of Object.keys(serviceUserSchema.block.attributes)) {
    const type = SERVICE_USER_ATTRIBUTE_TYPES[name];
    expect({ name, equal: valuesEqual(actual[name], expected[name], type) }).toEqual({
      name,
      equal: true,
    });
  }
}

describe("service user plan for create", () => {
  test("computed values are unknown", async () => {
    const { planned, diagnostics } = await plan(config());

    expect(diagnostics).toEqual([]);
    expect(isUnknown(planned!.id)).toBe(true);
    expect(isUnknown(planned!.status)).toBe(true);
    expect(isUnknown(planned!.created_at)).toBe(true);
    expect(isUnknown(planned!.token)).toBe(true);
  });

  test("configured values are planned as configured", async () => {
    const cfg = config({ description: "Signs builds" });
    const { planned } = await plan(cfg);

    expect(planned!.name).toBe("release bot");
    expect(planned!.description).toBe("Signs builds");
    expect(planned!.email).toBe("platform-team@example.com");
    expect(planned!.expiration_date).toBe("2027-06-30");
    expect(planned!.account_ids).toBe(cfg.account_ids);
    expect(planned!.access).toBe(cfg.access);
  });

  test("null description plans empty string", async () => {
    const { planned } = await plan(config({ description: null }));

    expect(planned!.description).toBe("");
  });

  test("expires_at is known from expiration_date", async () => {
    const { planned } = await plan(config());

    expect(planned!.expires_at).toBe("2027-06-30T23:59:59Z");
  });

  test("expires_at is null without expiration_date", async () => {
    const { planned } = await plan(config({ expiration_date: null }));

    expect(planned!.expires_at).toBeNull();
  });

  test("expires_at is unknown while expiration_date is", async () => {
    const { planned } = await plan(config({ expiration_date: unknown }));

    expect(isUnknown(planned!.expires_at)).toBe(true);
  });

  test("primary defaults to smallest account id", async () => {
    const { planned } = await plan(config({ account_ids: ["acc-c", "acc-a", "acc-b"] }));

    expect(planned!.primary_account_id).toBe("acc-a");
  });

  test("default primary ignores set order", async () => {
    const first = await plan(config({ account_ids: ["acc-b", "acc-a"] }));
    const second = await plan(config({ account_ids: ["acc-a", "acc-b"] }));

    expect(first.planned!.primary_account_id).toBe("acc-a");
    expect(second.planned!.primary_account_id).toBe("acc-a");
  });

  test("primary is unknown with unknown account ids", async () => {
    const { planned } = await plan(config({ account_ids: ["acc-a", unknown] }));

    expect(isUnknown(planned!.primary_account_id)).toBe(true);
  });

  test("configured primary is kept", async () => {
    const { planned } = await plan(config({ primary_account_id: "acc-b" }));

    expect(planned!.primary_account_id).toBe("acc-b");
  });

  test("create has no requiresReplace", async () => {
    const response = await plan(config());

    expect(response.requiresReplace).toBeUndefined();
  });

  test("planned object has every attribute", async () => {
    const { planned } = await plan(config());

    expect(Object.keys(planned!).sort()).toEqual(
      Object.keys(serviceUserSchema.block.attributes).sort(),
    );
  });

  test("plan is deterministic", async () => {
    const first = await plan(config());
    const second = await plan(config());

    expect(second).toEqual(first);
  });
});

describe("service user plan for update", () => {
  test("unchanged config plans prior state", async () => {
    const prior = priorState();
    const response = await plan(config(), prior);

    expect(response.diagnostics).toEqual([]);
    expectEqualValues(response.planned!, prior);
    expect(response.requiresReplace).toBeUndefined();
  });

  test("rename keeps computed values", async () => {
    const prior = priorState();
    const { planned } = await plan(config({ name: "release bot 2" }), prior);

    expect(planned!.name).toBe("release bot 2");
    expect(planned!.id).toBe("user-1");
    expect(planned!.created_at).toBe("2026-12-01T08:00:00Z");
    expect(planned!.token).toBe("token-1");
    expect(planned!.status).toBe("ACTIVE");
  });

  test("new expiration date plans expires_at", async () => {
    const { planned } = await plan(config({ expiration_date: "2027-12-31" }), priorState());

    expect(planned!.expires_at).toBe("2027-12-31T23:59:59Z");
  });

  test("removed expiration date plans null expires_at", async () => {
    const { planned } = await plan(config({ expiration_date: null }), priorState());

    expect(planned!.expires_at).toBeNull();
  });

  test("removed description plans empty string", async () => {
    const prior = priorState({ description: "Signs builds" });
    const { planned } = await plan(config({ description: null }), prior);

    expect(planned!.description).toBe("");
  });

  test("unconfigured primary keeps prior value", async () => {
    const prior = priorState({ primary_account_id: "acc-b" });
    const response = await plan(
      config({ account_ids: ["acc-a", "acc-b", "acc-0"] }),
      prior,
    );

    expect(response.planned!.primary_account_id).toBe("acc-b");
    expect(response.requiresReplace).toBeUndefined();
  });

  test("changed primary requires replacement", async () => {
    const response = await plan(config({ primary_account_id: "acc-b" }), priorState());

    expect(response.planned!.primary_account_id).toBe("acc-b");
    expect(response.requiresReplace).toEqual([path("primary_account_id")]);
  });

  test("unknown primary requires replacement", async () => {
    const response = await plan(config({ primary_account_id: unknown }), priorState());

    expect(isUnknown(response.planned!.primary_account_id)).toBe(true);
    expect(response.requiresReplace).toEqual([path("primary_account_id")]);
  });

  test("configured unchanged primary keeps the user", async () => {
    const response = await plan(config({ primary_account_id: "acc-a" }), priorState());

    expect(response.requiresReplace).toBeUndefined();
  });

  test("removing prior primary fails on account_ids", async () => {
    const response = await plan(config({ account_ids: ["acc-b"] }), priorState());
    const [diagnostic] = response.diagnostics!;

    expect(response.diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.path).toEqual(path("account_ids"));
    expect(diagnostic.detail).toContain('"acc-a"');
    expect(diagnostic.detail).toContain("primary_account_id");
  });

  test("removing prior primary with new primary replaces", async () => {
    const response = await plan(
      config({ account_ids: ["acc-b"], primary_account_id: "acc-b" }),
      priorState(),
    );

    expect(hasErrors(response.diagnostics!)).toBe(false);
    expect(response.requiresReplace).toEqual([path("primary_account_id")]);
  });

  test("unknown account ids skip the primary check", async () => {
    const response = await plan(config({ account_ids: [unknown] }), priorState());

    expect(response.diagnostics).toEqual([]);
    expect(response.planned!.primary_account_id).toBe("acc-a");
  });
});

describe("service user plan for status", () => {
  // Today is 2026-12-04 in UTC; the prior expiration date is 2027-06-30.
  test.each([
    ["ACTIVE", "2027-12-31", "ACTIVE"],
    ["ACTIVE", "2026-12-05", "ACTIVE"],
    ["ACTIVE", "2026-12-04", "ACTIVE"],
    ["ACTIVE", null, "ACTIVE"],
    ["DISABLED", "2026-12-04", "DISABLED"],
    ["DISABLED", "2027-12-31", "DISABLED"],
    ["DISABLED", null, "DISABLED"],
  ])("%s with new date %s keeps status", async (status, date, expected) => {
    const enabled = status !== "DISABLED";
    const { planned, diagnostics } = await plan(
      config({ expiration_date: date, enabled }),
      priorState({ status, enabled }),
    );

    // Near dates add an expiry warning, which the expiry tests cover.
    expect(errorsOf(diagnostics)).toEqual([]);
    expect(planned!.status).toBe(expected);
  });

  test.each([
    ["EXPIRED", "2027-12-31"],
    ["EXPIRED", null],
    ["EXPIRED", "2026-12-04"],
    ["SUSPENDED", "2027-12-31"],
    ["ACTIVE", unknown],
  ])("%s with new date %s plans unknown status", async (status, date) => {
    const { planned, diagnostics } = await plan(
      config({ expiration_date: date }),
      priorState({ status }),
    );

    expect(errorsOf(diagnostics)).toEqual([]);
    expect(isUnknown(planned!.status)).toBe(true);
  });

  test("unchanged date keeps EXPIRED status", async () => {
    const prior = priorState({
      expiration_date: "2026-11-30",
      expires_at: "2026-11-30T23:59:59Z",
      status: "EXPIRED",
    });
    const { planned } = await plan(
      config({ expiration_date: "2026-11-30", description: "Renamed" }),
      prior,
    );

    expect(planned!.status).toBe("EXPIRED");
  });

  test("status plan is deterministic", async () => {
    const prior = priorState({ status: "DISABLED", enabled: false });
    const cfg = config({ expiration_date: "2027-12-31", enabled: false });
    const first = await plan(cfg, prior);
    const second = await plan(cfg, prior);

    expect(second).toEqual(first);
  });
});

/**
 * Builds a DigiCert ONE client with one service user whose status follows
 * the emulator's rule: DISABLED while disabled, EXPIRED after its
 * expiration date, else ACTIVE. Only the calls that update and read the
 * user are implemented.
 */
function statusTrackingClient(prior: ObjectValue): DigicertClient {
  let user: ServiceUser = {
    id: prior.id as string,
    name: prior.name as string,
    description: prior.description as string,
    email: prior.email as string,
    status: prior.status as string,
    primaryAccountId: prior.primary_account_id as string,
    accountIds: prior.account_ids as string[],
    expirationDate: prior.expiration_date as string | null,
    createdAt: prior.created_at as string,
    access: { software_trust: ["SM_SIGNER"] },
  };
  let disabled = prior.status === "DISABLED";
  const statusOf = (expirationDate: string | null): string => {
    if (disabled) return "DISABLED";
    if (expirationDate !== null && expirationDate < "2026-12-04") return "EXPIRED";
    return "ACTIVE";
  };
  const client: Partial<DigicertClient> = {
    async getServiceUser() {
      return structuredClone(user);
    },
    async updateServiceUser(_id: string, input: ServiceUserInput) {
      user = { ...user, ...structuredClone(input), status: statusOf(input.expirationDate) };
      return structuredClone(user);
    },
    async listServiceUsers() {
      return [structuredClone(user)];
    },
    async disableServiceUser() {
      disabled = true;
      user = { ...user, status: statusOf(user.expirationDate ?? null) };
      return structuredClone(user);
    },
    async enableServiceUser() {
      disabled = false;
      user = { ...user, status: statusOf(user.expirationDate ?? null) };
      return structuredClone(user);
    },
  };
  return client as DigicertClient;
}

describe("service user apply of a planned status", () => {
  test.each([
    ["ACTIVE", "2027-12-31", "ACTIVE"],
    ["ACTIVE", null, "ACTIVE"],
    ["DISABLED", "2027-12-31", "DISABLED"],
    ["DISABLED", null, "DISABLED"],
    ["ACTIVE", "2026-12-04", "ACTIVE"],
  ])("%s with new date %s applies as planned", async (status, date, expected) => {
    const enabled = status !== "DISABLED";
    const prior = priorState({ status, enabled });
    const { planned } = await plan(config({ expiration_date: date, enabled }), prior);
    const response = await resource.apply(
      { prior, planned: planned!, config: planned!, plannedPrivate: new Uint8Array() },
      statusTrackingClient(prior),
      context,
    );

    expect(response.diagnostics ?? []).toEqual([]);
    expect(planned!.status).toBe(expected);
    expect(response.newState!.status).toBe(expected);
    expect(response.newState!.expiration_date).toBe(date);
  });

  test.each([
    ["EXPIRED", "2027-12-31", "ACTIVE"],
  ])("%s with new date %s reads status", async (status, date, expected) => {
    const prior = priorState({ status });
    const { planned } = await plan(config({ expiration_date: date }), prior);
    const response = await resource.apply(
      { prior, planned: planned!, config: planned!, plannedPrivate: new Uint8Array() },
      statusTrackingClient(prior),
      context,
    );

    expect(response.diagnostics ?? []).toEqual([]);
    expect(isUnknown(planned!.status)).toBe(true);
    expect(response.newState!.status).toBe(expected);
  });

  test("planned status wins over the response", () => {
    // Terraform rejects a known planned value that apply changes, so the
    // state keeps the plan's status and the next refresh shows the API's.
    const planned = { ...priorState(), status: "ACTIVE" };
    const applied = { ...priorState(), status: "DISABLED" };
    const { state, diagnostics } = reconcileWithPlan(planned, applied, "service user");

    expect(diagnostics).toEqual([]);
    expect(state.status).toBe("ACTIVE");
  });

  test("unknown planned status takes the response", () => {
    const planned = { ...priorState(), status: unknown };
    const applied = { ...priorState(), status: "ACTIVE" };
    const { state } = reconcileWithPlan(planned, applied, "service user");

    expect(state.status).toBe("ACTIVE");
  });
});

describe("service user plan for replace and destroy", () => {
  test("replacement plans a create", async () => {
    // After requiresReplace, Terraform plans again with a null prior state.
    const { planned } = await plan(config({ primary_account_id: "acc-b" }), null);

    expect(planned!.primary_account_id).toBe("acc-b");
    expect(isUnknown(planned!.id)).toBe(true);
    expect(isUnknown(planned!.token)).toBe(true);
  });

  test("destroy plans null", async () => {
    const response = await resource.plan(
      { prior: priorState(), proposed: null, config: null, priorPrivate: new Uint8Array() },
      undefined,
      context,
    );

    expect(response.planned).toBeNull();
    expect(response.diagnostics ?? []).toEqual([]);
  });
});

describe("service user plan validation", () => {
  test("bad name fails at plan", async () => {
    const response = await plan(config({ name: "ci.bot!" }));
    const [diagnostic] = response.diagnostics!;

    expect(diagnostic.path).toEqual(path("name"));
    expect(diagnostic.detail).toContain('"."');
  });

  test("unknown name passes at plan", async () => {
    const response = await plan(config({ name: unknown }));

    expect(response.diagnostics).toEqual([]);
    expect(isUnknown(response.planned!.name)).toBe(true);
  });

  test("past expiration date fails on create", async () => {
    const response = await plan(config({ expiration_date: "2026-12-03" }));
    const [diagnostic] = response.diagnostics!;

    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.path).toEqual(path("expiration_date"));
    expect(diagnostic.detail).toContain("2026-12-04");
  });

  test("passed date kept from state plans", async () => {
    const prior = priorState({
      expiration_date: "2026-11-30",
      expires_at: "2026-11-30T23:59:59Z",
      status: "EXPIRED",
    });
    const response = await plan(config({ expiration_date: "2026-11-30" }), prior);

    expect(errorsOf(response.diagnostics)).toEqual([]);
    expect(response.diagnostics!.map((d) => d.summary)).toEqual(["Service user has expired"]);
    expect(response.planned!.expiration_date).toBe("2026-11-30");
  });

  test("past expiration date fails at plan", async () => {
    const response = await plan(config({ expiration_date: "2026-12-03" }), priorState());
    const [diagnostic] = response.diagnostics!;

    expect(diagnostic.path).toEqual(path("expiration_date"));
    expect(diagnostic.detail).toContain("2026-12-03");
  });
});

describe("service user plan and apply of enabled", () => {
  test("null enabled plans true", async () => {
    const { planned } = await plan(config());

    expect(planned!.enabled).toBe(true);
  });

  test("disabled create plans DISABLED", async () => {
    const { planned } = await plan(config({ enabled: false }));

    expect(planned!.enabled).toBe(false);
    expect(planned!.status).toBe("DISABLED");
  });

  test("user disabled elsewhere plans enabling", async () => {
    const prior = priorState({ status: "DISABLED", enabled: false });
    const { planned, diagnostics } = await plan(config(), prior);

    expect(diagnostics).toEqual([]);
    expect(planned!.enabled).toBe(true);
    expect(isUnknown(planned!.status)).toBe(true);
  });

  test("unknown enabled plans unknown status", async () => {
    const { planned } = await plan(config({ enabled: unknown }), priorState());

    expect(isUnknown(planned!.status)).toBe(true);
  });

  test.each([
    ["ACTIVE", true, false, "DISABLED"],
    ["DISABLED", false, true, "ACTIVE"],
  ])("%s user with enabled %s -> %s applies", async (status, before, after, expected) => {
    const prior = priorState({ status, enabled: before });
    const { planned } = await plan(
      config({ enabled: after, description: "Changed too" }),
      prior,
    );
    const client = statusTrackingClient(prior);
    const response = await resource.apply(
      { prior, planned: planned!, config: planned!, plannedPrivate: new Uint8Array() },
      client,
      context,
    );

    expect(response.diagnostics ?? []).toEqual([]);
    expect(response.newState!.enabled).toBe(after);
    expect(response.newState!.status).toBe(expected);
    expect(response.newState!.description).toBe("Changed too");
    const read = await resource.read(
      { state: response.newState!, private: new Uint8Array() },
      client,
      context,
    );
    expect(read.state!.status).toBe(expected);
  });
});

describe("service user expiry warnings", () => {
  // Today is 2026-12-04 in UTC.
  const days = (n: number) => utcDay(new Date(NOW.getTime() + n * 86_400_000));

  test.each([
    [0, 30, "expires today"],
    [1, 30, "expires tomorrow"],
    [10, 30, "expires in 10 days"],
    [29, 30, "expires in 29 days"],
    [5, 6, "expires in 5 days"],
  ])("date in %s days with window %s warns", (daysLeft, window, text) => {
    const [warning, ...rest] = expiryWarnings(
      { name: "release bot", expiration_date: days(daysLeft) },
      null,
      days(0),
      window,
    );

    expect(rest).toEqual([]);
    expect(warning.severity).toBe("warning");
    expect(warning.summary).toBe("Service user expires soon");
    expect(warning.detail).toContain(text);
    expect(warning.path).toEqual(path("expiration_date"));
  });

  test.each([
    [30, 30],
    [400, 30],
    [0, 0],
    [6, 6],
  ])("date in %s days with window %s is quiet", (daysLeft, window) => {
    expect(
      expiryWarnings({ name: "b", expiration_date: days(daysLeft) }, null, days(0), window),
    ).toEqual([]);
  });

  test("no date or destroy is quiet", () => {
    expect(expiryWarnings({ name: "b", expiration_date: null }, null, days(0), 30)).toEqual([]);
    expect(expiryWarnings({ name: "b", expiration_date: unknown }, null, days(0), 30)).toEqual([]);
    expect(expiryWarnings(null, { status: "EXPIRED" }, days(0), 30)).toEqual([]);
  });

  test("expired user says renew in place", () => {
    const prior = { status: "EXPIRED", expiration_date: days(0) };
    const [warning] = expiryWarnings(
      { name: "release bot", expiration_date: days(0) },
      prior,
      days(0),
      0,
    );

    expect(warning.summary).toBe("Service user has expired");
    expect(warning.detail).toContain("later day to renew it in place");
    expect(warning.path).toEqual(path("expiration_date"));
  });

  test("renewed expired user is quiet", () => {
    const prior = { status: "EXPIRED", expiration_date: days(-3) };
    expect(
      expiryWarnings({ name: "b", expiration_date: days(100) }, prior, days(0), 30),
    ).toEqual([]);
  });

  test("plan uses the configured window", async () => {
    const near = config({ expiration_date: days(10) });
    const planned = await plan(near);
    expect(planned.diagnostics!.map((d) => d.summary)).toEqual(["Service user expires soon"]);

    const client = {} as DigicertClient;
    setProviderSettings(client, { expiryWarningDays: 5 });
    const quiet = await resource.plan(planRequest(near, null), client, context);
    // The catalogue check needs a real client, so only the warnings are compared.
    expect((quiet.diagnostics ?? []).filter((d) => d.severity === "warning")).toEqual([]);
  });
});
