// The tfplugin6.Provider RPCs, independent of gRPC: each method takes the
// request message as the codec (proto/codec.ts) decodes it, calls the
// ProviderDefinition with plain values and returns the response message. No
// method throws. Every failure, including an exception in resource code, is
// returned as an error diagnostic, because Terraform reports a gRPC error
// status without any context.
import type {
  CallContext,
  CtyType,
  CtyValue,
  DataSourceType,
  Diagnostic,
  ObjectValue,
  ProviderDefinition,
  ResourceType,
  Schema,
} from "../framework/types";
import { hasErrors, isUnknown } from "../framework/types";
import { logger as defaultLogger, type LogFields, type Logger } from "../log";
import { blockType } from "./cty";
import {
  DiagnosticError,
  errorDiagnostic,
  toAttributePathMessage,
  toDiagnosticMessage,
  toDiagnosticMessages,
  unexpectedErrorDiagnostic,
} from "./diagnostics";
import {
  decodeDynamicValue,
  decodeStateJson,
  encodeDynamicValue,
} from "./dynamic-value";
import type {
  ApplyResourceChangeRequest,
  ApplyResourceChangeResponse,
  ConfigureProviderRequest,
  DynamicValueMessage,
  GetMetadataResponse,
  GetProviderSchemaResponse,
  ImportResourceStateRequest,
  ImportResourceStateResponse,
  PlanResourceChangeRequest,
  PlanResourceChangeResponse,
  ReadDataSourceRequest,
  ReadDataSourceResponse,
  ReadResourceRequest,
  ReadResourceResponse,
  ServerCapabilitiesMessage,
  StopProviderResponse,
  UpgradeResourceStateRequest,
  UpgradeResourceStateResponse,
  ValidateConfigRequest,
  ValidateProviderConfigRequest,
  WithDiagnostics,
} from "./proto/messages";
import { toSchemaMessage } from "./schema";

const SERVER_CAPABILITIES: ServerCapabilitiesMessage = {
  // Terraform may cache the schema and skip GetProviderSchema in later
  // provider processes of the same command.
  get_provider_schema_optional: true,
  // Without plan_destroy, Terraform plans a destroy itself and never calls
  // PlanResourceChange with a null proposed state.
  plan_destroy: false,
  move_resource_state: false,
};

/**
 * Name of a client connection, from which the server keeps each provider
 * configuration apart. Methods called without one share a single
 * connection, which is right for a process that Terraform starts itself:
 * such a process serves one provider configuration over one connection.
 */
export type ConnectionId = string;

export const DEFAULT_CONNECTION: ConnectionId = "default";

/** The state of one client connection: its configuration and cancellation. */
interface Session<Client> {
  /** The API client that the latest ConfigureProvider produced, if it succeeded. */
  client: Client | undefined;
  abortController: AbortController;
}

/**
 * The provider side of Terraform's connections. It stores, per connection,
 * the API client that ConfigureProvider produced for the calls that follow.
 *
 * A provider process that Terraform starts has one connection and is
 * configured once. A long-lived (reattached) process serves many: Terraform
 * 1.11 opens a separate gRPC connection for every provider instance, each
 * alias and each command (unmanagedProviderFactory in
 * internal/command/meta_providers.go builds a new go-plugin client per
 * instance), and calls ConfigureProvider on it. gRPC requests carry no
 * alias, so the connection is what tells the configurations apart.
 */
export class ProviderServer<Client> {
  private readonly sessions = new Map<ConnectionId, Session<Client>>();
  private readonly resources = new Map<string, ResourceType<Client>>();
  private readonly dataSources = new Map<string, DataSourceType<Client>>();
  private readonly schemaTypes = new Map<Schema, CtyType>();

  constructor(
    private readonly definition: ProviderDefinition<Client>,
    private readonly logger: Logger = defaultLogger,
  ) {
    for (const resource of definition.resources) {
      this.resources.set(resource.name, resource);
    }
    for (const dataSource of definition.dataSources) {
      this.dataSources.set(dataSource.name, dataSource);
    }
  }

  // -------------------------------------------------------------------------
  // Schemas
  // -------------------------------------------------------------------------

