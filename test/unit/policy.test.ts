// The provider's plan-time policy: validation of the policy block, its
// conversion at configure time, and each rule's check on service users and
// role bindings, with severities, kept values and unknown values.

import type { DigicertClientOptions } from "../../provider/src/digicert/client";
import type { DigicertClient } from "../../provider/src/digicert/types";
import {
  path,
  unknown,
  type Diagnostic,
  type ObjectValue,
  type PlanRequest,
} from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import {
  checkRoleBindingPolicy,
  checkServiceUserPolicy,
  resolvePolicy,
  validatePolicyConfig,
  type Policy,
} from "../../provider/src/policy";
import { createProvider, provider } from "../../provider/src/provider";
import { providerSettingsOf, setProviderSettings } from "../../provider/src/provider-settings";
import { createRoleBindingResource } from "../../provider/src/resources/role-binding";
import { createServiceUserResource } from "../../provider/src/resources/service-user";
import { KeyedLock } from "../../provider/src/resources/user-access/lock";
import { InMemoryDigicertClient } from "./support/in-memory-client";

const TODAY = "2026-12-04";
const NOW = new Date(`${TODAY}T12:00:00Z`);
const context = { signal: new AbortController().signal };
const silentLogger = createLogger("test", {}, () => {});

/** Builds a policy block as Terraform sends it: every nested block, absent ones null or []. */
function policyBlock(overrides: ObjectValue = {}): ObjectValue {
  return {
    require_expiration: null,
    max_lifetime: null,
    name_pattern: null,
    allowed_roles: [],
    forbidden_roles: [],
    ...overrides,
  };
}

function roleList(manager: string, roles: string[], severity: string | null = null): ObjectValue {
  return { manager, roles, severity };
}

/** Resolves a policy block that must be valid. */
function policyOf(overrides: ObjectValue): Policy {
  const block = policyBlock(overrides);
  expect(validatePolicyConfig(block).filter((d) => d.severity === "error")).toEqual([]);
  const { policy, diagnostics } = resolvePolicy(block);
  expect(diagnostics).toEqual([]);
  return policy;
}

/** Builds a service user configuration with the attributes the checks read. */
function user(overrides: ObjectValue = {}): ObjectValue {
  return {
    name: "ci-release",
    expiration_date: "2027-06-30",
    access: { software_trust: { roles: ["SM_SIGNER"] } },
    ...overrides,
  };
}

function severities(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => `${diagnostic.severity}: ${diagnostic.summary}`);
}

