// Public entry point of the emulator for tests and scripts.

export type {
  ApiTokenRecord,
  EmulatorOptions,
  RunningEmulator,
  ServiceUserRecord,
} from "./server";
export { isLoopbackHost, PortInUseError, startEmulator } from "./server";
export type { Clock } from "./time";
export type { FaultMethod, FaultOptions, GatewayStatus } from "./faults";
export type { EmulatorTlsOptions } from "./tls";
export {
  ACCOUNT_IDS,
  APPLICATION_IDS,
  MANAGE_USERS_PERMISSION,
  ROLE_IDS,
  STANDARD_USER_IDS,
} from "./catalogue";
export { API_PREFIX } from "./api-prefix";
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./paging";
