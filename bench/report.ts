// Turns the benchmark's samples into medians, ratios and target checks,
// and formats them as Markdown tables.

import { median, type HandshakeBenchmark } from "./handshake";
import { SYNTH_VARIANTS, type SynthSample } from "./synth";
import { MAX_CONCURRENT_REQUESTS, PARALLELISM } from "./terraform";
import { MODES, type Mode, type RequestTally, type WorkloadResult, type WorkloadSample } from "./workload";

/** The targets, as ratios, counts and bytes. */
export const TARGETS = {
  handshakeRatio: 1.6,
  managedRatio: 2.0,
  longLivedRatio: 1.3,
  requestsPerUser: 1,
  peakBytes: 150 * 1024 * 1024,
  /** The size at which the time and memory targets apply. */
  users: 1000,
};

export interface BenchmarkResults {
  handshake?: HandshakeBenchmark;
  workload?: WorkloadResult;
  synth?: { users: number; samples: SynthSample[] };
  reps: number;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

const MB = 1024 * 1024;

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function formatMb(bytes: number | undefined): string {
  return bytes === undefined ? "n/a" : `${(bytes / MB).toFixed(1)} MB`;
}

function table(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => "---"), ...rows];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

function samplesOf(workload: WorkloadResult, size: number, mode: Mode): WorkloadSample[] {
  return workload.samples.filter((sample) => sample.size === size && sample.mode === mode);
}

/** Median apply and plan times of one mode at one size. */
export function workloadMedians(
  workload: WorkloadResult,
  size: number,
  mode: Mode,
): { applyMs: number; planMs: number } {
  const samples = samplesOf(workload, size, mode);
  return {
    applyMs: median(samples.map((sample) => sample.apply.ms)),
    planMs: median(samples.map((sample) => sample.plan.ms)),
  };
}

function sizesOf(workload: WorkloadResult): number[] {
  return [...new Set(workload.samples.map((sample) => sample.size))].sort((a, b) => a - b);
}

/** Returns the peak, over every repetition, of the largest provider process that Terraform started. */
function managedPeakBytes(workload: WorkloadResult, size: number): number | undefined {
  const peaks = samplesOf(workload, size, "managed")
    .flatMap((sample) => [sample.apply.providerPeakBytes, sample.plan.providerPeakBytes])
    .filter((peak): peak is number => peak !== undefined);
  return peaks.length === 0 ? undefined : Math.max(...peaks);
}

/** Checks every target that the results cover. */
export function checkTargets(results: BenchmarkResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (results.handshake !== undefined) {
    const ratio = results.handshake.ratio;
    checks.push({
      target: `handshake ≤ ${TARGETS.handshakeRatio}× node -e 0`,
      measured: `${ratio.toFixed(2)}×`,
      met: ratio <= TARGETS.handshakeRatio,
    });
  }

  const workload = results.workload;
  if (workload === undefined || workload.samples.length === 0) return checks;
  const sizes = sizesOf(workload);
  // A quick run without 1000 users checks the time and memory targets at
  // its largest size, and each target's name contains that size.
  const size = sizes.includes(TARGETS.users) ? TARGETS.users : sizes[sizes.length - 1];
  const baseline = workloadMedians(workload, size, "terraform_data");
  for (const [mode, limit] of [
    ["managed", TARGETS.managedRatio],
    ["long_lived", TARGETS.longLivedRatio],
  ] as const) {
    const medians = workloadMedians(workload, size, mode);
    for (const command of ["plan", "apply"] as const) {
      const key = command === "plan" ? "planMs" : "applyMs";
      const ratio = medians[key] / baseline[key];
      checks.push({
        target: `${size}-user ${command}, ${mode.replace("_", "-")} ≤ ${limit}× terraform_data`,
        measured: `${ratio.toFixed(2)}×`,
        met: ratio <= limit,
      });
    }
  }

  const refreshes = workload.samples.filter((sample) => sample.plan.requests !== undefined);
  const perUser = refreshes.map((sample) => sample.plan.requests!.total / sample.size);
  const worst = Math.max(...perUser);
  const best = Math.min(...perUser);
  checks.push({
    target: "exactly 1 API request per user per refresh",
    measured:
      best === worst
        ? `${best.toFixed(3)} in all ${refreshes.length} plans`
        : `${best.toFixed(3)} to ${worst.toFixed(3)} over ${refreshes.length} plans`,
    met: perUser.every((value) => value === TARGETS.requestsPerUser),
  });

  const managedPeak = managedPeakBytes(workload, size);
  const longLivedPeak = workload.longLivedPeakBytes[size];
  const peaks = [managedPeak, longLivedPeak].filter((peak): peak is number => peak !== undefined);
  checks.push({
    target: `provider peak memory ≤ ${TARGETS.peakBytes / MB} MB at ${size} users`,
    measured: `managed ${formatMb(managedPeak)}, long-lived ${formatMb(longLivedPeak)}`,
    met: peaks.length === 2 && peaks.every((peak) => peak <= TARGETS.peakBytes),
  });
  return checks;
}

