// TypeScript shapes of the tfplugin6 messages the server reads and writes, as
// the codec in codec.ts delivers and accepts them: field names as in the
// .proto file, bytes as Buffer, int64 as number, enums as numbers. Requests
// arrive with every scalar field set to its default and absent messages as
// null. Responses may leave out any field.

export interface DynamicValueMessage {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}

export type AttributePathStepMessage =
  | { attribute_name: string }
  | { element_key_string: string }
  | { element_key_int: number };

export interface AttributePathMessage {
  steps: AttributePathStepMessage[];
}

export const DiagnosticSeverity = { INVALID: 0, ERROR: 1, WARNING: 2 } as const;

export interface DiagnosticMessage {
  severity: number;
  summary: string;
  detail: string;
  attribute?: AttributePathMessage;
}

export const StringKind = { PLAIN: 0, MARKDOWN: 1 } as const;

/** Nesting modes of Schema.NestedBlock. Schema.Object uses the same numbers, without GROUP. */
export const NestingMode = { INVALID: 0, SINGLE: 1, LIST: 2, SET: 3, MAP: 4, GROUP: 5 } as const;

export interface SchemaAttributeMessage {
  name: string;
  type?: Uint8Array;
  nested_type?: SchemaObjectMessage;
  description: string;
  description_kind: number;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  deprecated: boolean;
}

export interface SchemaObjectMessage {
  attributes: SchemaAttributeMessage[];
  nesting: number;
}

export interface SchemaNestedBlockMessage {
  type_name: string;
  block: SchemaBlockMessage;
  nesting: number;
  min_items: number;
  max_items: number;
}

export interface SchemaBlockMessage {
  attributes: SchemaAttributeMessage[];
  block_types: SchemaNestedBlockMessage[];
  description: string;
  description_kind: number;
  deprecated: boolean;
}

export interface SchemaMessage {
  version: number;
  block: SchemaBlockMessage;
}

export interface ServerCapabilitiesMessage {
  plan_destroy?: boolean;
  get_provider_schema_optional?: boolean;
  move_resource_state?: boolean;
}

export interface WithDiagnostics {
  diagnostics?: DiagnosticMessage[];
}

// ---------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------

export interface GetMetadataResponse extends WithDiagnostics {
  server_capabilities?: ServerCapabilitiesMessage;
  data_sources?: Array<{ type_name: string }>;
  resources?: Array<{ type_name: string }>;
  functions?: Array<{ name: string }>;
  ephemeral_resources?: Array<{ type_name: string }>;
}

export interface GetProviderSchemaResponse extends WithDiagnostics {
  provider?: SchemaMessage;
  resource_schemas?: { [typeName: string]: SchemaMessage };
  data_source_schemas?: { [typeName: string]: SchemaMessage };
  server_capabilities?: ServerCapabilitiesMessage;
}

export interface ValidateProviderConfigRequest {
  config: DynamicValueMessage | null;
}

export interface ValidateConfigRequest {
  type_name: string;
  config: DynamicValueMessage | null;
}

export interface UpgradeResourceStateRequest {
  type_name: string;
  version: number;
  raw_state: { json: Buffer; flatmap: { [key: string]: string } } | null;
}

export interface UpgradeResourceStateResponse extends WithDiagnostics {
  upgraded_state?: DynamicValueMessage;
}

export interface ConfigureProviderRequest {
  terraform_version: string;
  config: DynamicValueMessage | null;
}

export interface ReadResourceRequest {
  type_name: string;
  current_state: DynamicValueMessage | null;
  private: Buffer;
}

export interface ReadResourceResponse extends WithDiagnostics {
  new_state?: DynamicValueMessage;
  private?: Uint8Array;
}

export interface PlanResourceChangeRequest {
  type_name: string;
  prior_state: DynamicValueMessage | null;
  proposed_new_state: DynamicValueMessage | null;
  config: DynamicValueMessage | null;
  prior_private: Buffer;
}

export interface PlanResourceChangeResponse extends WithDiagnostics {
  planned_state?: DynamicValueMessage;
  requires_replace?: AttributePathMessage[];
  planned_private?: Uint8Array;
}

export interface ApplyResourceChangeRequest {
  type_name: string;
  prior_state: DynamicValueMessage | null;
  planned_state: DynamicValueMessage | null;
  config: DynamicValueMessage | null;
  planned_private: Buffer;
}

export interface ApplyResourceChangeResponse extends WithDiagnostics {
  new_state?: DynamicValueMessage;
  private?: Uint8Array;
}

export interface ImportResourceStateRequest {
  type_name: string;
  id: string;
}

export interface ImportResourceStateResponse extends WithDiagnostics {
  imported_resources?: Array<{
    type_name: string;
    state: DynamicValueMessage;
    private?: Uint8Array;
  }>;
}

export interface ReadDataSourceRequest {
  type_name: string;
  config: DynamicValueMessage | null;
}

export interface ReadDataSourceResponse extends WithDiagnostics {
  state?: DynamicValueMessage;
}

export interface StopProviderResponse {
  /** Empty on success. The capital E is the protocol's field name. */
  Error: string;
}