describe("policy block validation", () => {
  test("accepts a full policy", () => {
    const block = policyBlock({
      require_expiration: { severity: null },
      max_lifetime: { days: 365, severity: "warning" },
      name_pattern: { regex: "ci-[a-z0-9-]+", severity: "error" },
      allowed_roles: [roleList("software_trust", ["SM_SIGNER", "SM_VIEW_ONLY"])],
      forbidden_roles: [roleList("account_manager", ["AM_ACCOUNT_ADMIN"])],
    });

    expect(validatePolicyConfig(block)).toEqual([]);
  });

  test("absent block is valid", () => {
    expect(validatePolicyConfig(null)).toEqual([]);
    expect(validatePolicyConfig(undefined)).toEqual([]);
  });

  test("rejects an unknown severity", () => {
    const [diagnostic] = validatePolicyConfig(
      policyBlock({ require_expiration: { severity: "Warning" } }),
    );

    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.path).toEqual(path("policy", "require_expiration", "severity"));
    expect(diagnostic.detail).toContain('policy.require_expiration.severity is "Warning"');
    expect(diagnostic.detail).toContain('Write it in lowercase: "warning".');
  });

  test("names a role list's severity by index", () => {
    const [diagnostic] = validatePolicyConfig(
      policyBlock({ allowed_roles: [roleList("software_trust", ["SM_SIGNER"], "fatal")] }),
    );

    expect(diagnostic.path).toEqual(path("policy", "allowed_roles", 0, "severity"));
    expect(diagnostic.detail).toContain('policy.allowed_roles[0].severity is "fatal"');
  });

  test("rejects an invalid regex with the engine's message", () => {
    const [diagnostic] = validatePolicyConfig(
      policyBlock({ name_pattern: { regex: "ci-[a-z", severity: null } }),
    );

    expect(diagnostic.summary).toBe("Invalid policy name_pattern");
    expect(diagnostic.path).toEqual(path("policy", "name_pattern", "regex"));
    expect(diagnostic.detail).toContain('The regex "ci-[a-z" is not a valid JavaScript regular expression');
    expect(diagnostic.detail).toContain("Unterminated character class");
  });

  test("explains Go inline flags", () => {
    const [diagnostic] = validatePolicyConfig(
      policyBlock({ name_pattern: { regex: "(?i)ci-.*", severity: null } }),
    );

    expect(diagnostic.detail).toContain("Inline flags such as Go's (?i) do not exist");
  });

  test("rejects an empty regex", () => {
    const [diagnostic] = validatePolicyConfig(
      policyBlock({ name_pattern: { regex: "", severity: null } }),
    );

    expect(diagnostic.detail).toContain("is empty");
  });

  test.each([0, 3651, 1.5])("rejects max_lifetime of %s days", (days) => {
    const [diagnostic] = validatePolicyConfig(
      policyBlock({ max_lifetime: { days, severity: null } }),
    );

    expect(diagnostic.path).toEqual(path("policy", "max_lifetime", "days"));
    expect(diagnostic.detail).toContain("from 1 to 3650");
  });

  test("rejects bad manager and role codes", () => {
    const diagnostics = validatePolicyConfig(
      policyBlock({ forbidden_roles: [roleList("Software_Trust", ["sm_admin"])] }),
    );

    expect(diagnostics.map((d) => d.path)).toEqual([
      path("policy", "forbidden_roles", 0, "manager"),
      path("policy", "forbidden_roles", 0, "roles"),
    ]);
    expect(diagnostics[0].detail).toContain('Write "software_trust".');
    expect(diagnostics[1].detail).toContain('Write "sm_admin" as "SM_ADMIN".');
  });

  test("rejects an empty role list", () => {
    const [diagnostic] = validatePolicyConfig(
      policyBlock({ allowed_roles: [roleList("software_trust", [])] }),
    );

    expect(diagnostic.summary).toBe("Empty allowed_roles.roles");
  });

  test("rejects two blocks for one manager", () => {
    const [diagnostic] = validatePolicyConfig(
      policyBlock({
        allowed_roles: [
          roleList("software_trust", ["SM_SIGNER"]),
          roleList("software_trust", ["SM_VIEW_ONLY"]),
        ],
      }),
    );

    expect(diagnostic.summary).toBe("Duplicate manager in policy allowed_roles");
    expect(diagnostic.path).toEqual(path("policy", "allowed_roles", 1, "manager"));
  });

  test("warns about a role both allowed and forbidden", () => {
    const diagnostics = validatePolicyConfig(
      policyBlock({
        allowed_roles: [roleList("software_trust", ["SM_SIGNER", "SM_ADMIN"])],
        forbidden_roles: [roleList("software_trust", ["SM_ADMIN"])],
      }),
    );

    expect(severities(diagnostics)).toEqual(["warning: Role both allowed and forbidden by policy"]);
    expect(diagnostics[0].path).toEqual(path("policy", "forbidden_roles", 0, "roles"));
    expect(diagnostics[0].detail).toContain("Forbidden wins");
  });

  test("skips unknown values", () => {
    const block = policyBlock({
      max_lifetime: { days: unknown, severity: unknown },
      name_pattern: { regex: unknown, severity: null },
      forbidden_roles: [roleList("software_trust", [unknown as unknown as string])],
      allowed_roles: unknown,
    });

    expect(validatePolicyConfig(block)).toEqual([]);
    expect(validatePolicyConfig(unknown)).toEqual([]);
  });
});

describe("policy resolution", () => {
  test("rejects unknown values at their path", () => {
    const { diagnostics } = resolvePolicy(
      policyBlock({
        max_lifetime: { days: unknown, severity: null },
        forbidden_roles: [roleList("software_trust", ["SM_ADMIN", unknown as unknown as string])],
      }),
    );

    expect(diagnostics.map((d) => d.path)).toEqual([
      path("policy", "max_lifetime", "days"),
      path("policy", "forbidden_roles", 0, "roles"),
    ]);
    expect(diagnostics[0].summary).toBe("Provider policy value not known");
  });

  test("defaults severities to error", () => {
    const policy = policyOf({
      require_expiration: { severity: null },
      allowed_roles: [roleList("software_trust", ["SM_SIGNER"], "warning")],
    });

    expect(policy.requireExpiration).toEqual({ severity: "error" });
    expect(policy.allowedRoles.get("software_trust")).toEqual({
      roles: new Set(["SM_SIGNER"]),
      severity: "warning",
    });
  });

  test("anchors the name pattern", () => {
    const policy = policyOf({ name_pattern: { regex: "ci-[a-z]+|build", severity: null } });

    expect(policy.namePattern!.pattern.test("ci-release")).toBe(true);
    expect(policy.namePattern!.pattern.test("build")).toBe(true);
    expect(policy.namePattern!.pattern.test("old ci-release")).toBe(false);
    expect(policy.namePattern!.pattern.test("ci-release2")).toBe(false);
  });
});

