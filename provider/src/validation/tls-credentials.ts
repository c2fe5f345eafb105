// Reading and checking of TLS credentials: PEM certificates and keys, PKCS#12
// files and CA bundles. Each check returns a problem as a clause that follows
// the setting's name in a sentence, and no problem quotes key material or a
// password.

import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { TLSSocket, createSecureContext } from "node:tls";

/** A value that was read, or why it could not be. */
export type Checked<T> = { value: T; problem?: undefined } | { problem: string; fix?: string };

/** Object identifier of the TLS client authentication extended key usage. */
const CLIENT_AUTH_USAGE = "1.3.6.1.5.5.7.3.2";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Returns whether a setting's value is PEM text rather than a file path. */
export function isPemText(value: string): boolean {
  return value.trimStart().startsWith("-----BEGIN ");
}

/** Reads a file whole, or returns why it cannot be read. */
export function readSettingFile(path: string): Checked<Buffer> {
  try {
    return { value: readFileSync(path) };
  } catch (error) {
    return { problem: `names the file "${path}", which ${fileErrorReason(error)}` };
  }
}

function fileErrorReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "ENOENT":
      return "does not exist";
    case "EACCES":
    case "EPERM":
      return "the provider may not read (permission denied)";
    case "EISDIR":
      return "is a directory";
    default:
      return `cannot be read (${typeof code === "string" ? code : "unknown error"})`;
  }
}

/** Returns the PEM blocks of `text` with the given label, such as "CERTIFICATE". */
function pemBlocks(text: string, label: RegExp): string[] {
  return [...text.matchAll(PEM_BLOCK)]
    .filter((match) => label.test(match[1]))
    .map((match) => match[0]);
}

/**
 * Parses every PEM certificate in `text`, first the leaf. Extra text between
 * blocks, such as the comments that `openssl pkcs12` writes, is ignored.
 */
export function parseCertificates(text: string): Checked<X509Certificate[]> {
  const blocks = pemBlocks(text, /^(X509 |TRUSTED )?CERTIFICATE$/);
  if (blocks.length === 0) {
    if (pemBlocks(text, /PRIVATE KEY$/).length > 0) {
      return {
        problem: "contains a private key but no certificate",
        fix: "Check that the certificate and the key were not swapped.",
      };
    }
    return {
      problem: 'contains no PEM certificate (a block that starts with "-----BEGIN CERTIFICATE-----")',
      fix: "Convert a DER certificate to PEM with: openssl x509 -inform der -in CERT.der -out CERT.pem",
    };
  }

  const certificates: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    try {
      certificates.push(new X509Certificate(block));
    } catch {
      return { problem: `contains a PEM certificate (number ${index + 1}) that is not a valid X.509 certificate` };
    }
  }
  return { value: certificates };
}

/** Parses the one unencrypted PEM private key in `text`. */
export function parsePrivateKey(text: string): Checked<KeyObject> {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    return {
      problem: "contains an encrypted private key, which the provider cannot decrypt",
      fix: "Decrypt it with: openssl pkey -in KEY.pem -out KEY-decrypted.pem, or give the certificate and key as a PKCS#12 file with client_pkcs12_file and client_pkcs12_password.",
    };
  }
  const blocks = pemBlocks(text, /PRIVATE KEY$/);
  if (blocks.length === 0) {
    if (pemBlocks(text, /CERTIFICATE$/).length > 0) {
      return {
        problem: "contains a certificate but no private key",
        fix: "Check that the certificate and the key were not swapped.",
      };
    }
    return { problem: 'contains no PEM private key (a block that starts with "-----BEGIN PRIVATE KEY-----")' };
  }
  if (blocks.length > 1) {
    return { problem: `contains ${blocks.length} private keys, but only one is allowed` };
  }
  try {
    return { value: createPrivateKey({ key: blocks[0], format: "pem" }) };
  } catch {
    // OpenSSL's message names no part of the key, but it does not help the
    // user either, so it is left out.
    return { problem: "contains a PEM private key that cannot be parsed" };
  }
}

