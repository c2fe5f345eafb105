// The go-plugin handshake, as Terraform's plugin client (hashicorp/go-plugin
// client.go) performs it: Terraform starts the provider with a magic cookie,
// the protocol versions it speaks and, for AutoMTLS, its client certificate
// in the environment. The provider replies with one line on stdout that
// names its protocol version, its socket and its own certificate.
import { X509Certificate } from "node:crypto";

/** Environment variable and value that mark a start by Terraform (fixed by Terraform). */
export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE =
  "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/** go-plugin's own protocol version, the first field of the handshake line. */
export const CORE_PROTOCOL_VERSION = 1;

/** The Terraform plugin protocol major version this server speaks. */
export const PLUGIN_PROTOCOL_VERSION = 6;

export type HandshakeErrorCode =
  | "MISSING_MAGIC_COOKIE"
  | "UNSUPPORTED_PROTOCOL_VERSION"
  | "MISSING_CLIENT_CERTIFICATE"
  | "INVALID_CLIENT_CERTIFICATE";

/** A start that is not Terraform's. The message is meant for a human on a terminal. */
export class HandshakeError extends Error {
  constructor(
    message: string,
    readonly code: HandshakeErrorCode,
  ) {
    super(message);
    this.name = "HandshakeError";
  }
}

export interface HandshakeSettings {
  /**
   * Terraform's client certificate (PEM) from PLUGIN_CLIENT_CERT. The server
   * uses TLS, requires this certificate from every client and sends its own
   * certificate in the handshake line.
   */
  clientCertificatePem: string;
  /** The same certificate in DER, which a client must present byte for byte. */
  clientCertificateDer: Buffer;
  /**
   * The directory to create the socket directory in: PLUGIN_UNIX_SOCKET_DIR
   * when go-plugin sets it, otherwise undefined for the system default.
   */
  unixSocketParent: string | undefined;
}

/**
 * Reads the settings Terraform passes in the environment.
 *
 * @throws HandshakeError when the magic cookie is missing or wrong, when
 *   PLUGIN_PROTOCOL_VERSIONS does not offer protocol 6, or when
 *   PLUGIN_CLIENT_CERT is missing or is not a PEM certificate.
 */
export function readHandshakeSettings(
  env: NodeJS.ProcessEnv = process.env,
): HandshakeSettings {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    throw new HandshakeError(
      "This program is a Terraform provider plugin. It is meant to be started by Terraform, not run directly.\n" +
        "To use it, declare the provider in a Terraform configuration and run `terraform init` and `terraform plan`.",
      "MISSING_MAGIC_COOKIE",
    );
  }

  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? "")
    .split(",")
    .map((version) => version.trim())
    .filter((version) => version !== "");
  if (!offered.includes(String(PLUGIN_PROTOCOL_VERSION))) {
    const list = offered.length > 0 ? offered.join(", ") : "none";
    throw new HandshakeError(
      `This provider speaks Terraform plugin protocol ${PLUGIN_PROTOCOL_VERSION}, but Terraform offered: ${list}.\n` +
        "Use Terraform v1.0 or later.",
      "UNSUPPORTED_PROTOCOL_VERSION",
    );
  }

  const certificatePem = env.PLUGIN_CLIENT_CERT ?? "";
  const socketParent = env.PLUGIN_UNIX_SOCKET_DIR ?? "";
  return {
    clientCertificatePem: certificatePem,
    clientCertificateDer: parseClientCertificate(certificatePem),
    unixSocketParent: socketParent !== "" ? socketParent : undefined,
  };
}

/**
 * Parses Terraform's client certificate. Without it the provider would have
 * to serve plaintext on its socket, where any local process that reaches the
 * socket could call it with the provider's credentials, so the provider
 * requires AutoMTLS. Terraform 1.11 always sends a certificate unless
 * TF_DISABLE_PLUGIN_TLS is set.
 */
function parseClientCertificate(pem: string): Buffer {
  if (pem.trim() === "") {
    throw new HandshakeError(
      "This provider requires AutoMTLS, but PLUGIN_CLIENT_CERT is missing or empty.\n" +
        "The provider must be started by Terraform, which passes a client certificate in PLUGIN_CLIENT_CERT. " +
        "If TF_DISABLE_PLUGIN_TLS is set, unset it.",
      "MISSING_CLIENT_CERTIFICATE",
    );
  }

  try {
    return new X509Certificate(pem).raw;
  } catch (error) {
    throw new HandshakeError(
      `PLUGIN_CLIENT_CERT is not a valid PEM certificate (${error instanceof Error ? error.message : String(error)}).\n` +
        "The provider must be started by Terraform, which passes a client certificate in PLUGIN_CLIENT_CERT.",
      "INVALID_CLIENT_CERTIFICATE",
    );
  }
}

/**
 * Formats the handshake line: `1|6|unix|<socket path>|grpc|<certificate>`.
 * The certificate is standard base64 of the DER bytes without `=` padding,
 * which is how go-plugin decodes it. Without a certificate the field is
 * empty. The caller adds the newline.
 */
export function formatHandshakeLine(socketPath: string, certificateDer?: Uint8Array): string {
  const certificate =
    certificateDer === undefined ? "" : Buffer.from(certificateDer).toString("base64").replace(/=+$/, "");
  return [CORE_PROTOCOL_VERSION, PLUGIN_PROTOCOL_VERSION, "unix", socketPath, "grpc", certificate].join("|");
}

export interface ParsedHandshake {
  coreProtocolVersion: number;
  protocolVersion: number;
  network: string;
  address: string;
  protocol: string;
  /** The server certificate in DER, or undefined when the field is empty. */
  certificateDer: Buffer | undefined;
}

/** Parses a handshake line the way a plugin client reads it. */
export function parseHandshakeLine(line: string): ParsedHandshake {
  const parts = line.trim().split("|");
  if (parts.length !== 6) {
    throw new Error(`invalid handshake line "${line}": expected 6 fields separated by "|", got ${parts.length}`);
  }

  const [core, protocolVersion, network, address, protocol, certificate] = parts;
  return {
    coreProtocolVersion: Number(core),
    protocolVersion: Number(protocolVersion),
    network,
    address,
    protocol,
    certificateDer: certificate === "" ? undefined : Buffer.from(certificate, "base64"),
  };
}
