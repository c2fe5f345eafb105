// Acceptance-test harness: runs the real Terraform CLI, with the provider
// installed from the filesystem mirror that `npm run build` lays out, against
// an in-process DigiCert ONE emulator on a loopback port.

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
export const CLI_CONFIG_FILE = path.join(ROOT, "build/terraformrc");

export const PROVIDER_BLOCK = `
terraform {
  required_providers {
    digicertone = {
      source = "digicert/digicertone"
    }
  }
}
`;

/** Throws with install instructions unless `terraform` is on the PATH. */
export function requireTerraform(): string {
  try {
    return execFileSync("terraform", ["version"], {
      env: baseEnvironment(),
      encoding: "utf8",
    }).split("\n")[0];
  } catch {
    throw new Error(
      "The acceptance tests need the Terraform CLI (1.11 or later) on the PATH, " +
        "and `terraform version` failed. Install it from Debian or HashiCorp's " +
        "release archive (unzip the binary into /usr/local/bin), then run the tests again.",
    );
  }
}

/** Throws unless the provider package and CLI configuration are built. */
export function requireBuiltProvider(): void {
  if (!existsSync(CLI_CONFIG_FILE)) {
    throw new Error(
      `${CLI_CONFIG_FILE} is missing: run \`npm run build\` before the acceptance tests.`,
    );
  }
}

/**
 * Builds the environment of every Terraform run: the project's CLI
 * configuration, no checkpoint calls, and none of the ambient provider
 * settings.
 */
export function baseEnvironment(
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("TF_") || name.startsWith("DIGICERT_ONE_")) {
      delete env[name];
    }
  }
  env.TF_CLI_CONFIG_FILE = CLI_CONFIG_FILE;
  env.CHECKPOINT_DISABLE = "1";
  env.TF_IN_AUTOMATION = "1";
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for messages and secret scans. */
  output: string;
}

/** A temporary Terraform working directory with its own environment. */
export class Workspace {
  readonly dir: string;

  constructor(private readonly env: Record<string, string | undefined> = {}) {
    this.dir = mkdtempSync(path.join(tmpdir(), "digicertone-acc-"));
  }

  /** Replaces main.tf with the provider requirement plus `body`. */
  writeConfig(body: string): void {
    writeFileSync(path.join(this.dir, "main.tf"), PROVIDER_BLOCK + body);
  }

  async run(
    args: string[],
    extraEnv: Record<string, string | undefined> = {},
  ): Promise<RunResult> {
    const reattach = reattachRequested()
      ? { TF_REATTACH_PROVIDERS: await sharedProviderValue({ ...this.env, ...extraEnv }) }
      : {};
    const child = spawn("terraform", args, {
      cwd: this.dir,
      env: baseEnvironment({ ...this.env, ...reattach, ...extraEnv }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const code = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (exitCode) => resolve(exitCode ?? -1));
    });
    return { code, stdout, stderr, output: stdout + stderr };
  }

  /** Runs a command that must succeed, failing with its output otherwise. */
  async ok(
    args: string[],
    extraEnv: Record<string, string | undefined> = {},
  ): Promise<RunResult> {
    const result = await this.run(args, extraEnv);
    if (result.code !== 0) {
      throw new Error(
        `terraform ${args.join(" ")} exited ${result.code}:\n${result.output}`,
      );
    }
    return result;
  }

  async init(): Promise<RunResult> {
    return this.ok(["init", "-no-color", "-input=false"]);
  }

  async apply(): Promise<RunResult> {
    return this.ok(["apply", "-no-color", "-input=false", "-auto-approve"]);
  }

  async plan(): Promise<RunResult> {
    return this.ok(["plan", "-no-color", "-input=false"]);
  }

