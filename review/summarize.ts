// Turns a Terraform JSON plan into a summary of the changes to DigiCert ONE
// service users and role bindings: what changes, and which changes a reviewer
// should look at twice (the flags). The summary contains no value that the plan
// marks as sensitive: such values are replaced by a `sensitive` marker here,
// before anything is rendered.

import { isMarked, type Path, type Plan, type ResourceChange, valueAt } from "./plan-json";
import { resolveBindingUserName, type UserNames, userNamesById } from "./user-names";

export const SERVICE_USER = "digicertone_service_user";
export const ROLE_BINDING = "digicertone_service_user_role_binding";

export type ResourceType = typeof SERVICE_USER | typeof ROLE_BINDING;
export type Action = "create" | "update" | "replace" | "delete";

/** The flags, in the order the summary shows them. */
export const FLAGS = ["privilege", "token", "delete", "expiry"] as const;
export type Flag = (typeof FLAGS)[number];

/** A value as the summary may show it: its text, or why it is not shown. */
export type DisplayValue =
  | { kind: "known"; text: string }
  | { kind: "unknown" }
  | { kind: "sensitive" };

export interface AttributeChange {
  name: string;
  sensitive: boolean;
  /** The new value is known only after apply. */
  unknown: boolean;
  /** The attribute is in the change's replace_paths. */
  forcesReplacement: boolean;
  /** Old and new value of a boolean attribute that is not sensitive. */
  booleans?: { before: boolean | null; after: boolean | null };
}

export interface RoleChange {
  manager: string;
  added: string[];
  removed: string[];
}

/** Role changes per manager, or why they are not shown. */
export type RoleChanges =
  | { kind: "known"; managers: RoleChange[] }
  | { kind: "unknown" }
  | { kind: "sensitive" };

/** Accounts added and removed, or why they are not shown. */
export type AccountChanges =
  | { kind: "known"; added: string[]; removed: string[] }
  | { kind: "unknown" }
  | { kind: "sensitive" };

/** The reason the plan issues a new API token. */
export type TokenReason =
  | "create"
  | "replace"
  | "rotation_triggers"
  | "rotation_days"
  | "other";

export interface ExpiryChange {
  change: "added" | "removed" | "extended" | "shortened" | "changed" | "unknown";
  /** The old and new expiration_date; undefined when sensitive or unknown. */
  before?: string | null;
  after?: string | null;
  /** Whole days between the old and new date, for extended and shortened. */
  days?: number;
}

export interface ResourceSummary {
  address: string;
  type: ResourceType;
  action: Action;
  /** The service user's friendly name: the new one, or the old one for a delete. */
  name: DisplayValue;
  /** The old friendly name, when an update or replace renames the service user. */
  previousName?: DisplayValue;
  /** For a role binding whose service user's name is not in the plan: its id. */
  serviceUserId?: string;
  /** Attributes whose values change; empty for a create or delete. */
  attributes: AttributeChange[];
  roles: RoleChanges;
  /** Service users only. */
  accounts?: AccountChanges;
  token?: TokenReason;
  expiry?: ExpiryChange;
  /** The change enables a disabled service user. */
  enables: boolean;
  flags: Flag[];
}

export interface PlanSummary {
  resources: ResourceSummary[];
}

type Values = Record<string, unknown>;

/** Returns the summary action of Terraform's action list, or undefined for those the summary skips. */
function summaryAction(actions: string[]): Action | undefined {
  const key = actions.join(",");
  if (key === "create") return "create";
  if (key === "update") return "update";
  if (key === "delete") return "delete";
  if (key === "delete,create" || key === "create,delete") return "replace";
  // no-op, read and forget change nothing in DigiCert ONE.
  return undefined;
}

