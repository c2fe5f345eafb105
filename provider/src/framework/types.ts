// Protocol-free model shared by the plugin server (provider/src/plugin) and
// the resource code (provider/src/resources). Resource code sees only these
// plain types: never protobuf messages, msgpack bytes or gRPC objects.

// ---------------------------------------------------------------------------
// cty types and values
// ---------------------------------------------------------------------------

/**
 * A cty type in its JSON form, as Terraform writes it in schemas and in the
 * msgpack wire format of dynamic values: `"string"`, `["set", "string"]`,
 * `["object", {"a": "string"}]`. An object type may carry a third element
 * listing its optional attributes.
 */
export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | ["list", CtyType]
  | ["set", CtyType]
  | ["map", CtyType]
  | ["tuple", CtyType[]]
  | ["object", { [name: string]: CtyType }]
  | ["object", { [name: string]: CtyType }, string[]];

/** Refinements Terraform may attach to an unknown value (msgpack ext 12). */
export interface Refinements {
  notNull?: boolean;
  stringPrefix?: string;
  numberLowerBound?: { value: CtyNumber; inclusive: boolean };
  numberUpperBound?: { value: CtyNumber; inclusive: boolean };
  collectionLengthLowerBound?: number;
  collectionLengthUpperBound?: number;
}

/** A value not known until apply. */
export class Unknown {
  constructor(readonly refinements: Refinements = {}) {}
}

export const unknown = new Unknown();

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/**
 * A cty number. Values that a JavaScript double holds exactly are `number`;
 * integers beyond 2^53 are `bigint`; other values that a double would round
 * (such as a 30-digit decimal fraction) are kept as `BigDecimal`.
 */
export type CtyNumber = number | bigint | BigDecimal;

