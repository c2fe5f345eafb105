// Command-line options and environment of the main job (`npm start`).

import path from "node:path";
import { parseArgs } from "node:util";

/** Overrides the folder that keeps the emulator's data and Terraform state. */
export const WORK_DIR_ENV = "DIGICERT_ONE_WORK_DIR";
export const URL_ENV = "DIGICERT_ONE_URL";
export const API_KEY_ENV = "DIGICERT_ONE_API_KEY";
/** Sets the example's account_names variable, which a tenant requires. */
export const ACCOUNT_NAMES_ENV = "TF_VAR_account_names";

/** The work folder, relative to the repository root, when nothing overrides it. */
export const DEFAULT_WORK_DIR = ".digicertone";

export const USAGE = `Usage: npm start -- [options]

Builds the provider, starts a local DigiCert ONE emulator, synthesizes the
example CDK for Terraform app in examples/app, and runs terraform init, plan,
show and apply on it. A second run plans no changes.

With ${URL_ENV} and ${API_KEY_ENV} both set, it targets that DigiCert ONE
tenant instead and starts no emulator. Set TF_VAR_account_names to a JSON
list of the tenant's account names as well.

Options:
  --work-dir <path>   folder for the emulator's data, the synthesized app and
                      the Terraform state (default: $${WORK_DIR_ENV}, else
                      ${DEFAULT_WORK_DIR} in the repository)
  --port <number>     TCP port of the emulator on 127.0.0.1, 0 for any free
                      port (default: 0)
  --auto-approve      apply to a tenant without asking; the local emulator
                      never asks
  --help              print this help and exit
`;

/** An invalid option or environment variable, which makes the main job exit with 2. */
export class UsageError extends Error {}

export type Target =
  | { readonly kind: "emulator"; readonly port: number }
  | { readonly kind: "tenant"; readonly url: string; readonly apiKey: string };

export interface StartOptions {
  /** Absolute path of the work folder. */
  readonly workDir: string;
  readonly target: Target;
  readonly autoApprove: boolean;
}

/**
 * Parses the command line and the environment. Throws UsageError for an
 * invalid option, or when only one of the two tenant variables is set.
 */
export function parseStartOptions(
  args: string[],
  env: NodeJS.ProcessEnv,
  root: string,
): StartOptions | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "work-dir": { type: "string" },
        port: { type: "string" },
        "auto-approve": { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    return "help";
  }

  if (values["work-dir"] === "") {
    throw new UsageError("--work-dir is empty. Pass a folder path, or omit the option.");
  }
  const workDirText = values["work-dir"] ?? nonEmpty(env[WORK_DIR_ENV]);
  const workDir = path.resolve(root, workDirText ?? DEFAULT_WORK_DIR);

  const url = nonEmpty(env[URL_ENV]);
  const apiKey = nonEmpty(env[API_KEY_ENV]);
  if ((url === undefined) !== (apiKey === undefined)) {
    const [set, unset] = url === undefined ? [API_KEY_ENV, URL_ENV] : [URL_ENV, API_KEY_ENV];
    throw new UsageError(
      `${set} is set but ${unset} is not. Set both to target a DigiCert ONE tenant, or unset both to use the local emulator.`,
    );
  }

  let target: Target;
  if (url !== undefined && apiKey !== undefined) {
    if (values.port !== undefined) {
      throw new UsageError(
        `--port sets the local emulator's port, but ${URL_ENV} selects a tenant. Drop --port, or unset ${URL_ENV} and ${API_KEY_ENV}.`,
      );
    }
    // Parsed first, so that the message below never shows a URL with a password.
    const tenantUrl = parseTenantUrl(url);
    if (nonEmpty(env[ACCOUNT_NAMES_ENV]) === undefined) {
      throw new UsageError(missingAccountNamesMessage(tenantUrl));
    }
    target = { kind: "tenant", url: tenantUrl, apiKey };
  } else {
    target = { kind: "emulator", port: parsePort(values.port ?? "0") };
  }

  return { workDir, target, autoApprove: values["auto-approve"] ?? false };
}

/**
 * Explains that the URL variable selected tenant mode, in which the example's
 * default account names do not apply, and gives both ways out. A loopback
 * URL is still a tenant here, because the job cannot tell an emulator the
 * user started from a tunnel to a real tenant, so the message adds a hint
 * for that case.
 */
export function missingAccountNamesMessage(url: string): string {
  const selected =
    `${ACCOUNT_NAMES_ENV} is not set, but ${URL_ENV}=${url} (with ${API_KEY_ENV}) selects tenant mode, ` +
    `where the example's default account names do not apply: they exist only in the emulator that npm start runs itself.`;
  const fixes =
    `To use that emulator, unset ${URL_ENV} and ${API_KEY_ENV}. ` +
    `To use ${url}, set ${ACCOUNT_NAMES_ENV} to a JSON list of its account names, such as ${ACCOUNT_NAMES_ENV}='["<account name>"]'.`;
  const loopbackHint = isLoopback(url)
    ? ` For an emulator you started with npm run emulator, emulator/README.md lists the seeded account names.`
    : "";
  return `${selected} ${fixes}${loopbackHint}`;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(
      `--port ${JSON.stringify(text)} is not valid. Use a whole number from 0 to 65535.`,
    );
  }
  return port;
}

/** Checks that the tenant URL parses; the provider applies its own rules later. */
function parseTenantUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${URL_ENV} is not a valid URL. Set it to the tenant's base URL, such as https://one.digicert.com.`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(
      `${URL_ENV} contains a user name or password. Set it to the tenant's base URL, such as https://one.digicert.com, and the key in ${API_KEY_ENV}.`,
    );
  }
  return text;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Folders and files of one target inside the work folder. Each target gets
 * its own Terraform state, so a run against a tenant never reads the
 * emulator's state or the other way round.
 */
export interface WorkLayout {
  /** The emulator's state.json and keys.json. */
  readonly emulatorDataDir: string;
  /** cdktf's output folder, the `outdir` of the app. */
  readonly outdir: string;
  /** Terraform's working directory: `<outdir>/stacks/<stack>`. */
  readonly stackDir: string;
  /** The saved plan, inside stackDir. */
  readonly planFile: string;
}

export function workLayout(workDir: string, target: Target, stackName: string): WorkLayout {
  const targetDir =
    target.kind === "emulator"
      ? path.join(workDir, "local")
      : path.join(workDir, "tenants", new URL(target.url).host.replace(/[^A-Za-z0-9.-]/g, "_"));
  const outdir = path.join(targetDir, "cdktf.out");
  const stackDir = path.join(outdir, "stacks", stackName);
  return {
    emulatorDataDir: path.join(workDir, "emulator"),
    outdir,
    stackDir,
    planFile: path.join(stackDir, `${stackName}.tfplan`),
  };
}