function handshakeSection(handshake: HandshakeBenchmark): string {
  return [
    `### Spawn to handshake (${handshake.runs} runs each, alternated)`,
    "",
    table(
      ["provider", "node -e 0", "ratio"],
      [[formatMs(handshake.providerMedianMs), formatMs(handshake.nodeMedianMs), `${handshake.ratio.toFixed(2)}×`]],
    ),
  ].join("\n");
}

function workloadSection(workload: WorkloadResult, reps: number): string {
  const rows: string[][] = [];
  for (const size of sizesOf(workload)) {
    const baseline = workloadMedians(workload, size, "terraform_data");
    const managed = workloadMedians(workload, size, "managed");
    const longLived = workloadMedians(workload, size, "long_lived");
    for (const command of ["plan", "apply"] as const) {
      const key = command === "plan" ? "planMs" : "applyMs";
      rows.push([
        String(size),
        command,
        formatMs(baseline[key]),
        formatMs(managed[key]),
        `${(managed[key] / baseline[key]).toFixed(2)}×`,
        formatMs(longLived[key]),
        `${(longLived[key] / baseline[key]).toFixed(2)}×`,
      ]);
    }
  }
  return [
    `### terraform plan (refresh, no changes) and apply (create all), medians of ${reps}`,
    "",
    `-parallelism=${PARALLELISM} on every command; max_concurrent_requests = ${MAX_CONCURRENT_REQUESTS}.`,
    "",
    table(
      ["users", "command", "terraform_data", "managed", "ratio", "long-lived", "ratio"],
      rows,
    ),
  ].join("\n");
}

function formatCounts(tally: RequestTally | undefined): string {
  if (tally === undefined) return "n/a";
  return Object.entries(tally.counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([endpoint, count]) => `${count} × ${endpoint.replace("/account/api/v1", "")}`)
    .join(", ");
}

function requestsSection(workload: WorkloadResult): string {
  const rows: string[][] = [];
  for (const size of sizesOf(workload)) {
    for (const mode of ["managed", "long_lived"] as const) {
      const samples = samplesOf(workload, size, mode);
      const planTotals = samples.map((sample) => sample.plan.requests?.total ?? Number.NaN);
      const last = samples[samples.length - 1];
      rows.push([
        String(size),
        mode.replace("_", "-"),
        [...new Set(planTotals)].join(" / "),
        (median(planTotals) / size).toFixed(3),
        formatCounts(last.plan.requests),
        formatCounts(last.apply.requests),
        formatMs(median(samples.map((sample) => sample.plan.requests?.emulatorBusyMs ?? 0))),
      ]);
    }
  }
  return [
    "### API requests counted by the emulator",
    "",
    "Plan requests are those of the refresh plan; the apply column covers the whole `terraform apply` (its plan included). Endpoints are relative to /account/api/v1, ids shown as {id}. Emulator busy time is the sum of its per-request handling times during the plan (median).",
    "",
    table(
      ["users", "mode", "plan requests", "per user", "plan endpoints (last rep)", "apply endpoints (last rep)", "emulator busy"],
      rows,
    ),
  ].join("\n");
}