  async getMetadata(): Promise<GetMetadataResponse> {
    return this.guard<GetMetadataResponse>("GetMetadata", {}, async () => ({
      server_capabilities: SERVER_CAPABILITIES,
      resources: [...this.resources.keys()].map((type_name) => ({ type_name })),
      data_sources: [...this.dataSources.keys()].map((type_name) => ({ type_name })),
      functions: [],
      ephemeral_resources: [],
    }));
  }

  async getProviderSchema(): Promise<GetProviderSchemaResponse> {
    return this.guard<GetProviderSchemaResponse>("GetProviderSchema", {}, async () => {
      const resourceSchemas: GetProviderSchemaResponse["resource_schemas"] = {};
      for (const [name, resource] of this.resources) {
        resourceSchemas[name] = toSchemaMessage(resource.schema);
      }

      const dataSourceSchemas: GetProviderSchemaResponse["data_source_schemas"] = {};
      for (const [name, dataSource] of this.dataSources) {
        dataSourceSchemas[name] = toSchemaMessage(dataSource.schema);
      }

      return {
        provider: toSchemaMessage(this.definition.schema),
        resource_schemas: resourceSchemas,
        data_source_schemas: dataSourceSchemas,
        server_capabilities: SERVER_CAPABILITIES,
      };
    });
  }

  // -------------------------------------------------------------------------
  // Validation and state upgrades
  // -------------------------------------------------------------------------

  async validateProviderConfig(
    request: ValidateProviderConfigRequest,
  ): Promise<WithDiagnostics> {
    return this.guard("ValidateProviderConfig", {}, async () => {
      const config = this.decodeObject(request.config, this.definition.schema, "provider configuration");
      const diagnostics = config === null ? [] : this.definition.validate?.({ config });
      return { diagnostics: toDiagnosticMessages(diagnostics) };
    });
  }

  async validateResourceConfig(request: ValidateConfigRequest): Promise<WithDiagnostics> {
    const fields = { tf_resource_type: request.type_name };
    return this.guard("ValidateResourceConfig", fields, async () => {
      const resource = this.findResource(request.type_name);
      const config = this.decodeObject(request.config, resource.schema, "configuration");
      const diagnostics = config === null ? [] : resource.validate?.({ config });
      return { diagnostics: toDiagnosticMessages(diagnostics) };
    });
  }

  async validateDataResourceConfig(request: ValidateConfigRequest): Promise<WithDiagnostics> {
    const fields = { tf_data_source_type: request.type_name };
    return this.guard("ValidateDataResourceConfig", fields, async () => {
      const dataSource = this.findDataSource(request.type_name);
      const config = this.decodeObject(request.config, dataSource.schema, "configuration");
      const diagnostics = config === null ? [] : dataSource.validate?.({ config });
      return { diagnostics: toDiagnosticMessages(diagnostics) };
    });
  }

  /**
   * Converts stored state to the current schema. Terraform sends the state
   * as the JSON of its state file. A resource type with `upgrade` receives
   * the parsed JSON. Otherwise the JSON is decoded against the current
   * schema, dropping attributes the schema no longer has.
   */
  async upgradeResourceState(
    request: UpgradeResourceStateRequest,
  ): Promise<UpgradeResourceStateResponse> {
    const fields = { tf_resource_type: request.type_name };
    return this.guard("UpgradeResourceState", fields, async () => {
      const resource = this.findResource(request.type_name);
      const type = this.typeOf(resource.schema);
      const json = request.raw_state?.json;

      if (json === undefined || json.length === 0) {
        const flatmap = request.raw_state?.flatmap ?? {};
        if (Object.keys(flatmap).length > 0) {
          throw new DiagnosticError(
            errorDiagnostic(
              "Unsupported state format",
              `The state of this ${request.type_name} resource is in the flatmap format of Terraform 0.11 and earlier, which this provider does not read. ` +
                "Remove the resource from the state (terraform state rm) and import it again.",
            ),
          );
        }
        return { upgraded_state: encodeDynamicValue(null, type, "upgraded state") };
      }

      if (resource.upgrade === undefined) {
        const state = decodeStateJson(json, type);
        return { upgraded_state: encodeDynamicValue(state, type, "upgraded state") };
      }

      const response = resource.upgrade({
        version: request.version,
        rawState: parseStateJson(json, request.type_name),
      });
      const state =
        response.rawState === null
          ? null
          : decodeStateJson(Buffer.from(JSON.stringify(response.rawState)), type);
      return {
        upgraded_state: encodeDynamicValue(state, type, "upgraded state"),
        diagnostics: toDiagnosticMessages(response.diagnostics),
      };
    });
  }

