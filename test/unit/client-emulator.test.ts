// The real DigiCert ONE client against the local emulator on 127.0.0.1:
// accounts, roles, the service-user lifecycle and the API's error codes.

import { createDigicertClient } from "../../provider/src/digicert/client";
import { DigicertApiError } from "../../provider/src/digicert/errors";
import type {
  DigicertClient,
  ServiceUserInput,
} from "../../provider/src/digicert/types";
import { createLogger } from "../../provider/src/log";
import {
  ACCOUNT_IDS,
  APPLICATION_IDS,
  ROLE_IDS,
  STANDARD_USER_IDS,
  type RunningEmulator,
  startEmulator,
} from "../../emulator/src";

let emulator: RunningEmulator;
let admin: DigicertClient;
const extraClients: DigicertClient[] = [];
const logLines: string[] = [];
const issuedTokens: string[] = [];

function clientWithKey(apiKey: string): DigicertClient {
  const client = createDigicertClient({
    baseUrl: emulator.url,
    apiKey,
    userAgent: "terraform-provider-digicertone/test",
    logger: createLogger("test", {}, (line) => logLines.push(line)),
  });
  extraClients.push(client);
  return client;
}

beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, log: () => undefined });
  admin = clientWithKey(emulator.adminApiKey);
});

afterAll(async () => {
  for (const client of extraClients) {
    await client.close();
  }
  await emulator.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

function newInput(name: string): ServiceUserInput {
  return {
    name,
    description: "Signs release builds",
    email: "platform-team@example.com",
    expirationDate: "2099-12-31",
    primaryAccountId: ACCOUNT_IDS.platformEngineering,
    accountIds: [ACCOUNT_IDS.platformEngineering],
    access: { software_trust: ["SM_SIGNER"] },
  };
}

describe("accounts and roles", () => {
  test("lists the visible accounts", async () => {
    const accounts = await admin.listAccounts();
    expect(accounts).toContainEqual({
      id: ACCOUNT_IDS.platformEngineering,
      name: "Acme Platform Engineering",
      active: true,
    });
    expect(accounts).toContainEqual({
      id: ACCOUNT_IDS.legacyOperations,
      name: "Acme Legacy Operations",
      active: false,
    });
  });

  test("gets one account", async () => {
    const account = await admin.getAccount(ACCOUNT_IDS.productSecurity);
    expect(account?.name).toBe("Acme Product Security");
  });

  test("unknown account is null", async () => {
    await expect(admin.getAccount("00000000-0000-4000-8000-000000000000")).resolves.toBeNull();
  });

  test("standard user is no service user", async () => {
    await expect(admin.getServiceUser(STANDARD_USER_IDS.viewer)).resolves.toBeNull();
  });

  test("lists the roles of a manager", async () => {
    const roles = await admin.listRoles("software_trust");
    const signer = roles.find((role) => role.code === "SM_SIGNER");
    expect(signer).toBeDefined();
    expect(signer!.id).toBe(ROLE_IDS.SM_SIGNER);
    expect(signer!.managerId).toBe(APPLICATION_IDS.software_trust);
    expect(signer!.managerCode).toBe("software_trust");
    expect(signer!.permissions.length).toBeGreaterThan(0);
  });

  test("unknown manager has no roles", async () => {
    await expect(admin.listRoles("no_such_manager")).resolves.toEqual([]);
  });
});

describe("service user lifecycle", () => {
  test("create, read, update, disable, enable and delete", async () => {
    const created = await admin.createServiceUser(newInput("client-lifecycle_bot"));
    expect(created.token).not.toBe("");
    issuedTokens.push(created.token);
    const id = created.user.id;
    expect(created.user).toMatchObject({
      name: "client-lifecycle_bot",
      description: "Signs release builds",
      email: "platform-team@example.com",
      status: "ACTIVE",
      primaryAccountId: ACCOUNT_IDS.platformEngineering,
      accountIds: [ACCOUNT_IDS.platformEngineering],
      expirationDate: "2099-12-31",
      access: { software_trust: ["SM_SIGNER"] },
    });
    expect(emulator.serviceUsers().map((user) => user.id)).toContain(id);

    const fetched = await admin.getServiceUser(id);
    // A read also carries DigiCert ONE's time, from the Date header.
    expect(fetched).toEqual({ ...created.user, readAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) });
    const listed = await admin.listServiceUsers();
    expect(listed.map((user) => user.id)).toContain(id);

    // The one-time token authenticates as the new service user.
    const asServiceUser = clientWithKey(created.token);
    await expect(asServiceUser.listAccounts()).resolves.toBeDefined();

    const updated = await admin.updateServiceUser(id, {
      ...newInput("client-lifecycle_bot"),
      description: "",
      expirationDate: null,
      accountIds: [ACCOUNT_IDS.platformEngineering, ACCOUNT_IDS.productSecurity],
      access: { software_trust: ["SM_SIGNER", "SM_VIEW_ONLY"], account_manager: ["AM_VIEW_ONLY"] },
    });
    expect(updated.description).toBe("");
    expect(updated.expirationDate).toBeNull();
    expect(updated.accountIds).toEqual([
      ACCOUNT_IDS.platformEngineering,
      ACCOUNT_IDS.productSecurity,
    ]);
    expect(updated.access).toEqual({
      software_trust: ["SM_SIGNER", "SM_VIEW_ONLY"],
      account_manager: ["AM_VIEW_ONLY"],
    });

    const disabled = await admin.disableServiceUser(id);
    expect(disabled.status).toBe("DISABLED");
    const rejected = await rejection(asServiceUser.listAccounts());
    expect((rejected as DigicertApiError).code).toBe("invalid_api_key");

    const enabled = await admin.enableServiceUser(id);
    expect(enabled.status).toBe("ACTIVE");

    await admin.deleteServiceUser(id);
    await expect(admin.getServiceUser(id)).resolves.toBeNull();
    await expect(admin.deleteServiceUser(id)).resolves.toBeUndefined();
  });

  test("duplicate name gives duplicate_error", async () => {
    const first = await admin.createServiceUser(newInput("client-duplicate_bot"));
    issuedTokens.push(first.token);
    const error = await rejection(admin.createServiceUser(newInput("CLIENT-duplicate_bot")));
    expect(error).toBeInstanceOf(DigicertApiError);
    expect((error as DigicertApiError).code).toBe("duplicate_error");
    expect((error as DigicertApiError).status).toBe(409);
  });

  test("past end date gives invalid_request", async () => {
    const input = { ...newInput("client-past_bot"), expirationDate: "2000-01-01" };
    const error = await rejection(admin.createServiceUser(input));
    expect((error as DigicertApiError).code).toBe("invalid_request");
    expect((error as DigicertApiError).status).toBe(400);
  });
});

describe("credentials", () => {
  test("viewer key gives access_denied", async () => {
    const viewer = clientWithKey(emulator.viewerApiKey);
    await expect(viewer.listAccounts()).resolves.toBeDefined();
    const error = await rejection(viewer.createServiceUser(newInput("client-viewer_bot")));
    expect(error).toBeInstanceOf(DigicertApiError);
    expect((error as DigicertApiError).code).toBe("access_denied");
    expect((error as DigicertApiError).status).toBe(403);
  });

  test("unknown key gives invalid_api_key", async () => {
    const stranger = clientWithKey("not-a-key-the-emulator-issued");
    const error = await rejection(stranger.listAccounts());
    expect((error as DigicertApiError).code).toBe("invalid_api_key");
    expect((error as DigicertApiError).status).toBe(401);
  });

  test("keys and tokens stay out of the log", () => {
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toContain(emulator.adminApiKey);
      expect(line).not.toContain(emulator.viewerApiKey);
      for (const token of issuedTokens) {
        expect(line).not.toContain(token);
      }
    }
    expect(issuedTokens).toHaveLength(2);
  });
});
