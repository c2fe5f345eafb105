// The gRPC service definitions, built from the generated protobufjs
// descriptor so that no .proto text is read or parsed at start-up.
import type { ServiceDefinition } from "@grpc/grpc-js";
import { fromJSON, type Options, type PackageDefinition } from "@grpc/proto-loader";
import type { INamespace } from "protobufjs";
import { protocolDescriptor } from "./proto/descriptor.generated";

/**
 * Mapping of messages to JavaScript. Field names stay as in the .proto files,
 * int64 becomes number (schema versions and list indexes are far below
 * 2^53), bytes become Buffer and enums numbers. Unset fields read as their
 * defaults, and each oneof gets a virtual field naming the member that is set.
 */
export const PROTO_LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: Number,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

export interface ServiceDefinitions {
  provider: ServiceDefinition;
  controller: ServiceDefinition;
  health: ServiceDefinition;
  packageDefinition: PackageDefinition;
}

export function loadServiceDefinitions(): ServiceDefinitions {
  const packageDefinition = fromJSON(
    protocolDescriptor as INamespace,
    PROTO_LOADER_OPTIONS,
  );
  return {
    provider: packageDefinition["tfplugin6.Provider"] as ServiceDefinition,
    controller: packageDefinition["plugin.GRPCController"] as ServiceDefinition,
    health: packageDefinition["grpc.health.v1.Health"] as ServiceDefinition,
    packageDefinition,
  };
}