function asValues(value: unknown): Values {
  return value !== null && typeof value === "object" ? (value as Values) : {};
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function sortedDifference(from: string[], without: string[]): string[] {
  const excluded = new Set(without);
  return [...new Set(from)].filter((item) => !excluded.has(item)).sort();
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Reads the before and after sides of a change together with their markers. */
class ChangeSides {
  readonly before: Values;
  readonly after: Values;

  constructor(private readonly change: ResourceChange["change"]) {
    this.before = asValues(change.before);
    this.after = asValues(change.after);
  }

  isSensitive(path: Path): boolean {
    return (
      isMarked(this.change.before_sensitive, path) ||
      isMarked(this.change.after_sensitive, path)
    );
  }

  isUnknown(path: Path): boolean {
    return isMarked(this.change.after_unknown, path);
  }

  forcesReplacement(name: string): boolean {
    return (this.change.replace_paths ?? []).some((path) => path[0] === name);
  }

  /** Shows the string at `path` on one side, unless it is sensitive or unknown. */
  show(side: "before" | "after", path: Path): DisplayValue {
    const sensitiveTree =
      side === "before" ? this.change.before_sensitive : this.change.after_sensitive;
    if (isMarked(sensitiveTree, path)) return { kind: "sensitive" };
    if (side === "after" && this.isUnknown(path)) return { kind: "unknown" };

    const value = valueAt(side === "before" ? this.before : this.after, path);
    return { kind: "known", text: typeof value === "string" ? value : JSON.stringify(value ?? null) };
  }
}

/** Lists the top-level attributes that an update or replace changes, sorted by name. */
function changedAttributes(sides: ChangeSides): AttributeChange[] {
  const names = new Set([...Object.keys(sides.before), ...Object.keys(sides.after)]);
  const changes: AttributeChange[] = [];
  for (const name of [...names].sort()) {
    const unknown = sides.isUnknown([name]);
    if (!unknown && isDeepEqual(sides.before[name], sides.after[name])) continue;

    const sensitive = sides.isSensitive([name]);
    const change: AttributeChange = {
      name,
      sensitive,
      unknown,
      forcesReplacement: sides.forcesReplacement(name),
    };
    const before = sides.before[name] ?? null;
    const after = sides.after[name] ?? null;
    const isBoolean = typeof before === "boolean" || typeof after === "boolean";
    if (isBoolean && !sensitive && !unknown) {
      change.booleans = { before: before as boolean | null, after: after as boolean | null };
    }
    changes.push(change);
  }
  return changes;
}

/** Roles per manager of a service user's `access` map. */
function accessRoles(access: unknown): Map<string, string[]> {
  const roles = new Map<string, string[]>();
  for (const [manager, entry] of Object.entries(asValues(access))) {
    roles.set(manager, stringsOf(asValues(entry).roles));
  }
  return roles;
}

/**
 * Compares roles per manager. When `sameTarget` is false the roles move to
 * another service user or manager, so every old role counts as removed and
 * every new one as added.
 */
function diffRoles(
  before: Map<string, string[]>,
  after: Map<string, string[]>,
  sameTarget: boolean,
): RoleChange[] {
  const managers = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: RoleChange[] = [];
  for (const manager of managers) {
    const oldRoles = before.get(manager) ?? [];
    const newRoles = after.get(manager) ?? [];
    const added = sortedDifference(newRoles, sameTarget ? oldRoles : []);
    const removed = sortedDifference(oldRoles, sameTarget ? newRoles : []);
    if (added.length > 0 || removed.length > 0) {
      changes.push({ manager, added, removed });
    }
  }
  return changes;
}

/**
 * Hides role changes that are sensitive or unknown, and reports whether they
 * add a role. Unknown roles count as a gain, because they may.
 */
function visibleRoles(
  sides: ChangeSides,
  paths: Path[],
  changes: RoleChange[],
): { roles: RoleChanges; gain: boolean } {
  const gain = changes.some((change) => change.added.length > 0);
  if (paths.some((path) => sides.isSensitive(path))) {
    return { roles: { kind: "sensitive" }, gain };
  }
  if (paths.some((path) => sides.isUnknown(path))) {
    return { roles: { kind: "unknown" }, gain: true };
  }
  return { roles: { kind: "known", managers: changes }, gain };
}

function serviceUserRoles(sides: ChangeSides): { roles: RoleChanges; gain: boolean } {
  const changes = diffRoles(accessRoles(sides.before.access), accessRoles(sides.after.access), true);
  return visibleRoles(sides, [["access"]], changes);
}

function bindingRoles(
  sides: ChangeSides,
  action: Action,
): { roles: RoleChanges; gain: boolean } {
  const before = new Map<string, string[]>();
  const after = new Map<string, string[]>();
  if (action !== "create") {
    before.set(String(sides.before.manager), stringsOf(sides.before.roles));
  }
  if (action !== "delete") {
    after.set(String(sides.after.manager), stringsOf(sides.after.roles));
  }
  const sameTarget =
    !sides.isUnknown(["service_user_id"]) &&
    !sides.isUnknown(["manager"]) &&
    sides.before.service_user_id === sides.after.service_user_id &&
    sides.before.manager === sides.after.manager;

  const changes = diffRoles(before, after, sameTarget);
  return visibleRoles(sides, [["manager"], ["roles"]], changes);
}

function serviceUserAccounts(sides: ChangeSides): { accounts: AccountChanges; gain: boolean } {
  const before = stringsOf(sides.before.account_ids);
  const after = stringsOf(sides.after.account_ids);
  const added = sortedDifference(after, before);
  const removed = sortedDifference(before, after);
  if (sides.isSensitive(["account_ids"])) {
    return { accounts: { kind: "sensitive" }, gain: added.length > 0 };
  }
  if (sides.isUnknown(["account_ids"])) {
    return { accounts: { kind: "unknown" }, gain: true };
  }
  return { accounts: { kind: "known", added, removed }, gain: added.length > 0 };
}

function tokenReason(sides: ChangeSides, action: Action): TokenReason | undefined {
  if (action === "create") return "create";
  if (action === "replace") return "replace";
  if (action !== "update" || !sides.isUnknown(["token"])) return undefined;

  const triggersChange =
    sides.isUnknown(["rotation_triggers"]) ||
    !isDeepEqual(sides.before.rotation_triggers, sides.after.rotation_triggers);
  if (triggersChange) return "rotation_triggers";
  if (typeof sides.after.rotation_days === "number") return "rotation_days";
  return "other";
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Returns the days since 1970-01-01 of a YYYY-MM-DD day, or undefined for other text. */
function dayNumber(day: unknown): number | undefined {
  const match = typeof day === "string" ? DAY_PATTERN.exec(day) : null;
  if (match === null) return undefined;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
}

function expiryChange(sides: ChangeSides, action: Action): ExpiryChange | undefined {
  if (action !== "update" && action !== "replace") return undefined;
  if (sides.isUnknown(["expiration_date"])) return { change: "unknown" };

  const before = (sides.before.expiration_date ?? null) as string | null;
  const after = (sides.after.expiration_date ?? null) as string | null;
  if (before === after) return undefined;

  const sensitive = sides.isSensitive(["expiration_date"]);
  const dates = sensitive ? {} : { before, after };
  if (before === null) return { change: "added", ...dates };
  if (after === null) return { change: "removed", ...dates };

  const beforeDay = dayNumber(before);
  const afterDay = dayNumber(after);
  if (beforeDay === undefined || afterDay === undefined || sensitive) {
    return { change: "changed", ...dates };
  }
  return afterDay > beforeDay
    ? { change: "extended", ...dates, days: afterDay - beforeDay }
    : { change: "shortened", ...dates, days: beforeDay - afterDay };
}

function summarizeServiceUser(
  change: ResourceChange,
  action: Action,
  sides: ChangeSides,
): ResourceSummary {
  const name = sides.show(action === "delete" ? "before" : "after", ["name"]);
  const { roles, gain: roleGain } = serviceUserRoles(sides);
  const { accounts, gain: accountGain } = serviceUserAccounts(sides);
  const enables =
    (action === "update" || action === "replace") &&
    !sides.isSensitive(["enabled"]) &&
    sides.before.enabled === false &&
    sides.after.enabled === true;

  const summary: ResourceSummary = {
    address: change.address,
    type: SERVICE_USER,
    action,
    name,
    attributes: action === "update" || action === "replace" ? changedAttributes(sides) : [],
    roles,
    accounts,
    token: tokenReason(sides, action),
    expiry: expiryChange(sides, action),
    enables,
    flags: [],
  };
  const renamed =
    (action === "update" || action === "replace") &&
    (sides.isUnknown(["name"]) || sides.before.name !== sides.after.name);
  if (renamed) summary.previousName = sides.show("before", ["name"]);

  summary.flags = flagsOf(summary, roleGain || accountGain || enables);
  return summary;
}

function summarizeBinding(
  change: ResourceChange,
  action: Action,
  sides: ChangeSides,
  names: UserNames,
  plan: Plan,
): ResourceSummary {
  const { roles, gain } = bindingRoles(sides, action);
  const side = action === "delete" ? "before" : "after";
  const resolved = resolveBindingUserName(change, sides.show(side, ["service_user_id"]), names, plan);

  const summary: ResourceSummary = {
    address: change.address,
    type: ROLE_BINDING,
    action,
    name: resolved.name,
    attributes: action === "update" || action === "replace" ? changedAttributes(sides) : [],
    roles,
    enables: false,
    flags: [],
  };
  if (resolved.serviceUserId !== undefined) summary.serviceUserId = resolved.serviceUserId;
  summary.flags = flagsOf(summary, gain);
  return summary;
}

function flagsOf(summary: ResourceSummary, privilegeGain: boolean): Flag[] {
  const flags: Flag[] = [];
  if (privilegeGain) flags.push("privilege");
  if (summary.token !== undefined) flags.push("token");
  if (summary.action === "delete" || summary.action === "replace") flags.push("delete");
  if (summary.expiry !== undefined) flags.push("expiry");
  return flags;
}

/** Orders by address in code-unit order, which does not depend on the locale. */
function compareAddresses(a: ResourceSummary, b: ResourceSummary): number {
  if (a.address < b.address) return -1;
  if (a.address > b.address) return 1;
  return 0;
}

/** Summarizes the service-user and role-binding changes of a plan, sorted by address. */
export function summarizePlan(plan: Plan): PlanSummary {
  const changes = (plan.resource_changes ?? []).filter(
    (change) =>
      change.mode === "managed" && (change.type === SERVICE_USER || change.type === ROLE_BINDING),
  );
  const names = userNamesById(changes.filter((change) => change.type === SERVICE_USER));

  const resources: ResourceSummary[] = [];
  for (const change of changes) {
    const action = summaryAction(change.change.actions);
    if (action === undefined) continue;

    const sides = new ChangeSides(change.change);
    resources.push(
      change.type === SERVICE_USER
        ? summarizeServiceUser(change, action, sides)
        : summarizeBinding(change, action, sides, names, plan),
    );
  }
  resources.sort(compareAddresses);
  return { resources };
}
