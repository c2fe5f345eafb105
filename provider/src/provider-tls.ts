// The provider's TLS settings: a client certificate for mutual TLS, as PEM or
// PKCS#12, and a CA bundle for private deployments. This file declares their
// schema attributes and environment variables, and reads and checks them
// into the client's TLS options.

import type { X509Certificate } from "node:crypto";

import type { DigicertTlsOptions } from "./digicert/tls";
import {
  hasErrors,
  path,
  type AttributePath,
  type AttributeSchema,
  type Diagnostic,
  type ObjectValue,
} from "./framework/types";
import { errorDiagnostic, quote, warningDiagnostic } from "./validation/diagnostics";
import {
  allowsClientAuth,
  isPemText,
  keyMatchesCertificate,
  openPkcs12,
  parseCertificates,
  parsePrivateKey,
  readSettingFile,
  subjectOf,
  validityProblem,
  type Checked,
} from "./validation/tls-credentials";

/** Environment variables that stand in for unset TLS attributes. */
export const TLS_ENV = {
  client_certificate: "DIGICERT_ONE_CLIENT_CERTIFICATE",
  client_key: "DIGICERT_ONE_CLIENT_KEY",
  client_pkcs12_file: "DIGICERT_ONE_CLIENT_PKCS12_FILE",
  client_pkcs12_password: "DIGICERT_ONE_CLIENT_PKCS12_PASSWORD",
  ca_bundle: "DIGICERT_ONE_CA_BUNDLE",
} as const;

type TlsAttribute = keyof typeof TLS_ENV;

export const tlsAttributes: { [name in TlsAttribute]: AttributeSchema } = {
  client_certificate: {
    type: "string",
    optional: true,
    description: `Client certificate for mutual TLS, as PEM text or the path of a PEM file: a value that starts with \`-----BEGIN\` is PEM text, and any other value is a path. Intermediate CA certificates may follow the client certificate. Needs \`client_key\` and conflicts with \`client_pkcs12_file\`. With a client certificate, \`region\` and \`demo\` select the region's \`clientauth.\` host, such as \`clientauth.one.digicert.com\`, while \`url\` is used as given. The API key is still sent. Defaults to the \`${TLS_ENV.client_certificate}\` environment variable.`,
  },
  client_key: {
    type: "string",
    optional: true,
    sensitive: true,
    description: `Unencrypted private key of \`client_certificate\`, as PEM text or the path of a PEM file, read the same way as \`client_certificate\`. Defaults to the \`${TLS_ENV.client_key}\` environment variable.`,
  },
  client_pkcs12_file: {
    type: "string",
    optional: true,
    description: `Path of a PKCS#12 file (\`.p12\` or \`.pfx\`) with the client certificate for mutual TLS and its private key, as DigiCert ONE issues them. Conflicts with \`client_certificate\` and \`client_key\`. Defaults to the \`${TLS_ENV.client_pkcs12_file}\` environment variable.`,
  },
  client_pkcs12_password: {
    type: "string",
    optional: true,
    sensitive: true,
    description: `Password of \`client_pkcs12_file\`. Defaults to the \`${TLS_ENV.client_pkcs12_password}\` environment variable, and then to no password.`,
  },
  ca_bundle: {
    type: "string",
    optional: true,
    description: `Path of a PEM file with the CA certificates that DigiCert ONE's server certificate must chain to, for a private deployment. They replace the CA certificates built into Node.js. Defaults to the \`${TLS_ENV.ca_bundle}\` environment variable, and then to the built-in CA certificates.`,
  },
};

/** Environment variables, in the shape of `process.env`. */
type Environment = { readonly [name: string]: string | undefined };

/** TLS settings read and checked, ready for the client. */
export interface ResolvedTls {
  /** The client's TLS options, or undefined when no TLS setting is given. */
  readonly options?: DigicertTlsOptions;
  /** The client certificate, PEM or from PKCS#12, when one is given. */
  readonly clientCertificate?: X509Certificate;
}

/**
 * Checks the TLS attributes of a provider configuration without the
 * environment, so that `terraform validate` finds unreadable files, bad PEM,
 * a key that does not match, a wrong PKCS#12 password and an expired client
 * certificate. Returns errors only, because configure repeats the checks
 * with the environment and returns the warnings. Unknown values are skipped.
 */
export function validateTlsAttributes(config: ObjectValue, now: Date): Diagnostic[] {
  const { diagnostics } = loadTls(config, undefined, now);
  return diagnostics.filter((diagnostic) => diagnostic.severity === "error");
}

