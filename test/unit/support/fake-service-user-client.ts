// An in-memory DigiCert ONE client for unit tests of the
// digicertone_service_user resource: service users, their API tokens, a log
// of calls and ways to make calls fail or lose their response.

import { DigicertApiError } from "../../../provider/src/digicert/errors";
import type {
  Account,
  ApiToken,
  CreatedServiceUser,
  DigicertClient,
  IssuedApiToken,
  Role,
  ServiceUser,
  ServiceUserInput,
} from "../../../provider/src/digicert/types";

/** The token that the fake returns with each created service user. */
export const TOKEN = "0123456789abcdef0123456789_secret-token-value";
/** When the fake creates service users and their first tokens. */
export const CREATED_AT = "2026-12-04T12:00:01Z";
/** When the fake issues tokens after creation, unless `issuedAt` is changed. */
export const ISSUED_AT = "2027-01-10T08:00:00Z";

export interface FakeCall {
  method: string;
  id?: string;
  input?: ServiceUserInput;
  /** The end date sent by setApiTokenEndDate. */
  endDate?: string;
}

/** Builds an API error as the client throws it for an error response. */
export function apiError(
  code: string,
  status: number,
  apiMessage = `${code} message`,
  method = "POST",
): DigicertApiError {
  return new DigicertApiError({
    status,
    code,
    apiMessage,
    requestId: "req-42",
    method,
    path: "/account/api/v1/user",
  });
}

/** In-memory DigiCert ONE with the service-user operations the resource uses. */
export class FakeDigicertClient implements DigicertClient {
  readonly users = new Map<string, ServiceUser>();
  readonly calls: FakeCall[] = [];
  /** API tokens by id, without their values. */
  readonly tokens = new Map<string, ApiToken>();
  /** Thrown by the next call instead of running it. */
  failNext: Error | undefined;
  /**
   * Thrown by the next createServiceUser after it has stored the user and
   * its token, as when the response to the POST is lost.
   */
  loseNextCreateResponse: Error | undefined;
  /** Applied to every user the fake returns, to imitate API normalisation. */
  transform: (user: ServiceUser) => ServiceUser = (user) => user;
  /**
   * DigiCert ONE's time that getServiceUser returns as `readAt`. Undefined
   * imitates a response without a Date header.
   */
  serverTime: string | undefined;
  /** When createApiToken issues its tokens. */
  issuedAt = ISSUED_AT;
  private readonly failures: Array<{ method: string; id?: string; error: Error }> = [];
  private nextId = 1;
  private nextTokenId = 1;

  /**
   * Makes every later call of `method` throw `error` instead of running,
   * or only the calls for `id` when it is given.
   */
  failOn(method: string, error: Error, id?: string): void {
    this.failures.push({ method, id, error });
  }

  /** Adds an API token of a user and returns it. */
  addToken(userId: string, createdAt: string, endDate: string | null = null): ApiToken {
    const id = `token-${this.nextTokenId++}`;
    const token: ApiToken = { id, userId, name: id, createdAt, endDate };
    this.tokens.set(id, token);
    return token;
  }

  /** Returns the ids of a user's tokens. */
  tokenIdsOf(userId: string): string[] {
    return [...this.tokens.values()]
      .filter((token) => token.userId === userId)
      .map((token) => token.id);
  }

  /** Returns the calls of the API-token methods, in order. */
  tokenCalls(): FakeCall[] {
    const methods = ["listTokens", "createToken", "setTokenEndDate", "deleteToken"];
    return this.calls.filter((call) => methods.includes(call.method));
  }

  private record(call: FakeCall, signal?: AbortSignal): void {
    this.calls.push(call);
    signal?.throwIfAborted();
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    const planned = this.failures.find(
      ({ method, id }) => method === call.method && (id === undefined || id === call.id),
    );
    if (planned) throw planned.error;
  }

  async listAccounts(): Promise<Account[]> {
    return [];
  }
  async getAccount(): Promise<Account | null> {
    return null;
  }
  async listRoles(): Promise<Role[]> {
    return [];
  }
  async catalogueRoles(): Promise<Role[]> {
    return [];
  }
  async listManagerCodes(): Promise<string[]> {
    return [];
  }

  async listServiceUsers(): Promise<ServiceUser[]> {
    this.calls.push({ method: "listUsers" });
    return [...this.users.values()].map((user) => this.transform(structuredClone(user)));
  }

  async getServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser | null> {
    this.record({ method: "get", id }, signal);
    const user = this.users.get(id);
    if (!user) return null;
    const copy = this.transform(structuredClone(user));
    return this.serverTime === undefined ? copy : { ...copy, readAt: this.serverTime };
  }

  async createServiceUser(
    input: ServiceUserInput,
    signal?: AbortSignal,
  ): Promise<CreatedServiceUser> {
    this.record({ method: "create", input }, signal);
    const user: ServiceUser = {
      id: `user-${this.nextId++}`,
      status: "ACTIVE",
      createdAt: CREATED_AT,
      ...structuredClone(input),
      // The API lists accounts in its own order.
      accountIds: [...input.accountIds].reverse(),
    };
    this.users.set(user.id, user);
    this.addToken(user.id, CREATED_AT);
    const lost = this.loseNextCreateResponse;
    this.loseNextCreateResponse = undefined;
    if (lost) throw lost;
    return { user: this.transform(structuredClone(user)), token: TOKEN };
  }

  async listApiTokens(userId: string, signal?: AbortSignal): Promise<ApiToken[]> {
    this.record({ method: "listTokens", id: userId }, signal);
    return [...this.tokens.values()]
      .filter((token) => token.userId === userId)
      .map((token) => structuredClone(token));
  }

  async createApiToken(userId: string): Promise<IssuedApiToken> {
    this.record({ method: "createToken", id: userId });
    const apiToken = this.addToken(userId, this.issuedAt);
    return { apiToken: structuredClone(apiToken), token: `rotated-${apiToken.id}` };
  }

  async setApiTokenEndDate(id: string, endDate: string, signal?: AbortSignal): Promise<void> {
    this.record({ method: "setTokenEndDate", id, endDate }, signal);
    const token = this.tokens.get(id);
    if (!token) throw apiError("resource_not_found", 404, "token not found", "PUT");
    token.endDate = endDate;
  }

  async deleteApiToken(id: string, signal?: AbortSignal): Promise<void> {
    this.record({ method: "deleteToken", id }, signal);
    this.tokens.delete(id);
  }

  async updateServiceUser(
    id: string,
    input: ServiceUserInput,
    signal?: AbortSignal,
  ): Promise<ServiceUser> {
    this.record({ method: "update", id, input }, signal);
    const existing = this.users.get(id);
    if (!existing) throw apiError("resource_not_found", 404);
    const status = input.expirationDate !== existing.expirationDate ? "ACTIVE" : existing.status;
    const user: ServiceUser = { ...existing, ...structuredClone(input), status };
    this.users.set(id, user);
    return this.transform(structuredClone(user));
  }

  async deleteServiceUser(id: string, signal?: AbortSignal): Promise<void> {
    this.record({ method: "delete", id }, signal);
    if (!this.users.delete(id)) throw apiError("resource_not_found", 404);
  }

  async disableServiceUser(): Promise<ServiceUser> {
    throw new Error("not used");
  }
  async enableServiceUser(): Promise<ServiceUser> {
    throw new Error("not used");
  }
  async close(): Promise<void> {}
}