function cpuSection(workload: WorkloadResult): string {
  const rows: string[][] = [];
  for (const size of sizesOf(workload)) {
    for (const command of ["plan", "apply"] as const) {
      for (const mode of MODES) {
        const measures = samplesOf(workload, size, mode).map((sample) => sample[command]);
        const medianOf = (pick: (measure: (typeof measures)[number]) => number) =>
          formatMs(median(measures.map(pick)));
        rows.push([
          String(size),
          command,
          mode.replace("_", "-"),
          medianOf((measure) => measure.ms),
          medianOf((measure) => measure.terraformCpuMs),
          medianOf((measure) => measure.providerCpuMs),
          medianOf((measure) => measure.benchProcessCpuMs),
        ]);
      }
    }
  }
  return [
    "### Where the time goes: wall time and CPU time per process, medians",
    "",
    "CPU time is user plus system time from /proc/<pid>/stat, sampled every 20 ms, so the last 20 ms of a process are missed. The benchmark process runs the emulator. The machine has two cores, so CPU time can exceed wall time.",
    "",
    table(["users", "command", "mode", "wall", "terraform CPU", "provider CPU", "emulator process CPU"], rows),
  ].join("\n");
}

function memorySection(workload: WorkloadResult): string {
  const rows = sizesOf(workload).map((size) => [
    String(size),
    formatMb(managedPeakBytes(workload, size)),
    formatMb(workload.longLivedPeakBytes[size]),
  ]);
  return [
    "### Provider peak resident memory (VmHWM)",
    "",
    "Managed: the largest provider process that Terraform started, over every apply and plan. Long-lived: the one process over all its commands at that size.",
    "",
    table(["users", "managed", "long-lived"], rows),
  ].join("\n");
}

function synthSection(synth: { users: number; samples: SynthSample[] }): string {
  const medians = new Map(
    SYNTH_VARIANTS.map((variant) => {
      const samples = synth.samples.filter((sample) => sample.variant === variant);
      return [
        variant,
        {
          constructMs: median(samples.map((sample) => sample.constructMs)),
          synthMs: median(samples.map((sample) => sample.synthMs)),
          totalMs: median(samples.map((sample) => sample.constructMs + sample.synthMs)),
        },
      ];
    }),
  );
  const baseline = medians.get("data")!.totalMs;
  const labels: Record<string, string> = {
    construct: "ServiceUser construct",
    binding: "generated digicertone_service_user binding",
    data: "DataResource (terraform_data)",
  };
  const rows = SYNTH_VARIANTS.map((variant) => {
    const m = medians.get(variant)!;
    return [
      labels[variant],
      formatMs(m.constructMs),
      formatMs(m.synthMs),
      formatMs(m.totalMs),
      `${((m.totalMs / synth.users) * 1000).toFixed(0)} µs`,
      `${(m.totalMs / baseline).toFixed(2)}×`,
    ];
  });
  return [
    `### cdktf synth of ${synth.users} resources in-process, medians`,
    "",
    table(["variant", "construct", "app.synth()", "total", "per resource", "vs DataResource"], rows),
  ].join("\n");
}

function targetsSection(checks: TargetCheck[]): string {
  return [
    "### Targets",
    "",
    table(
      ["target", "measured", "result"],
      checks.map((check) => [check.target, check.measured, check.met ? "met" : "not met"]),
    ),
  ].join("\n");
}

/** Formats every section that the results cover, targets last. */
export function formatReport(results: BenchmarkResults): string {
  const sections: string[] = [];
  if (results.handshake !== undefined) sections.push(handshakeSection(results.handshake));
  if (results.workload !== undefined && results.workload.samples.length > 0) {
    sections.push(workloadSection(results.workload, results.reps));
    sections.push(cpuSection(results.workload));
    sections.push(requestsSection(results.workload));
    sections.push(memorySection(results.workload));
  }
  if (results.synth !== undefined) sections.push(synthSection(results.synth));
  sections.push(targetsSection(checkTargets(results)));
  return sections.join("\n\n") + "\n";
}
