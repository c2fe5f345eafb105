// TLS settings of the DigiCert ONE client: a client certificate for mutual
// TLS, and the CA certificates that the server certificate must chain to.

import type { ConnectionOptions } from "node:tls";

import { DigicertError } from "./errors";

/**
 * Client-side TLS material, already read from files. Give either `cert` and
 * `key`, or `pfx` with its `passphrase`, or none of them.
 */
export interface DigicertTlsOptions {
  /** PEM client certificate, optionally followed by its intermediate CAs. */
  readonly cert?: string;
  /** Unencrypted PEM private key of `cert`. Never logged. */
  readonly key?: string;
  /** PKCS#12 (PFX) file holding the client certificate and its key. */
  readonly pfx?: Buffer;
  /** Password of `pfx`. Never logged. */
  readonly passphrase?: string;
  /**
   * PEM CA certificates that the server certificate must chain to. They
   * replace Node.js's built-in root certificates.
   * @default Node.js's built-in root certificates
   */
  readonly ca?: string;
}

/** Prefix of DigiCert ONE host names that accept client certificates. */
export const CLIENT_AUTH_HOST_PREFIX = "clientauth.";

/** Returns whether the options carry a client certificate. */
export function hasClientCertificate(tls: DigicertTlsOptions | undefined): boolean {
  return tls?.cert !== undefined || tls?.pfx !== undefined;
}

/**
 * Returns the options for undici's `connect`, or an empty object without
 * TLS settings. Throws `DigicertError` with code `invalid_config` when the
 * client certificate is given in two forms or without its key.
 */
export function tlsConnectOptions(tls: DigicertTlsOptions | undefined): ConnectionOptions {
  if (tls === undefined) {
    return {};
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new DigicertError(
      "invalid_config",
      "A PEM client certificate needs both the certificate and its private key.",
    );
  }
  if (tls.cert !== undefined && tls.pfx !== undefined) {
    throw new DigicertError(
      "invalid_config",
      "Give the client certificate either as PEM or as PKCS#12, not both.",
    );
  }

  const options: ConnectionOptions = {};
  if (tls.cert !== undefined) {
    options.cert = tls.cert;
    options.key = tls.key;
  }
  if (tls.pfx !== undefined) {
    options.pfx = tls.pfx;
    options.passphrase = tls.passphrase;
  }
  if (tls.ca !== undefined) {
    options.ca = tls.ca;
  }
  return options;
}
