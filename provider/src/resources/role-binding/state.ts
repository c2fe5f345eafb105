// Mapping between a role binding's state and the service user it binds.

import {
  isUnknown,
  unknown,
  type CtyValue,
  type ObjectValue,
} from "../../framework/types";
import { quote } from "../../validation/diagnostics";

/** Separates the service user id from the manager code in a binding's id. */
const ID_SEPARATOR = "/";

/**
 * Returns the binding id `<service_user_id>/<manager>`, or unknown while
 * either part is unknown.
 */
export function bindingId(serviceUserId: CtyValue, manager: CtyValue): CtyValue {
  if (typeof serviceUserId === "string" && typeof manager === "string") {
    return `${serviceUserId}${ID_SEPARATOR}${manager}`;
  }
  return isUnknown(serviceUserId) || isUnknown(manager) ? unknown : null;
}

/**
 * Splits an import id `<service_user_id>/<manager>` into its parts, or
 * returns undefined when it does not have exactly two non-empty parts.
 */
export function parseBindingId(
  id: string,
): { serviceUserId: string; manager: string } | undefined {
  const parts = id.split(ID_SEPARATOR);
  if (parts.length !== 2 || parts.some((part) => part.trim() === "")) return undefined;
  return { serviceUserId: parts[0], manager: parts[1] };
}

/** The parts of a planned or stored binding that apply and read need. */
export interface BindingTarget {
  serviceUserId: string;
  manager: string;
}

/** Returns the service user id and manager of a state, or undefined when either is missing. */
export function bindingTarget(state: ObjectValue): BindingTarget | undefined {
  const { service_user_id: serviceUserId, manager } = state;
  if (typeof serviceUserId !== "string" || typeof manager !== "string") return undefined;
  return { serviceUserId, manager };
}

/** Returns the known role codes of a `roles` value, or undefined when it is not a known set of strings. */
export function rolesFromState(value: CtyValue): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (!value.every((role) => typeof role === "string")) return undefined;
  return value as string[];
}

/** Builds the state of a binding. */
export function bindingState(target: BindingTarget, roles: readonly string[]): ObjectValue {
  return {
    id: bindingId(target.serviceUserId, target.manager),
    service_user_id: target.serviceUserId,
    manager: target.manager,
    roles: [...new Set(roles)],
  };
}

/** Names a binding for messages, such as 'role binding of "software_trust" on service user "7e6d…"'. */
export function describeBinding(state: ObjectValue): string {
  const { service_user_id: serviceUserId, manager } = state;
  if (typeof serviceUserId === "string" && typeof manager === "string") {
    return `role binding of ${quote(manager)} on service user ${quote(serviceUserId)}`;
  }
  return "role binding";
}

/**
 * Names a service user for messages by its name and id, such as
 * 'service user "Build Bot" (id "7e6d…")', or by id alone when the name is
 * unknown.
 */
export function describeServiceUser(serviceUserId: string, name?: string): string {
  return name === undefined || name === ""
    ? `service user ${quote(serviceUserId)}`
    : `service user ${quote(name)} (id ${quote(serviceUserId)})`;
}
