// DigiCert ONE Account Manager client: the `DigicertClient` operations on top
// of the HTTP transport, the wire mapping and the role catalogue.

import { Agent, type Dispatcher } from "undici";
import type { z } from "zod";

import { RoleCatalogue } from "./catalogue";
import { DEFAULT_MAX_CONCURRENT_REQUESTS } from "./constants";
import {
  DigicertApiError,
  DigicertError,
  DigicertIncompleteCreateError,
  DigicertResponseError,
} from "./errors";
import { logger as defaultLogger, type Logger } from "../log";
import {
  DEFAULT_TIMEOUTS,
  type ApiResponse,
  type DigicertTimeouts,
  Transport,
} from "./transport";
import {
  DEFAULT_RETRY_POLICY,
  systemClock,
  type Clock,
  type RetryPolicy,
} from "./retry";
import { type DigicertTlsOptions, tlsConnectOptions } from "./tls";
import type {
  Account,
  ApiToken,
  CreatedServiceUser,
  IssuedApiToken,
  DigicertClient,
  Role,
  ServiceUser,
  ServiceUserInput,
} from "./types";
import {
  API_BASE_PATH,
  PAGE_SIZE,
  type Endpoint,
  accountSchema,
  apiTokenSchema,
  decode,
  endpoints,
  isServiceUserType,
  pageQuery,
  readCreatedUserId,
  readListPage,
  readToken,
  roleSchema,
  serviceUserSchema,
  toAccount,
  toApiToken,
  toApiTokenBody,
  toApiTokenEndDateBody,
  toRole,
  toServiceUser,
  toServiceUserBody,
} from "./wire";

export type { DigicertTimeouts } from "./transport";
export type { DigicertTlsOptions } from "./tls";
export { DEFAULT_TIMEOUTS } from "./transport";
export type { Clock, RetryPolicy } from "./retry";
export { DEFAULT_RETRY_POLICY } from "./retry";

export { DEFAULT_MAX_CONCURRENT_REQUESTS };

export interface DigicertClientOptions {
  /**
   * Scheme, host and optional port of DigiCert ONE, without a path, such as
   * "https://one.digicert.com" or "http://127.0.0.1:8080". The client adds
   * the API base path itself.
   */
  baseUrl: string;
  /** API key sent as `x-api-key`. Never logged. */
  apiKey: string;
  /** Value of the `User-Agent` header, such as "terraform-provider-digicertone/0.1.0". */
  userAgent: string;
  /** Timeouts in ms. Each missing one takes its value from `DEFAULT_TIMEOUTS`. */
  timeouts?: Partial<DigicertTimeouts>;
  /**
   * undici dispatcher to send requests through, such as a `MockAgent` in
   * tests. The caller owns it and `close()` leaves it open. Without it, the
   * client creates a keep-alive `Agent` that `close()` closes.
   */
  dispatcher?: Dispatcher;
  /**
   * Client certificate and CA certificates for the client's own `Agent`.
   * Not allowed together with `dispatcher`, which has its own TLS settings.
   */
  tls?: DigicertTlsOptions;
  /**
   * Receives one debug line per request and one warning per retry. Defaults
   * to the provider logger.
   */
  logger?: Logger;
  /** Retry limits and backoff. Each missing field takes its value from `DEFAULT_RETRY_POLICY`. */
  retry?: Partial<RetryPolicy>;
  /**
   * Maximum number of requests in flight at once. Later requests wait for a
   * free slot. A whole number of at least 1.
   * @default DEFAULT_MAX_CONCURRENT_REQUESTS
   */
  maxConcurrentRequests?: number;
  /** Time source and timer for retry waits, replaced in tests. @default the system clock */
  clock?: Clock;
  /**
   * Returns a number from 0 (inclusive) to 1 (exclusive) for backoff jitter.
   * @default Math.random
   */
  random?: () => number;
}