/**
 * Reads the TLS settings from the attributes, each falling back to its
 * environment variable, and checks them. Returns `tls` only when there are
 * no errors.
 */
export function resolveTls(
  config: ObjectValue,
  env: Environment,
  now: Date,
): { tls?: ResolvedTls; diagnostics: Diagnostic[] } {
  const { tls, diagnostics } = loadTls(config, env, now);
  return hasErrors(diagnostics) ? { diagnostics } : { tls, diagnostics };
}

/** A setting's value and its origin. */
interface Source {
  readonly attribute: TlsAttribute;
  readonly value: string;
  /** Whether the value came from the environment variable. */
  readonly fromEnv: boolean;
}

/**
 * Reads and checks the TLS settings. Without `env` only the attributes are
 * read, and the checks that an environment variable could satisfy (a
 * certificate whose key comes from the environment) are skipped.
 */
function loadTls(
  config: ObjectValue,
  env: Environment | undefined,
  now: Date,
): { tls: ResolvedTls; diagnostics: Diagnostic[] } {
  const sources = readSources(config, env);
  const diagnostics = checkCombination(sources, env !== undefined);
  if (hasErrors(diagnostics)) return { tls: {}, diagnostics };

  let options: { -readonly [name in keyof DigicertTlsOptions]: DigicertTlsOptions[name] } = {};
  let clientCertificate: X509Certificate | undefined;

  const { client_certificate: cert, client_key: key, client_pkcs12_file: pfx } = sources;
  if (cert !== undefined || key !== undefined) {
    const pem = loadPemPair(cert, key, now, diagnostics);
    if (pem !== undefined) {
      options = { ...options, cert: pem.cert, key: pem.key };
      clientCertificate = pem.certificate;
    }
  } else if (pfx !== undefined) {
    const pkcs12 = loadPkcs12(pfx, sources.client_pkcs12_password, now, diagnostics);
    if (pkcs12 !== undefined) {
      options = { ...options, pfx: pkcs12.pfx, passphrase: pkcs12.passphrase };
      clientCertificate = pkcs12.certificate;
    }
  }

  if (sources.ca_bundle !== undefined) {
    const ca = loadCaBundle(sources.ca_bundle, diagnostics);
    if (ca !== undefined) options = { ...options, ca };
  }

  if (clientCertificate !== undefined && !allowsClientAuth(clientCertificate)) {
    const source = cert ?? pfx!;
    diagnostics.push(
      warningDiagnostic(
        "Client certificate not made for client authentication",
        `The client certificate ${quote(subjectOf(clientCertificate))} from ${describe(source)} has an extended key usage extension without TLS client authentication (1.3.6.1.5.5.7.3.2), so DigiCert ONE may reject it. Use a client authentication certificate issued by DigiCert ONE.`,
        path(source.attribute),
      ),
    );
  }

  const tls = Object.keys(options).length === 0 ? {} : { options, clientCertificate };
  return { tls, diagnostics };
}

/** Returns each set attribute, else its non-empty environment variable. */
function readSources(
  config: ObjectValue,
  env: Environment | undefined,
): { [name in TlsAttribute]?: Source } {
  const sources: { [name in TlsAttribute]?: Source } = {};
  for (const attribute of Object.keys(TLS_ENV) as TlsAttribute[]) {
    const value = config[attribute];
    if (typeof value === "string") {
      sources[attribute] = { attribute, value, fromEnv: false };
      continue;
    }
    // Unknown values are rejected elsewhere before configure, and skipped
    // here at validate time.
    if (value !== null && value !== undefined) continue;
    const envValue = env?.[TLS_ENV[attribute]];
    if (envValue !== undefined && envValue !== "") {
      sources[attribute] = { attribute, value: envValue, fromEnv: true };
    }
  }
  return sources;
}

/** Names a setting's source for a message, such as "client_key" or "the DIGICERT_ONE_CLIENT_KEY environment variable". */
function describe(source: Source): string {
  return source.fromEnv ? `the ${TLS_ENV[source.attribute]} environment variable` : source.attribute;
}

/** Starts a sentence with `subject`, keeping an attribute name in lowercase. */
function sentenceStart(subject: string): string {
  return subject.startsWith("the ") ? `T${subject.slice(1)}` : subject;
}

/**
 * Returns the attribute that a setting's diagnostic points at. Terraform
 * prints the configuration line of that attribute, so a diagnostic never
 * points at the PKCS#12 password or at key PEM text written in the block.
 */
