// The gRPC service definitions, built from the generated descriptor so that
// no .proto text is read or parsed at start-up.
//
// The messages go through the project's own codec (proto/codec.ts) instead
// of @grpc/proto-loader and protobufjs. proto-loader's fromJSON converts
// every type into a descriptor.proto object for gRPC reflection, which this
// server does not serve, and loading protobufjs and building its reflection
// tree came next. Together they were most of the provider's start-up time
// after node itself. The codec compiles a message type on its first use.
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import { ProtoRegistry, type MessageType } from "./proto/codec";
import { protocolDescriptor } from "./proto/descriptor.generated";

export interface ServiceDefinitions {
  provider: ServiceDefinition;
  controller: ServiceDefinition;
  health: ServiceDefinition;
}

let cached: ServiceDefinitions | undefined;

/** Returns the definitions of the three services, building them on the first call. */
export function loadServiceDefinitions(): ServiceDefinitions {
  if (cached === undefined) {
    const registry = new ProtoRegistry(protocolDescriptor);
    cached = {
      provider: serviceDefinition(registry, "tfplugin6.Provider"),
      controller: serviceDefinition(registry, "plugin.GRPCController"),
      health: serviceDefinition(registry, "grpc.health.v1.Health"),
    };
  }
  return cached;
}

function serviceDefinition(registry: ProtoRegistry, serviceName: string): ServiceDefinition {
  const definition: { [method: string]: MethodDefinition<object, object> } = {};
  for (const [name, method] of Object.entries(registry.service(serviceName))) {
    const requestType = registry.type(method.requestType);
    const responseType = registry.type(method.responseType);
    definition[name] = {
      path: `/${serviceName}/${name}`,
      requestStream: method.requestStream,
      responseStream: method.responseStream,
      requestSerialize: serializer(requestType),
      requestDeserialize: deserializer(requestType),
      responseSerialize: serializer(responseType),
      responseDeserialize: deserializer(responseType),
      originalName: name,
    };
  }
  return definition;
}

function serializer(type: MessageType): (value: object) => Buffer {
  return (value) => type.encode(value);
}

function deserializer(type: MessageType): (bytes: Buffer) => object {
  return (bytes) => type.decode(bytes);
}
