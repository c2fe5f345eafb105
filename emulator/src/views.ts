// Mapping from stored records and catalogue entries to the JSON objects the
// API returns. Key order follows the contract's tables.

import {
  ADMINISTRATOR,
  Account,
  Role,
  StandardUser,
  findApplication,
  findRole,
} from "./catalogue";
import {
  ServiceUserApplication,
  ServiceUserStatus,
  StoredApiToken,
  StoredServiceUser,
} from "./store";
import { Clock, todayUtc } from "./time";

export interface RoleSummaryView {
  id: string;
  code: string;
  name: string;
}

export interface UserApplicationView {
  id: string;
  code: string;
  name: string;
  /** Union of the permissions of `roles`, sorted. */
  permissions: string[];
  roles: RoleSummaryView[];
}

/**
 * Computes a service user's status at read time. A disabled user stays
 * DISABLED. Otherwise the user is EXPIRED once today's UTC date is after
 * `end_date`, because day D ends at D 23:59:59 UTC.
 */
export function serviceUserStatus(
  user: Pick<StoredServiceUser, "disabled" | "endDate">,
  clock: Clock,
): ServiceUserStatus {
  if (user.disabled) {
    return "DISABLED";
  }
  if (user.endDate !== null && user.endDate < todayUtc(clock)) {
    return "EXPIRED";
  }
  return "ACTIVE";
}

export type ApiTokenStatus = "ACTIVE" | "EXPIRED";

/**
 * Computes a live token's status at read time: EXPIRED once today's UTC
 * date is after its `end_date`, else ACTIVE. Revoked tokens are never
 * shown, so they have no status.
 */
export function apiTokenStatus(
  token: Pick<StoredApiToken, "endDate">,
  clock: Clock,
): ApiTokenStatus {
  return token.endDate !== null && token.endDate < todayUtc(clock) ? "EXPIRED" : "ACTIVE";
}

/** Maps a token to JSON. The secret is added only by the create response. */
export function apiTokenView(token: StoredApiToken, clock: Clock) {
  return {
    id: token.id,
    user_id: token.userId,
    name: token.name,
    created_at: token.createdAt,
    end_date: token.endDate,
    status: apiTokenStatus(token, clock),
  };
}

export function applicationsView(
  assignments: readonly ServiceUserApplication[],
): UserApplicationView[] {
  return assignments.map((assignment) => {
    const application = findApplication(assignment.id);
    const roles = assignment.roleIds
      .map((roleId) => findRole(roleId))
      .filter((role): role is Role => role !== undefined);
    const permissions = new Set(roles.flatMap((role) => role.permissions));
    return {
      id: assignment.id,
      code: application?.code ?? "",
      name: application?.name ?? "",
      permissions: [...permissions].sort(),
      roles: roles.map((role) => ({ id: role.id, code: role.code, name: role.name })),
    };
  });
}

/** Groups role ids by their application, in order of first appearance. */
export function assignmentsOfRoles(roleIds: readonly string[]): ServiceUserApplication[] {
  const byApplication = new Map<string, string[]>();
  for (const roleId of roleIds) {
    const role = findRole(roleId);
    if (role === undefined) {
      continue;
    }
    const list = byApplication.get(role.applicationId) ?? [];
    list.push(roleId);
    byApplication.set(role.applicationId, list);
  }
  return [...byApplication].map(([id, ids]) => ({ id, roleIds: ids }));
}

export function serviceUserView(user: StoredServiceUser, clock: Clock) {
  return {
    id: user.id,
    friendly_name: user.friendlyName,
    description: user.description,
    email: user.email,
    status: serviceUserStatus(user, clock),
    user_type: "service",
    access_scope: "account",
    primary_account_id: user.primaryAccountId,
    created_at: user.createdAt,
    created_by: user.createdBy,
    locale: "en_US",
    end_date: user.endDate,
    accounts: [...user.accounts],
    applications: applicationsView(user.applications),
  };
}

/**
 * Maps a seeded standard user to JSON. The contract does not describe standard users, so
 * this shape (the service-user keys that apply, plus `username`, `first_name`
 * and `last_name`) is the emulator's own choice.
 */
export function standardUserView(user: StandardUser) {
  return {
    id: user.id,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    status: "ACTIVE",
    user_type: "standard",
    access_scope: "account",
    primary_account_id: user.primaryAccountId,
    created_at: user.createdAt,
    created_by: null,
    locale: "en_US",
    accounts: [...user.accounts],
    applications: applicationsView(assignmentsOfRoles(user.roleIds)),
  };
}

export function accountView(account: Account) {
  return {
    id: account.id,
    name: account.name,
    active: account.active,
    service_period: { from: account.servicePeriod.from, to: account.servicePeriod.to },
    friendly_identifier: account.friendlyIdentifier,
    admins: [
      {
        id: ADMINISTRATOR.id,
        email: ADMINISTRATOR.email,
        first_name: ADMINISTRATOR.firstName,
        last_name: ADMINISTRATOR.lastName,
      },
    ],
    // DigiCert uses camelCase keys inside sign_in_methods only.
    sign_in_methods: [
      {
        signInMethod: "username_password",
        status: "enabled",
        mfaStatus: "disabled",
        clientAuthCertLoginEnabled: false,
      },
    ],
    locale: account.locale,
  };
}

export function roleView(role: Role) {
  const application = findApplication(role.applicationId);
  return {
    id: role.id,
    code: role.code,
    name: role.name,
    application_id: role.applicationId,
    application_code: application?.code ?? "",
    permissions: [...role.permissions].sort(),
  };
}