/**
 * Creates a DigiCert ONE client. Throws `DigicertError` with code
 * `invalid_config` when an option is invalid. The message never quotes the
 * API key.
 */
export function createDigicertClient(options: DigicertClientOptions): DigicertClient {
  const origin = parseBaseUrl(options.baseUrl);
  validateCredentials(options);
  if (options.tls !== undefined && options.dispatcher !== undefined) {
    throw invalidConfig(
      "The tls option applies only to the client's own Agent. Configure TLS on the dispatcher instead.",
    );
  }
  const tlsOptions = tlsConnectOptions(options.tls);
  const timeouts = resolveTimeouts(options.timeouts);
  const retry = resolveRetryPolicy(options.retry);
  const maxConcurrentRequests = resolveMaxConcurrentRequests(options.maxConcurrentRequests);
  const logger = (options.logger ?? defaultLogger).with({ host: new URL(origin).host });

  const ownAgent =
    options.dispatcher === undefined
      ? new Agent({
          connect: { timeout: timeouts.connectMs, ...tlsOptions },
          headersTimeout: timeouts.headersMs,
          bodyTimeout: timeouts.bodyMs,
          keepAliveTimeout: 10_000,
        })
      : undefined;

  const transport = new Transport({
    origin,
    apiKey: options.apiKey,
    userAgent: options.userAgent,
    timeouts,
    dispatcher: options.dispatcher ?? ownAgent!,
    logger,
    retry,
    maxConcurrentRequests,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
  });
  return new HttpDigicertClient(transport, logger, ownAgent);
}

function invalidConfig(message: string): DigicertError {
  return new DigicertError("invalid_config", message);
}

function parseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalidConfig(
      `Invalid DigiCert ONE base URL "${baseUrl}": expected a URL such as "https://one.digicert.com".`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalidConfig(
      `Invalid DigiCert ONE base URL "${baseUrl}": the scheme must be https or http.`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidConfig(
      "Invalid DigiCert ONE base URL: it must not contain a user name or password.",
    );
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
    throw invalidConfig(
      `Invalid DigiCert ONE base URL "${baseUrl}": give only the scheme and host, ` +
        `such as "${url.origin}"; the client adds ${API_BASE_PATH} itself.`,
    );
  }
  return url.origin;
}

function validateCredentials(options: DigicertClientOptions): void {
  if (options.apiKey === "") {
    throw invalidConfig("The DigiCert ONE API key is empty.");
  }
  if (!/^[\x21-\x7e]+$/.test(options.apiKey)) {
    throw invalidConfig(
      "The DigiCert ONE API key contains whitespace or non-ASCII characters. " +
        "Remove any newline or spaces copied with it.",
    );
  }
  if (options.userAgent.trim() === "") {
    throw invalidConfig("The User-Agent for DigiCert ONE requests is empty.");
  }
}

function resolveTimeouts(overrides: Partial<DigicertTimeouts> = {}): DigicertTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS };
  for (const name of Object.keys(DEFAULT_TIMEOUTS) as (keyof DigicertTimeouts)[]) {
    const value = overrides[name];
    if (value === undefined) {
      continue;
    }
    if (!Number.isFinite(value) || value <= 0) {
      throw invalidConfig(
        `Invalid timeouts.${name} ${String(value)}: expected a positive number of milliseconds.`,
      );
    }
    timeouts[name] = value;
  }
  return timeouts;
}

function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY };
  for (const name of Object.keys(DEFAULT_RETRY_POLICY) as (keyof RetryPolicy)[]) {
    const value = overrides[name];
    if (value === undefined) {
      continue;
    }
    // maxRetries is a count, and the other fields are durations in ms.
    const valid =
      name === "maxRetries"
        ? Number.isInteger(value) && value >= 0
        : Number.isFinite(value) && value > 0;
    if (!valid) {
      const expected =
        name === "maxRetries" ? "a whole number of 0 or more" : "a positive number of milliseconds";
      throw invalidConfig(`Invalid retry.${name} ${String(value)}: expected ${expected}.`);
    }
    policy[name] = value;
  }
  return policy;
}

