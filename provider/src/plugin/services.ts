// gRPC handlers of the three services a Terraform provider serves: the
// provider protocol itself, go-plugin's controller and the gRPC health check.
import {
  status,
  type handleUnaryCall,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { DEFAULT_CONNECTION, type ConnectionId, type ProviderServer } from "./provider-server";

/** Returns the connection a call arrived on. */
export type ConnectionOf = (call: ServerUnaryCall<unknown, unknown>) => ConnectionId;

/** HealthCheckResponse.ServingStatus.SERVING in grpc.health.v1. */
const SERVING = 1;

/** Service names the health check reports as serving: "" is the whole server, "plugin" is what go-plugin checks. */
const HEALTH_SERVICES = new Set(["", "plugin"]);

function unary<Request, Response>(
  handle: (request: Request, connection: ConnectionId) => Promise<Response> | Response,
  connectionOf: ConnectionOf = () => DEFAULT_CONNECTION,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request, connectionOf(call)))
      .then(
        (response) => callback(null, response),
        // ProviderServer methods return failures as diagnostics, so this
        // is reached only by a bug in the server itself.
        (error: unknown) =>
          callback({
            code: status.INTERNAL,
            details: error instanceof Error ? error.message : String(error),
          }),
      );
  };
}

/**
 * Handlers of tfplugin6.Provider. RPCs left out here (MoveResourceState,
 * functions and ephemeral resources) get grpc-js's UNIMPLEMENTED status.
 * Terraform calls none of them while the provider advertises no such
 * capability, function or ephemeral resource type.
 *
 * `connectionOf` names the connection of each call, so that the server
 * keeps the configuration of each connection apart. By default every call
 * shares one connection.
 */
export function providerHandlers<Client>(
  server: ProviderServer<Client>,
  connectionOf?: ConnectionOf,
): UntypedServiceImplementation {
  return {
    GetMetadata: unary(() => server.getMetadata()),
    GetProviderSchema: unary(() => server.getProviderSchema()),
    ValidateProviderConfig: unary(server.validateProviderConfig.bind(server)),
    ValidateResourceConfig: unary(server.validateResourceConfig.bind(server)),
    ValidateDataResourceConfig: unary(server.validateDataResourceConfig.bind(server)),
    UpgradeResourceState: unary(server.upgradeResourceState.bind(server)),
    ConfigureProvider: unary(server.configureProvider.bind(server), connectionOf),
    ReadResource: unary(server.readResource.bind(server), connectionOf),
    PlanResourceChange: unary(server.planResourceChange.bind(server), connectionOf),
    ApplyResourceChange: unary(server.applyResourceChange.bind(server), connectionOf),
    ImportResourceState: unary(server.importResourceState.bind(server), connectionOf),
    ReadDataSource: unary(server.readDataSource.bind(server), connectionOf),
    StopProvider: unary((_request, connection) => server.stopProvider(connection), connectionOf),
  };
}

/**
 * Handlers of plugin.GRPCController. Shutdown replies first and then calls
 * `shutdown`, which must let the reply reach Terraform before the process
 * exits.
 */
export function controllerHandlers(shutdown: () => void): UntypedServiceImplementation {
  const shutdownHandler: handleUnaryCall<object, object> = (_call, callback) => {
    callback(null, {});
    setImmediate(shutdown);
  };
  return { Shutdown: shutdownHandler };
}

/** Handlers of grpc.health.v1.Health. Watch is left unimplemented. */
export function healthHandlers(): UntypedServiceImplementation {
  const check: handleUnaryCall<{ service: string }, { status: number }> = (call, callback) => {
    if (HEALTH_SERVICES.has(call.request.service)) {
      callback(null, { status: SERVING });
      return;
    }
    // The health protocol returns NOT_FOUND for a service the server does not have.
    callback({ code: status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
  };
  return { Check: check };
}
