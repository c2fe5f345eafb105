// The local DigiCert ONE emulator: an HTTP server on a loopback address that
// serves the Account Manager API for service users under /account/api/v1.

import { randomUUID } from "node:crypto";
import { IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo, isIPv4, isIPv6 } from "node:net";

import { ApiError, internalError } from "./errors";
import { FaultDecision, FaultInjector, FaultOptions, FaultReply } from "./faults";
import { LogSink, formatLogLine, redactedPath, writeToStderr } from "./log";
import { dispatch } from "./pipeline";
import { API_PREFIX, Reply } from "./routes";
import {
  EmulatorStore,
  ServiceUserStatus,
  StoredApiToken,
  StoredServiceUser,
} from "./store";
import { Clock, systemClock } from "./time";
import { EmulatorTlsOptions, createEmulatorServer, urlScheme } from "./tls";
import { serviceUserStatus } from "./views";

export interface EmulatorOptions {
  /**
   * Address to listen on. Only loopback addresses are accepted: `localhost`,
   * `127.0.0.0/8` or `::1`.
   * @default "127.0.0.1"
   */
  host?: string;
  /** TCP port. @default 0, any free port */
  port?: number;
  /** Directory for persistent state. @default none, state lives in memory */
  dataDir?: string;
  /** Suppresses request log lines but not error lines. @default false */
  quiet?: boolean;
  /** Source of the current time, for tests. @default the system clock */
  clock?: Clock;
  /** Administrator API key. @default the key saved in dataDir, else a random one */
  adminApiKey?: string;
  /** Viewer API key. @default the key saved in dataDir, else a random one */
  viewerApiKey?: string;
  /** Receives log lines. @default writes each line to stderr */
  log?: LogSink;
  /**
   * Faults injected into requests under /account/api/v1, such as rate
   * limits, maintenance or latency. `RunningEmulator.setFaults` changes them.
   * @default none
   */
  faults?: FaultOptions;
  /**
   * Serves HTTPS that requires a client certificate signed by
   * `tls.clientCa`, like DigiCert ONE's clientauth. hosts, instead of HTTP.
   * @default none, plain HTTP
   */
  tls?: EmulatorTlsOptions;
}

/** A service user for inspection in tests. */
export type ServiceUserRecord = StoredServiceUser & {
  /** Status computed now, as GET would return it. */
  status: ServiceUserStatus;
};

/** An API token for inspection in tests, without the hash of its secret. */
export type ApiTokenRecord = Omit<StoredApiToken, "sha256">;

export interface RunningEmulator {
  /**
   * Host URL such as `http://127.0.0.1:43121`, or `https://` with `tls`,
   * without a trailing slash.
   */
  readonly url: string;
  /** API base URL: `url` followed by `/account/api/v1`. */
  readonly apiUrl: string;
  /** Key of a standard user with every permission, Manage users included. */
  readonly adminApiKey: string;
  /** Key of a standard user with the AM_VIEW_ONLY role: reads, cannot manage users. */
  readonly viewerApiKey: string;
  /** Stops accepting requests, waits for open ones and for pending writes. */
  close(): Promise<void>;
  /** Snapshot of the service users in creation order. */
  serviceUsers(): ServiceUserRecord[];
  /** Snapshot of every API token in creation order, revoked ones included. */
  apiTokens(): ApiTokenRecord[];
  /**
   * Replaces every injected fault, restarts the random streams from the
   * seed and clears the rate-limit windows. `setFaults({})` turns faults
   * off. Throws when an option is invalid, keeping the faults in effect.
   */
  setFaults(faults: FaultOptions): void;
  /** The faults in effect, with the seed in use filled in. */
  faults(): FaultOptions & { seed: number };
}

/** Returns true when `host` names a loopback interface. */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") {
    return true;
  }
  if (isIPv4(host)) {
    return host.split(".")[0] === "127";
  }
  if (isIPv6(host)) {
    // The URL parser writes IPv6 addresses in their shortest form.
    return new URL(`http://[${host}]/`).hostname === "[::1]";
  }
  return false;
}

/**
 * Starts the emulator and resolves once it listens. Rejects when `host` is
 * not a loopback address, with `PortInUseError` when the port is taken, or
 * when the data directory contains a file that cannot be read.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackHost(host)) {
    throw new Error(
      `host ${JSON.stringify(host)} is not a loopback address. The emulator ` +
        "listens only on a loopback address: 127.0.0.0/8, ::1 or localhost.",
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`port ${port} is not valid. Use a whole number from 0 to 65535.`);
  }
  if (options.adminApiKey !== undefined && options.adminApiKey === options.viewerApiKey) {
    throw new Error("adminApiKey and viewerApiKey must differ, because the key selects the user.");
  }

  const clock = options.clock ?? systemClock;
  const log = options.log ?? writeToStderr;
  // Validate before opening the data directory, so a typo changes nothing.
  const faults = new FaultInjector(options.faults ?? {}, clock);
  const store = await EmulatorStore.open({
    dataDir: options.dataDir,
    adminApiKey: options.adminApiKey,
    viewerApiKey: options.viewerApiKey,
  });

  const server = createEmulatorServer(options.tls, (request, response) => {
    void handleRequest(request, response, {
      store,
      clock,
      log,
      quiet: options.quiet ?? false,
      faults,
    });
  }, log);
  const address = await listen(server, host, port);

  // "localhost" is resolved by the operating system, so check the result too.
  if (!isLoopbackHost(address.address)) {
    await closeServer(server);
    throw new Error(
      `host ${JSON.stringify(host)} resolved to ${address.address}, which is not a loopback address.`,
    );
  }

  const hostInUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `${urlScheme(options.tls)}://${hostInUrl}:${address.port}`;
  let closing: Promise<void> | undefined;

  return {
    url,
    apiUrl: `${url}${API_PREFIX}`,
    adminApiKey: store.adminApiKey,
    viewerApiKey: store.viewerApiKey,
    close() {
      closing ??= closeServer(server).then(() => store.flush());
      return closing;
    },
    serviceUsers() {
      return store.listServiceUsers().map((user) => ({
        ...structuredClone(user),
        status: serviceUserStatus(user, clock),
      }));
    },
    apiTokens() {
      return store.listApiTokens().map(({ sha256: _omitted, ...record }) => record);
    },
    setFaults(next) {
      faults.setOptions(next);
    },
    faults() {
      return faults.current();
    },
  };
}

/** The error of `startEmulator` when another process already listens on the port. */
export class PortInUseError extends Error {
  readonly code = "EADDRINUSE";

