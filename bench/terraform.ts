// Terraform working directories for the benchmark, the commands run in
// them, and the long-lived provider process that TF_REATTACH_PROVIDERS
// names.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cpuMs, peakResidentBytes, ProcessSampler } from "./process-stats";

/** Terraform's default -parallelism, passed to both sides explicitly. */
export const PARALLELISM = 10;

/**
 * max_concurrent_requests of the benchmark's provider block: equal to
 * PARALLELISM, so that the provider's own request limit (default 8) never
 * holds back an operation that Terraform has started.
 */
export const MAX_CONCURRENT_REQUESTS = 10;

/** The seeded emulator account "Acme Platform Engineering". */
const ACCOUNT_ID = "510f00f0-90ee-4ee2-b52f-0152c01d18eb";

/** Marker of the provider's processes in their command line. */
export const PROVIDER_PROCESS_MARKER = "terraform-provider-digicertone";

export type WorkloadKind = "terraform_data" | "service_user";

/**
 * Builds the environment of every Terraform command and provider process:
 * the given CLI configuration, no checkpoint calls, and none of the
 * caller's TF_* or DIGICERT_ONE_* variables.
 */
export function benchEnvironment(
  cliConfigFile: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("TF_") || name.startsWith("DIGICERT_ONE_")) delete env[name];
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    ...extra,
  };
}