describe("provider policy settings", () => {
  const providerConfig = (policy: ObjectValue | null): ObjectValue => ({
    url: "http://127.0.0.1:8080",
    api_key: "admin-key_0123456789abcdef",
    policy,
  });

  async function configure(cfg: ObjectValue) {
    const fakeClient = {} as DigicertClient;
    const testProvider = createProvider({
      env: {},
      logger: silentLogger,
      createClient: (_options: DigicertClientOptions) => fakeClient,
    });
    return testProvider.configure(cfg, context);
  }

  test("validate reports policy errors", () => {
    const diagnostics = provider.validate!({
      config: providerConfig(policyBlock({ name_pattern: { regex: "(", severity: null } })),
    });

    expect(diagnostics.map((d) => d.summary)).toEqual(["Invalid policy name_pattern"]);
  });

  test("configure records the policy", async () => {
    const { client, diagnostics } = await configure(
      providerConfig(policyBlock({ require_expiration: { severity: "warning" } })),
    );

    expect(diagnostics).toEqual([]);
    expect(providerSettingsOf(client).policy?.requireExpiration).toEqual({ severity: "warning" });
  });

  test("configure without a policy block", async () => {
    const { client } = await configure(providerConfig(null));

    expect(providerSettingsOf(client).policy?.requireExpiration).toBeUndefined();
    expect(providerSettingsOf(client).policy?.allowedRoles.size).toBe(0);
  });

  test("configure rejects an unknown policy value", async () => {
    const { client, diagnostics } = await configure(
      providerConfig(policyBlock({ max_lifetime: { days: unknown, severity: null } })),
    );

    expect(client).toBeUndefined();
    expect(diagnostics!.map((d) => d.path)).toEqual([path("policy", "max_lifetime", "days")]);
  });
});

describe("require_expiration rule", () => {
  const policy = policyOf({ require_expiration: { severity: null } });

  test("fails a create without a date", () => {
    const [diagnostic] = checkServiceUserPolicy(user({ expiration_date: null }), null, policy, TODAY);

    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe("Missing expiration_date required by policy");
    expect(diagnostic.path).toEqual(path("expiration_date"));
    expect(diagnostic.detail).toContain('Service user "ci-release" has no expiration_date (null)');
    expect(diagnostic.detail).toContain("(require_expiration)");
    expect(diagnostic.detail).toContain("Set expiration_date");
  });

  test("passes a create with a date", () => {
    expect(checkServiceUserPolicy(user(), null, policy, TODAY)).toEqual([]);
  });

  test("warns with warning severity", () => {
    const warningPolicy = policyOf({ require_expiration: { severity: "warning" } });

    const diagnostics = checkServiceUserPolicy(user({ expiration_date: null }), null, warningPolicy, TODAY);

    expect(severities(diagnostics)).toEqual(["warning: Missing expiration_date required by policy"]);
  });

  test("names the latest date under max_lifetime", () => {
    const both = policyOf({
      require_expiration: { severity: null },
      max_lifetime: { days: 30, severity: null },
    });

    const [diagnostic] = checkServiceUserPolicy(user({ expiration_date: null }), null, both, TODAY);

    expect(diagnostic.detail).toContain("no later than 2027-01-03");
  });

  test("skips an unknown date", () => {
    expect(checkServiceUserPolicy(user({ expiration_date: unknown }), null, policy, TODAY)).toEqual([]);
  });

  test("warns about a kept null date", () => {
    const prior = user({ expiration_date: null });

    const diagnostics = checkServiceUserPolicy(user({ expiration_date: null }), prior, policy, TODAY);

    expect(severities(diagnostics)).toEqual(["warning: Missing expiration_date required by policy"]);
    expect(diagnostics[0].detail).toContain("already in state");
  });

  test("fails removing a date", () => {
    const diagnostics = checkServiceUserPolicy(user({ expiration_date: null }), user(), policy, TODAY);

    expect(severities(diagnostics)).toEqual(["error: Missing expiration_date required by policy"]);
  });
});

