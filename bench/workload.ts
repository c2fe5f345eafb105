// The Terraform part of the benchmark. For each size it runs `terraform
// apply` from an empty state and then `terraform plan` (with refresh, no
// changes) in three modes: terraform_data resources (the baseline, built
// into Terraform), and digicertone_service_user resources with the provider
// started by Terraform (managed) or already running (long-lived).

import { startEmulator, type RunningEmulator } from "../emulator/src";
import { RequestCounter, type RequestCounts } from "./request-counter";
import {
  BenchWorkspace,
  benchEnvironment,
  startLongLivedProvider,
  type LongLivedProvider,
  type WorkloadKind,
} from "./terraform";

export const MODES = ["terraform_data", "managed", "long_lived"] as const;
export type Mode = (typeof MODES)[number];

/** Requests that the emulator served during one command. */
export interface RequestTally {
  total: number;
  counts: RequestCounts;
  /** Sum of the emulator's handling times, in milliseconds. */
  emulatorBusyMs: number;
}

/** One command of one repetition. */
export interface CommandMeasure {
  /** Wall time from spawning terraform to its exit, in milliseconds. */
  ms: number;
  /** CPU time of terraform itself, in milliseconds. */
  terraformCpuMs: number;
  /** CPU time of the provider, in milliseconds: 0 for terraform_data. */
  providerCpuMs: number;
  /** CPU time of the benchmark process, which runs the emulator, in milliseconds. */
  benchProcessCpuMs: number;
  /** Undefined for terraform_data, which sends no API requests. */
  requests?: RequestTally;
  /**
   * Managed mode: the peak resident memory of the largest provider process
   * that Terraform started for this command, in bytes.
   */
  providerPeakBytes?: number;
}

/** One repetition of one mode at one size. */
export interface WorkloadSample {
  mode: Mode;
  size: number;
  rep: number;
  /** terraform apply from an empty state. */
  apply: CommandMeasure;
  /** terraform plan with refresh after that apply, with no changes. */
  plan: CommandMeasure;
}

export interface WorkloadResult {
  samples: WorkloadSample[];
  /**
   * Peak resident memory of each size's long-lived provider over all its
   * commands (init, and every repetition's apply and plan), in bytes.
   */
  longLivedPeakBytes: Record<number, number | undefined>;
}

export interface WorkloadOptions {
  sizes: number[];
  reps: number;
  launcher: string;
  cliConfigFile: string;
  /** Called with a line of progress, such as "rep 1/3, 100 users: managed apply 4.1 s". */
  progress?: (line: string) => void;
}

function kindOf(mode: Mode): WorkloadKind {
  return mode === "terraform_data" ? "terraform_data" : "service_user";
}

/** Rotates `items` left by `by`, so each repetition starts with another mode. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * Runs every size with `reps` repetitions. Within a repetition the three
 * modes alternate, first all applies and then all plans, in an order that
 * rotates per repetition.
 */
export async function runWorkloads(options: WorkloadOptions): Promise<WorkloadResult> {
  const env = benchEnvironment(options.cliConfigFile);
  const progress = options.progress ?? (() => undefined);
  const samples: WorkloadSample[] = [];
  const longLivedPeakBytes: Record<number, number | undefined> = {};

  for (const size of options.sizes) {
    const workspaces = new Map<Mode, BenchWorkspace>();
    // One long-lived process per size, so that its peak memory is that size's.
    let longLived: LongLivedProvider | undefined;
    try {
      longLived = await startLongLivedProvider(options.launcher, env);
      const reattach = { TF_REATTACH_PROVIDERS: longLived.reattachValue };
      for (const mode of MODES) {
        const workspace = new BenchWorkspace(kindOf(mode), env);
        workspaces.set(mode, workspace);
        workspace.writeConfig(size);
        await workspace.init(mode === "long_lived" ? reattach : {});
      }

      for (let rep = 0; rep < options.reps; rep++) {
        const order = rotate(MODES, rep);
        const repSamples = await runRepetition(size, rep, order, workspaces, longLived, progress, options.reps);
        samples.push(...repSamples);
      }
      longLivedPeakBytes[size] = longLived.peakBytes();
    } finally {
      await longLived?.stop();
      for (const workspace of workspaces.values()) workspace.remove();
    }
  }
  return { samples, longLivedPeakBytes };
}

