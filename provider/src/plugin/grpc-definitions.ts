// The gRPC service definitions, built from the generated protobufjs
// descriptor so that no .proto text is read or parsed at start-up.
//
// The definitions use protobufjs's light build directly instead of
// @grpc/proto-loader. proto-loader's fromJSON also converts every type into
// a descriptor.proto object for gRPC reflection, which this server does not
// serve, and that conversion was the largest part of the provider's start-up
// time. protobufjs compiles the encoder and decoder of a message type on its
// first use, so a type costs nothing until a call carries it.
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import {
  Root,
  type IConversionOptions,
  type INamespace,
  type Method,
  type Service,
  type Type,
} from "protobufjs/light";
import { protocolDescriptor } from "./proto/descriptor.generated";

/**
 * Mapping of messages to JavaScript, the same as proto-loader's options
 * before: field names stay as in the .proto files (the descriptor keeps
 * them), int64 becomes number (schema versions and list indexes are far
 * below 2^53), bytes become Buffer and enums numbers. Unset fields read as
 * their defaults, and each oneof gets a virtual field naming the member
 * that is set.
 */
export const CONVERSION_OPTIONS: IConversionOptions = {
  longs: Number,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

export interface ServiceDefinitions {
  provider: ServiceDefinition;
  controller: ServiceDefinition;
  health: ServiceDefinition;
}

let cached: ServiceDefinitions | undefined;

/** Returns the definitions of the three services, building them on the first call. */
export function loadServiceDefinitions(): ServiceDefinitions {
  if (cached === undefined) {
    const root = Root.fromJSON(protocolDescriptor as INamespace);
    cached = {
      provider: serviceDefinition(root, "tfplugin6.Provider"),
      controller: serviceDefinition(root, "plugin.GRPCController"),
      health: serviceDefinition(root, "grpc.health.v1.Health"),
    };
  }
  return cached;
}

function serviceDefinition(root: Root, name: string): ServiceDefinition {
  const service = root.lookupService(name);
  const definition: { [method: string]: MethodDefinition<object, object> } = {};
  for (const method of Object.values(service.methods)) {
    definition[method.name] = methodDefinition(service, method.resolve() as Method);
  }
  return definition;
}

function methodDefinition(service: Service, method: Method): MethodDefinition<object, object> {
  const requestType = method.resolvedRequestType as Type;
  const responseType = method.resolvedResponseType as Type;
  return {
    path: `/${service.fullName.replace(/^\./, "")}/${method.name}`,
    requestStream: method.requestStream === true,
    responseStream: method.responseStream === true,
    requestSerialize: serializer(requestType),
    requestDeserialize: deserializer(requestType),
    responseSerialize: serializer(responseType),
    responseDeserialize: deserializer(responseType),
    originalName: method.name,
  };
}

function serializer(type: Type): (value: object) => Buffer {
  return (value) => Buffer.from(type.encode(type.fromObject(value)).finish());
}

function deserializer(type: Type): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), CONVERSION_OPTIONS);
}
