// Provider settings that resources read at plan time, kept beside the
// configured client so that resources, which receive only the client, can
// look them up.

import type { DigicertClient } from "./digicert/types";
import type { Policy } from "./policy";

export interface ProviderSettings {
  /** Days before a service user's expiration date from which plans warn, where 0 turns the warning off. */
  readonly expiryWarningDays: number;
  /** The rules that plans check; undefined when the provider has no policy block. */
  readonly policy?: Policy;
}

export const DEFAULT_EXPIRY_WARNING_DAYS = 30;
export const MAX_EXPIRY_WARNING_DAYS = 3650;

const DEFAULT_SETTINGS: ProviderSettings = {
  expiryWarningDays: DEFAULT_EXPIRY_WARNING_DAYS,
};

const settingsByClient = new WeakMap<DigicertClient, ProviderSettings>();

/** Records the settings of the provider configuration that created `client`. */
export function setProviderSettings(client: DigicertClient, settings: ProviderSettings): void {
  settingsByClient.set(client, settings);
}

/** Returns the settings recorded for `client`, or the defaults for none or an unconfigured provider. */
export function providerSettingsOf(client: DigicertClient | undefined): ProviderSettings {
  if (client === undefined) return DEFAULT_SETTINGS;
  return settingsByClient.get(client) ?? DEFAULT_SETTINGS;
}