describe("max_lifetime rule", () => {
  const policy = policyOf({ max_lifetime: { days: 30, severity: null } });

  test("accepts the last allowed day", () => {
    expect(checkServiceUserPolicy(user({ expiration_date: "2027-01-03" }), null, policy, TODAY)).toEqual([]);
  });

  test("fails the day after", () => {
    const [diagnostic] = checkServiceUserPolicy(
      user({ expiration_date: "2027-01-04" }),
      null,
      policy,
      TODAY,
    );

    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.path).toEqual(path("expiration_date"));
    expect(diagnostic.detail).toContain('The expiration_date "2027-01-04" is 31 days after today (2026-12-04, UTC).');
    expect(diagnostic.detail).toContain("at most 30 days, so the latest allowed date is 2027-01-03");
    expect(diagnostic.detail).toMatch(
      /Set expiration_date to 2027-01-03 or earlier\. Once the service user exists, moving the date later updates it in place\.$/,
    );
  });

  test("a later apply day still passes", () => {
    const planned = user({ expiration_date: "2027-01-03" });

    expect(checkServiceUserPolicy(planned, null, policy, TODAY)).toEqual([]);
    expect(checkServiceUserPolicy(planned, null, policy, "2026-12-05")).toEqual([]);
  });

  test("counts across a leap day", () => {
    const yearPolicy = policyOf({ max_lifetime: { days: 366, severity: null } });

    expect(checkServiceUserPolicy(user({ expiration_date: "2028-02-29" }), null, yearPolicy, "2027-02-28")).toEqual([]);
    expect(checkServiceUserPolicy(user({ expiration_date: "2028-03-01" }), null, yearPolicy, "2027-02-28")).toHaveLength(1);
  });

  test("warns about a kept date", () => {
    const far = user({ expiration_date: "2030-01-01" });

    const diagnostics = checkServiceUserPolicy(far, far, policy, TODAY);

    expect(severities(diagnostics)).toEqual(["warning: expiration_date beyond policy max_lifetime"]);
  });

  test("fails a new date on an update", () => {
    const diagnostics = checkServiceUserPolicy(
      user({ expiration_date: "2030-01-01" }),
      user(),
      policy,
      TODAY,
    );

    expect(severities(diagnostics)).toEqual(["error: expiration_date beyond policy max_lifetime"]);
    expect(diagnostics[0].detail).toMatch(
      /Set expiration_date to 2027-01-03 or earlier, and move it later when the service user is still needed, which updates it in place\.$/,
    );
  });

  test("allows no date without require_expiration", () => {
    expect(checkServiceUserPolicy(user({ expiration_date: null }), null, policy, TODAY)).toEqual([]);
  });
});

describe("name_pattern rule", () => {
  const policy = policyOf({ name_pattern: { regex: "ci-[a-z0-9-]+", severity: null } });

  test("fails a name that does not match", () => {
    const [diagnostic] = checkServiceUserPolicy(user({ name: "Release Bot" }), null, policy, TODAY);

    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe("Name does not match policy name_pattern");
    expect(diagnostic.path).toEqual(path("name"));
    expect(diagnostic.detail).toContain('The name "Release Bot" does not match the regular expression "ci-[a-z0-9-]+".');
    expect(diagnostic.detail).toMatch(/Set name to a matching value before the service user is created\.$/);
    expect(diagnostic.detail).not.toContain("keeps its id and token");
  });

  test("offers an in-place rename on update", () => {
    const prior = user({ name: "ci-release" });

    const [diagnostic] = checkServiceUserPolicy(user({ name: "Release Bot" }), prior, policy, TODAY);

    expect(diagnostic.detail).toMatch(
      /Rename the service user to a matching name\. A rename updates it in place and keeps its id and token\.$/,
    );
  });

  test("matches the whole name", () => {
    expect(checkServiceUserPolicy(user({ name: "old ci-release" }), null, policy, TODAY)).toHaveLength(1);
    expect(checkServiceUserPolicy(user({ name: "ci-release" }), null, policy, TODAY)).toEqual([]);
  });

  test("skips an unknown name", () => {
    expect(checkServiceUserPolicy(user({ name: unknown }), null, policy, TODAY)).toEqual([]);
  });

  test("warns about a kept name and fails a rename", () => {
    const prior = user({ name: "Release Bot" });

    const kept = checkServiceUserPolicy(user({ name: "Release Bot" }), prior, policy, TODAY);
    const renamed = checkServiceUserPolicy(user({ name: "Release Bot 2" }), prior, policy, TODAY);

    expect(severities(kept)).toEqual(["warning: Name does not match policy name_pattern"]);
    expect(severities(renamed)).toEqual(["error: Name does not match policy name_pattern"]);
  });
});

