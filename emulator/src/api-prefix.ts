/** Base path of the Account Manager API, confirmed for DigiCert ONE hosts. */
export const API_PREFIX = "/account/api/v1";
