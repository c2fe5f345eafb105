// Schema of the digicertone_service_user resource. The descriptions become
// the resource's documentation.

import type { CtyType, Schema } from "../../framework/types";

export const SERVICE_USER_TYPE_NAME = "digicertone_service_user";

/** Longest friendly name the DigiCert ONE emulator accepts; the API publishes no limit. */
export const NAME_MAX_LENGTH = 64;

/** Limits and default of the token rotation settings. */
export const MAX_ROTATION_DAYS = 3650;
export const MAX_TOKEN_OVERLAP_DAYS = 90;
export const DEFAULT_TOKEN_OVERLAP_DAYS = 1;

/**
 * The schema version. Version 1 added rotation_triggers, rotation_days,
 * token_overlap_days and token_created_at; see upgrade.ts.
 */
export const SERVICE_USER_SCHEMA_VERSION = 1;

export const serviceUserSchema: Schema = {
  version: SERVICE_USER_SCHEMA_VERSION,
  block: {
    description:
      "A DigiCert ONE service user: a non-person user that automation authenticates as with an API token. Terraform creates it with the accounts, managers and roles it may use, and keeps its one-time API token in state.",
    attributes: {
      id: {
        type: "string",
        computed: true,
        description: "The service user's id (a UUID), assigned by DigiCert ONE.",
      },
      name: {
        type: "string",
        required: true,
        description: `The service user's friendly name, unique in the tenant: 1 to ${NAME_MAX_LENGTH} ASCII letters, digits, spaces, hyphens (-) and underscores (_), with no leading or trailing space. DigiCert ONE records the user's actions in the audit log under this name. Changing it renames the service user in place.`,
      },
      description: {
        type: "string",
        optional: true,
        computed: true,
        description:
          'A free-text description of the service user. Defaults to "" (no description), so removing it from the configuration clears it.',
      },
      email: {
        type: "string",
        required: true,
        description:
          "The contact email address of the service user, such as the owning team's address. DigiCert ONE stores it but sends no mail to it.",
      },
      expiration_date: {
        type: "string",
        optional: true,
        description:
          "The UTC day on which the service user expires, as YYYY-MM-DD; it expires at 23:59:59 UTC that day. Must be today or later. Omit it for a service user that does not expire. Changing it updates the service user in place.",
      },
      expires_at: {
        type: "string",
        computed: true,
        description:
          "When the service user expires, as an RFC 3339 timestamp (`<expiration_date>T23:59:59Z`), or null when `expiration_date` is not set.",
      },
      account_ids: {
        type: ["set", "string"],
        required: true,
        description:
          "The ids of the accounts the service user belongs to; at least one. Accounts can be added and removed in place, except the primary account (see `primary_account_id`).",
      },
      primary_account_id: {
        type: "string",
        optional: true,
        computed: true,
        description:
          "The id of the service user's primary account, which must be one of `account_ids`. When not set, Terraform uses the smallest id in `account_ids` in lexicographic order at creation, and keeps that account afterwards. DigiCert ONE cannot change a primary account, so changing this value replaces the service user, which gets a new id and token.",
      },
      access: {
        required: true,
        nested: {
          nesting: "map",
          attributes: {
            roles: {
              type: ["set", "string"],
              required: true,
              description:
                "The role codes granted in this manager, in uppercase, such as `SM_SIGNER` or `AM_VIEW_ONLY`; at least one.",
            },
          },
        },
        description:
          'The DigiCert ONE managers that this resource manages on the service user and the roles in each, keyed by the lowercase manager code, such as `software_trust` or `account_manager`; at least one manager. Example: `access = { software_trust = { roles = ["SM_SIGNER"] } }`. ' +
          "The resource manages exactly the managers listed here. A manager that it does not list, such as one that a `digicertone_service_user_role_binding` grants or that someone adds in DigiCert ONE, keeps its roles and never shows as a change. Removing a manager from this map removes it from the service user. After an import, the resource manages every manager the service user has, so the first plan removes those that the configuration does not list. " +
          "Manage each manager either here or with one role binding, never both, or they undo each other's changes.",
      },
      enabled: {
        type: "bool",
        optional: true,
        computed: true,
        description:
          "Whether the service user may authenticate. Defaults to true. Set it to false to disable the service user in place, which keeps its id, token and access; DigiCert ONE then rejects its token until it is enabled again. A service user disabled outside Terraform shows as a change back to true.",
      },
      status: {
        type: "string",
        computed: true,
        description:
          "The service user's status as DigiCert ONE reports it: `ACTIVE`, `DISABLED` or `EXPIRED`.",
      },
      created_at: {
        type: "string",
        computed: true,
        description:
          "When the service user was created, as an RFC 3339 timestamp in UTC.",
      },
      token: {
        type: "string",
        computed: true,
        sensitive: true,
        description:
          "The service user's API token, which clients send in the `x-api-key` header. DigiCert ONE returns a token only once, when it issues it, so it is null for an imported service user; change `rotation_triggers` to issue a new token in place.",
      },
      token_created_at: {
        type: "string",
        computed: true,
        description:
          "When DigiCert ONE issued the token in `token`, as an RFC 3339 timestamp in UTC, or null when `token` is null. `rotation_days` counts from it.",
      },
      rotation_triggers: {
        type: ["map", "string"],
        optional: true,
        description:
          "Arbitrary values that, when any of them changes (including adding or removing one), issue a new API token in place: the service user keeps its id, name and access. For example `rotation_triggers = { rotated = \"2027-01\" }`. Editing any other attribute never issues a new token. The previous token keeps working for `token_overlap_days`.",
      },
      rotation_days: {
        type: "number",
        optional: true,
        description: `Rotates the token by age: when a refresh finds the token at least this many days old, by DigiCert ONE's clock, the plan issues a new token in place; the age then counts from the new token, so this happens once per period. A whole number from 1 to ${MAX_ROTATION_DAYS}. Unset, the token is rotated only through \`rotation_triggers\`. A plan with \`-refresh=false\` does not check the age.`,
      },
      token_overlap_days: {
        type: "number",
        optional: true,
        computed: true,
        description: `How many days the previous token keeps working after a rotation, so that its users can switch to the new one: it expires at 23:59:59 UTC that many days after the day of the rotation (never later than it would have otherwise). 0 revokes it as soon as the new token is issued. A whole number from 0 to ${MAX_TOKEN_OVERLAP_DAYS}; defaults to ${DEFAULT_TOKEN_OVERLAP_DAYS}. A rotation retires every other API token the service user has.`,
      },
    },
  },
};

/** The cty type of each attribute, for comparing values. */
export const SERVICE_USER_ATTRIBUTE_TYPES: { [attribute: string]: CtyType } = {
  id: "string",
  name: "string",
  description: "string",
  email: "string",
  expiration_date: "string",
  expires_at: "string",
  account_ids: ["set", "string"],
  primary_account_id: "string",
  access: ["map", ["object", { roles: ["set", "string"] }]],
  enabled: "bool",
  status: "string",
  created_at: "string",
  token: "string",
  token_created_at: "string",
  rotation_triggers: ["map", "string"],
  rotation_days: "number",
  token_overlap_days: "number",
};

/** Attributes that the configuration can set; apply must store them as planned. */
export const CONFIGURABLE_ATTRIBUTES = [
  "name",
  "description",
  "email",
  "expiration_date",
  "account_ids",
  "primary_account_id",
  "access",
  "enabled",
  "rotation_triggers",
  "rotation_days",
  "token_overlap_days",
] as const;