  constructor(
    readonly host: string,
    readonly port: number,
    options: { cause: unknown },
  ) {
    super(
      `port ${port} on ${host} is already in use. Choose another port, or port 0 for any free port.`,
      options,
    );
    this.name = "PortInUseError";
  }
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(new PortInUseError(host, port, { cause: error }));
      } else {
        reject(error);
      }
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Closes the server and drops connections still open after 5 seconds. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), 5000);
    timer.unref();
    server.close((error) => {
      clearTimeout(timer);
      if (error !== undefined) {
        reject(error);
      } else {
        resolve();
      }
    });
    server.closeIdleConnections();
  });
}

interface HandlerContext {
  store: EmulatorStore;
  clock: Clock;
  log: LogSink;
  quiet: boolean;
  faults: FaultInjector;
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  context: HandlerContext,
): Promise<void> {
  const requestId = randomUUID();
  const started = process.hrtime.bigint();
  const url = new URL(request.url ?? "/", "http://emulator.invalid");
  const method = request.method ?? "GET";
  const decision = decideFaults(request, url, method, context.faults);

  const logRequest = (outcome: Record<string, string | number>) => {
    if (context.quiet) {
      return;
    }
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const faultFields: Record<string, string | number> = {};
    if (decision.fault !== undefined) {
      faultFields.fault = decision.fault;
    }
    if (decision.delayMs > 0) {
      faultFields.delay_ms = decision.delayMs;
    }
    context.log(
      formatLogLine("info", "request", {
        request_id: requestId,
        method,
        path: redactedPath(url),
        ...outcome,
        duration_ms: Number(durationMs.toFixed(1)),
        ...faultFields,
      }),
    );
  };
  if (!decision.dropResponse) {
    response.on("finish", () => logRequest({ status: response.statusCode }));
  }

  if (decision.delayMs > 0) {
    await new Promise((resolveDelay) => setTimeout(resolveDelay, decision.delayMs));
  }
  if (decision.reply !== undefined) {
    sendFaultReply(response, requestId, decision.reply, context.clock);
    return;
  }

  let reply: Reply;
  try {
    reply = await dispatch(request, url, context);
  } catch (error) {
    if (error instanceof ApiError) {
      reply = { status: error.status, body: error.toBody(), headers: error.headers };
    } else {
      context.log(
        formatLogLine("error", "request failed", {
          request_id: requestId,
          method,
          path: redactedPath(url),
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      );
      const failure = internalError(requestId);
      reply = { status: failure.status, body: failure.toBody() };
    }
  }

  if (decision.dropResponse) {
    // The request has done its work, changes included. The client sees
    // the connection close without a response, as after a network failure.
    logRequest({ status: "none", handled_status: reply.status });
    request.socket.destroy();
    return;
  }
  sendReply(response, requestId, reply, context.clock);
}

/** Decides the faults of a request. Only API requests get faults. */
function decideFaults(
  request: IncomingMessage,
  url: URL,
  method: string,
  faults: FaultInjector,
): FaultDecision {
  if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
    return { delayMs: 0, dropResponse: false };
  }
  const apiKey = request.headers["x-api-key"];
  return faults.decide(method, typeof apiKey === "string" ? apiKey : undefined);
}

/** Writes a fault's response, with the same Date and x-request-id headers as others. */
function sendFaultReply(
  response: ServerResponse,
  requestId: string,
  reply: FaultReply,
  clock: Clock,
): void {
  response.setHeader("date", clock.now().toUTCString());
  response.setHeader("x-request-id", requestId);
  response.writeHead(reply.status, {
    ...reply.headers,
    "content-type": reply.contentType,
    "content-length": Buffer.byteLength(reply.text),
  });
  response.end(reply.text);
}

/**
 * Writes the reply. The Date header comes from the emulator's clock, so a
 * test that moves the clock also moves the time that clients read as
 * DigiCert ONE's.
 */
function sendReply(
  response: ServerResponse,
  requestId: string,
  reply: Reply,
  clock: Clock,
): void {
  response.setHeader("date", clock.now().toUTCString());
  response.setHeader("x-request-id", requestId);
  for (const [name, value] of Object.entries(reply.headers ?? {})) {
    response.setHeader(name, value);
  }
  if (reply.body === undefined) {
    response.writeHead(reply.status);
    response.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
