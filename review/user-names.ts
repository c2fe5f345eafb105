// Finds the friendly name of the service user that a role binding grants roles
// on: by the binding's service_user_id among the plan's service users, or,
// while that id is known only after apply, through the configuration
// reference such as `digicertone_service_user.bot.id`.

import { isMarked, type Plan, type ResourceChange } from "./plan-json";
import type { DisplayValue } from "./summarize";

export interface UserNames {
  /** Friendly names by service user id. */
  byId: Map<string, DisplayValue>;
  /** Planned friendly names by resource address. */
  byAddress: Map<string, DisplayValue>;
}

function nameOn(change: ResourceChange["change"], side: "before" | "after"): DisplayValue {
  const values = side === "before" ? change.before : change.after;
  const sensitive = side === "before" ? change.before_sensitive : change.after_sensitive;
  if (isMarked(sensitive, ["name"])) return { kind: "sensitive" };
  if (side === "after" && isMarked(change.after_unknown, ["name"])) return { kind: "unknown" };

  const name = (values as Record<string, unknown> | null | undefined)?.name;
  return typeof name === "string" ? { kind: "known", text: name } : { kind: "unknown" };
}

function idOn(change: ResourceChange["change"], side: "before" | "after"): string | undefined {
  const values = side === "before" ? change.before : change.after;
  const id = (values as Record<string, unknown> | null | undefined)?.id;
  return typeof id === "string" ? id : undefined;
}

/** Indexes the names of the plan's service users, no-op changes included. */
export function userNamesById(serviceUserChanges: ResourceChange[]): UserNames {
  const byId = new Map<string, DisplayValue>();
  const byAddress = new Map<string, DisplayValue>();
  for (const { address, change } of serviceUserChanges) {
    const beforeId = idOn(change, "before");
    if (beforeId !== undefined) byId.set(beforeId, nameOn(change, "before"));

    const afterId = idOn(change, "after");
    if (afterId !== undefined) byId.set(afterId, nameOn(change, "after"));

    if (change.after !== null && change.after !== undefined) {
      byAddress.set(address, nameOn(change, "after"));
    }
  }
  return { byId, byAddress };
}

interface ConfigModule {
  resources?: Array<{
    address?: string;
    expressions?: { service_user_id?: { references?: string[] } };
  }>;
  module_calls?: Record<string, { module?: ConfigModule }>;
}

/** Drops instance keys (`[0]`, `["a"]`) from an address, as configuration addresses have none. */
function withoutInstanceKeys(address: string): string {
  return address.replace(/\[[^\]]*\]/g, "");
}

/**
 * Returns the references of a binding's service_user_id expression, made
 * absolute with the module path, such as `module.team.digicertone_service_user.bot.id`.
 */
function serviceUserIdReferences(plan: Plan, bindingAddress: string): string[] {
  const target = withoutInstanceKeys(bindingAddress);
  const configuration = plan.configuration as { root_module?: ConfigModule } | undefined;

  const pending: Array<{ configModule: ConfigModule; prefix: string }> = [];
  if (configuration?.root_module !== undefined) {
    pending.push({ configModule: configuration.root_module, prefix: "" });
  }
  while (pending.length > 0) {
    const { configModule, prefix } = pending.pop()!;
    for (const resource of configModule.resources ?? []) {
      if (`${prefix}${resource.address}` !== target) continue;
      const references = resource.expressions?.service_user_id?.references ?? [];
      return references.map((reference) => `${prefix}${reference}`);
    }
    for (const [name, call] of Object.entries(configModule.module_calls ?? {})) {
      if (call.module !== undefined) {
        pending.push({ configModule: call.module, prefix: `${prefix}module.${name}.` });
      }
    }
  }
  return [];
}

/**
 * Resolves the friendly name of a binding's service user. When it is not in
 * the plan, the result carries the service user id instead.
 */
export function resolveBindingUserName(
  change: ResourceChange,
  serviceUserId: DisplayValue,
  names: UserNames,
  plan: Plan,
): { name: DisplayValue; serviceUserId?: string } {
  if (serviceUserId.kind === "sensitive") return { name: serviceUserId };
  if (serviceUserId.kind === "known") {
    const name = names.byId.get(serviceUserId.text);
    return name !== undefined ? { name } : { name: { kind: "unknown" }, serviceUserId: serviceUserId.text };
  }

  // The id is known only after apply: follow the configuration reference
  // when it names exactly one planned service user.
  for (const reference of serviceUserIdReferences(plan, change.address)) {
    const address = reference.endsWith(".id") ? reference.slice(0, -".id".length) : reference;
    const matches = [...names.byAddress.entries()].filter(
      ([candidate]) => candidate === address || withoutInstanceKeys(candidate) === address,
    );
    if (matches.length === 1) return { name: matches[0][1] };
  }
  return { name: { kind: "unknown" } };
}