/** Returns whether `key` is the private key of the certificate's public key. */
export function keyMatchesCertificate(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** A PKCS#12 file's client certificate. */
export interface Pkcs12Contents {
  readonly certificate: X509Certificate;
}

/**
 * Opens a PKCS#12 file with OpenSSL, as the TLS connection will, and returns
 * its certificate. The password never appears in a problem.
 */
export function openPkcs12(pfx: Buffer, passphrase: string | undefined): Checked<Pkcs12Contents> {
  let socket: TLSSocket | undefined;
  try {
    const secureContext = createSecureContext({ pfx, passphrase });
    // A socket that is never connected exposes the context's certificate.
    socket = new TLSSocket(null as never, { secureContext });
    const raw = socket.getCertificate() as { raw?: Buffer } | null;
    if (raw?.raw === undefined) {
      return { problem: "contains no certificate" };
    }
    return { value: { certificate: new X509Certificate(raw.raw) } };
  } catch (error) {
    return pkcs12Problem(error);
  } finally {
    socket?.destroy();
  }
}

/** Maps an OpenSSL error from loading a PKCS#12 file to a problem. */
function pkcs12Problem(error: unknown): { problem: string; fix?: string } {
  // Read the fields without instanceof, which fails for errors from
  // another realm, such as Node's own errors inside a jest sandbox.
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  const text = typeof message === "string" ? message : "";
  // OpenSSL 3 (Node.js 20) reports a wrong password as a failed MAC check,
  // which a changed byte in the file also causes.
  if (/mac verify failure/i.test(text)) {
    return {
      problem: "cannot be opened: wrong password or damaged file",
      fix: "Check the password in client_pkcs12_password or DIGICERT_ONE_CLIENT_PKCS12_PASSWORD, and that the file is the one DigiCert ONE issued.",
    };
  }
  if (code === "ERR_CRYPTO_UNSUPPORTED_OPERATION" || /unsupported/i.test(text)) {
    return {
      problem: "uses an encryption algorithm that OpenSSL 3 no longer loads by default, such as RC2-40 or 3DES from older exports",
      fix: "Re-export it with current algorithms: openssl pkcs12 -legacy -in OLD.p12 -out PLAIN.pem -nodes, then openssl pkcs12 -export -in PLAIN.pem -out NEW.p12 (and delete PLAIN.pem).",
    };
  }
  if (/key values mismatch/i.test(text)) {
    return { problem: "contains a private key that does not match its certificate" };
  }
  return {
    problem: "is not a PKCS#12 file, or is damaged",
    fix: "Give the .p12 or .pfx file that DigiCert ONE issued, or give PEM files with client_certificate and client_key.",
  };
}

/**
 * Returns why the certificate cannot be used at `now`: it has expired or is
 * not valid yet.
 */
export function validityProblem(certificate: X509Certificate, now: Date): string | undefined {
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (now.getTime() > notAfter.getTime()) {
    const days = Math.floor((now.getTime() - notAfter.getTime()) / 86_400_000);
    const ago = days === 0 ? "less than a day ago" : `${days} ${days === 1 ? "day" : "days"} ago`;
    return `expired on ${isoSeconds(notAfter)} (${ago})`;
  }
  if (now.getTime() < notBefore.getTime()) {
    return `is not valid until ${isoSeconds(notBefore)}`;
  }
  return undefined;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Returns whether the certificate allows TLS client authentication. One
 * without an extended key usage extension allows every use.
 */
export function allowsClientAuth(certificate: X509Certificate): boolean {
  const usages = certificate.keyUsage as string[] | undefined;
  return usages === undefined || usages.includes(CLIENT_AUTH_USAGE);
}

/** Formats the certificate's subject on one line, such as "CN=build-bot, O=Acme". */
export function subjectOf(certificate: X509Certificate): string {
  return certificate.subject.split("\n").join(", ");
}
