// The provider's data sources. Each reads DigiCert ONE objects that
// configurations refer to (accounts, managers, roles and service users)
// and never changes anything.

import type { DigicertClient } from "../digicert/types";
import type { DataSourceType } from "../framework/types";
import { logger as defaultLogger, type Logger } from "../log";
import { ACCOUNT_TYPE_NAME, createAccountDataSource } from "./account";
import { ACCOUNTS_TYPE_NAME, createAccountsDataSource } from "./accounts";

export interface DataSourceOptions {
  /** @default the provider's process-wide logger */
  readonly logger?: Logger;
}

/** Builds every data source type of the provider. */
export function createDataSources(
  options: DataSourceOptions = {},
): DataSourceType<DigicertClient>[] {
  const baseLogger = options.logger ?? defaultLogger;
  const loggerFor = (name: string) => baseLogger.with({ data_source: name });

  return [
    createAccountsDataSource(loggerFor(ACCOUNTS_TYPE_NAME)),
    createAccountDataSource(loggerFor(ACCOUNT_TYPE_NAME)),
  ];
}
