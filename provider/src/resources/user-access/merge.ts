// The merge rule for shared service users: a change names the managers it
// owns, and every other manager keeps the roles that DigiCert ONE has.

import type { Access } from "../../digicert/types";

/** A change to some managers of a service user's access. */
export interface AccessChange {
  /** Managers to set, each to exactly these role codes. */
  grant: Access;
  /** Managers to remove. A manager that is also in `grant` is kept. */
  revoke: readonly string[];
}

function entriesOf(access: Access): Array<[string, string[]]> {
  return Object.entries(access);
}

/**
 * Applies `change` to the access read from DigiCert ONE. Managers that the
 * change does not name keep their roles as read. Managers keep the order
 * read, and new ones follow in the order of `change.grant`.
 */
export function mergeAccess(current: Access, change: AccessChange): Access {
  // A Map, because a manager code such as "__proto__" would hit an Object
  // member in a plain object.
  const merged = new Map<string, string[]>(entriesOf(current));
  for (const managerCode of change.revoke) {
    if (!Object.hasOwn(change.grant, managerCode)) {
      merged.delete(managerCode);
    }
  }
  for (const [managerCode, roles] of entriesOf(change.grant)) {
    merged.set(managerCode, [...new Set(roles)]);
  }
  return Object.fromEntries(merged);
}

/**
 * Returns the managers whose part of `change` the access does not show: a
 * granted manager that is missing or has other roles, or a revoked manager
 * that is still there. Returns [] when the change is in place.
 */
export function unappliedManagers(access: Access, change: AccessChange): string[] {
  const unapplied: string[] = [];
  for (const [managerCode, roles] of entriesOf(change.grant)) {
    const actual = Object.hasOwn(access, managerCode) ? access[managerCode] : undefined;
    if (actual === undefined || !sameRoles(actual, roles)) {
      unapplied.push(managerCode);
    }
  }
  for (const managerCode of change.revoke) {
    if (Object.hasOwn(change.grant, managerCode)) continue;
    if (Object.hasOwn(access, managerCode)) {
      unapplied.push(managerCode);
    }
  }
  return unapplied;
}

/** Compares two lists as sets: order and repeats do not count. */
export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

/** Compares two lists of role codes as sets. */
export const sameRoles = sameMembers;

/** Compares two accesses: the same managers, each with the same set of roles. */
export function sameAccess(a: Access, b: Access): boolean {
  const aEntries = entriesOf(a);
  if (aEntries.length !== Object.keys(b).length) return false;
  return aEntries.every(
    ([managerCode, roles]) =>
      Object.hasOwn(b, managerCode) && sameRoles(roles, b[managerCode]),
  );
}

/**
 * Returns the part of `access` that belongs to the managers in `owned`, or
 * all of it when `owned` is undefined (such as right after an import).
 */
export function ownedAccess(
  access: Access,
  owned: readonly string[] | undefined,
): Access {
  if (owned === undefined) return access;
  return Object.fromEntries(
    entriesOf(access).filter(([managerCode]) => owned.includes(managerCode)),
  );
}
