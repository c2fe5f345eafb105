// Schema of the digicertone_service_user_role_binding resource. The
// descriptions become the resource's documentation.

import type { CtyType, Schema } from "../../framework/types";

export const ROLE_BINDING_TYPE_NAME = "digicertone_service_user_role_binding";

/** The rule that a manager has one owner, repeated where a reader needs it. */
const ONE_OWNER_RULE =
  "Manage each manager of a service user either in the `access` of its `digicertone_service_user` or with one role binding, never both and never with two bindings, or they undo each other's changes.";

export const roleBindingSchema: Schema = {
  version: 0,
  block: {
    description:
      "The roles of one DigiCert ONE manager on a service user. It lets a configuration grant roles on a service user that another configuration owns, such as a product team granting its own manager's roles on the platform team's service user. The binding sets exactly its roles in its manager and leaves every other manager of the service user as it is. " +
      ONE_OWNER_RULE +
      " Destroying the binding removes the manager from the service user. When the manager is the service user's last, which DigiCert ONE requires it to keep, the destroy fails with an error and the binding stays in state. Import it with `terraform import <address> <service_user_id>/<manager>`.",
    attributes: {
      id: {
        type: "string",
        computed: true,
        description:
          "The binding's id, `<service_user_id>/<manager>`, which is also its import id.",
      },
      service_user_id: {
        type: "string",
        required: true,
        description:
          "The id (a UUID) of the service user that gets the roles, such as `digicertone_service_user.bot.id`. Changing it replaces the binding: the manager is removed from the old service user and granted on the new one.",
      },
      manager: {
        type: "string",
        required: true,
        description:
          "The lowercase code of the DigiCert ONE manager whose roles the binding manages, such as `software_trust` or `account_manager`. " +
          ONE_OWNER_RULE +
          " Changing it replaces the binding.",
      },
      roles: {
        type: ["set", "string"],
        required: true,
        description:
          "The role codes granted in `manager`, in uppercase, such as `SM_SIGNER`; at least one. The service user gets exactly these roles in the manager, replacing any others it had there. Changing them updates the binding in place.",
      },
    },
  },
};

/** The cty type of each attribute, for comparing values. */
export const ROLE_BINDING_ATTRIBUTE_TYPES: { [attribute: string]: CtyType } = {
  id: "string",
  service_user_id: "string",
  manager: "string",
  roles: ["set", "string"],
};