describe("role rules on service users", () => {
  const policy = policyOf({
    allowed_roles: [roleList("software_trust", ["SM_SIGNER", "SM_VIEW_ONLY", "SM_ADMIN"])],
    forbidden_roles: [
      roleList("software_trust", ["SM_ADMIN"]),
      roleList("account_manager", ["AM_ACCOUNT_ADMIN"], "warning"),
    ],
  });
  const accessPath = (manager: string) => path("access", { key: manager });

  test("fails a forbidden role", () => {
    const planned = user({ access: { software_trust: { roles: ["SM_SIGNER", "SM_ADMIN"] } } });

    const [diagnostic, ...rest] = checkServiceUserPolicy(planned, null, policy, TODAY);

    expect(rest).toEqual([]);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe("Role forbidden by policy");
    expect(diagnostic.path).toEqual(accessPath("software_trust"));
    expect(diagnostic.detail).toContain(
      'access["software_trust"].roles contains "SM_ADMIN", which the policy forbids in the manager "software_trust".',
    );
    expect(diagnostic.detail).toContain("forbidden wins over allowed_roles");
  });

  test("fails a role outside the allowed list", () => {
    const planned = user({ access: { software_trust: { roles: ["SM_KEY_ADMIN", "SM_SIGNER"] } } });

    const [diagnostic] = checkServiceUserPolicy(planned, null, policy, TODAY);

    expect(diagnostic.summary).toBe("Role not allowed by policy");
    expect(diagnostic.detail).toContain('contains "SM_KEY_ADMIN", which is not an allowed role');
    expect(diagnostic.detail).toContain('allows only "SM_ADMIN", "SM_SIGNER" and "SM_VIEW_ONLY"');
  });

  test("uses each list's severity", () => {
    const planned = user({
      access: {
        software_trust: { roles: ["SM_SIGNER"] },
        account_manager: { roles: ["AM_ACCOUNT_ADMIN"] },
      },
    });

    const diagnostics = checkServiceUserPolicy(planned, null, policy, TODAY);

    expect(severities(diagnostics)).toEqual(["warning: Role forbidden by policy"]);
    expect(diagnostics[0].path).toEqual(accessPath("account_manager"));
  });

  test("leaves other managers alone", () => {
    const planned = user({ access: { keylocker: { roles: ["KL_ADMIN"] } } });

    expect(checkServiceUserPolicy(planned, null, policy, TODAY)).toEqual([]);
  });

  test("warns about kept roles and fails added ones", () => {
    const prior = user({ access: { software_trust: { roles: ["SM_ADMIN"] } } });
    const planned = user({ access: { software_trust: { roles: ["SM_ADMIN", "SM_KEY_ADMIN"] } } });

    const diagnostics = checkServiceUserPolicy(planned, prior, policy, TODAY);

    expect(severities(diagnostics)).toEqual([
      "warning: Role forbidden by policy",
      "error: Role not allowed by policy",
    ]);
  });

  test("skips unknown roles", () => {
    const planned = user({
      access: {
        software_trust: { roles: unknown },
        account_manager: { roles: [unknown as unknown as string] },
      },
    });

    expect(checkServiceUserPolicy(planned, null, policy, TODAY)).toEqual([]);
    expect(checkServiceUserPolicy(user({ access: unknown }), null, policy, TODAY)).toEqual([]);
  });
});

