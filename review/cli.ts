// Command-line entry point: `npm run plan-summary -- <plan.json | -> [options]`.
// See USAGE in command.ts for the options and exit codes.

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

import { runPlanSummary } from "./command";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

// `npm run` runs scripts in the package directory and puts the caller's
// directory in INIT_CWD, so a relative plan path is resolved against it.
const callerDirectory = process.env.INIT_CWD ?? process.cwd();

runPlanSummary(process.argv.slice(2), {
  readFile: (path) => readFile(resolve(callerDirectory, path), "utf8"),
  readStdin,
  writeStdout: (text) => process.stdout.write(text),
  writeStderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: plan-summary failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
