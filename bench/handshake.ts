// Measures how long the built provider takes from spawn to its handshake
// line, against the time a bare `node -e 0` takes to start and exit.
// Terraform starts a provider process for every phase of a command, so
// this start-up time is paid several times per plan or apply.
//
//   npm run build && npx tsx bench/handshake.ts [--runs N] [--launcher PATH]
//
// Runs alternate between the provider and bare node, so load from other
// processes on the machine affects both alike. Prints the medians and their
// ratio, and with --json one JSON object instead.
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateSelfSignedCertificate } from "../provider/src/plugin/certificate";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../provider/src/plugin/handshake";

export interface HandshakeBenchmark {
  runs: number;
  /** Median time from spawn to the provider's handshake line, in milliseconds. */
  providerMedianMs: number;
  /** Median time from spawn to the exit of `node -e 0`, in milliseconds. */
  nodeMedianMs: number;
  /** providerMedianMs / nodeMedianMs. */
  ratio: number;
  providerMs: number[];
  nodeMs: number[];
}

export const DEFAULT_LAUNCHER = path.resolve(
  __dirname,
  "../build/mirror/registry.terraform.io/digicert/digicertone/0.1.0/linux_amd64/terraform-provider-digicertone_v0.1.0",
);

/**
 * Spawns the provider with the environment Terraform sets (magic cookie,
 * protocol versions and a fresh client certificate per run, as Terraform
 * makes one per spawn) and resolves with the milliseconds until the first
 * stdout line. The process is then sent SIGTERM and awaited.
 */
export function timeProviderHandshake(launcher: string): Promise<number> {
  const env = {
    ...process.env,
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: "5,6",
    PLUGIN_MIN_PORT: "0",
    PLUGIN_MAX_PORT: "0",
    PLUGIN_CLIENT_CERT: generateSelfSignedCertificate().certificatePem,
  };

  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(launcher, [], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let elapsed: number | undefined;

    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (elapsed === undefined && stdout.includes("\n")) {
        elapsed = performance.now() - started;
        child.kill("SIGTERM");
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (elapsed === undefined) {
        reject(new Error(`provider exited (code ${code}, signal ${signal}) before its handshake line: ${stderr}`));
        return;
      }
      resolve(elapsed);
    });
  });
}

/** Resolves with the milliseconds from spawning `node -e 0` to its exit. */
export function timeBareNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", () => resolve(performance.now() - started));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs `runs` provider starts interleaved with `runs` bare node starts, after one untimed warm-up of each. */
export async function benchmarkHandshake(
  runs: number,
  launcher: string = DEFAULT_LAUNCHER,
): Promise<HandshakeBenchmark> {
  await timeProviderHandshake(launcher);
  await timeBareNode();

  const providerMs: number[] = [];
  const nodeMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    providerMs.push(await timeProviderHandshake(launcher));
    nodeMs.push(await timeBareNode());
  }

  const providerMedianMs = median(providerMs);
  const nodeMedianMs = median(nodeMs);
  return {
    runs,
    providerMedianMs,
    nodeMedianMs,
    ratio: providerMedianMs / nodeMedianMs,
    providerMs,
    nodeMs,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "30" },
      launcher: { type: "string", default: DEFAULT_LAUNCHER },
      json: { type: "boolean", default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`invalid --runs "${values.runs}": expected a whole number of 1 or more`);
  }

  const result = await benchmarkHandshake(runs, values.launcher);
  if (values.json) {
    process.stdout.write(JSON.stringify(result) + "\n");
    return;
  }
  const format = (ms: number) => `${ms.toFixed(1)} ms`;
  process.stdout.write(
    `runs:               ${result.runs}\n` +
      `provider handshake: ${format(result.providerMedianMs)} (median)\n` +
      `node -e 0:          ${format(result.nodeMedianMs)} (median)\n` +
      `ratio:              ${result.ratio.toFixed(2)}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
