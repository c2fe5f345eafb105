// The provider process as Terraform runs it: handshake, gRPC server on a
// private unix socket, and shutdown on request.
import {
  Server,
  ServerCredentials,
} from "@grpc/grpc-js";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProviderDefinition } from "../framework/types";
import { logger } from "../log";
import { generateSelfSignedCertificate } from "./certificate";
import { loadServiceDefinitions } from "./grpc-definitions";
import {
  formatHandshakeLine,
  HandshakeError,
  readHandshakeSettings,
  type HandshakeSettings,
} from "./handshake";
import { ProviderServer } from "./provider-server";
import { controllerHandlers, healthHandlers, providerHandlers } from "./services";

/**
 * Maximum gRPC message size in both directions, in bytes. grpc-js defaults to
 * 4 MiB for received messages, which a large state or schema can exceed.
 */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * How long calls in flight may take to finish at shutdown, in milliseconds.
 * go-plugin kills a provider that has not exited 2 seconds after it asked
 * it to stop.
 */
const SHUTDOWN_GRACE_MS = 1000;

/**
 * Runs the provider as a Terraform plugin: checks the handshake environment,
 * starts the gRPC server on a unix socket in a new private directory and
 * writes the handshake line to stdout. Terraform fails to start the provider
 * when anything else reaches stdout before that line, so the server writes
 * nothing else there and logs go to stderr.
 *
 * Resolves once the server is listening. The process then serves until
 * Terraform calls GRPCController/Shutdown or sends SIGTERM, and exits by
 * itself. SIGINT is ignored, because on Ctrl-C Terraform sends StopProvider.
 *
 * A start without Terraform's magic cookie, or without protocol 6 on offer,
 * writes an explanation to stderr and exits with status 1.
 */
export async function serve<Client>(definition: ProviderDefinition<Client>): Promise<void> {
  const startedAt = performance.now();
  const settings = readSettingsOrExit();

  // Ctrl-C reaches every process in the terminal's process group, provider
  // included. Terraform handles it and cancels through StopProvider.
  process.on("SIGINT", () => logger.debug("Ignoring SIGINT, Terraform cancels with StopProvider"));

  // Node ends the process when a rejected promise is never handled. During an
  // apply that would lose the new state, so the server logs the rejection and
  // keeps serving.
  process.on("unhandledRejection", (reason) => {
    logger.error("Unhandled promise rejection in provider code", {
      error: reason,
      stack: reason instanceof Error ? reason.stack : undefined,
    });
  });

  const providerServer = new ProviderServer(definition, logger);
  const socketDirectory = mkdtempSync(join(tmpdir(), "terraform-provider-"));
  chmodSync(socketDirectory, 0o700);
  const removeSocketDirectory = () => rmSync(socketDirectory, { recursive: true, force: true });
  process.on("exit", removeSocketDirectory);

  const grpcServer = new Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });

  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info("Provider stopping", { reason });
    providerServer.abort(`the provider is stopping: ${reason}`);

    const exit = () => {
      removeSocketDirectory();
      process.exit(0);
    };
    const forceTimer = setTimeout(() => {
      logger.warn("Calls still running at shutdown, closing them", { grace_ms: SHUTDOWN_GRACE_MS });
      grpcServer.forceShutdown();
      exit();
    }, SHUTDOWN_GRACE_MS);
    grpcServer.tryShutdown(() => {
      clearTimeout(forceTimer);
      exit();
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));

  const definitions = loadServiceDefinitions();
  grpcServer.addService(definitions.provider, providerHandlers(providerServer));
  grpcServer.addService(definitions.controller, controllerHandlers(() => stop("Terraform called Shutdown")));
  grpcServer.addService(definitions.health, healthHandlers());

  const { credentials, certificateDer } = createCredentials(settings);
  const socketPath = join(socketDirectory, "plugin.sock");
  try {
    await bind(grpcServer, `unix:${socketPath}`, credentials);
  } catch (error) {
    removeSocketDirectory();
    throw error;
  }

  process.stdout.write(formatHandshakeLine(socketPath, certificateDer) + "\n");
  logger.info("Provider started", {
    socket: socketPath,
    mtls: certificateDer !== undefined,
    startup_ms: Math.round(performance.now() - startedAt),
  });
}

function readSettingsOrExit(): HandshakeSettings {
  try {
    return readHandshakeSettings(process.env);
  } catch (error) {
    if (error instanceof HandshakeError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Builds the server credentials. With AutoMTLS the server presents a fresh
 * self-signed certificate and accepts only clients that present Terraform's
 * certificate from PLUGIN_CLIENT_CERT. Without it the server is plaintext.
 */
function createCredentials(settings: HandshakeSettings): {
  credentials: ServerCredentials;
  certificateDer: Buffer | undefined;
} {
  if (settings.clientCertificatePem === undefined) {
    return { credentials: ServerCredentials.createInsecure(), certificateDer: undefined };
  }

  const certificate = generateSelfSignedCertificate();
  const credentials = ServerCredentials.createSsl(
    Buffer.from(settings.clientCertificatePem),
    [
      {
        private_key: Buffer.from(certificate.privateKeyPem),
        cert_chain: Buffer.from(certificate.certificatePem),
      },
    ],
    true,
  );
  return { credentials, certificateDer: certificate.certificateDer };
}

function bind(server: Server, address: string, credentials: ServerCredentials): Promise<void> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error) => (error ? reject(error) : resolve()));
  });
}
