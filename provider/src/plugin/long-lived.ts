// The long-lived mode: one provider process that serves many Terraform
// commands, which find it through TF_REATTACH_PROVIDERS instead of starting
// a provider process for every phase.
//
// Terraform 1.11 connects to a reattached provider without TLS: the go-plugin
// client it builds for TF_REATTACH_PROVIDERS (unmanagedProviderFactory in
// internal/command/meta_providers.go) sets neither AutoMTLS nor a TLS
// configuration. The socket therefore sits in a directory that only the
// user can open (mode 0700), and the socket itself has mode 0600.
import { createServer, type Server as NetServer, type Socket } from "node:net";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import type { ProviderDefinition } from "../framework/types";
import {
  logger as defaultLogger,
  logThresholdFromEnvironment,
  setProcessLogThreshold,
  type Logger,
  type LogThreshold,
} from "../log";
import { PROVIDER_SOURCE } from "../schema-json";
import { loadServiceDefinitions } from "./grpc-definitions";
import { PLUGIN_PROTOCOL_VERSION } from "./handshake";
import { ProviderServer, type ConnectionId } from "./provider-server";
import { MAX_MESSAGE_BYTES, SHUTDOWN_GRACE_MS } from "./server-options";
import { controllerHandlers, healthHandlers, providerHandlers } from "./services";
import { createSocketDirectory, restrictSocket, type SocketDirectory } from "./socket-directory";

/** One entry of TF_REATTACH_PROVIDERS, in go-plugin's ReattachConfig JSON form. */
export interface ReattachConfig {
  Protocol: "grpc";
  ProtocolVersion: number;
  Pid: number;
  /**
   * Always true. With Test false, go-plugin 1.6 neither records the protocol
   * version (Terraform then assumes protocol 5) nor leaves the process
   * running when Terraform closes the provider.
   */
  Test: true;
  Addr: { Network: "unix"; String: string };
}

/** Formats the value of TF_REATTACH_PROVIDERS for this provider. */
export function reattachProvidersValue(pid: number, socketPath: string): string {
  const config: ReattachConfig = {
    Protocol: "grpc",
    ProtocolVersion: PLUGIN_PROTOCOL_VERSION,
    Pid: pid,
    Test: true,
    Addr: { Network: "unix", String: socketPath },
  };
  return JSON.stringify({ [PROVIDER_SOURCE]: config });
}

