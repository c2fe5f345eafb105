// The emulator's optional mutual-TLS listener: HTTPS that serves the same API
// only to clients whose certificate chains to a configured CA, as DigiCert
// ONE's clientauth. hosts do.

import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { IncomingMessage, RequestListener, Server, ServerResponse, createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { resolve } from "node:path";
import type { TLSSocket } from "node:tls";

import { LogSink, formatLogLine, redactedPath } from "./log";

/** Certificates of the mutual-TLS listener, each as PEM text. */
export interface EmulatorTlsOptions {
  /**
   * Server certificate, optionally followed by intermediate CAs. Clients
   * check it against the host they connect to, so it needs a subject
   * alternative name for that host, such as IP 127.0.0.1.
   */
  cert: string | Buffer;
  /** Unencrypted private key of `cert`. */
  key: string | Buffer;
  /** CA certificates that a client certificate must chain to. */
  clientCa: string | Buffer;
}

/** Error code of the 401 reply to a request without a trusted client certificate. */
export const CLIENT_CERTIFICATE_ERROR_CODE = "invalid_client_certificate";

/**
 * Creates the emulator's server: plain HTTP without `tls`, else HTTPS that
 * requests a client certificate and responds with 401 to any request whose
 * certificate is missing or does not chain to `tls.clientCa`. Throws when
 * a certificate or key cannot be loaded.
 */
export function createEmulatorServer(
  tls: EmulatorTlsOptions | undefined,
  handler: RequestListener,
  log: LogSink,
): Server {
  if (tls === undefined) {
    return createServer(handler);
  }
  checkClientCa(tls.clientCa);

  // The handshake accepts any client certificate, or none, so that the
  // request gets a 401 with a reason instead of a bare TLS alert.
  const options = {
    cert: tls.cert,
    key: tls.key,
    ca: tls.clientCa,
    requestCert: true,
    rejectUnauthorized: false,
  };
  let server: Server;
  try {
    server = createHttpsServer(options, (request, response) => {
      const problem = clientCertificateProblem(request.socket as TLSSocket);
      if (problem === undefined) {
        handler(request, response);
        return;
      }
      rejectRequest(request, response, problem, log);
    });
  } catch (error) {
    // OpenSSL's messages name the failed check, not key material.
    throw new Error(
      `tls: the server certificate or key cannot be loaded: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return server;
}

/** Returns the URL scheme of a server that `createEmulatorServer` made. */
export function urlScheme(tls: EmulatorTlsOptions | undefined): "http" | "https" {
  return tls === undefined ? "http" : "https";
}

/** Throws unless `clientCa` contains at least one PEM certificate that parses. */
function checkClientCa(clientCa: string | Buffer): void {
  const text = clientCa.toString();
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new Error("tls: clientCa contains no PEM certificate.");
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new Error("tls: clientCa contains a PEM certificate that is not valid X.509.", {
        cause: error,
      });
    }
  }
}

/** Returns why the connection's client certificate is not accepted, or undefined. */
function clientCertificateProblem(socket: TLSSocket): string | undefined {
  if (socket.authorized) {
    return undefined;
  }
  const certificate = socket.getPeerCertificate();
  if (certificate === null || Object.keys(certificate).length === 0) {
    return "The request has no client certificate. This endpoint requires mutual TLS with a client certificate signed by the emulator's client CA.";
  }
  // @types/node declares an Error, but Node.js 20 stores OpenSSL's reason
  // code as a string, such as "CERT_HAS_EXPIRED".
  const reason = socket.authorizationError as unknown;
  const code = typeof reason === "string" ? reason : String((reason as { code?: unknown })?.code);
  return `The client certificate for "${certificate.subject?.CN ?? "(no common name)"}" is not accepted: ${code}. This endpoint requires a valid client certificate signed by the emulator's client CA.`;
}

function rejectRequest(
  request: IncomingMessage,
  response: ServerResponse,
  message: string,
  log: LogSink,
): void {
  const url = new URL(request.url ?? "/", "https://emulator.invalid");
  log(
    formatLogLine("info", "client certificate rejected", {
      method: request.method ?? "GET",
      path: redactedPath(url),
      status: 401,
      reason: message,
    }),
  );
  const body = JSON.stringify({
    errors: [{ code: CLIENT_CERTIFICATE_ERROR_CODE, message }],
  });
  response.writeHead(401, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  response.end(body);
}

/** Paths of the PEM files that the --tls-* flags name. */
export interface TlsFiles {
  cert: string;
  key: string;
  clientCa: string;
}

/** Command-line flags of the mutual-TLS listener, for `parseArgs`. */
export const TLS_FLAGS = {
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "tls-client-ca": { type: "string" },
} as const;

/** Help text of `TLS_FLAGS`, in the layout of the CLI's usage. */
export const TLS_USAGE = `Mutual TLS, like DigiCert ONE's clientauth. hosts (default: plain HTTP).
Give all three to serve HTTPS that requires a client certificate:
  --tls-cert <path>                 PEM server certificate, with a subject
                                    alternative name for --host
  --tls-key <path>                  PEM private key of --tls-cert
  --tls-client-ca <path>            PEM CA certificates that client
                                    certificates must chain to
`;

/**
 * Reads the --tls-* flags into absolute paths. Returns a problem for the
 * usage error when only some of them are given or one is empty.
 */
export function readTlsFlags(values: {
  [name in keyof typeof TLS_FLAGS]?: string;
}): { files?: TlsFiles; problem?: string } {
  const given = (Object.keys(TLS_FLAGS) as (keyof typeof TLS_FLAGS)[]).filter(
    (name) => values[name] !== undefined,
  );
  if (given.length === 0) {
    return {};
  }
  const empty = given.find((name) => values[name] === "");
  if (empty !== undefined) {
    return { problem: `--${empty} is empty. Pass a file path.` };
  }
  if (given.length < 3) {
    const missing = Object.keys(TLS_FLAGS).filter((name) => !given.includes(name as never));
    return {
      problem: `--${given.join(" and --")} ${given.length === 1 ? "needs" : "need"} ${missing.map((name) => `--${name}`).join(" and ")}. Give --tls-cert, --tls-key and --tls-client-ca together.`,
    };
  }
  return {
    files: {
      cert: resolve(values["tls-cert"]!),
      key: resolve(values["tls-key"]!),
      clientCa: resolve(values["tls-client-ca"]!),
    },
  };
}

/** Reads the files of the --tls-* flags. Throws an Error that names the file that cannot be read. */
export function readTlsFiles(files: TlsFiles): EmulatorTlsOptions {
  const read = (flag: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
      throw new Error(`${flag} ${JSON.stringify(path)} cannot be read (${code}).`, {
        cause: error,
      });
    }
  };
  return {
    cert: read("--tls-cert", files.cert),
    key: read("--tls-key", files.key),
    clientCa: read("--tls-client-ca", files.clientCa),
  };
}
