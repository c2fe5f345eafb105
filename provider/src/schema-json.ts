// The provider's schemas in the JSON form that `terraform providers schema
// -json` prints (format_version 1.0). The construct library generates its
// bindings from this JSON, so the bindings follow the provider's own schema
// without running Terraform.

import type {
  AttributeSchema,
  BlockSchema,
  NestedAttributes,
  ProviderDefinition,
  Schema,
} from "./framework/types";

export interface SchemaJsonDocument {
  format_version: "1.0";
  provider_schemas: { [source: string]: ProviderSchemaJson };
}

export interface ProviderSchemaJson {
  provider: SchemaJson;
  resource_schemas?: { [typeName: string]: SchemaJson };
  data_source_schemas?: { [typeName: string]: SchemaJson };
}

export interface SchemaJson {
  version: number;
  block: BlockJson;
}

export interface BlockJson {
  attributes?: { [name: string]: AttributeJson };
  block_types?: { [name: string]: NestedBlockJson };
  description?: string;
  description_kind: "plain";
  deprecated?: boolean;
}

export interface AttributeJson {
  type?: unknown;
  nested_type?: { attributes: { [name: string]: AttributeJson }; nesting_mode: string };
  description?: string;
  description_kind: "plain";
  deprecated?: boolean;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}

export interface NestedBlockJson {
  nesting_mode: string;
  block: BlockJson;
  min_items?: number;
  max_items?: number;
}

/** The full source address Terraform records for this provider. */
export const PROVIDER_SOURCE = "registry.terraform.io/digicert/digicertone";

/**
 * Builds the `terraform providers schema -json` document of one provider.
 * Like Terraform, it leaves out false flags and empty collections and sorts
 * object keys, so the output is byte-for-byte stable.
 */
export function providerSchemaDocument<Client>(
  definition: ProviderDefinition<Client>,
  source: string = PROVIDER_SOURCE,
): SchemaJsonDocument {
  const resources: { [typeName: string]: SchemaJson } = {};
  for (const resource of definition.resources) {
    resources[resource.name] = schemaJson(resource.schema);
  }
  const dataSources: { [typeName: string]: SchemaJson } = {};
  for (const dataSource of definition.dataSources) {
    dataSources[dataSource.name] = schemaJson(dataSource.schema);
  }
  const providerJson: ProviderSchemaJson = {
    provider: schemaJson(definition.schema),
  };
  if (definition.resources.length > 0) {
    providerJson.resource_schemas = resources;
  }
  if (definition.dataSources.length > 0) {
    providerJson.data_source_schemas = dataSources;
  }
  return sortKeys({
    format_version: "1.0",
    provider_schemas: { [source]: providerJson },
  });
}

function schemaJson(schema: Schema): SchemaJson {
  return { version: schema.version, block: blockJson(schema.block) };
}

function blockJson(block: BlockSchema): BlockJson {
  const json: BlockJson = { description_kind: "plain" };
  const attributes = Object.entries(block.attributes);
  if (attributes.length > 0) {
    json.attributes = Object.fromEntries(
      attributes.map(([name, attribute]) => [name, attributeJson(attribute)]),
    );
  }
  const blocks = Object.entries(block.blocks ?? {});
  if (blocks.length > 0) {
    json.block_types = Object.fromEntries(
      blocks.map(([name, nested]) => {
        const nestedJson: NestedBlockJson = {
          nesting_mode: nested.nesting,
          block: blockJson(nested.block),
        };
        if (nested.minItems) nestedJson.min_items = nested.minItems;
        if (nested.maxItems) nestedJson.max_items = nested.maxItems;
        return [name, nestedJson];
      }),
    );
  }
  if (block.description) json.description = block.description;
  if (block.deprecated) json.deprecated = true;
  return json;
}

function attributeJson(attribute: AttributeSchema): AttributeJson {
  const json: AttributeJson = { description_kind: "plain" };
  if (attribute.type !== undefined) json.type = attribute.type;
  if (attribute.nested !== undefined) {
    json.nested_type = nestedTypeJson(attribute.nested);
  }
  if (attribute.description) json.description = attribute.description;
  if (attribute.deprecated) json.deprecated = true;
  if (attribute.required) json.required = true;
  if (attribute.optional) json.optional = true;
  if (attribute.computed) json.computed = true;
  if (attribute.sensitive) json.sensitive = true;
  return json;
}

function nestedTypeJson(nested: NestedAttributes): AttributeJson["nested_type"] {
  return {
    attributes: Object.fromEntries(
      Object.entries(nested.attributes).map(([name, attribute]) => [
        name,
        attributeJson(attribute),
      ]),
    ),
    nesting_mode: nested.nesting,
  };
}

/** Returns a deep copy with object keys sorted. Arrays keep their order. */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== "object") return value;
  const sorted: { [key: string]: unknown } = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as { [key: string]: unknown })[key]);
  }
  return sorted as T;
}
