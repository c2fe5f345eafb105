// State upgrades of digicertone_service_user, from each earlier schema
// version to the current one. Each step works on the JSON of the state file.

import type { UpgradeRequest, UpgradeResponse } from "../../framework/types";
import { errorDiagnostic } from "../../validation/diagnostics";
import { DEFAULT_TOKEN_OVERLAP_DAYS, SERVICE_USER_SCHEMA_VERSION } from "./schema";

type RawState = { [attribute: string]: unknown };

/**
 * Version 0 to 1: adds the rotation settings, unset, with the default
 * overlap, and token_created_at. A version-0 token was issued with the
 * service user, so it dates from created_at; without a token it is null.
 * State written before `enabled` existed (also version 0) gets it from the
 * status.
 */
function fromVersion0(state: RawState): RawState {
  const hasToken = typeof state.token === "string";
  return {
    ...state,
    enabled: typeof state.enabled === "boolean" ? state.enabled : state.status !== "DISABLED",
    rotation_triggers: null,
    rotation_days: null,
    token_overlap_days: DEFAULT_TOKEN_OVERLAP_DAYS,
    token_created_at: hasToken && typeof state.created_at === "string" ? state.created_at : null,
  };
}

/** The step from each version to the next. */
const STEPS: { [version: number]: (state: RawState) => RawState } = {
  0: fromVersion0,
};

/** Upgrades stored state of any earlier version to the current one. */
export function upgradeServiceUserState(request: UpgradeRequest): UpgradeResponse {
  if (request.version > SERVICE_USER_SCHEMA_VERSION) {
    return {
      rawState: null,
      diagnostics: [
        errorDiagnostic(
          "State from a newer provider",
          `This digicertone_service_user state has schema version ${request.version}, written by a newer version of the provider, which knows version ${SERVICE_USER_SCHEMA_VERSION} at most. ` +
            "Use the provider version that wrote the state, or a later one: change the version constraint in required_providers and run `terraform init -upgrade`.",
        ),
      ],
    };
  }
  let state = request.rawState;
  for (let version = request.version; version < SERVICE_USER_SCHEMA_VERSION; version += 1) {
    state = STEPS[version](state);
  }
  return { rawState: state };
}