  // -------------------------------------------------------------------------
  // Configuration
  // -------------------------------------------------------------------------

  async configureProvider(
    request: ConfigureProviderRequest,
    connection: ConnectionId = DEFAULT_CONNECTION,
  ): Promise<WithDiagnostics> {
    const fields = { tf_version: request.terraform_version, connection };
    return this.guard("ConfigureProvider", fields, async () => {
      const schema = this.definition.schema;
      const config = this.decodeObject(request.config, schema, "provider configuration") ?? {};
      const session = this.session(connection);
      const response = await this.definition.configure(config, this.callContext(connection));

      // A failed configuration must not leave the client of an earlier one
      // in place, so the client is replaced even when it is undefined.
      session.client = hasErrors(response.diagnostics ?? []) ? undefined : response.client;
      return { diagnostics: toDiagnosticMessages(response.diagnostics) };
    });
  }

  // -------------------------------------------------------------------------
  // Managed resources
  // -------------------------------------------------------------------------

  async readResource(
    request: ReadResourceRequest,
    connection: ConnectionId = DEFAULT_CONNECTION,
  ): Promise<ReadResourceResponse> {
    const fields = { tf_resource_type: request.type_name };
    return this.guard("ReadResource", fields, async () => {
      const resource = this.findResource(request.type_name);
      const type = this.typeOf(resource.schema);
      const state = this.decodeObject(request.current_state, resource.schema, "current state");
      if (state === null) {
        return { new_state: encodeDynamicValue(null, type, "new state") };
      }

      const client = this.requireClient("ReadResource", request.type_name, connection);
      const response = await resource.read(
        { state, private: request.private },
        client,
        this.callContext(connection),
      );
      return {
        new_state: encodeDynamicValue(response.state, type, "new state"),
        private: response.private,
        diagnostics: toDiagnosticMessages(response.diagnostics),
      };
    });
  }

  async planResourceChange(
    request: PlanResourceChangeRequest,
    connection: ConnectionId = DEFAULT_CONNECTION,
  ): Promise<PlanResourceChangeResponse> {
    const fields = { tf_resource_type: request.type_name };
    return this.guard("PlanResourceChange", fields, async () => {
      const resource = this.findResource(request.type_name);
      const schema = resource.schema;
      const response = await resource.plan(
        {
          prior: this.decodeObject(request.prior_state, schema, "prior state"),
          proposed: this.decodeObject(request.proposed_new_state, schema, "proposed new state"),
          config: this.decodeObject(request.config, schema, "configuration"),
          priorPrivate: request.prior_private,
        },
        this.session(connection).client,
        this.callContext(connection),
      );
      return {
        planned_state: encodeDynamicValue(response.planned, this.typeOf(schema), "planned state"),
        requires_replace: (response.requiresReplace ?? []).map(toAttributePathMessage),
        planned_private: response.plannedPrivate,
        diagnostics: toDiagnosticMessages(response.diagnostics),
      };
    });
  }

  /**
   * Creates, updates or deletes the remote object. When apply fails after the
   * remote object came into being, the resource returns the new state with
   * its errors and both are sent, so Terraform records the object as tainted.
   */
  async applyResourceChange(
    request: ApplyResourceChangeRequest,
    connection: ConnectionId = DEFAULT_CONNECTION,
  ): Promise<ApplyResourceChangeResponse> {
    const fields = { tf_resource_type: request.type_name };
    return this.guard("ApplyResourceChange", fields, async () => {
      const resource = this.findResource(request.type_name);
      const schema = resource.schema;
      const applyRequest = {
        prior: this.decodeObject(request.prior_state, schema, "prior state"),
        planned: this.decodeObject(request.planned_state, schema, "planned state"),
        config: this.decodeObject(request.config, schema, "configuration"),
        plannedPrivate: request.planned_private,
      };
      const client = this.requireClient("ApplyResourceChange", request.type_name, connection);

      const response = await resource.apply(applyRequest, client, this.callContext(connection));
      return {
        new_state: encodeDynamicValue(response.newState, this.typeOf(schema), "new state"),
        private: response.private,
        diagnostics: toDiagnosticMessages(response.diagnostics),
      };
    });
  }

