// The digicertone_service_user_role_binding resource type: its schema, then
// validate, plan, apply (create and update, delete), read and import, each
// implemented in the file of the same name.

import type { DigicertClient } from "../../digicert/types";
import type { ResourceType } from "../../framework/types";
import { logger as defaultLogger, type Logger } from "../../log";
import { providerSettingsOf } from "../../provider-settings";
import type { KeyedLock } from "../user-access/lock";
import { deleteRoleBinding } from "./delete";
import { importRoleBinding } from "./import";
import { planRoleBinding } from "./plan";
import { readRoleBinding } from "./read";
import { ROLE_BINDING_TYPE_NAME, roleBindingSchema } from "./schema";
import { validateRoleBindingConfig } from "./validate";
import { writeRoleBinding } from "./write";

export interface RoleBindingResourceOptions {
  /** @default the provider's process-wide logger */
  readonly logger?: Logger;
  /**
   * The lock taken per service user id around changes to a user.
   * @default serviceUserLocks, which every resource of the process shares
   */
  readonly locks?: KeyedLock;
}

/** Builds the digicertone_service_user_role_binding resource type. */
export function createRoleBindingResource(
  options: RoleBindingResourceOptions = {},
): ResourceType<DigicertClient> {
  const logger = (options.logger ?? defaultLogger).with({
    resource: ROLE_BINDING_TYPE_NAME,
  });

  return {
    name: ROLE_BINDING_TYPE_NAME,
    schema: roleBindingSchema,

    validate(request) {
      return validateRoleBindingConfig(request.config);
    },

    async plan(request, client, context) {
      const { policy } = providerSettingsOf(client);
      return planRoleBinding(request, client, context.signal, policy);
    },

    async apply(request, client, context) {
      const { prior, planned } = request;
      if (planned === null) {
        return prior === null
          ? { newState: null }
          : deleteRoleBinding(prior, client, context, logger, options.locks);
      }
      return writeRoleBinding(prior, planned, client, context, logger, options.locks);
    },

    async read(request, client, context) {
      return readRoleBinding(request, client, context, logger);
    },

    async import(request) {
      return importRoleBinding(request);
    },
  };
}

export { ROLE_BINDING_TYPE_NAME, roleBindingSchema } from "./schema";
