// The benchmark behind `npm run bench`: provider start-up against bare node,
// terraform plan and apply of service users against terraform_data, in
// managed and long-lived mode, API requests per refresh, provider peak
// memory, and synthesis with the construct library. Prints Markdown tables
// of medians and ratios, and whether each target is met.
//
//   npm run build && npm run bench -- [--sizes 1,100,1000] [--reps 5]
//     [--handshake-runs 30] [--synth-users 1000] [--json FILE]
//
// It needs Linux (peak memory comes from /proc) and terraform on the PATH.
// The emulator runs in this process, in memory, on a free loopback port.

import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchmarkHandshake, DEFAULT_LAUNCHER } from "./handshake";
import { checkTargets, formatReport, type BenchmarkResults } from "./report";
import { benchmarkSynth } from "./synth";
import { runWorkloads } from "./workload";

export interface BenchmarkOptions {
  /** Numbers of resources for plan and apply. An empty list skips them. */
  sizes: number[];
  /** Repetitions of each plan, apply and synth. */
  reps: number;
  /** Provider starts, and as many bare node starts. 0 skips them. */
  handshakeRuns: number;
  /** Resources per synthesized app. 0 skips synthesis. */
  synthUsers: number;
  launcher?: string;
  cliConfigFile?: string;
  progress?: (line: string) => void;
}

const root = path.resolve(__dirname, "..");

/** Runs every part that `options` selects and returns the raw samples. */
export async function runBenchmarks(options: BenchmarkOptions): Promise<BenchmarkResults> {
  const launcher = options.launcher ?? DEFAULT_LAUNCHER;
  const cliConfigFile = options.cliConfigFile ?? path.join(root, "build/terraformrc");
  for (const file of [launcher, cliConfigFile]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  }
  const progress = options.progress ?? (() => undefined);
  const results: BenchmarkResults = { reps: options.reps };

  if (options.handshakeRuns > 0) {
    progress(`handshake: ${options.handshakeRuns} runs`);
    results.handshake = await benchmarkHandshake(options.handshakeRuns, launcher);
  }
  if (options.synthUsers > 0) {
    progress(`synth: ${options.synthUsers} users`);
    results.synth = { users: options.synthUsers, samples: benchmarkSynth(options.synthUsers, options.reps) };
  }
  if (options.sizes.length > 0) {
    results.workload = await runWorkloads({
      sizes: options.sizes,
      reps: options.reps,
      launcher,
      cliConfigFile,
      progress,
    });
  }
  return results;
}

function wholeNumber(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`invalid ${option} "${text}": expected a whole number of ${min} or more`);
  }
  return value;
}

/** Parses the command-line options, throwing on an invalid value. */
export function parseOptions(args: string[]): BenchmarkOptions & { json?: string } {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: "string", default: "1,100,1000" },
      reps: { type: "string", default: "5" },
      "handshake-runs": { type: "string", default: "30" },
      "synth-users": { type: "string", default: "1000" },
      json: { type: "string" },
    },
  });
  const sizes =
    values.sizes === "" ? [] : values.sizes.split(",").map((size) => wholeNumber("--sizes entry", size.trim(), 1));
  return {
    sizes,
    reps: wholeNumber("--reps", values.reps, 1),
    handshakeRuns: wholeNumber("--handshake-runs", values["handshake-runs"], 0),
    synthUsers: wholeNumber("--synth-users", values["synth-users"], 0),
    json: values.json,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const results = await runBenchmarks({
    ...options,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const minutes = (performance.now() - started) / 60_000;

  if (options.json !== undefined) {
    writeFileSync(options.json, JSON.stringify({ options, results, checks: checkTargets(results) }, null, 2));
  }
  process.stdout.write(formatReport(results));
  process.stdout.write(`\nTotal benchmark time: ${minutes.toFixed(1)} min\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
