// The provider's data sources. Each reads DigiCert ONE objects that
// configurations refer to (accounts, managers, roles and service users)
// and never changes anything.

import type { DigicertClient } from "../digicert/types";
import { knownManagerCodes } from "../digicert/constants";
import type { DataSourceType } from "../framework/types";
import { logger as defaultLogger, type Logger } from "../log";
import { ACCOUNT_TYPE_NAME, createAccountDataSource } from "./account";
import { ACCOUNTS_TYPE_NAME, createAccountsDataSource } from "./accounts";
import { createManagersDataSource, MANAGERS_TYPE_NAME } from "./managers";
import { createRolesDataSource, ROLES_TYPE_NAME } from "./roles";
import {
  createServiceUserDataSource,
  SERVICE_USER_DATA_TYPE_NAME,
} from "./service-user";
import {
  createServiceUsersDataSource,
  SERVICE_USERS_TYPE_NAME,
} from "./service-users";

export interface DataSourceOptions {
  /** @default the provider's process-wide logger */
  readonly logger?: Logger;
  /**
   * Manager codes whose roles digicertone_managers requests, and that the
   * unknown-manager error of digicertone_roles lists.
   * @default the client's known manager codes (knownManagerCodes in wire.ts)
   */
  readonly managerCodes?: readonly string[];
}

/** Builds every data source type of the provider. */
export function createDataSources(
  options: DataSourceOptions = {},
): DataSourceType<DigicertClient>[] {
  const baseLogger = options.logger ?? defaultLogger;
  const managerCodes = options.managerCodes ?? knownManagerCodes;
  const loggerFor = (name: string) => baseLogger.with({ data_source: name });

  return [
    createAccountsDataSource(loggerFor(ACCOUNTS_TYPE_NAME)),
    createAccountDataSource(loggerFor(ACCOUNT_TYPE_NAME)),
    createManagersDataSource(loggerFor(MANAGERS_TYPE_NAME), managerCodes),
    createRolesDataSource(loggerFor(ROLES_TYPE_NAME), managerCodes),
    createServiceUserDataSource(loggerFor(SERVICE_USER_DATA_TYPE_NAME)),
    createServiceUsersDataSource(loggerFor(SERVICE_USERS_TYPE_NAME)),
  ];
}
