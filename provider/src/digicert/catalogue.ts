// Catalogue of managers and roles, used to turn the access a caller requests
// (manager and role codes) into the ids that create and update requests send.

import { DigicertCatalogueError } from "./errors";
import type { Logger } from "../log";
import type { Access, Role } from "./types";
import { knownManagerCodes, type ManagerGrant } from "./wire";

/** Function that fetches the roles of one manager, or [] for an unknown code. */
export type RoleFetcher = (
  managerCode: string,
  signal?: AbortSignal,
) => Promise<Role[]>;

/**
 * Roles per manager code, fetched on first use and kept for the lifetime of
 * the client. Concurrent lookups of one manager share one fetch. A failed
 * fetch is not cached.
 */
export class RoleCatalogue {
  private readonly rolesByManager = new Map<string, Role[]>();
  private readonly pendingFetches = new Map<string, Promise<Role[]>>();

  constructor(
    private readonly fetchRoles: RoleFetcher,
    private readonly logger: Logger,
  ) {}

  /** Stores the roles of a manager, replacing any cached list. */
  store(managerCode: string, roles: Role[]): void {
    this.rolesByManager.set(managerCode, roles);
  }

  /** Returns the manager code of a cached manager id, if any. */
  managerCodeOf(managerId: string): string | undefined {
    for (const roles of this.rolesByManager.values()) {
      const role = roles.find((candidate) => candidate.managerId === managerId);
      if (role !== undefined) {
        return role.managerCode;
      }
    }
    return undefined;
  }

  /**
   * Returns the roles of a manager, from the cache or else from the API. A
   * caller that finds a fetch of the same manager under way waits for it,
   * so the first caller's signal also cancels the later callers' lookups.
   */
  async rolesOf(managerCode: string, signal?: AbortSignal): Promise<Role[]> {
    const cached = this.rolesByManager.get(managerCode);
    if (cached !== undefined) {
      return cached;
    }
    const pending = this.pendingFetches.get(managerCode);
    if (pending !== undefined) {
      return pending;
    }
    const fetch = this.fetchRoles(managerCode, signal)
      .then((roles) => {
        this.store(managerCode, roles);
        return roles;
      })
      .finally(() => this.pendingFetches.delete(managerCode));
    this.pendingFetches.set(managerCode, fetch);
    return fetch;
  }

  /**
   * Resolves manager and role codes to ids, in the order of `access`.
   * Throws `DigicertCatalogueError` with code `unknown_manager` for a manager
   * without roles and `unknown_role` for a role the manager does not have.
   */
  async resolve(access: Access, signal?: AbortSignal): Promise<ManagerGrant[]> {
    const grants: ManagerGrant[] = [];
    for (const [managerCode, roleCodes] of Object.entries(access)) {
      const roles = await this.rolesOf(managerCode, signal);
      if (roles.length === 0) {
        throw new DigicertCatalogueError({
          code: "unknown_manager",
          managerCode,
          validCodes: await this.availableManagerCodes(signal),
        });
      }

      const roleIds: string[] = [];
      for (const roleCode of roleCodes) {
        const role = roles.find((candidate) => candidate.code === roleCode);
        if (role === undefined) {
          throw new DigicertCatalogueError({
            code: "unknown_role",
            managerCode,
            roleCode,
            validCodes: roles.map((candidate) => candidate.code),
          });
        }
        if (!roleIds.includes(role.id)) {
          roleIds.push(role.id);
        }
      }
      grants.push({ managerId: roles[0].managerId, roleIds });
    }
    return grants;
  }

  /**
   * Lists the known manager codes that have roles for this API key, for the
   * message of an `unknown_manager` error. A manager whose roles cannot be
   * fetched is left out, so that the original error is still reported.
   */
  async availableManagerCodes(signal?: AbortSignal): Promise<string[]> {
    const candidates = new Set([...knownManagerCodes, ...this.rolesByManager.keys()]);
    const available: string[] = [];
    for (const managerCode of candidates) {
      signal?.throwIfAborted();
      try {
        const roles = await this.rolesOf(managerCode, signal);
        if (roles.length > 0) {
          available.push(managerCode);
        }
      } catch (error) {
        signal?.throwIfAborted();
        this.logger.debug("Skipped a manager while listing valid manager codes", {
          managerCode,
          error,
        });
      }
    }
    return available;
  }
}