  async importResourceState(
    request: ImportResourceStateRequest,
    connection: ConnectionId = DEFAULT_CONNECTION,
  ): Promise<ImportResourceStateResponse> {
    const fields = { tf_resource_type: request.type_name };
    return this.guard("ImportResourceState", fields, async () => {
      const resource = this.findResource(request.type_name);
      if (resource.import === undefined) {
        throw new DiagnosticError(
          errorDiagnostic(
            "Import not supported",
            `The resource type ${request.type_name} does not support terraform import. Create the resource with Terraform instead.`,
          ),
        );
      }

      const client = this.requireClient("ImportResourceState", request.type_name, connection);
      const response = await resource.import({ id: request.id }, client, this.callContext(connection));
      const type = this.typeOf(resource.schema);
      return {
        imported_resources: response.imported.map((imported) => ({
          type_name: request.type_name,
          state: encodeDynamicValue(imported.state, type, "imported state"),
          private: imported.private,
        })),
        diagnostics: toDiagnosticMessages(response.diagnostics),
      };
    });
  }

  // -------------------------------------------------------------------------
  // Data sources
  // -------------------------------------------------------------------------

  async readDataSource(
    request: ReadDataSourceRequest,
    connection: ConnectionId = DEFAULT_CONNECTION,
  ): Promise<ReadDataSourceResponse> {
    const fields = { tf_data_source_type: request.type_name };
    return this.guard("ReadDataSource", fields, async () => {
      const dataSource = this.findDataSource(request.type_name);
      const config = this.decodeObject(request.config, dataSource.schema, "configuration") ?? {};
      const client = this.requireClient("ReadDataSource", request.type_name, connection);

      const response = await dataSource.read({ config }, client, this.callContext(connection));
      return {
        state: encodeDynamicValue(response.state, this.typeOf(dataSource.schema), "state"),
        diagnostics: toDiagnosticMessages(response.diagnostics),
      };
    });
  }

  // -------------------------------------------------------------------------
  // Cancellation
  // -------------------------------------------------------------------------

  /**
   * Aborts the signal of every call in flight on `connection` and gives its
   * later calls a fresh signal. Calls on other connections, such as those
   * of another command using the same long-lived process, go on.
   */
  stopProvider(connection: ConnectionId = DEFAULT_CONNECTION): StopProviderResponse {
    this.logger.trace("Handling RPC", { tf_rpc: "StopProvider", connection });
    this.abortSession(connection, "Terraform sent StopProvider");
    return { Error: "" };
  }

  /** Aborts the signal of every call in flight on every connection, for example at shutdown. */
  abort(reason: string): void {
    for (const connection of this.sessions.keys()) {
      this.abortSession(connection, reason);
    }
  }

  /**
   * Forgets the configuration of a connection that closed, and aborts its
   * calls in flight, whose responses can no longer be delivered.
   */
  closeConnection(connection: ConnectionId): void {
    const session = this.sessions.get(connection);
    if (session === undefined) return;

    session.abortController.abort(new Error("the client closed its connection"));
    this.sessions.delete(connection);
  }

  private abortSession(connection: ConnectionId, reason: string): void {
    const session = this.session(connection);
    session.abortController.abort(new Error(reason));
    session.abortController = new AbortController();
  }

  // -------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------

  private session(connection: ConnectionId): Session<Client> {
    let session = this.sessions.get(connection);
    if (session === undefined) {
      session = { client: undefined, abortController: new AbortController() };
      this.sessions.set(connection, session);
    }
    return session;
  }

  private callContext(connection: ConnectionId): CallContext {
    return { signal: this.session(connection).abortController.signal };
  }