function diagnosticPath(source: Source): AttributePath | undefined {
  if (source.attribute === "client_pkcs12_password") return path("client_pkcs12_file");
  if (source.attribute === "client_key" && !source.fromEnv && isPemText(source.value)) {
    return undefined;
  }
  return path(source.attribute);
}

/** Builds the error for a setting whose value cannot be used. */
function settingError(source: Source, subject: string, problem: string, fix?: string): Diagnostic {
  const name = source.fromEnv ? TLS_ENV[source.attribute] : source.attribute;
  const sentences = [`${sentenceStart(subject)} ${problem}.`];
  if (fix !== undefined) sentences.push(fix);
  if (source.fromEnv) sentences.push(`Correct the variable, or unset it.`);
  return errorDiagnostic(`Invalid ${name}`, sentences.join(" "), diagnosticPath(source));
}

/**
 * Checks which settings are given together: a PEM certificate needs its key,
 * PEM and PKCS#12 exclude each other, and a PKCS#12 password needs its file.
 */
function checkCombination(
  sources: { [name in TlsAttribute]?: Source },
  complete: boolean,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { client_certificate: cert, client_key: key, client_pkcs12_file: pfx } = sources;
  const password = sources.client_pkcs12_password;

  if (complete && cert !== undefined && key === undefined) {
    diagnostics.push(
      errorDiagnostic(
        "Missing client_key",
        `The client certificate is set by ${describe(cert)}, but its private key is not. Set client_key or the ${TLS_ENV.client_key} environment variable, or remove the certificate.`,
        path("client_key"),
      ),
    );
  }
  if (complete && key !== undefined && cert === undefined) {
    diagnostics.push(
      errorDiagnostic(
        "Missing client_certificate",
        `The private key is set by ${describe(key)}, but the client certificate is not. Set client_certificate or the ${TLS_ENV.client_certificate} environment variable, or remove the key.`,
        path("client_certificate"),
      ),
    );
  }

  const pemSource = cert ?? key;
  if (pemSource !== undefined && pfx !== undefined) {
    diagnostics.push(
      errorDiagnostic(
        "Conflicting client certificate settings",
        `The client certificate is given both as PEM, by ${describe(pemSource)}, and as PKCS#12, by ${describe(pfx)}. Give client_certificate and client_key, or client_pkcs12_file, but not both.`,
        path(pfx.attribute),
      ),
    );
  }

  // A password in the environment without a file is left alone, because a
  // shell may export it for other configurations.
  if (password !== undefined && !password.fromEnv && pfx === undefined && (complete || pemSource !== undefined)) {
    diagnostics.push(
      errorDiagnostic(
        "Missing client_pkcs12_file",
        `client_pkcs12_password is set, but no PKCS#12 file is. Set client_pkcs12_file or the ${TLS_ENV.client_pkcs12_file} environment variable, or remove the password.`,
        diagnosticPath(password),
      ),
    );
  }
  return diagnostics;
}

/**
 * Reads a setting that takes PEM text or a file path. Returns the text and
 * how to name it in a message, or pushes an error.
 */
function loadPemText(
  source: Source,
  diagnostics: Diagnostic[],
): { text: string; subject: string } | undefined {
  if (source.value.trim() === "") {
    diagnostics.push(settingError(source, describe(source), "is empty"));
    return undefined;
  }
  if (isPemText(source.value)) {
    return { text: source.value, subject: describe(source) };
  }
  const file = readSettingFile(source.value);
  if (file.problem !== undefined) {
    diagnostics.push(settingError(source, describe(source), file.problem));
    return undefined;
  }
  return {
    text: file.value.toString("utf8"),
    subject: `the file ${quote(source.value)} named by ${describe(source)}`,
  };
}

/** Pushes the problem of a failed check, and returns its value otherwise. */
function checkedValue<T>(
  checked: Checked<T>,
  source: Source,
  subject: string,
  diagnostics: Diagnostic[],
): T | undefined {
  if (checked.problem !== undefined) {
    diagnostics.push(settingError(source, subject, checked.problem, checked.fix));
    return undefined;
  }
  return checked.value;
}

