// Schema of the digicertone_service_user resource. The descriptions become
// the resource's documentation.

import type { CtyType, Schema } from "../../framework/types";

export const SERVICE_USER_TYPE_NAME = "digicertone_service_user";

/** Longest friendly name the DigiCert ONE emulator accepts; the API publishes no limit. */
export const NAME_MAX_LENGTH = 64;

export const serviceUserSchema: Schema = {
  version: 0,
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
          "The service user's API token, which clients send in the `x-api-key` header. DigiCert ONE returns it only once, at creation, so it is null for an imported service user; replace the resource (`terraform apply -replace=<address>`) to get a service user with a new token.",
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
] as const;
