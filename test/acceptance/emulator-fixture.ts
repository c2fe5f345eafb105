// Starts the DigiCert ONE emulator for an acceptance test and reads its
// catalogue through the public API, so tests do not depend on seed ids.

import { request } from "undici";
import { startEmulator } from "../../emulator/src/server";

export type RunningEmulator = Awaited<ReturnType<typeof startEmulator>>;

export interface AccountSummary {
  id: string;
  name: string;
  active: boolean;
}

export interface ServiceUserSummary {
  id: string;
  friendly_name: string;
  description: string;
  email: string;
  status: string;
  end_date: string | null;
  primary_account_id: string;
  accounts: string[];
  applications: Array<{ code: string; roles: Array<{ code: string }> }>;
}

export async function startTestEmulator(): Promise<RunningEmulator> {
  return startEmulator({ host: "127.0.0.1", port: 0, quiet: true });
}

async function getJson<T>(
  emulator: RunningEmulator,
  apiPath: string,
): Promise<T> {
  const response = await request(`${emulator.url}/account/api/v1${apiPath}`, {
    headers: {
      "x-api-key": emulator.adminApiKey,
      "user-agent": "digicertone-acceptance-tests",
      accept: "application/json",
    },
  });
  const body = await response.body.text();
  if (response.statusCode !== 200) {
    throw new Error(`GET ${apiPath} returned ${response.statusCode}`);
  }
  return JSON.parse(body) as T;
}

/** Active accounts, sorted by id. */
export async function activeAccounts(
  emulator: RunningEmulator,
): Promise<AccountSummary[]> {
  const accounts = await getJson<AccountSummary[]>(emulator, "/account");
  return accounts
    .filter((account) => account.active)
    .sort((a, b) => a.id.localeCompare(b.id));
}

export async function serviceUsers(
  emulator: RunningEmulator,
): Promise<ServiceUserSummary[]> {
  return getJson<ServiceUserSummary[]>(emulator, "/user?user_type=service");
}

export async function createServiceUserDirectly(
  emulator: RunningEmulator,
  body: Record<string, unknown>,
): Promise<{ id: string }> {
  const text = JSON.stringify(body);
  const response = await request(`${emulator.url}/account/api/v1/user`, {
    method: "POST",
    headers: {
      "x-api-key": emulator.adminApiKey,
      "user-agent": "digicertone-acceptance-tests",
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
    },
    body: text,
  });
  const parsed = (await response.body.json()) as { id: string };
  if (response.statusCode !== 201) {
    throw new Error(`POST /user returned ${response.statusCode}`);
  }
  return { id: parsed.id };
}

/** Sends a request with the administrator key and returns its status. */
async function send(
  emulator: RunningEmulator,
  method: "PUT" | "DELETE",
  apiPath: string,
  body?: Record<string, unknown>,
): Promise<number> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {
    "x-api-key": emulator.adminApiKey,
    "user-agent": "digicertone-acceptance-tests",
  };
  if (text !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(text));
  }
  const response = await request(`${emulator.url}/account/api/v1${apiPath}`, {
    method,
    headers,
    body: text,
  });
  await response.body.dump();
  return response.statusCode;
}

/** Replaces a service user's mutable fields outside Terraform. */
export async function updateServiceUserDirectly(
  emulator: RunningEmulator,
  id: string,
  body: Record<string, unknown>,
): Promise<void> {
  const status = await send(emulator, "PUT", `/user/${encodeURIComponent(id)}`, body);
  if (status !== 200) {
    throw new Error(`PUT /user/${id} returned ${status}`);
  }
}

/** Disables a service user outside Terraform. */
export async function disableServiceUserDirectly(
  emulator: RunningEmulator,
  id: string,
): Promise<void> {
  const status = await send(emulator, "PUT", `/user/${encodeURIComponent(id)}/disable`);
  if (status !== 200) {
    throw new Error(`PUT /user/${id}/disable returned ${status}`);
  }
}

/** Deletes a service user outside Terraform. */
export async function deleteServiceUserDirectly(
  emulator: RunningEmulator,
  id: string,
): Promise<void> {
  const status = await send(emulator, "DELETE", `/user/${encodeURIComponent(id)}`);
  if (status !== 204) {
    throw new Error(`DELETE /user/${id} returned ${status}`);
  }
}

/** Role ids of one manager, by role code. */
export async function roleIds(
  emulator: RunningEmulator,
  managerCode: string,
): Promise<{ applicationId: string; roles: Record<string, string> }> {
  const roles = await getJson<
    Array<{ id: string; code: string; application_id: string }>
  >(emulator, `/role?application_code=${encodeURIComponent(managerCode)}`);
  const byCode: Record<string, string> = {};
  for (const role of roles) byCode[role.code] = role.id;
  return { applicationId: roles[0].application_id, roles: byCode };
}

/**
 * Returns the id of the user that `token` authenticates as, or undefined when
 * DigiCert ONE rejects it or `token` is not a string.
 */
export async function tokenOwner(
  emulator: RunningEmulator,
  token: unknown,
): Promise<string | undefined> {
  if (typeof token !== "string") return undefined;
  const response = await request(`${emulator.apiUrl}/user/me`, {
    headers: { "x-api-key": token, "user-agent": "digicertone-acceptance-tests" },
  });
  const body = (await response.body.json()) as { id?: string };
  return response.statusCode === 200 ? body.id : undefined;
}