function loadPemPair(
  certSource: Source | undefined,
  keySource: Source | undefined,
  now: Date,
  diagnostics: Diagnostic[],
): { cert: string; key: string; certificate: X509Certificate } | undefined {
  let certificate: X509Certificate | undefined;
  let certText: string | undefined;
  if (certSource !== undefined) {
    const loaded = loadPemText(certSource, diagnostics);
    if (loaded !== undefined) {
      certText = loaded.text;
      certificate = checkedValue(parseCertificates(loaded.text), certSource, loaded.subject, diagnostics)?.[0];
    }
  }

  let keyText: string | undefined;
  let key: ReturnType<typeof parsePrivateKey> | undefined;
  if (keySource !== undefined) {
    const loaded = loadPemText(keySource, diagnostics);
    if (loaded !== undefined) {
      keyText = loaded.text;
      key = parsePrivateKey(loaded.text);
      checkedValue(key, keySource, loaded.subject, diagnostics);
    }
  }

  if (certificate !== undefined && certSource !== undefined) {
    checkValidity(certificate, certSource, now, diagnostics);
  }
  if (certificate !== undefined && key?.problem === undefined && key !== undefined) {
    if (!keyMatchesCertificate(certificate, key.value)) {
      diagnostics.push(
        errorDiagnostic(
          "Client key does not match the certificate",
          `The private key from ${describe(keySource!)} is not the key of the client certificate ${quote(subjectOf(certificate))} from ${describe(certSource!)}. Give the key that was generated with this certificate.`,
          diagnosticPath(keySource!),
        ),
      );
    }
  }

  if (hasErrors(diagnostics) || certificate === undefined || certText === undefined || keyText === undefined) {
    return undefined;
  }
  return { cert: certText, key: keyText, certificate };
}

function loadPkcs12(
  fileSource: Source,
  passwordSource: Source | undefined,
  now: Date,
  diagnostics: Diagnostic[],
): { pfx: Buffer; passphrase: string | undefined; certificate: X509Certificate } | undefined {
  if (fileSource.value.trim() === "") {
    diagnostics.push(settingError(fileSource, describe(fileSource), "is empty"));
    return undefined;
  }
  if (isPemText(fileSource.value)) {
    diagnostics.push(
      settingError(
        fileSource,
        describe(fileSource),
        "contains PEM text, but it takes the path of a PKCS#12 file",
        "Give PEM text with client_certificate and client_key instead.",
      ),
    );
    return undefined;
  }
  const file = readSettingFile(fileSource.value);
  if (file.problem !== undefined) {
    diagnostics.push(settingError(fileSource, describe(fileSource), file.problem));
    return undefined;
  }

  const subject = `the PKCS#12 file ${quote(fileSource.value)} named by ${describe(fileSource)}`;
  const passphrase = passwordSource?.value;
  const opened = openPkcs12(file.value, passphrase);
  if (opened.problem !== undefined) {
    diagnostics.push(settingError(fileSource, subject, opened.problem, opened.fix));
    return undefined;
  }

  checkValidity(opened.value.certificate, fileSource, now, diagnostics);
  if (hasErrors(diagnostics)) return undefined;
  return { pfx: file.value, passphrase, certificate: opened.value.certificate };
}

/** Pushes an error when the client certificate has expired or is not valid yet. */
function checkValidity(
  certificate: X509Certificate,
  source: Source,
  now: Date,
  diagnostics: Diagnostic[],
): void {
  const problem = validityProblem(certificate, now);
  if (problem === undefined) return;
  const expired = problem.startsWith("expired");
  diagnostics.push(
    errorDiagnostic(
      expired ? "Client certificate expired" : "Client certificate not yet valid",
      `The client certificate ${quote(subjectOf(certificate))} from ${describe(source)} ${problem}, so DigiCert ONE would reject the TLS handshake. ` +
        (expired
          ? "Renew it in DigiCert ONE and configure the new certificate."
          : "Wait until then, or check this machine's clock."),
      path(source.attribute),
    ),
  );
}

function loadCaBundle(source: Source, diagnostics: Diagnostic[]): string | undefined {
  if (source.value.trim() === "") {
    diagnostics.push(settingError(source, describe(source), "is empty"));
    return undefined;
  }
  if (isPemText(source.value)) {
    diagnostics.push(
      settingError(
        source,
        describe(source),
        "contains PEM text, but it takes the path of a PEM file",
        "Save the CA certificates to a file and give its path.",
      ),
    );
    return undefined;
  }
  const file = readSettingFile(source.value);
  if (file.problem !== undefined) {
    diagnostics.push(settingError(source, describe(source), file.problem));
    return undefined;
  }
  const text = file.value.toString("utf8");
  const subject = `the file ${quote(source.value)} named by ${describe(source)}`;
  const certificates = checkedValue(parseCertificates(text), source, subject, diagnostics);
  return certificates === undefined ? undefined : text;
}