async function runRepetition(
  size: number,
  rep: number,
  order: Mode[],
  workspaces: Map<Mode, BenchWorkspace>,
  longLived: LongLivedProvider,
  progress: (line: string) => void,
  reps: number,
): Promise<WorkloadSample[]> {
  const label = `rep ${rep + 1}/${reps}, ${size} users`;
  const emulators = new Map<Mode, { emulator: RunningEmulator; counter: RequestCounter }>();
  const applies = new Map<Mode, CommandMeasure>();
  const plans = new Map<Mode, CommandMeasure>();
  try {
    for (const mode of order) {
      if (mode === "terraform_data") continue;
      // A fresh in-memory emulator per mode and repetition, so each apply
      // creates every user and each count covers one mode's commands.
      const counter = new RequestCounter();
      const emulator = await startEmulator({ host: "127.0.0.1", port: 0, quiet: false, log: counter.sink });
      emulators.set(mode, { emulator, counter });
    }

    for (const mode of order) {
      const workspace = workspaces.get(mode)!;
      workspace.clearState();
      const apply = await measure(mode, workspace, "apply", emulators.get(mode), longLived);
      const emulator = emulators.get(mode)?.emulator;
      if (emulator !== undefined && emulator.serviceUsers().length !== size) {
        throw new Error(
          `${mode} apply of ${size} users left ${emulator.serviceUsers().length} service users in the emulator`,
        );
      }
      applies.set(mode, apply);
      progress(`${label}: ${mode} apply ${seconds(apply.ms)}`);
    }

    for (const mode of order) {
      const plan = await measure(mode, workspaces.get(mode)!, "plan", emulators.get(mode), longLived);
      plans.set(mode, plan);
      progress(`${label}: ${mode} plan ${seconds(plan.ms)}`);
    }
  } finally {
    for (const { emulator } of emulators.values()) await emulator.close();
  }
  return order.map((mode) => ({ mode, size, rep, apply: applies.get(mode)!, plan: plans.get(mode)! }));
}

/** Runs one apply or plan and collects its time, CPU, memory and requests. */
async function measure(
  mode: Mode,
  workspace: BenchWorkspace,
  command: "apply" | "plan",
  entry: { emulator: RunningEmulator; counter: RequestCounter } | undefined,
  longLived: LongLivedProvider,
): Promise<CommandMeasure> {
  const env = commandEnvironment(mode, entry?.emulator, longLived.reattachValue);
  const longLivedCpuAtStart = longLived.cpuMs() ?? 0;
  const result = command === "apply" ? await workspace.apply(env) : await workspace.plan(env);
  const providerCpuMs =
    mode === "long_lived" ? (longLived.cpuMs() ?? 0) - longLivedCpuAtStart : result.providerCpuMs;
  return {
    ms: result.ms,
    terraformCpuMs: result.terraformCpuMs,
    providerCpuMs,
    benchProcessCpuMs: result.benchProcessCpuMs,
    requests: entry?.counter.take(),
    providerPeakBytes: result.providerPeakBytes,
  };
}

/**
 * Returns the variables of one command: the emulator's URL and key for the
 * provider block, and TF_REATTACH_PROVIDERS in long-lived mode.
 */
function commandEnvironment(
  mode: Mode,
  emulator: RunningEmulator | undefined,
  reattachValue: string,
): Record<string, string> {
  if (emulator === undefined) return {};
  return {
    TF_VAR_digicert_one_url: emulator.url,
    TF_VAR_digicert_one_api_key: emulator.adminApiKey,
    ...(mode === "long_lived" ? { TF_REATTACH_PROVIDERS: reattachValue } : {}),
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
