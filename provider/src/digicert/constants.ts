// Constants of the DigiCert ONE API and client that the provider needs before
// it creates a client: hosts, the API path, manager codes, body field names
// and client defaults. They live apart from wire.ts and client.ts, which load
// zod and undici, so a provider process that never runs ConfigureProvider
// (Terraform starts one per command phase) loads neither.

import type { DigicertTimeouts } from "./transport";
import type { ServiceUserInput } from "./types";
import type { ServiceUserBody } from "./wire";

// ---------------------------------------------------------------------------
// Hosts and paths
// ---------------------------------------------------------------------------

/**
 * Production and demo host names per DigiCert ONE region. Confirmed. Demo
 * credentials do not work in production. Client-certificate (mTLS) access
 * uses the same names with a `clientauth.` prefix (confirmed), which the
 * provider selects when it has a client certificate.
 */
export const regionHosts = {
  US: { production: "one.digicert.com", demo: "demo.one.digicert.com" },
  JP: { production: "one.digicert.co.jp", demo: "demo.one.digicert.co.jp" },
  CH: { production: "one.ch.digicert.com", demo: "demo.one.ch.digicert.com" },
  NL: { production: "one.nl.digicert.com", demo: "demo.one.nl.digicert.com" },
} as const;

export type DigicertRegion = keyof typeof regionHosts;
export type DigicertEnvironment = keyof (typeof regionHosts)[DigicertRegion];

/** Path prefix of the Account Manager API on every host. Confirmed. */
export const API_BASE_PATH = "/account/api/v1";

/**
 * Manager codes for `GET /role?application_code=`. Confirmed for
 * `account_manager` only; the others are assumed from the managers' names.
 * No known endpoint lists the managers, so the client offers these codes
 * (those with roles for the API key) as the valid ones in error messages.
 */
export const knownManagerCodes = [
  "account_manager",
  "trust_lifecycle",
  "software_trust",
  "iot_trust",
  "document_trust",
  "device_trust",
  "ca_manager",
  "keylocker",
  "dns_trust",
  "content_trust",
];

/** The body field that carries each `ServiceUserInput` field. */
export const SERVICE_USER_BODY_FIELDS: {
  [field in keyof ServiceUserInput]: keyof ServiceUserBody;
} = {
  name: "friendly_name",
  description: "description",
  email: "email",
  expirationDate: "end_date",
  primaryAccountId: "primary_account_id",
  accountIds: "accounts",
  access: "applications",
};

/**
 * Returns the input fields whose body field names an API error message
 * mentions, such as `["expirationDate"]` for "end_date is before today".
 * A field name counts only as a whole word, which an index such as "[0]"
 * may follow.
 */
export function inputFieldsNamedIn(message: string): (keyof ServiceUserInput)[] {
  const fields = Object.keys(SERVICE_USER_BODY_FIELDS) as (keyof ServiceUserInput)[];
  return fields.filter((field) =>
    new RegExp(`(^|[^A-Za-z0-9_])${SERVICE_USER_BODY_FIELDS[field]}($|[^A-Za-z0-9_])`).test(
      message,
    ),
  );
}

// ---------------------------------------------------------------------------
// Client defaults
// ---------------------------------------------------------------------------

/** Default timeouts of one request. */
export const DEFAULT_TIMEOUTS: DigicertTimeouts = {
  connectMs: 10_000,
  headersMs: 30_000,
  bodyMs: 30_000,
};

/** Default maximum number of requests in flight per client. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 8;
