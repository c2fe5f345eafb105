// An in-memory DigiCert ONE client for unit tests of the shared service-user
// access code: a role catalogue, service users, a log of calls and hooks
// that imitate another writer. Every call yields to the event loop first,
// so that concurrent callers interleave the way real requests do.

import { DigicertApiError } from "../../../provider/src/digicert/errors";
import type {
  Access,
  Account,
  ApiToken,
  IssuedApiToken,
  CreatedServiceUser,
  DigicertClient,
  Role,
  ServiceUser,
  ServiceUserInput,
} from "../../../provider/src/digicert/types";

/** Role codes per manager code in the fake's catalogue. */
export const CATALOGUE: { [managerCode: string]: string[] } = {
  account_manager: ["AM_ACCOUNT_ADMIN", "AM_VIEW_ONLY", "AM_USER_MANAGER"],
  software_trust: ["SM_ADMIN", "SM_SIGNER", "SM_VIEW_ONLY"],
  trust_lifecycle: ["EM_ADMIN", "EM_USER"],
  keylocker: ["KL_ADMIN", "KL_KEY_USER"],
};

export interface RecordedCall {
  method: string;
  id?: string;
  managerCode?: string;
  input?: ServiceUserInput;
}

function rolesOf(managerCode: string): Role[] {
  const codes = Object.hasOwn(CATALOGUE, managerCode) ? CATALOGUE[managerCode] : [];
  return codes.map((code) => ({
    id: `role-${code}`,
    code,
    name: code,
    managerId: `app-${managerCode}`,
    managerCode,
    permissions: [],
  }));
}

export function notFoundError(): DigicertApiError {
  return new DigicertApiError({
    status: 404,
    code: "resource_not_found",
    apiMessage: "user not found",
    method: "GET",
    path: "/account/api/v1/user/x",
  });
}

export class InMemoryDigicertClient implements DigicertClient {
  readonly users = new Map<string, ServiceUser>();
  readonly calls: RecordedCall[] = [];
  /** Runs after each update is stored, such as another writer's change. */
  afterUpdate: ((user: ServiceUser) => void) | undefined;
  /** Thrown by the next call instead of running it. */
  failNext: Error | undefined;
  private readonly cachedManagers = new Set<string>();

  /** Adds a service user with these managers and returns its id. */
  addUser(id: string, access: Access): string {
    this.users.set(id, {
      id,
      name: `bot ${id}`,
      description: "",
      email: "platform-team@example.com",
      status: "ACTIVE",
      primaryAccountId: "acc-a",
      accountIds: ["acc-a"],
      expirationDate: null,
      createdAt: "2026-12-04T12:00:00Z",
      access: structuredClone(access),
    });
    return id;
  }

  /** Returns the access of a stored user. */
  accessOf(id: string): Access {
    return this.users.get(id)!.access;
  }

  /** Counts the calls of one method. */
  count(method: string): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  private async enter(call: RecordedCall, signal?: AbortSignal): Promise<void> {
    this.calls.push(call);
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
  }

  async listAccounts(): Promise<Account[]> {
    return [];
  }
  async getAccount(): Promise<Account | null> {
    return null;
  }
  async listRoles(managerCode: string, signal?: AbortSignal): Promise<Role[]> {
    await this.enter({ method: "listRoles", managerCode }, signal);
    return rolesOf(managerCode);
  }

  /** Caches like the real client: the first lookup of a manager counts as a fetch. */
  async catalogueRoles(managerCode: string, signal?: AbortSignal): Promise<Role[]> {
    if (!this.cachedManagers.has(managerCode)) {
      await this.enter({ method: "fetchRoles", managerCode }, signal);
      this.cachedManagers.add(managerCode);
    }
    return rolesOf(managerCode);
  }

  async listManagerCodes(signal?: AbortSignal): Promise<string[]> {
    const codes: string[] = [];
    for (const managerCode of Object.keys(CATALOGUE)) {
      if ((await this.catalogueRoles(managerCode, signal)).length > 0) codes.push(managerCode);
    }
    return codes;
  }

  async listServiceUsers(): Promise<ServiceUser[]> {
    return [...this.users.values()].map((user) => structuredClone(user));
  }

  async getServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser | null> {
    await this.enter({ method: "get", id }, signal);
    const user = this.users.get(id);
    return user === undefined ? null : structuredClone(user);
  }

  async createServiceUser(): Promise<CreatedServiceUser> {
    throw new Error("not used");
  }

  async updateServiceUser(
    id: string,
    input: ServiceUserInput,
    signal?: AbortSignal,
  ): Promise<ServiceUser> {
    await this.enter({ method: "update", id, input: structuredClone(input) }, signal);
    const existing = this.users.get(id);
    if (existing === undefined) throw notFoundError();
    const user: ServiceUser = { ...existing, ...structuredClone(input) };
    this.users.set(id, user);
    this.afterUpdate?.(user);
    return structuredClone(user);
  }

  async deleteServiceUser(): Promise<void> {
    throw new Error("not used");
  }
  async disableServiceUser(): Promise<ServiceUser> {
    throw new Error("not used");
  }
  async enableServiceUser(): Promise<ServiceUser> {
    throw new Error("not used");
  }
  async listApiTokens(): Promise<ApiToken[]> {
    throw new Error("not used");
  }
  async createApiToken(): Promise<IssuedApiToken> {
    throw new Error("not used");
  }
  async setApiTokenEndDate(): Promise<void> {
    throw new Error("not used");
  }
  async deleteApiToken(): Promise<void> {
    throw new Error("not used");
  }
  async close(): Promise<void> {}
}
