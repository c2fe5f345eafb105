// The read-modify-write of a service user's access, which the service user
// and role binding resources share. Under the user's lock, it reads the
// user, merges the change, writes the whole user back, and reads it again
// to check that the change is in place.

import { setTimeout as delay } from "node:timers/promises";

import { DigicertError } from "../../digicert/errors";
import type {
  DigicertClient,
  ServiceUser,
  ServiceUserInput,
} from "../../digicert/types";
import type { Logger } from "../../log";
import { joinWithAnd, quote } from "../../validation/diagnostics";
import { serviceUserLocks, type KeyedLock } from "./lock";
import {
  mergeAccess,
  sameAccess,
  sameMembers,
  unappliedManagers,
  type AccessChange,
} from "./merge";

/** The fields of a service user that a write sends besides access. */
export type UserFields = Omit<ServiceUserInput, "access">;

export interface AccessWrite {
  userId: string;
  change: AccessChange;
  /**
   * Returns the fields to write besides access, given the user as read.
   * @default the fields as read, so that only the access changes
   */
  fields?: (current: ServiceUser) => UserFields;
}

export interface AccessWriteOptions {
  client: DigicertClient;
  signal: AbortSignal;
  logger: Logger;
  /** @default serviceUserLocks, which every resource of the process shares */
  locks?: KeyedLock;
  /**
   * Read-modify-write attempts before giving up, when another writer
   * undoes the change each time.
   * @default 5
   */
  maxAttempts?: number;
  /** Waits between attempts. @default a timer that the signal cancels */
  sleep?: (milliseconds: number, signal: AbortSignal) => Promise<void>;
}

export type AccessWriteResult =
  /** The change is in place; `user` is the user as read after the write. */
  | { status: "applied"; user: ServiceUser; before: ServiceUser }
  | { status: "user_not_found" }
  /** The change would leave the user without a manager, so nothing was written. */
  | { status: "no_manager_left"; user: ServiceUser };

export const DEFAULT_MAX_ATTEMPTS = 5;

/** First wait between attempts, in ms; each later wait doubles it. */
const FIRST_RETRY_DELAY_MS = 250;

/**
 * Thrown when another writer kept undoing the change: after every attempt,
 * the read-back showed some of the changed managers with other roles.
 */
export class AccessChangeLostError extends DigicertError {
  constructor(
    readonly userId: string,
    readonly managerCodes: readonly string[],
    readonly attempts: number,
  ) {
    super(
      "access_change_lost",
      `The roles of ${joinWithAnd(managerCodes.map(quote))} on service user ${userId} were changed again by another writer after each of ${attempts} attempts to set them.`,
    );
  }
}

/**
 * Applies an access change to a service user with a read-modify-write that
 * holds the user's lock from the first read to the last, so that no other
 * change from this process interleaves. After the write, the user is read
 * again. When the change is not there, because another process wrote the
 * user in between, the read-modify-write runs again, up to `maxAttempts`
 * times, and then throws `AccessChangeLostError`. Client errors propagate.
 *
 * NOTE: the API has no conditional write (no ETag or version), so a write
 * by another process that lands after the read-back still undoes the
 * change. The next refresh then shows the difference as drift.
 *
 * NOTE: managers outside the change are written back by role code, as read
 * from `applications[].roles`, an assumed field. A tenant that leaves it
 * out would get those managers written with no roles, which the API
 * rejects.
 */
export async function writeAccess(
  write: AccessWrite,
  options: AccessWriteOptions,
): Promise<AccessWriteResult> {
  const { client, signal } = options;
  const locks = options.locks ?? serviceUserLocks;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const sleep = options.sleep ?? sleepUnlessAborted;
  const logger = options.logger.with({ user_id: write.userId });
  const fieldsOf = write.fields ?? fieldsAsRead;

  return locks.run(write.userId, async () => {
    let unapplied: string[] = [];
    let first: ServiceUser | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      signal.throwIfAborted();
      const current = await client.getServiceUser(write.userId, signal);
      if (current === null) return { status: "user_not_found" };
      first ??= current;

      const access = mergeAccess(current.access, write.change);
      if (Object.keys(access).length === 0) {
        return { status: "no_manager_left", user: current };
      }
      const input: ServiceUserInput = { ...fieldsOf(current), access };
      if (sameInput(input, { ...fieldsAsRead(current), access: current.access })) {
        // The user already is as requested, so there is nothing to write.
        return { status: "applied", user: current, before: first };
      }

      logger.debug("Writing service user access", {
        attempt,
        grant: Object.keys(write.change.grant),
        revoke: write.change.revoke,
      });
      await client.updateServiceUser(write.userId, input, signal);

      const stored = await client.getServiceUser(write.userId, signal);
      if (stored === null) return { status: "user_not_found" };
      unapplied = unappliedManagers(stored.access, write.change);
      if (unapplied.length === 0) {
        return { status: "applied", user: stored, before: first };
      }

      logger.warn("Service user access changed by another writer; writing it again", {
        attempt,
        max_attempts: maxAttempts,
        managers: unapplied,
      });
      if (attempt < maxAttempts) {
        await sleep(retryDelay(attempt), signal);
      }
    }
    throw new AccessChangeLostError(write.userId, unapplied, maxAttempts);
  });
}

/** Returns the fields of a user as read, for a write that changes only access. */
export function fieldsAsRead(user: ServiceUser): UserFields {
  return {
    name: user.name,
    description: user.description,
    email: user.email,
    expirationDate: user.expirationDate,
    primaryAccountId: user.primaryAccountId,
    accountIds: user.accountIds,
  };
}

function sameInput(a: ServiceUserInput, b: ServiceUserInput): boolean {
  return (
    a.name === b.name &&
    a.description === b.description &&
    a.email === b.email &&
    a.expirationDate === b.expirationDate &&
    a.primaryAccountId === b.primaryAccountId &&
    sameMembers(a.accountIds, b.accountIds) &&
    sameAccess(a.access, b.access)
  );
}

/** Returns the wait before attempt `attempt + 1`: doubling, with jitter so that two writers fall out of step. */
function retryDelay(attempt: number): number {
  const base = FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1);
  return base / 2 + Math.random() * (base / 2);
}

async function sleepUnlessAborted(milliseconds: number, signal: AbortSignal): Promise<void> {
  await delay(milliseconds, undefined, { signal });
}