/** Formats a POSIX shell command that exports `value` as TF_REATTACH_PROVIDERS. */
export function exportCommand(value: string): string {
  return `export TF_REATTACH_PROVIDERS='${value.replace(/'/g, `'\\''`)}'`;
}

export interface LongLivedServer {
  socketDirectory: SocketDirectory;
  /** The value for TF_REATTACH_PROVIDERS. */
  reattachValue: string;
  /**
   * Stops accepting connections, aborts calls in flight, waits up to
   * SHUTDOWN_GRACE_MS for them and removes the socket directory.
   */
  stop(reason: string): Promise<void>;
}

/**
 * Starts a plaintext gRPC server for `definition` on a unix socket in a new
 * private directory.
 *
 * Each accepted connection gets its own name, under which the provider
 * server keeps that connection's configuration. Terraform opens one
 * connection per provider instance, so two aliases, or two commands run at
 * the same time, each use their own API client. The server replies to
 * GRPCController/Shutdown but keeps running, because the process serves
 * later commands too.
 */
export async function startLongLivedServer<Client>(
  definition: ProviderDefinition<Client>,
  logger: Logger = defaultLogger,
): Promise<LongLivedServer> {
  const providerServer = new ProviderServer(definition, logger);
  const grpcServer = new Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });

  const definitions = loadServiceDefinitions();
  grpcServer.addService(
    definitions.provider,
    providerHandlers(providerServer, (call) => call.getPeer()),
  );
  grpcServer.addService(
    definitions.controller,
    controllerHandlers(() => logger.info("Ignoring GRPCController/Shutdown, the long-lived provider keeps serving")),
  );
  grpcServer.addService(definitions.health, healthHandlers());

  const injector = grpcServer.createConnectionInjector(ServerCredentials.createInsecure());
  let connectionCount = 0;
  const sockets = new Set<Socket>();
  const netServer = createServer((socket) => {
    connectionCount += 1;
    const connection: ConnectionId = `connection-${connectionCount}`;
    // grpc-js reports the socket's remoteAddress as a call's peer
    // (call.getPeer()). A unix socket has no remote address, so the
    // connection's name goes there, which is how handlers tell it apart.
    Object.defineProperty(socket, "remoteAddress", { value: connection });
    // NOTE: a client that reconnects in the middle of a command (grpc-go
    // may, after a long idle time) arrives unconfigured, and its calls fail
    // with "Provider not configured" until Terraform runs again.
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      providerServer.closeConnection(connection);
      logger.debug("Connection closed", { connection });
    });
    logger.debug("Connection opened", { connection });
    injector.injectConnection(socket);
  });

  const socketDirectory = createSocketDirectory(undefined);
  try {
    await listen(netServer, socketDirectory.socketPath);
    restrictSocket(socketDirectory.socketPath);
  } catch (error) {
    socketDirectory.remove();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const stop = (reason: string): Promise<void> => {
    stopped ??= new Promise((resolve) => {
      logger.info("Provider stopping", { reason });
      netServer.close();
      providerServer.abort(`the provider is stopping: ${reason}`);

      const finish = () => {
        injector.destroy();
        for (const socket of sockets) socket.destroy();
        socketDirectory.remove();
        resolve();
      };
      const forceTimer = setTimeout(() => {
        logger.warn("Calls still running at shutdown, closing them", { grace_ms: SHUTDOWN_GRACE_MS });
        grpcServer.forceShutdown();
        finish();
      }, SHUTDOWN_GRACE_MS);
      grpcServer.tryShutdown(() => {
        clearTimeout(forceTimer);
        finish();
      });
    });
    return stopped;
  };

  return {
    socketDirectory,
    reattachValue: reattachProvidersValue(process.pid, socketDirectory.socketPath),
    stop,
  };
}

/**
 * The level the long-lived provider logs at when neither TF_LOG_PROVIDER nor
 * TF_LOG is set. No Terraform process filters its stderr, so trace and debug
 * lines (dozens a plan) would otherwise reach the terminal.
 */
export const LONG_LIVED_DEFAULT_LOG_LEVEL: LogThreshold = "info";

/**
 * Runs the provider in long-lived mode: starts the server, writes the
 * `export TF_REATTACH_PROVIDERS=...` command as the first line of stdout and
 * serves until SIGINT, SIGTERM, SIGHUP or a `stop` line on stdin. Then it
 * removes the socket directory and exits. It logs at the level that
 * TF_LOG_PROVIDER or TF_LOG selects, and at info without them.
 */
export async function serveLongLived<Client>(definition: ProviderDefinition<Client>): Promise<void> {
  const logLevel = logThresholdFromEnvironment(process.env, LONG_LIVED_DEFAULT_LOG_LEVEL);
  setProcessLogThreshold(logLevel);
  const logger = defaultLogger;
  process.on("unhandledRejection", (reason) => {
    logger.error("Unhandled promise rejection in provider code", {
      error: reason,
      stack: reason instanceof Error ? reason.stack : undefined,
    });
  });

  const server = await startLongLivedServer(definition, logger);
  process.on("exit", server.socketDirectory.remove);

  const stopAndExit = (reason: string) => {
    void server.stop(reason).then(() => process.exit(0));
  };
  // Unlike a provider that Terraform starts, this process belongs to the
  // user's shell, so Ctrl-C stops it.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => stopAndExit(signal));
  }
  watchStdinForStop(() => stopAndExit("stop command on stdin"));

  process.stdout.write(exportCommand(server.reattachValue) + "\n");
  logger.info("Long-lived provider started", {
    pid: process.pid,
    socket: server.socketDirectory.socketPath,
    log_level: logLevel,
  });
}

/** Calls `onStop` when a line reading `stop` arrives on stdin. The end of stdin is ignored. */
function watchStdinForStop(onStop: () => void): void {
  let buffered = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    if (lines.some((line) => line.trim() === "stop")) onStop();
  });
  process.stdin.on("error", () => undefined);
  // Reading stdin must not keep the process alive after the server stops.
  process.stdin.unref?.();
}

function listen(server: NetServer, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
