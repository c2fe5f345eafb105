import {
  ACCOUNTS,
  ACCOUNT_IDS,
  APPLICATIONS,
  APPLICATION_IDS,
  ROLES,
  STANDARD_USER_IDS,
} from "../../emulator/src/catalogue";
import { RunningEmulator, startEmulator } from "../../emulator/src/server";
import { callApi, createServiceUser } from "../../emulator/test/client";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const MANAGER_PREFIXES: Record<string, string> = {
  account_manager: "AM",
  trust_lifecycle: "EM",
  software_trust: "SM",
  iot_trust: "IOT",
  document_trust: "DSM",
  device_trust: "DTM",
  ca_manager: "CM",
  keylocker: "KL",
  dns_trust: "DNS",
  content_trust: "CTM",
};

describe("emulator catalogue data", () => {
  test("seed ids are unique UUID v4", () => {
    const ids = [
      ...ACCOUNTS.map((account) => account.id),
      ...APPLICATIONS.map((application) => application.id),
      ...ROLES.map((role) => role.id),
      ...Object.values(STANDARD_USER_IDS),
    ];

    for (const id of ids) {
      expect(id).toMatch(UUID_V4);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("role and permission codes follow the manager prefix", () => {
    for (const role of ROLES) {
      const application = APPLICATIONS.find((candidate) => candidate.id === role.applicationId);
      const prefix = MANAGER_PREFIXES[application!.code];

      expect(role.code).toMatch(new RegExp(`^${prefix}_[A-Z_]+$`));
      for (const permission of role.permissions) {
        expect(permission).toMatch(new RegExp(`^[A-Z]+_${prefix}_[A-Z_]+$`));
        expect(application!.permissions).toContain(permission);
      }
    }
  });
});

describe("emulator catalogue endpoints", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });

  afterAll(async () => {
    await emulator.close();
  });

  test("account manager roles use DigiCert codes", async () => {
    const response = await callApi(emulator, "GET", "/role?application_code=account_manager");

    expect(response.status).toBe(200);
    expect(response.body.map((role: any) => role.code)).toEqual([
      "AM_ACCOUNT_ADMIN",
      "AM_ACCOUNT_MANAGER",
      "AM_ACCOUNT_USER",
      "AM_DEFAULT_USER",
      "AM_VIEW_ONLY",
      "AM_USER_MANAGER",
    ]);
    const userManager = response.body.find((role: any) => role.code === "AM_USER_MANAGER");
    expect(userManager.permissions).toContain("MANAGE_AM_USER");
  });

  test.each(Object.keys(APPLICATION_IDS))("roles of %s have the role shape", async (code) => {
    const response = await callApi(emulator, "GET", `/role?application_code=${code}`);

    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThanOrEqual(3);
    for (const role of response.body) {
      expect(Object.keys(role)).toEqual([
        "id",
        "code",
        "name",
        "application_id",
        "application_code",
        "permissions",
      ]);
      expect(role.application_code).toBe(code);
      expect(role.application_id).toBe(APPLICATION_IDS[code as keyof typeof APPLICATION_IDS]);
      expect(role.permissions).toEqual([...role.permissions].sort());
    }
  });

  test("unknown application code returns empty array", async () => {
    const response = await callApi(emulator, "GET", "/role?application_code=no_such_manager");

    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });

  test("missing application code returns 400", async () => {
    const response = await callApi(emulator, "GET", "/role");

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/application_code is required/);
  });

  test("administrator has every permission", async () => {
    const response = await callApi(emulator, "GET", "/user/me");
    const granted = response.body.applications.flatMap((application: any) => application.permissions);

    const all = APPLICATIONS.flatMap((application) => application.permissions);
    expect([...granted].sort()).toEqual([...all].sort());
    expect(granted).toContain("MANAGE_AM_USER");
  });

  test("account list is a bare array", async () => {
    const response = await callApi(emulator, "GET", "/account");

    expect(response.status).toBe(200);
    expect(response.body.map((account: any) => account.name)).toEqual([
      "Acme Platform Engineering",
      "Acme Product Security",
      "Acme Legacy Operations",
    ]);
    expect(response.body.map((account: any) => account.active)).toEqual([true, true, false]);
  });

  test("account list with limit is paged", async () => {
    const response = await callApi(emulator, "GET", "/account?offset=2&limit=5");

    expect(response.body.total).toBe(3);
    expect(response.body.items.map((account: any) => account.id)).toEqual([
      ACCOUNT_IDS.legacyOperations,
    ]);
  });

  test("account object has the contract keys", async () => {
    const response = await callApi(emulator, "GET", `/account/${ACCOUNT_IDS.productSecurity}`);

    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual([
      "id",
      "name",
      "active",
      "service_period",
      "friendly_identifier",
      "admins",
      "sign_in_methods",
      "locale",
    ]);
    expect(Object.keys(response.body.sign_in_methods[0])).toEqual([
      "signInMethod",
      "status",
      "mfaStatus",
      "clientAuthCertLoginEnabled",
    ]);
  });

  test("unknown account returns 404", async () => {
    const response = await callApi(emulator, "GET", "/account/00000000-0000-4000-8000-000000000000");

    expect(response.status).toBe(404);
    expect(response.body.errors[0].code).toBe("resource_not_found");
  });

  test("viewer sees only its accounts", async () => {
    const apiKey = emulator.viewerApiKey;

    const list = await callApi(emulator, "GET", "/account", { apiKey });
    const legacy = await callApi(emulator, "GET", `/account/${ACCOUNT_IDS.legacyOperations}`, { apiKey });

    expect(list.body.map((account: any) => account.id)).toEqual([
      ACCOUNT_IDS.platformEngineering,
      ACCOUNT_IDS.productSecurity,
    ]);
    expect(legacy.status).toBe(404);
  });

  test("service user sees only its accounts", async () => {
    const created = await createServiceUser(emulator, {
      accounts: [ACCOUNT_IDS.productSecurity],
    });

    const list = await callApi(emulator, "GET", "/account", { apiKey: created.api_token });

    expect(list.body.map((account: any) => account.id)).toEqual([ACCOUNT_IDS.productSecurity]);
  });
});
