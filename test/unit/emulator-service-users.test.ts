import {
  ACCOUNT_IDS,
  APPLICATION_IDS,
  ROLE_IDS,
  STANDARD_USER_IDS,
} from "../../emulator/src/catalogue";
import { RunningEmulator, startEmulator } from "../../emulator/src/server";
import {
  ManualClock,
  callApi,
  createServiceUser,
  validCreateBody,
} from "../../emulator/test/client";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const START = new Date("2030-01-15T10:20:30.456Z");

describe("emulator service users", () => {
  let emulator: RunningEmulator;
  const clock = new ManualClock(START);

  beforeEach(async () => {
    clock.set(START);
    emulator = await startEmulator({ quiet: true, clock });
  });

  afterEach(async () => {
    await emulator.close();
  });

  test("create returns 201 with the object and token", async () => {
    const response = await callApi(emulator, "POST", "/user", {
      json: validCreateBody({ end_date: "2030-06-30" }),
    });

    expect(response.status).toBe(201);
    const user = response.body;
    expect(user.id).toMatch(UUID_V4);
    expect(response.headers.location).toBe(`/account/api/v1/user/${user.id}`);
    expect(user).toEqual({
      id: user.id,
      friendly_name: "release-signing_bot",
      description: "Signs release builds",
      email: "platform-team@example.com",
      status: "ACTIVE",
      user_type: "service",
      access_scope: "account",
      primary_account_id: ACCOUNT_IDS.platformEngineering,
      created_at: "2030-01-15T10:20:30Z",
      created_by: STANDARD_USER_IDS.administrator,
      locale: "en_US",
      end_date: "2030-06-30",
      accounts: [ACCOUNT_IDS.platformEngineering],
      applications: [
        {
          id: APPLICATION_IDS.software_trust,
          code: "software_trust",
          name: "Software Trust",
          permissions: ["SIGN_SM_HASH", "VIEW_SM_CERTIFICATE", "VIEW_SM_KEYPAIR", "VIEW_SM_RELEASE"],
          roles: [{ id: ROLE_IDS.SM_SIGNER, code: "SM_SIGNER", name: "Signer" }],
        },
      ],
      api_token: user.api_token,
    });
    expect(user.api_token).toMatch(/^[0-9a-f]{26}_[0-9a-f]{64}$/);
  });

  test("key order follows the contract", async () => {
    const user = await createServiceUser(emulator);

    expect(Object.keys(user)).toEqual([
      "id",
      "friendly_name",
      "description",
      "email",
      "status",
      "user_type",
      "access_scope",
      "primary_account_id",
      "created_at",
      "created_by",
      "locale",
      "end_date",
      "accounts",
      "applications",
      "api_token",
    ]);
  });

  test("token is shown only once", async () => {
    const created = await createServiceUser(emulator);

    const single = await callApi(emulator, "GET", `/user/${created.id}`);
    const list = await callApi(emulator, "GET", "/user?user_type=service");
    const update = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody(),
    });
    const disable = await callApi(emulator, "PUT", `/user/${created.id}/disable`);

    for (const response of [single, list, update, disable]) {
      expect(response.text).not.toContain(created.api_token);
      expect(response.text).not.toContain("api_token");
    }
    expect(JSON.stringify(emulator.serviceUsers())).not.toContain(created.api_token);
    expect(emulator.serviceUsers()[0]).not.toHaveProperty("tokenSha256");
  });

  test("description defaults to empty string", async () => {
    const created = await createServiceUser(emulator, { description: undefined });

    expect(created.description).toBe("");
  });

  test("list is a bare array", async () => {
    await createServiceUser(emulator, { friendly_name: "first" });
    await createServiceUser(emulator, { friendly_name: "second" });

    const response = await callApi(emulator, "GET", "/user?user_type=service");

    expect(response.status).toBe(200);
    expect(Array.isArray(response.body)).toBe(true);
    expect(response.body.map((user: any) => user.friendly_name)).toEqual(["first", "second"]);
  });

  test("list with offset and limit is paged", async () => {
    for (const name of ["one", "two", "three"]) {
      await createServiceUser(emulator, { friendly_name: name });
    }

    const page = await callApi(emulator, "GET", "/user?user_type=service&offset=1&limit=1");
    const limitOnly = await callApi(emulator, "GET", "/user?user_type=service&limit=2");
    const pastEnd = await callApi(emulator, "GET", "/user?user_type=service&offset=5&limit=2");

    expect(page.body.total).toBe(3);
    expect(page.body.offset).toBe(1);
    expect(page.body.limit).toBe(1);
    expect(page.body.items.map((user: any) => user.friendly_name)).toEqual(["two"]);
    expect(limitOnly.body.offset).toBe(0);
    expect(limitOnly.body.items).toHaveLength(2);
    expect(pastEnd.body).toEqual({ total: 3, offset: 5, limit: 2, items: [] });
  });

  test.each(["limit=0", "limit=1001", "limit=abc", "offset=-1", "offset=1.5"])(
    "paging %s returns 400",
    async (query) => {
      const response = await callApi(emulator, "GET", `/user?user_type=service&${query}`);

      expect(response.status).toBe(400);
      expect(response.body.errors[0].code).toBe("invalid_request");
    },
  );

  test("user_type filters the list", async () => {
    await createServiceUser(emulator);

    const service = await callApi(emulator, "GET", "/user?user_type=service");
    const standard = await callApi(emulator, "GET", "/user?user_type=standard");
    const all = await callApi(emulator, "GET", "/user");
    const invalid = await callApi(emulator, "GET", "/user?user_type=robot");

    expect(service.body.map((user: any) => user.user_type)).toEqual(["service"]);
    expect(standard.body.map((user: any) => user.id)).toEqual([
      STANDARD_USER_IDS.administrator,
      STANDARD_USER_IDS.viewer,
    ]);
    expect(all.body).toHaveLength(3);
    expect(invalid.status).toBe(400);
  });

  test("user me returns the administrator", async () => {
    const response = await callApi(emulator, "GET", "/user/me");

    expect(response.status).toBe(200);
    expect(response.body.id).toBe(STANDARD_USER_IDS.administrator);
    expect(response.body.user_type).toBe("standard");
  });

  test("update replaces the mutable fields", async () => {
    const created = await createServiceUser(emulator, { end_date: "2030-03-01" });
    clock.advanceDays(3);

    const response = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: {
        friendly_name: "Renamed Bot",
        email: "security@example.com",
        accounts: [ACCOUNT_IDS.platformEngineering, ACCOUNT_IDS.productSecurity],
        applications: [
          {
            id: APPLICATION_IDS.trust_lifecycle,
            roles: [{ id: ROLE_IDS.EM_USER }, { id: ROLE_IDS.EM_VIEW_ONLY }],
          },
          { id: APPLICATION_IDS.keylocker, roles: [{ id: ROLE_IDS.KL_KEY_USER }] },
        ],
      },
    });

    expect(response.status).toBe(200);
    const user = response.body;
    expect(user.id).toBe(created.id);
    expect(user.created_at).toBe(created.created_at);
    expect(user.created_by).toBe(created.created_by);
    expect(user.primary_account_id).toBe(ACCOUNT_IDS.platformEngineering);
    expect(user.friendly_name).toBe("Renamed Bot");
    expect(user.email).toBe("security@example.com");
    expect(user.description).toBe("");
    expect(user.end_date).toBeNull();
    expect(user.accounts).toEqual([ACCOUNT_IDS.platformEngineering, ACCOUNT_IDS.productSecurity]);
    expect(user.applications.map((application: any) => application.code)).toEqual([
      "trust_lifecycle",
      "keylocker",
    ]);
    expect(user.applications[0].roles.map((role: any) => role.code)).toEqual([
      "EM_USER",
      "EM_VIEW_ONLY",
    ]);
    expect(user.applications[0].permissions).toEqual([
      "ISSUE_EM_CERTIFICATE",
      "VIEW_EM_AUDIT_LOG",
      "VIEW_EM_CERTIFICATE",
      "VIEW_EM_PROFILE",
    ]);

    const reread = await callApi(emulator, "GET", `/user/${created.id}`);
    expect(reread.body).toEqual(user);
  });

  test("update keeps the token working", async () => {
    const created = await createServiceUser(emulator);

    await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody({ friendly_name: "still-valid" }),
    });
    const me = await callApi(emulator, "GET", "/user/me", { apiKey: created.api_token });

    expect(me.status).toBe(200);
    expect(me.body.friendly_name).toBe("still-valid");
  });

  test("primary account defaults to the first account", async () => {
    const created = await createServiceUser(emulator, {
      accounts: [ACCOUNT_IDS.productSecurity, ACCOUNT_IDS.platformEngineering],
    });

    expect(created.primary_account_id).toBe(ACCOUNT_IDS.productSecurity);
  });

  test("explicit primary account is kept", async () => {
    const created = await createServiceUser(emulator, {
      primary_account_id: ACCOUNT_IDS.platformEngineering,
      accounts: [ACCOUNT_IDS.productSecurity, ACCOUNT_IDS.platformEngineering],
    });

    expect(created.primary_account_id).toBe(ACCOUNT_IDS.platformEngineering);
  });

  test("primary account outside accounts returns 400", async () => {
    const response = await callApi(emulator, "POST", "/user", {
      json: validCreateBody({ primary_account_id: ACCOUNT_IDS.productSecurity }),
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/primary_account_id .* is not one of accounts/);
  });

  test("update with another primary account returns 400", async () => {
    const created = await createServiceUser(emulator, {
      accounts: [ACCOUNT_IDS.platformEngineering, ACCOUNT_IDS.productSecurity],
    });

    const response = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody({
        primary_account_id: ACCOUNT_IDS.productSecurity,
        accounts: [ACCOUNT_IDS.platformEngineering, ACCOUNT_IDS.productSecurity],
      }),
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].code).toBe("invalid_request");
    expect(response.body.errors[0].message).toMatch(/primary_account_id cannot change/);
  });

  test("update with the same primary account succeeds", async () => {
    const created = await createServiceUser(emulator);

    const response = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody({ primary_account_id: ACCOUNT_IDS.platformEngineering }),
    });

    expect(response.status).toBe(200);
  });

  test("update removing the primary account returns 400", async () => {
    const created = await createServiceUser(emulator, {
      accounts: [ACCOUNT_IDS.platformEngineering, ACCOUNT_IDS.productSecurity],
    });

    const response = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody({ accounts: [ACCOUNT_IDS.productSecurity] }),
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/must keep the primary account/);
    expect(emulator.serviceUsers()[0].accounts).toEqual([
      ACCOUNT_IDS.platformEngineering,
      ACCOUNT_IDS.productSecurity,
    ]);
  });

  test("duplicate name returns 409 ignoring case", async () => {
    await createServiceUser(emulator, { friendly_name: "Build Bot" });

    const response = await callApi(emulator, "POST", "/user", {
      json: validCreateBody({ friendly_name: "build BOT" }),
    });

    expect(response.status).toBe(409);
    expect(response.body.errors[0].code).toBe("duplicate_error");
    expect(response.body.errors[0].message).toMatch(/"Build Bot" already exists/);
    expect(emulator.serviceUsers()).toHaveLength(1);
  });

  test("rename onto another user returns 409", async () => {
    await createServiceUser(emulator, { friendly_name: "taken" });
    const other = await createServiceUser(emulator, { friendly_name: "other" });

    const response = await callApi(emulator, "PUT", `/user/${other.id}`, {
      json: validCreateBody({ friendly_name: "TAKEN" }),
    });

    expect(response.status).toBe(409);
    expect(response.body.errors[0].code).toBe("duplicate_error");
  });

  test("rename changing only case succeeds", async () => {
    const created = await createServiceUser(emulator, { friendly_name: "case-bot" });

    const response = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody({ friendly_name: "CASE-bot" }),
    });

    expect(response.status).toBe(200);
    expect(response.body.friendly_name).toBe("CASE-bot");
  });

  test("disable and enable change status", async () => {
    const created = await createServiceUser(emulator);

    const disabled = await callApi(emulator, "PUT", `/user/${created.id}/disable`);
    const disabledAgain = await callApi(emulator, "PUT", `/user/${created.id}/disable`);
    const read = await callApi(emulator, "GET", `/user/${created.id}`);
    const enabled = await callApi(emulator, "PUT", `/user/${created.id}/enable`);

    expect(disabled.status).toBe(200);
    expect(disabled.body.status).toBe("DISABLED");
    expect(disabledAgain.status).toBe(200);
    expect(read.body.status).toBe("DISABLED");
    expect(enabled.status).toBe(200);
    expect(enabled.body.status).toBe("ACTIVE");
  });

  test("status expires after end date", async () => {
    const created = await createServiceUser(emulator, { end_date: "2030-01-16" });
    expect(created.status).toBe("ACTIVE");

    clock.set(new Date("2030-01-16T23:59:59Z"));
    const lastDay = await callApi(emulator, "GET", `/user/${created.id}`);
    expect(lastDay.body.status).toBe("ACTIVE");

    clock.set(new Date("2030-01-17T00:00:00Z"));
    const dayAfter = await callApi(emulator, "GET", `/user/${created.id}`);
    expect(dayAfter.body.status).toBe("EXPIRED");
    expect(emulator.serviceUsers()[0].status).toBe("EXPIRED");

    const disabled = await callApi(emulator, "PUT", `/user/${created.id}/disable`);
    expect(disabled.body.status).toBe("DISABLED");

    const enabled = await callApi(emulator, "PUT", `/user/${created.id}/enable`);
    expect(enabled.body.status).toBe("EXPIRED");

    const extended = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody({ end_date: "2030-12-31" }),
    });
    expect(extended.status).toBe(200);
    expect(extended.body.status).toBe("ACTIVE");
  });

  test("update keeping a past end date succeeds", async () => {
    const created = await createServiceUser(emulator, { end_date: "2030-01-16" });
    clock.advanceDays(3);

    const response = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody({ end_date: "2030-01-16", description: "Expired bot" }),
    });

    expect(response.status).toBe(200);
    expect(response.body.description).toBe("Expired bot");
    expect(response.body.end_date).toBe("2030-01-16");
    expect(response.body.status).toBe("EXPIRED");
  });

  test("update to another past end date returns 400", async () => {
    const created = await createServiceUser(emulator, { end_date: "2030-01-16" });
    clock.advanceDays(3);

    const response = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody({ end_date: "2030-01-17" }),
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/^end_date "2030-01-17" is before today/);
  });

  test("delete returns 204 then 404", async () => {
    const created = await createServiceUser(emulator);
    const path = `/user/${created.id}`;

    const deleted = await callApi(emulator, "DELETE", path);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");

    const read = await callApi(emulator, "GET", path);
    const update = await callApi(emulator, "PUT", path, { json: validCreateBody() });
    const disable = await callApi(emulator, "PUT", `${path}/disable`);
    const deleteAgain = await callApi(emulator, "DELETE", path);
    for (const response of [read, update, disable, deleteAgain]) {
      expect(response.status).toBe(404);
      expect(response.body.errors[0].code).toBe("resource_not_found");
    }
    expect(emulator.serviceUsers()).toHaveLength(0);
  });

  test("deleted name can be reused", async () => {
    const created = await createServiceUser(emulator, { friendly_name: "reused" });
    await callApi(emulator, "DELETE", `/user/${created.id}`);

    const response = await callApi(emulator, "POST", "/user", {
      json: validCreateBody({ friendly_name: "reused" }),
    });

    expect(response.status).toBe(201);
  });

  test("standard user cannot be changed", async () => {
    const path = `/user/${STANDARD_USER_IDS.viewer}`;

    const read = await callApi(emulator, "GET", path);
    const update = await callApi(emulator, "PUT", path, { json: validCreateBody() });
    const remove = await callApi(emulator, "DELETE", path);

    expect(read.status).toBe(200);
    expect(update.status).toBe(400);
    expect(update.body.errors[0].message).toMatch(/standard user/);
    expect(remove.status).toBe(400);
  });
});