function resolveMaxConcurrentRequests(value: number | undefined): number {
  if (value === undefined) {
    return DEFAULT_MAX_CONCURRENT_REQUESTS;
  }
  if (!Number.isInteger(value) || value < 1) {
    throw invalidConfig(
      `Invalid maxConcurrentRequests ${String(value)}: expected a whole number of at least 1.`,
    );
  }
  return value;
}

/** Runs a response decoder, keeping its `DigicertResponseError` instead of throwing it. */
function attempt<T>(
  decoder: () => T,
): { value?: T; error?: DigicertResponseError } {
  try {
    return { value: decoder() };
  } catch (error) {
    if (error instanceof DigicertResponseError) {
      return { error };
    }
    throw error;
  }
}

/**
 * Returns the response's Date header as RFC 3339 UTC, or undefined when it
 * is missing or not a date.
 */
function serverTime(response: ApiResponse): string | undefined {
  if (response.date === undefined) {
    return undefined;
  }
  const time = Date.parse(response.date);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function isNotFound(error: unknown): error is DigicertApiError {
  return (
    error instanceof DigicertApiError &&
    error.status === 404 &&
    error.code === "resource_not_found"
  );
}

class HttpDigicertClient implements DigicertClient {
  private readonly catalogue: RoleCatalogue;
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly logger: Logger,
    private readonly ownAgent: Agent | undefined,
  ) {
    this.catalogue = new RoleCatalogue(
      (managerCode, signal) => this.fetchRoles(managerCode, signal),
      logger,
    );
  }

  async listAccounts(signal?: AbortSignal): Promise<Account[]> {
    const accounts = await this.listAll(endpoints.listAccounts(), accountSchema, signal);
    return accounts.map(toAccount);
  }

  async getAccount(id: string, signal?: AbortSignal): Promise<Account | null> {
    let response: ApiResponse;
    try {
      response = await this.transport.send({
        method: "GET",
        endpoint: endpoints.getAccount(id),
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) {
        return null;
      }
      throw error;
    }
    return toAccount(decode(accountSchema, response.body, response));
  }

  /** Lists the roles of a manager and refreshes the catalogue with them. */
  async listRoles(managerCode: string, signal?: AbortSignal): Promise<Role[]> {
    const roles = await this.fetchRoles(managerCode, signal);
    this.catalogue.store(managerCode, roles);
    return roles;
  }

  async catalogueRoles(managerCode: string, signal?: AbortSignal): Promise<Role[]> {
    return this.catalogue.rolesOf(managerCode, signal);
  }

  async listManagerCodes(signal?: AbortSignal): Promise<string[]> {
    return this.catalogue.availableManagerCodes(signal);
  }

  async listServiceUsers(signal?: AbortSignal): Promise<ServiceUser[]> {
    const users = await this.listAll(
      endpoints.listServiceUsers(),
      serviceUserSchema,
      signal,
      isServiceUserType,
    );
    return users.map((user) => this.toServiceUser(user));
  }

  async getServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser | null> {
    try {
      return await this.fetchServiceUser(id, signal);
    } catch (error) {
      if (isNotFound(error)) {
        return null;
      }
      throw error;
    }
  }

  async createServiceUser(
    input: ServiceUserInput,
    signal?: AbortSignal,
  ): Promise<CreatedServiceUser> {
    const grants = await this.catalogue.resolve(input.access, signal);
    signal?.throwIfAborted();
    // The POST gets no signal: aborting it after DigiCert ONE has created
    // the user would lose the one-time token, so the request runs to its
    // response or to a timeout. The signal still cuts short a wait before
    // a retry, when no request is in flight.
    const response = await this.transport.send({
      method: "POST",
      endpoint: endpoints.createUser(),
      body: toServiceUserBody(input, grants),
      responseMayContainSecret: true,
      waitSignal: signal,
    });
    // The user exists from here on. Whatever part of the response can be
    // read is kept, so that the caller can record the user and its token.
    const user = attempt(() => decode(serviceUserSchema, response.body, response));
    const token = attempt(() => readToken(response.body, response));
    if (user.value !== undefined && token.value !== undefined) {
      return { user: this.toServiceUser(user.value), token: token.value };
    }

    const problem = (user.error ?? token.error)!;
    const userId = readCreatedUserId(response.body);
    if (userId === undefined) {
      throw problem;
    }
    throw new DigicertIncompleteCreateError({
      userId,
      token: token.value,
      cause: problem,
    });
  }

  async updateServiceUser(
    id: string,
    input: ServiceUserInput,
    signal?: AbortSignal,
  ): Promise<ServiceUser> {
    const grants = await this.catalogue.resolve(input.access, signal);
    const response = await this.transport.send({
      method: "PUT",
      endpoint: endpoints.updateUser(id),
      body: toServiceUserBody(input, grants),
      signal,
    });
    return this.userFromResponse(id, response, signal);
  }

  async deleteServiceUser(id: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.transport.send({
        method: "DELETE",
        endpoint: endpoints.deleteUser(id),
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) {
        this.logger.debug("Service user not found on delete; treating it as deleted", {
          userId: id,
        });
        return;
      }
      throw error;
    }
  }

  async disableServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser> {
    const response = await this.transport.send({
      method: "PUT",
      endpoint: endpoints.disableUser(id),
      signal,
    });
    return this.userFromResponse(id, response, signal);
  }

  async listApiTokens(userId: string, signal?: AbortSignal): Promise<ApiToken[]> {
    const tokens = await this.listAll(endpoints.listApiTokens(userId), apiTokenSchema, signal);
    return tokens.map((token) => toApiToken(token, userId));
  }

  async createApiToken(
    userId: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<IssuedApiToken> {
    signal?.throwIfAborted();
    // No signal, for the reason given in createServiceUser.
    const response = await this.transport.send({
      method: "POST",
      endpoint: endpoints.createApiToken(),
      body: toApiTokenBody(userId, name),
      responseMayContainSecret: true,
      waitSignal: signal,
    });
    const token = readToken(response.body, response);
    const apiToken = attempt(() => decode(apiTokenSchema, response.body, response));
    if (apiToken.value === undefined) {
      // The token was issued, so hand it over with what is known of it.
      this.logger.warn("API token response lacks token details", {
        userId,
        error: apiToken.error,
      });
      return {
        token,
        apiToken: {
          id: readCreatedUserId(response.body) ?? "",
          userId,
          name,
          createdAt: serverTime(response) ?? new Date().toISOString(),
          endDate: null,
        },
      };
    }
    return { token, apiToken: toApiToken(apiToken.value, userId) };
  }

  async setApiTokenEndDate(id: string, endDate: string, signal?: AbortSignal): Promise<void> {
    await this.transport.send({
      method: "PUT",
      endpoint: endpoints.updateApiToken(id),
      body: toApiTokenEndDateBody(endDate),
      signal,
    });
  }

  async deleteApiToken(id: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.transport.send({
        method: "DELETE",
        endpoint: endpoints.deleteApiToken(id),
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) {
        this.logger.debug("API token not found on delete; treating it as revoked", {
          tokenId: id,
        });
        return;
      }
      throw error;
    }
  }

  async enableServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser> {
    const response = await this.transport.send({
      method: "PUT",
      endpoint: endpoints.enableUser(id),
      signal,
    });
    return this.userFromResponse(id, response, signal);
  }

  /** Closes the client's own agent; a second call does nothing. */
  async close(): Promise<void> {
    if (this.ownAgent === undefined || this.closed) {
      return;
    }
    this.closed = true;
    await this.ownAgent.close();
  }

  private async fetchRoles(managerCode: string, signal?: AbortSignal): Promise<Role[]> {
    try {
      const roles = await this.listAll(endpoints.listRoles(managerCode), roleSchema, signal);
      return roles.map((role) => toRole(role, managerCode));
    } catch (error) {
      // Assumed: the API responds to an unknown application_code with 404.
      if (isNotFound(error)) {
        return [];
      }
      throw error;
    }
  }

  /**
   * Gets a service user. Throws `DigicertApiError` with code
   * `resource_not_found` on 404, and also when the user is not a service user.
   */
  private async fetchServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser> {
    const response = await this.transport.send({
      method: "GET",
      endpoint: endpoints.getUser(id),
      signal,
    });
    // The type is checked before the decode, because a standard user lacks
    // fields that a service user must have, such as friendly_name.
    if (!isServiceUserType(response.body)) {
      // A standard user with this id exists, but no service user does.
      const userType = (response.body as { user_type?: unknown }).user_type;
      throw new DigicertApiError({
        status: 404,
        code: "resource_not_found",
        apiMessage: `user ${id} is not a service user (user_type ${JSON.stringify(userType)})`,
        requestId: response.requestId,
        method: response.method,
        path: response.path,
      });
    }
    const user = decode(serviceUserSchema, response.body, response);
    return { ...this.toServiceUser(user), readAt: serverTime(response) };
  }

  /**
   * Maps the user in an update, disable or enable response. Those responses
   * are assumed to carry the user; an empty body (such as a 204) is followed
   * by a GET of the user.
   */
  private async userFromResponse(
    id: string,
    response: ApiResponse,
    signal?: AbortSignal,
  ): Promise<ServiceUser> {
    if (response.body === undefined) {
      return this.fetchServiceUser(id, signal);
    }
    return this.toServiceUser(decode(serviceUserSchema, response.body, response));
  }

  private toServiceUser(user: z.infer<typeof serviceUserSchema>): ServiceUser {
    return toServiceUser(user, (managerId) => this.catalogue.managerCodeOf(managerId));
  }

  /**
   * Fetches every page of a list endpoint and decodes the items, skipping raw
   * items that `keep` rejects. Items are de-duplicated by id.
   *
   * Paging stops at a short page, at `offset >= total`, or at a page with no
   * new ids. The last check guards against an API that ignores `offset` and
   * returns the same full list again.
   */
  private async listAll<T>(
    endpoint: Endpoint,
    itemSchema: z.ZodType<T>,
    signal?: AbortSignal,
    keep: (raw: unknown) => boolean = () => true,
  ): Promise<T[]> {
    const items: T[] = [];
    const seenIds = new Set<string>();
    let offset = 0;
    for (;;) {
      const response = await this.transport.send({
        method: "GET",
        endpoint: {
          path: endpoint.path,
          query: { ...endpoint.query, ...pageQuery(offset, PAGE_SIZE) },
        },
        signal,
      });
      const page = readListPage(response.body, response);

      let newIds = 0;
      page.items.forEach((raw, index) => {
        const id = (raw as { id?: unknown } | null)?.id;
        if (typeof id === "string") {
          if (seenIds.has(id)) {
            return;
          }
          seenIds.add(id);
          newIds += 1;
        }
        if (keep(raw)) {
          items.push(decode(itemSchema, raw, response, `${page.itemsField}[${index}]`));
        }
      });

      // More items than requested means that the API ignored the paging
      // parameters and returned the whole list.
      if (page.items.length !== PAGE_SIZE) {
        break;
      }
      offset += page.items.length;
      if (page.total !== undefined && offset >= page.total) {
        break;
      }
      if (newIds === 0) {
        this.logger.warn("DigiCert ONE API returned the same page twice; stopped paging", {
          path: endpoint.path,
          offset,
        });
        break;
      }
    }
    return items;
  }
}
