// Command-line entry point: `npm run plan-summary -- <plan.json | -> [options]`.
// See USAGE in command.ts for the options and exit codes.

import { readFile } from "node:fs/promises";

import { runPlanSummary } from "./command";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

runPlanSummary(process.argv.slice(2), {
  readFile: (path) => readFile(path, "utf8"),
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