describe("role rules on role bindings", () => {
  const policy = policyOf({
    allowed_roles: [roleList("software_trust", ["SM_SIGNER"])],
    forbidden_roles: [roleList("software_trust", ["SM_ADMIN"])],
  });
  const binding = (manager: CtyLike, roles: CtyLike): ObjectValue => ({
    id: null,
    service_user_id: "user-1",
    manager,
    roles,
  });
  type CtyLike = ObjectValue[string];

  test("fails a forbidden role on roles", () => {
    const [diagnostic] = checkRoleBindingPolicy(binding("software_trust", ["SM_ADMIN"]), null, policy);

    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.path).toEqual(path("roles"));
    expect(diagnostic.detail).toContain('roles contains "SM_ADMIN"');
    expect(diagnostic.detail).toContain("Remove it from roles.");
  });

  test("a new manager makes every role new", () => {
    const prior = binding("keylocker", ["SM_VIEW_ONLY"]);

    const diagnostics = checkRoleBindingPolicy(binding("software_trust", ["SM_VIEW_ONLY"]), prior, policy);

    expect(severities(diagnostics)).toEqual(["error: Role not allowed by policy"]);
  });

  test("warns about kept roles", () => {
    const prior = binding("software_trust", ["SM_ADMIN"]);

    const diagnostics = checkRoleBindingPolicy(binding("software_trust", ["SM_ADMIN"]), prior, policy);

    expect(severities(diagnostics)).toEqual(["warning: Role forbidden by policy"]);
  });

  test("skips an unknown manager", () => {
    expect(checkRoleBindingPolicy(binding(unknown, ["SM_ADMIN"]), null, policy)).toEqual([]);
    expect(checkRoleBindingPolicy(binding("software_trust", unknown), null, policy)).toEqual([]);
  });
});

describe("policy in resource plans", () => {
  const strictPolicy = policyOf({
    require_expiration: { severity: null },
    forbidden_roles: [roleList("software_trust", ["SM_ADMIN"])],
  });

  function clientWithPolicy(policy: Policy): InMemoryDigicertClient {
    const client = new InMemoryDigicertClient();
    setProviderSettings(client, { expiryWarningDays: 0, policy });
    return client;
  }

  function fullUserConfig(overrides: ObjectValue): ObjectValue {
    return {
      id: null,
      name: "ci-release",
      description: null,
      email: "platform-team@example.com",
      expiration_date: null,
      expires_at: null,
      account_ids: ["acc-a"],
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

  function createRequest(cfg: ObjectValue): PlanRequest {
    return { prior: null, proposed: cfg, config: cfg, priorPrivate: new Uint8Array() };
  }

  test("service user error skips the catalogue", async () => {
    const client = clientWithPolicy(strictPolicy);
    const resource = createServiceUserResource({ now: () => NOW, logger: silentLogger });

    const response = await resource.plan(createRequest(fullUserConfig({})), client, context);

    expect(severities(response.diagnostics ?? [])).toEqual([
      "error: Missing expiration_date required by policy",
    ]);
    expect(client.calls).toEqual([]);
  });

  test("service user warning keeps the plan", async () => {
    const warningPolicy = policyOf({ require_expiration: { severity: "warning" } });
    const client = clientWithPolicy(warningPolicy);
    const resource = createServiceUserResource({ now: () => NOW, logger: silentLogger });

    const response = await resource.plan(createRequest(fullUserConfig({})), client, context);

    expect(severities(response.diagnostics ?? [])).toEqual([
      "warning: Missing expiration_date required by policy",
    ]);
    expect(response.planned!.token).toBe(unknown);
  });

  test("destroy is never checked", async () => {
    const client = clientWithPolicy(strictPolicy);
    const resource = createServiceUserResource({ now: () => NOW, logger: silentLogger });
    const prior = fullUserConfig({ id: "user-1" });

    const response = await resource.plan(
      { prior, proposed: null, config: null, priorPrivate: new Uint8Array() },
      client,
      context,
    );

    expect(response.planned).toBeNull();
    expect(response.diagnostics ?? []).toEqual([]);
  });

  test("role binding error skips the catalogue", async () => {
    const client = clientWithPolicy(strictPolicy);
    const resource = createRoleBindingResource({ logger: silentLogger, locks: new KeyedLock() });
    const cfg = { id: null, service_user_id: "user-1", manager: "software_trust", roles: ["SM_ADMIN"] };

    const response = await resource.plan(createRequest(cfg), client, context);

    expect(severities(response.diagnostics ?? [])).toEqual(["error: Role forbidden by policy"]);
    expect(client.calls).toEqual([]);
  });
});