  /**
   * Runs one RPC, logging it at trace level and turning any exception into
   * an error diagnostic in the response.
   */
  private async guard<Response extends WithDiagnostics>(
    rpc: string,
    fields: LogFields,
    handle: () => Promise<Response>,
  ): Promise<Response> {
    const log = this.logger.with({ tf_rpc: rpc, ...fields });
    const started = performance.now();
    log.trace("Handling RPC");

    try {
      const response = await handle();
      log.trace("Handled RPC", {
        diagnostics: response.diagnostics?.length ?? 0,
        duration_ms: Math.round(performance.now() - started),
      });
      return response;
    } catch (error) {
      // Every response message has diagnostics, and its other fields are optional.
      const diagnostics = [toDiagnosticMessage(this.diagnosticFor(error, log))];
      return { diagnostics } as Response;
    }
  }

  private diagnosticFor(error: unknown, log: Logger): Diagnostic {
    if (error instanceof DiagnosticError) {
      log.warn("RPC failed", { error: error.message });
      return error.diagnostic;
    }

    log.error("Provider code threw an unexpected error", {
      error,
      stack: error instanceof Error ? error.stack : undefined,
    });
    return unexpectedErrorDiagnostic(error);
  }

  private findResource(typeName: string): ResourceType<Client> {
    const resource = this.resources.get(typeName);
    if (resource === undefined) {
      throw new DiagnosticError(unknownTypeDiagnostic("resource", typeName, this.resources.keys()));
    }
    return resource;
  }

  private findDataSource(typeName: string): DataSourceType<Client> {
    const dataSource = this.dataSources.get(typeName);
    if (dataSource === undefined) {
      throw new DiagnosticError(unknownTypeDiagnostic("data source", typeName, this.dataSources.keys()));
    }
    return dataSource;
  }

  private requireClient(rpc: string, typeName: string, connection: ConnectionId): Client {
    const client = this.session(connection).client;
    if (client === undefined) {
      throw new DiagnosticError(
        errorDiagnostic(
          "Provider not configured",
          `Terraform called ${rpc} for ${typeName} before the provider was configured, or after its configuration failed, so the provider has no API client. ` +
            "Fix the errors reported for the provider block and run the command again.",
        ),
      );
    }
    return client;
  }

  private typeOf(schema: Schema): CtyType {
    let type = this.schemaTypes.get(schema);
    if (type === undefined) {
      type = blockType(schema.block);
      this.schemaTypes.set(schema, type);
    }
    return type;
  }

  /**
   * Decodes a value of a block schema, which is an object or null. A value
   * that is unknown as a whole cannot be passed to resource code and is
   * rejected.
   */
  private decodeObject(
    message: DynamicValueMessage | null,
    schema: Schema,
    field: string,
  ): ObjectValue | null {
    const value: CtyValue = decodeDynamicValue(message, this.typeOf(schema), field);
    if (value === null) {
      return null;
    }
    if (isUnknown(value) || typeof value !== "object" || Array.isArray(value)) {
      throw new DiagnosticError(
        errorDiagnostic(
          "Invalid value from Terraform",
          `The ${field} that Terraform sent is not a known object. Please report this to the provider developers, with the Terraform version.`,
        ),
      );
    }
    return value as ObjectValue;
  }
}

function unknownTypeDiagnostic(
  kind: string,
  typeName: string,
  known: Iterable<string>,
): Diagnostic {
  const names = [...known].sort().join(", ") || "none";
  return errorDiagnostic(
    `Unknown ${kind} type`,
    `This provider has no ${kind} type "${typeName}". The ${kind} types it provides are: ${names}. ` +
      "Check the type name in the configuration, or upgrade the provider if the type is newer.",
  );
}

function parseStateJson(json: Uint8Array, typeName: string): { [attribute: string]: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(json).toString("utf8"));
  } catch (error) {
    throw new DiagnosticError(
      errorDiagnostic(
        "Invalid stored state",
        `The stored state of this ${typeName} resource is not valid JSON: ${(error as Error).message}.`,
      ),
    );
  }

  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new DiagnosticError(
      errorDiagnostic(
        "Invalid stored state",
        `The stored state of this ${typeName} resource is not a JSON object.`,
      ),
    );
  }
  return parsed as { [attribute: string]: unknown };
}