  async state(): Promise<StateResource[]> {
    const result = await this.ok(["show", "-json", "-no-color"]);
    const parsed = JSON.parse(result.stdout) as {
      values?: { root_module?: { resources?: StateResource[] } };
    };
    return parsed.values?.root_module?.resources ?? [];
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StateResource {
  address: string;
  type: string;
  name: string;
  values: Record<string, unknown>;
}

/** Returns the HCL string literal of a value. */
export function hcl(value: string): string {
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------
// Long-lived provider (TF_REATTACH_PROVIDERS)
// ---------------------------------------------------------------------------

/**
 * Environment variable that makes every Workspace run of a test file use one
 * shared long-lived provider process instead of letting Terraform start one
 * per phase. Set it to "1".
 *
 * A long-lived provider reads DIGICERT_ONE_URL, DIGICERT_ONE_API_KEY and
 * the other fallbacks from its own environment, not from Terraform's. So
 * the harness starts one provider per distinct set of DIGICERT_ONE_*
 * variables that the file's runs use, with those variables.
 */
export const REATTACH_ENV = "DIGICERT_ONE_TEST_REATTACH";

export const PROVIDER_LAUNCHER = path.join(
  ROOT,
  "build/mirror/registry.terraform.io/digicert/digicertone/0.1.0/linux_amd64/terraform-provider-digicertone_v0.1.0",
);

/** A provider started with --serve. */
export interface LongLivedProvider {
  pid: number;
  /** The value for TF_REATTACH_PROVIDERS. */
  reattachValue: string;
  socketPath: string;
  /** The provider's stderr so far (its log). */
  stderr(): string;
  /** Sends `signal` and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Writes to the provider's stdin, where a `stop` line stops it. */
  writeStdin(text: string): void;
}

/**
 * Starts the built provider in long-lived mode with `env` added to the test
 * process's environment, and resolves once it prints its
 * `export TF_REATTACH_PROVIDERS='...'` line.
 */
export function startLongLivedProvider(
  env: Record<string, string | undefined> = {},
): Promise<LongLivedProvider> {
  const child = spawn(PROVIDER_LAUNCHER, ["--serve"], {
    env: { ...baseEnvironment(env), TF_LOG: "debug" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    child.on("error", reject);
    void exited.then((code) =>
      reject(new Error(`the long-lived provider exited (code ${code}) before printing TF_REATTACH_PROVIDERS:\n${stderr}`)),
    );
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
      const match = /^export TF_REATTACH_PROVIDERS='(.*)'\n/.exec(stdout);
      if (match === null) return;

      const reattachValue = match[1];
      const config = Object.values(JSON.parse(reattachValue) as Record<string, { Addr: { String: string } }>)[0];
      resolve({
        pid: child.pid as number,
        reattachValue,
        socketPath: config.Addr.String,
        stderr: () => stderr,
        exited,
        stop: (signal: NodeJS.Signals = "SIGTERM") => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
        writeStdin: (text: string) => child.stdin.write(text),
      });
    });
  });
}

function reattachRequested(): boolean {
  return process.env[REATTACH_ENV] === "1";
}

const sharedProviders = new Map<string, Promise<LongLivedProvider>>();

/**
 * Returns TF_REATTACH_PROVIDERS of the test file's long-lived provider for
 * the DIGICERT_ONE_* variables in `env`, starting it on the first call.
 * Jest loads this module once per test file, so each file gets its own
 * processes, which afterAll stops.
 */
async function sharedProviderValue(env: Record<string, string | undefined>): Promise<string> {
  const providerEnv = Object.fromEntries(
    Object.entries(env)
      .filter(([name, value]) => name.startsWith("DIGICERT_ONE_") && value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const key = JSON.stringify(providerEnv);
  let provider = sharedProviders.get(key);
  if (provider === undefined) {
    provider = startLongLivedProvider(providerEnv);
    sharedProviders.set(key, provider);
  }
  return (await provider).reattachValue;
}

// Jest allows hooks only at the top level of a test file, which is where
// this module is first loaded.
if (reattachRequested() && typeof afterAll === "function") {
  afterAll(async () => {
    for (const provider of sharedProviders.values()) await (await provider).stop();
  });
}
