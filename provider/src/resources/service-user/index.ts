// The digicertone_service_user resource type: its schema, then validate,
// plan, apply (create, update, delete), read, import and state upgrade, each
// implemented in the file of the same name; token rotation in rotation.ts.

import type { DigicertClient } from "../../digicert/types";
import { hasErrors, type ResourceType } from "../../framework/types";
import { logger as defaultLogger, type Logger } from "../../log";
import { utcDay } from "../../validation/dates";
import type { KeyedLock } from "../user-access/lock";
import { checkAccessCatalogue } from "./catalogue";
import { providerSettingsOf } from "../../provider-settings";
import { checkServiceUserPolicy } from "../../policy";
import { createServiceUser } from "./create";
import { deleteServiceUser } from "./delete";
import { expiryWarnings } from "./expiry";
import { importServiceUser } from "./import";
import { planServiceUser } from "./plan";
import { readServiceUser } from "./read";
import { SERVICE_USER_TYPE_NAME, serviceUserSchema } from "./schema";
import { updateServiceUser } from "./update";
import { upgradeServiceUserState } from "./upgrade";
import { validateServiceUserConfig } from "./validate";

export interface ServiceUserResourceOptions {
  /**
   * Returns the current time, which decides the earliest allowed
   * expiration_date (today in UTC).
   * @default () => new Date()
   */
  readonly now?: () => Date;
  /** @default the provider's process-wide logger */
  readonly logger?: Logger;
  /**
   * The lock taken per service user id around changes to a user.
   * @default serviceUserLocks, which every resource of the process shares
   */
  readonly locks?: KeyedLock;
}

/** Builds the digicertone_service_user resource type. */
export function createServiceUserResource(
  options: ServiceUserResourceOptions = {},
): ResourceType<DigicertClient> {
  const now = options.now ?? (() => new Date());
  const logger = (options.logger ?? defaultLogger).with({
    resource: SERVICE_USER_TYPE_NAME,
  });
  const today = () => utcDay(now());

  return {
    name: SERVICE_USER_TYPE_NAME,
    schema: serviceUserSchema,

    validate(request) {
      // Past dates are a plan-time check: see validateServiceUserConfig.
      return validateServiceUserConfig(request.config, null);
    },

    async plan(request, client, context) {
      const response = planServiceUser(request, today());
      const diagnostics = response.diagnostics ?? [];
      response.diagnostics = diagnostics;
      if (!hasErrors(diagnostics) && request.config !== null) {
        const { expiryWarningDays, policy } = providerSettingsOf(client);
        diagnostics.push(
          ...expiryWarnings(response.planned, request.prior, today(), expiryWarningDays),
          ...checkServiceUserPolicy(request.config, request.prior, policy, today()),
        );
        if (hasErrors(diagnostics)) return { planned: request.proposed, diagnostics };
      }
      // The catalogue check needs the API, so it runs only once the plan is
      // otherwise valid and the provider is configured.
      if (client === undefined || request.config === null || hasErrors(diagnostics)) {
        return response;
      }
      diagnostics.push(
        ...(await checkAccessCatalogue(request.config, request.prior, client, context.signal)),
      );
      if (hasErrors(diagnostics)) {
        return { planned: request.proposed, diagnostics };
      }
      return { ...response, diagnostics };
    },

    async apply(request, client, context) {
      const { prior, planned } = request;
      if (planned === null) {
        return prior === null
          ? { newState: null }
          : deleteServiceUser(prior, client, context, logger);
      }
      if (prior === null) {
        return createServiceUser(planned, client, context, logger, now);
      }
      return updateServiceUser(
        prior,
        planned,
        client,
        context,
        logger,
        request.plannedPrivate,
        options.locks,
      );
    },

    async read(request, client, context) {
      return readServiceUser(request, client, context, logger);
    },

    async import(request, client, context) {
      return importServiceUser(request, client, context, logger);
    },

    upgrade(request) {
      return upgradeServiceUserState(request);
    },
  };
}

export { SERVICE_USER_TYPE_NAME, serviceUserSchema } from "./schema";
