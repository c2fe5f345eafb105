// State backend of the example app. With PG_CONN_STR set, the state goes
// to a PostgreSQL database through Terraform's pg backend, which locks it
// while a command runs, so a team can share it. Otherwise it stays in a
// local file.

import { LocalBackend, PgBackend, PgBackendConfig, TerraformStack } from "cdktf";

/**
 * Connection string of the PostgreSQL database that stores the state, such
 * as `postgres://terraform:<password>@db.example.com/terraform_state`.
 * Terraform's pg backend reads this variable itself when `conn_str` is
 * absent, so the app only checks whether it is set.
 */
export const PG_CONN_STR_ENV = "PG_CONN_STR";

/** Overrides the PostgreSQL schema that contains the state. */
export const PG_SCHEMA_ENV = "DIGICERT_ONE_PG_SCHEMA";

/**
 * Lowercase letters, digits and underscores, starting with a letter or an
 * underscore, 63 bytes at most (PostgreSQL's limit for identifiers).
 * Terraform 1.11 quotes the schema name, so it would accept others too, but
 * this name needs no quoting in psql or in a GRANT.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The state backend of a stack, as chosen from the environment. */
export type StateBackend =
  | { readonly kind: "local"; readonly path: string }
  | { readonly kind: "pg"; readonly schemaName: string };

/** An invalid state backend setting in the environment. */
export class BackendSettingError extends Error {}

/** Returns the schema used when DIGICERT_ONE_PG_SCHEMA is unset: `digicertone_<stack id>`. */
export function defaultPgSchema(stackId: string): string {
  return `digicertone_${stackId.toLowerCase().replace(/[^a-z0-9_]/g, "_")}`;
}

/**
 * Chooses the backend of stack `stackId` from `env`: pg when PG_CONN_STR is
 * set and not empty, else a local file. Throws BackendSettingError when
 * DIGICERT_ONE_PG_SCHEMA is not a valid schema name.
 */
export function stateBackendFromEnvironment(
  stackId: string,
  env: NodeJS.ProcessEnv,
): StateBackend {
  if ((env[PG_CONN_STR_ENV] ?? "") === "") {
    // Terraform resolves a relative path against the stack's working
    // directory, cdktf.out/stacks/<id>, so the state lands next to
    // cdktf.out as with cdktf's default backend. The default writes an
    // absolute path, which would differ from machine to machine.
    return { kind: "local", path: `../../../terraform.${stackId}.tfstate` };
  }

  const schemaSetting = env[PG_SCHEMA_ENV] ?? "";
  const schemaName = schemaSetting === "" ? defaultPgSchema(stackId) : schemaSetting;
  if (!SCHEMA_NAME.test(schemaName)) {
    throw new BackendSettingError(
      `${PG_SCHEMA_ENV} is ${JSON.stringify(schemaName)}, which is not a valid schema name. Use 1 to 63 lowercase letters, digits and underscores, starting with a letter or an underscore, such as ${defaultPgSchema(stackId)}.`,
    );
  }
  return { kind: "pg", schemaName };
}

/** Adds the backend to `stack`. The pg backend never gets the connection string. */
export function addStateBackend(stack: TerraformStack, backend: StateBackend): void {
  if (backend.kind === "local") {
    new LocalBackend(stack, { path: backend.path });
    return;
  }

  // NOTE: cdktf 0.21 declares connStr as required, but Terraform reads
  // PG_CONN_STR when conn_str is absent. A connection string in the
  // synthesized JSON would put the database password in cdk.tf.json and in
  // Terraform's .terraform/terraform.tfstate, so it is left out.
  const config = { schemaName: backend.schemaName } as PgBackendConfig;
  new PgBackend(stack, config);
}
