// The provider process as Terraform runs it: handshake, gRPC server with
// mutual TLS on a private unix socket, and shutdown on request or when
// Terraform goes away.
import { Server, type ServerCredentials } from "@grpc/grpc-js";
import type { ProviderDefinition } from "../framework/types";
import { logger } from "../log";
import { loadServiceDefinitions } from "./grpc-definitions";
import {
  formatHandshakeLine,
  HandshakeError,
  readHandshakeSettings,
  type HandshakeSettings,
} from "./handshake";
import { createServerTls } from "./mtls";
import { watchParentProcess } from "./parent-process";
import { ProviderServer } from "./provider-server";
import { MAX_MESSAGE_BYTES, SHUTDOWN_GRACE_MS } from "./server-options";
import { createSocketDirectory, restrictSocket } from "./socket-directory";
import { controllerHandlers, healthHandlers, providerHandlers } from "./services";

/**
 * Runs the provider as a Terraform plugin: checks the handshake environment,
 * starts the gRPC server on a unix socket in a new private directory and
 * writes the handshake line to stdout. Terraform fails to start the provider
 * when anything else reaches stdout before that line, so the server writes
 * nothing else there and logs go to stderr.
 *
 * The server accepts only clients that present the certificate Terraform
 * passed in PLUGIN_CLIENT_CERT. The only plaintext mode is the long-lived
 * one (long-lived.ts), which the user starts and Terraform reattaches to.
 *
 * Resolves once the server is listening. The process then serves until
 * Terraform calls GRPCController/Shutdown, sends SIGTERM or SIGHUP, or dies,
 * and then exits and removes the socket directory. SIGINT is ignored,
 * because on Ctrl-C Terraform sends StopProvider.
 *
 * A start without Terraform's magic cookie, without protocol 6 on offer, or
 * without a valid PLUGIN_CLIENT_CERT writes an explanation to stderr and
 * exits with status 1.
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
  const socketDirectory = createSocketDirectory(settings.unixSocketParent);
  process.on("exit", socketDirectory.remove);

  const tls = createServerTls(settings);
  const grpcServer = new Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    interceptors: [tls.interceptor],
  });

  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info("Provider stopping", { reason });
    providerServer.abort(`the provider is stopping: ${reason}`);

    const exit = () => {
      socketDirectory.remove();
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
  // Node's default action for SIGHUP ends the process without running exit
  // handlers, which would leave the socket directory behind.
  process.on("SIGHUP", () => stop("SIGHUP"));
  watchParentProcess((parentPid) => stop(`the parent process ${parentPid} (Terraform) exited`));

  const definitions = loadServiceDefinitions();
  grpcServer.addService(definitions.provider, providerHandlers(providerServer));
  grpcServer.addService(definitions.controller, controllerHandlers(() => stop("Terraform called Shutdown")));
  grpcServer.addService(definitions.health, healthHandlers());

  const socketPath = socketDirectory.socketPath;
  try {
    await bind(grpcServer, `unix:${socketPath}`, tls.credentials);
    restrictSocket(socketPath);
  } catch (error) {
    socketDirectory.remove();
    throw error;
  }

  process.stdout.write(formatHandshakeLine(socketPath, tls.certificateDer) + "\n");
  logger.info("Provider started", {
    socket: socketPath,
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

function bind(server: Server, address: string, credentials: ServerCredentials): Promise<void> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error) => (error ? reject(error) : resolve()));
  });
}
