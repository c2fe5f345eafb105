// Domain types of the DigiCert ONE Account Manager API, as the resources use
// them. The JSON field names and shapes on the wire live only in wire.ts.

export interface Account {
  id: string;
  name: string;
  active: boolean;
}

/** A DigiCert ONE manager (the API calls it an application). */
export interface Manager {
  id: string;
  /** Such as "software_trust"; lowercase. */
  code: string;
  name: string;
}

export interface Role {
  id: string;
  /** Such as "AM_VIEW_ONLY"; uppercase. */
  code: string;
  name: string;
  managerId: string;
  managerCode: string;
  permissions: string[];
}

export type ServiceUserStatus = "ACTIVE" | "DISABLED" | "EXPIRED" | string;

/** Role codes granted per manager code: `{ software_trust: ["SM_SIGNER"] }`. */
export type Access = { [managerCode: string]: string[] };

export interface ServiceUser {
  id: string;
  name: string;
  /** "" when unset. */
  description: string;
  email: string;
  status: ServiceUserStatus;
  primaryAccountId: string;
  accountIds: string[];
  /** A UTC calendar day, "YYYY-MM-DD", or null for no expiry. */
  expirationDate: string | null;
  /** RFC 3339, UTC. */
  createdAt: string;
  access: Access;
  /**
   * DigiCert ONE's time when it sent this copy, from the response's Date
   * header, as RFC 3339 UTC; undefined when the response had none.
   */
  readAt?: string;
}

/** The fields a caller sets, at create and (all of them again) at update. */
export interface ServiceUserInput {
  name: string;
  description: string;
  email: string;
  expirationDate: string | null;
  primaryAccountId: string;
  accountIds: string[];
  access: Access;
}

export interface CreatedServiceUser {
  user: ServiceUser;
  /** The one-time API token. Never log it. */
  token: string;
}

/** An API token of a service user, without its secret value. */
export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** RFC 3339, UTC. */
  createdAt: string;
  /** The last UTC day on which the token works, "YYYY-MM-DD", or null. */
  endDate: string | null;
}

export interface IssuedApiToken {
  apiToken: ApiToken;
  /** The token's value, returned only once. Never log it. */
  token: string;
}

/**
 * The operations the provider needs. Every method throws `DigicertApiError`
 * (see errors.ts) for an API error, with the API's `code`, and honours the
 * signal, except the create POST (see `createServiceUser`). Lookups of a
 * single object return null on `resource_not_found`.
 */
export interface DigicertClient {
  listAccounts(signal?: AbortSignal): Promise<Account[]>;
  getAccount(id: string, signal?: AbortSignal): Promise<Account | null>;
  /** The roles of one manager; an empty list for an unknown manager code. */
  listRoles(managerCode: string, signal?: AbortSignal): Promise<Role[]>;
  /**
   * The roles of one manager from the client's role catalogue, or an empty
   * list for an unknown manager code. The catalogue fetches each manager's
   * roles once and keeps them for the client's lifetime.
   */
  catalogueRoles(managerCode: string, signal?: AbortSignal): Promise<Role[]>;
  /**
   * The manager codes that have roles for this API key, among the codes
   * the client knows (see `knownManagerCodes` in wire.ts) and those looked
   * up before. Fetches, through the catalogue, the roles of each such
   * manager not cached yet.
   */
  listManagerCodes(signal?: AbortSignal): Promise<string[]>;
  listServiceUsers(signal?: AbortSignal): Promise<ServiceUser[]>;
  getServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser | null>;
  /**
   * Creates a service user. Throws `DigicertIncompleteCreateError`, with the
   * new user's id and any token, when the user was created but the response
   * cannot be read in full. The signal stops the role lookups before the
   * POST, but not the POST itself, so that a created user's token is not
   * lost.
   */
  createServiceUser(
    input: ServiceUserInput,
    signal?: AbortSignal,
  ): Promise<CreatedServiceUser>;
  /** Replaces every mutable field; the primary account cannot change. */
  updateServiceUser(
    id: string,
    input: ServiceUserInput,
    signal?: AbortSignal,
  ): Promise<ServiceUser>;
  deleteServiceUser(id: string, signal?: AbortSignal): Promise<void>;
  disableServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser>;
  /** The live API tokens of a service user. */
  listApiTokens(userId: string, signal?: AbortSignal): Promise<ApiToken[]>;
  /**
   * Issues a new API token for a service user. Like the create of a user,
   * the POST itself is not aborted by the signal, so that an issued token
   * is not lost.
   */
  createApiToken(
    userId: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<IssuedApiToken>;
  /** Sets the last UTC day ("YYYY-MM-DD") on which an API token works. */
  setApiTokenEndDate(id: string, endDate: string, signal?: AbortSignal): Promise<void>;
  /** Revokes an API token; one that no longer exists counts as revoked. */
  deleteApiToken(id: string, signal?: AbortSignal): Promise<void>;
  enableServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