/** Returns the UTC day one year from today, as YYYY-MM-DD. */
function expirationDate(): string {
  return new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Returns the configuration of `count` resources of `kind`. Both kinds
 * carry the same values: terraform_data keeps the service user's
 * arguments in `input`.
 */
export function workloadConfig(kind: WorkloadKind, count: number): string {
  const values = [
    `    name            = "bench user \${count.index}"`,
    `    email           = "bench@example.com"`,
    `    expiration_date = "${expirationDate()}"`,
    `    account_ids     = ["${ACCOUNT_ID}"]`,
    `    access          = { software_trust = { roles = ["SM_SIGNER"] } }`,
  ];
  if (kind === "terraform_data") {
    return [
      `resource "terraform_data" "bench" {`,
      `  count = ${count}`,
      `  input = {`,
      ...values,
      `  }`,
      `}`,
      ``,
    ].join("\n");
  }
  return [
    `terraform {`,
    `  required_providers {`,
    `    digicertone = { source = "digicert/digicertone" }`,
    `  }`,
    `}`,
    ``,
    `variable "digicert_one_url" { type = string }`,
    ``,
    `variable "digicert_one_api_key" {`,
    `  type      = string`,
    `  sensitive = true`,
    `}`,
    ``,
    `provider "digicertone" {`,
    `  url                     = var.digicert_one_url`,
    `  api_key                 = var.digicert_one_api_key`,
    `  max_concurrent_requests = ${MAX_CONCURRENT_REQUESTS}`,
    `}`,
    ``,
    `resource "digicertone_service_user" "bench" {`,
    `  count = ${count}`,
    ...values.map((line) => line.slice(2)),
    `}`,
    ``,
  ].join("\n");
}

export interface CommandResult {
  /** Wall time from spawning terraform to its exit, in milliseconds. */
  ms: number;
  /**
   * Peak resident memory of the provider processes that Terraform started
   * for this command, in bytes: the largest of them. Undefined when
   * Terraform started none.
   */
  providerPeakBytes?: number;
  /** CPU time of the terraform process, in milliseconds (sampled, see ProcessSampler). */
  terraformCpuMs: number;
  /** CPU time of the provider processes that Terraform started, in milliseconds. */
  providerCpuMs: number;
  /**
   * CPU time of this process during the command, in milliseconds: the
   * emulator's work, plus the sampling and the pipes to terraform.
   */
  benchProcessCpuMs: number;
  exitCode: number;
  output: string;
}

/** A temporary Terraform working directory. */
export class BenchWorkspace {
  readonly dir: string;

  constructor(
    readonly kind: WorkloadKind,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.dir = mkdtempSync(path.join(tmpdir(), `digicertone-bench-${kind}-`));
  }

  writeConfig(count: number): void {
    writeFileSync(path.join(this.dir, "main.tf"), workloadConfig(this.kind, count));
  }

  /** Deletes the state, so that the next apply creates every resource again. */
  clearState(): void {
    rmSync(path.join(this.dir, "terraform.tfstate"), { force: true });
    rmSync(path.join(this.dir, "terraform.tfstate.backup"), { force: true });
  }

  /**
   * Runs terraform with `args`, timing it and sampling the memory of the
   * provider processes it starts. Throws with the output when the exit
   * code is not one of `okCodes`.
   */
  async run(
    args: string[],
    extraEnv: Record<string, string> = {},
    okCodes: number[] = [0],
  ): Promise<CommandResult> {
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const child = spawn("terraform", args, {
      cwd: this.dir,
      env: { ...this.env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const sampler = new ProcessSampler(child.pid as number, PROVIDER_PROCESS_MARKER);
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve(code ?? -1));
    });
    const ms = performance.now() - started;
    const benchCpu = process.cpuUsage(cpuAtStart);
    const stats = sampler.stop();
    const peaks = [...stats.childPeakBytes.values()];

    if (!okCodes.includes(exitCode)) {
      throw new Error(`terraform ${args.join(" ")} in ${this.dir} exited ${exitCode}:\n${output}`);
    }
    return {
      ms,
      providerPeakBytes: peaks.length === 0 ? undefined : Math.max(...peaks),
      terraformCpuMs: stats.parentCpuMs,
      providerCpuMs: stats.childCpuMs,
      benchProcessCpuMs: (benchCpu.user + benchCpu.system) / 1000,
      exitCode,
      output,
    };
  }

  init(extraEnv: Record<string, string> = {}): Promise<CommandResult> {
    return this.run(["init", "-input=false", "-no-color"], extraEnv);
  }

  /** Creates every resource from an empty state. */
  apply(extraEnv: Record<string, string> = {}): Promise<CommandResult> {
    return this.run(
      ["apply", "-input=false", "-no-color", "-auto-approve", `-parallelism=${PARALLELISM}`],
      extraEnv,
    );
  }

  /**
   * Plans with refresh, after an apply, and throws unless the plan has no
   * changes (exit code 0 with -detailed-exitcode), because a plan with
   * changes would measure a different workload.
   */
  plan(extraEnv: Record<string, string> = {}): Promise<CommandResult> {
    return this.run(
      ["plan", "-input=false", "-no-color", "-detailed-exitcode", `-parallelism=${PARALLELISM}`],
      extraEnv,
    );
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A provider process started with --serve. */
export interface LongLivedProvider {
  readonly pid: number;
  /** The value for TF_REATTACH_PROVIDERS. */
  readonly reattachValue: string;
  /** Returns the process's peak resident memory so far, in bytes. */
  peakBytes(): number | undefined;
  /** Returns the process's CPU time so far, in milliseconds. */
  cpuMs(): number | undefined;
  /** Sends SIGTERM and resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `launcher --serve` and resolves once it prints its
 * `export TF_REATTACH_PROVIDERS='...'` line.
 */
export function startLongLivedProvider(
  launcher: string,
  env: NodeJS.ProcessEnv,
): Promise<LongLivedProvider> {
  const child = spawn(launcher, ["--serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  // Only the end of the log is kept, for the error message.
  let stderrTail = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-16_384);
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));

  return new Promise((resolve, reject) => {
    child.on("error", reject);
    void exited.then(() =>
      reject(new Error(`the long-lived provider exited before printing TF_REATTACH_PROVIDERS:\n${stderrTail}`)),
    );
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /^export TF_REATTACH_PROVIDERS='(.*)'\n/.exec(stdout);
      if (match === null) return;
      const pid = child.pid as number;
      resolve({
        pid,
        reattachValue: match[1],
        peakBytes: () => peakResidentBytes(pid),
        cpuMs: () => cpuMs(pid),
        stop: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          return exited;
        },
      });
    });
  });
}