/** A decimal number kept as its exact text, such as "0.1000000000000000000001". */
export class BigDecimal {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/**
 * A decoded cty value. Which JavaScript shape a value has follows its type:
 * strings are `string`, numbers `CtyNumber`, bools `boolean`; lists, sets and
 * tuples are arrays (set order is not meaningful); maps and objects are plain
 * objects. A value of type "dynamic" is a `DynamicValue` carrying its type.
 * `null` is null and `Unknown` is not yet known, at any depth.
 */
export type CtyValue =
  | null
  | Unknown
  | string
  | boolean
  | CtyNumber
  | DynamicValue
  | CtyValue[]
  | { [key: string]: CtyValue };

/** A value whose type is only known at run time (cty's DynamicPseudoType). */
export class DynamicValue {
  constructor(
    readonly type: CtyType,
    readonly value: CtyValue,
  ) {}
}

export type ObjectValue = { [attribute: string]: CtyValue };

// ---------------------------------------------------------------------------
// Attribute paths and diagnostics
// ---------------------------------------------------------------------------

/**
 * One step of an attribute path: `{ attribute }` selects an object attribute,
 * `{ key }` a map element, `{ index }` a list element. Set elements cannot
 * be addressed; a path to a set stops at the set.
 */
export type PathStep =
  | { attribute: string }
  | { key: string }
  | { index: number };

export type AttributePath = PathStep[];

/** Builds a path from attribute names, map keys (`{ key }`) and list indexes. */
export function path(
  ...steps: Array<string | number | { key: string }>
): AttributePath {
  return steps.map((step) => {
    if (typeof step === "string") return { attribute: step };
    if (typeof step === "number") return { index: step };
    return { key: step.key };
  });
}

export interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail: string;
  /** The configuration attribute at fault, so Terraform can point at its line. */
  path?: AttributePath;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

export interface AttributeSchema {
  /** Exactly one of `type` and `nested` is set. */
  type?: CtyType;
  /** A nested attribute (protocol 6): assigned with `=` in HCL. */
  nested?: NestedAttributes;
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
}

export interface NestedAttributes {
  nesting: "single" | "list" | "set" | "map";
  attributes: { [name: string]: AttributeSchema };
}

export interface BlockSchema {
  description: string;
  attributes: { [name: string]: AttributeSchema };
  blocks?: { [name: string]: NestedBlockSchema };
  deprecated?: boolean;
}

export interface NestedBlockSchema {
  nesting: "single" | "list" | "set" | "map" | "group";
  block: BlockSchema;
  minItems?: number;
  maxItems?: number;
}

export interface Schema {
  version: number;
  block: BlockSchema;
}

// ---------------------------------------------------------------------------
// Provider, resources and data sources
// ---------------------------------------------------------------------------

/** Context passed to every call besides its request. */
export interface CallContext {
  /** Aborted when Terraform sends StopProvider or the process shuts down. */
  signal: AbortSignal;
}

export interface ValidateRequest {
  /** The configuration; may contain `Unknown` values anywhere. */
  config: ObjectValue;
}

export interface PlanRequest {
  /** Null when the resource is being created. */
  prior: ObjectValue | null;
  /**
   * Terraform's proposed new state: config values, with prior values kept for
   * computed attributes the config leaves null. Null when destroying.
   */
  proposed: ObjectValue | null;
  config: ObjectValue | null;
  priorPrivate: Uint8Array;
}

export interface PlanResponse {
  /** Null when destroying. */
  planned: ObjectValue | null;
  requiresReplace?: AttributePath[];
  plannedPrivate?: Uint8Array;
  diagnostics?: Diagnostic[];
}

export interface ApplyRequest {
  prior: ObjectValue | null;
  /** Null when destroying. */
  planned: ObjectValue | null;
  config: ObjectValue | null;
  plannedPrivate: Uint8Array;
}

export interface ApplyResponse {
  /**
   * The state to record: null after a delete. On a failure after the remote
   * object came into being, the new state together with error diagnostics,
   * so Terraform keeps the object (tainted) instead of losing it.
   */
  newState: ObjectValue | null;
  private?: Uint8Array;
  diagnostics?: Diagnostic[];
}

export interface ReadRequest {
  state: ObjectValue;
  private: Uint8Array;
}

export interface ReadResponse {
  /** Null when the remote object no longer exists. */
  state: ObjectValue | null;
  private?: Uint8Array;
  diagnostics?: Diagnostic[];
}

export interface ImportRequest {
  id: string;
}

export interface ImportResponse {
  /** Each imported object, to be passed to read next. */
  imported: Array<{ state: ObjectValue; private?: Uint8Array }>;
  diagnostics?: Diagnostic[];
}

export interface UpgradeRequest {
  /** The schema version the stored state was written with. */
  version: number;
  /** The stored state, parsed from the JSON Terraform keeps in its state file. */
  rawState: { [attribute: string]: unknown };
}

export interface UpgradeResponse {
  /**
   * The state in the current schema version, still as JSON: the provider
   * decodes it against the current schema, as it decodes state of the
   * current version. Null when the state cannot be upgraded.
   */
  rawState: { [attribute: string]: unknown } | null;
  diagnostics?: Diagnostic[];
}

/**
 * A managed resource type. `Client` is whatever the provider's configure step
 * produced (the configured API client); calls that can run before configure
 * (validate, upgrade) do not receive it.
 */
export interface ResourceType<Client> {
  /** Full type name, such as "digicertone_service_user". */
  name: string;
  schema: Schema;
  validate?(request: ValidateRequest): Diagnostic[];
  plan(
    request: PlanRequest,
    client: Client | undefined,
    context: CallContext,
  ): Promise<PlanResponse>;
  apply(
    request: ApplyRequest,
    client: Client,
    context: CallContext,
  ): Promise<ApplyResponse>;
  read(
    request: ReadRequest,
    client: Client,
    context: CallContext,
  ): Promise<ReadResponse>;
  import?(
    request: ImportRequest,
    client: Client,
    context: CallContext,
  ): Promise<ImportResponse>;
  /** When absent, state of the current version is passed through unchanged. */
  upgrade?(request: UpgradeRequest): UpgradeResponse;
}

export interface DataSourceType<Client> {
  name: string;
  schema: Schema;
  validate?(request: ValidateRequest): Diagnostic[];
  read(
    request: { config: ObjectValue },
    client: Client,
    context: CallContext,
  ): Promise<{ state: ObjectValue | null; diagnostics?: Diagnostic[] }>;
}

export interface ConfigureResponse<Client> {
  client?: Client;
  diagnostics?: Diagnostic[];
}

/**
 * The provider as the plugin server sees it. One process may be configured
 * several times (a reattached provider serves every command and alias), so
 * `configure` returns the client instead of storing it in a global.
 *
 * NOTE: resource calls do not say which configuration they belong to, so
 * the server uses the latest client. A reattached process that serves two
 * aliases therefore sends every alias's calls with the last one's client.
 */
export interface ProviderDefinition<Client> {
  /** Type name prefix of resources and data sources, such as "digicertone". */
  typeName: string;
  schema: Schema;
  resources: ResourceType<Client>[];
  dataSources: DataSourceType<Client>[];
  validate?(request: ValidateRequest): Diagnostic[];
  configure(
    config: ObjectValue,
    context: CallContext,
  ): Promise<ConfigureResponse<Client>>;
}
