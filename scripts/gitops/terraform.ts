// Shared parts of the GitOps commands (gitops:plan and gitops:apply): the
// files they exchange, running Terraform, and the fingerprint of the
// configuration that a saved plan was made from.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** The saved plan that gitops:plan writes and gitops:apply applies. */
export const PLAN_FILE = "tfplan";

/** The Markdown summary of the plan, for a pull-request comment. */
export const SUMMARY_FILE = "plan.md";

/**
 * SHA-256 digests of the configuration files that the saved plan was made
 * from, which gitops:apply compares before it applies the plan.
 */
export const SOURCES_FILE = "tfplan.sources.json";

/** Exit codes shared by both commands. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** An error that ends a command with a message and an exit code. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

export interface TerraformResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `terraform` in `dir`. Its stderr, and its stdout unless `captureStdout`
 * is set, are copied to this process's stderr as they arrive, so that the
 * command's own stdout stays free for its result.
 */
export async function runTerraform(
  dir: string,
  args: string[],
  options: { captureStdout?: boolean } = {},
): Promise<TerraformResult> {
  const child = spawn("terraform", args, {
    cwd: dir,
    env: { ...process.env, TF_IN_AUTOMATION: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (!options.captureStdout) process.stderr.write(chunk);
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });

  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") {
        reject(
          new CommandError(
            "terraform was not found on the PATH: install Terraform 1.11 or later.",
            EXIT_USAGE,
          ),
        );
      } else {
        reject(error);
      }
    });
    child.on("close", (exitCode) => resolve(exitCode ?? -1));
  });
  return { code, stdout, stderr };
}

/** Runs `terraform` and throws a CommandError when it exits non-zero. */
export async function runTerraformOk(
  dir: string,
  args: string[],
  options: { captureStdout?: boolean } = {},
): Promise<TerraformResult> {
  const result = await runTerraform(dir, args, options);
  if (result.code !== 0) {
    throw new CommandError(
      `terraform ${args.join(" ")} failed with exit code ${result.code} in ${dir}.`,
      EXIT_FAILED,
    );
  }
  return result;
}

/** Pattern of the names of the configuration files that a plan depends on. */
const SOURCE_PATTERN = /\.(tf|tf\.json|tfvars|tfvars\.json)$/;

/**
 * Returns the SHA-256 digest of every configuration file under `dir`, keyed
 * by its path relative to `dir` with "/" separators. Folders whose names
 * start with "." (such as `.terraform`) are skipped.
 */
export async function configurationDigests(dir: string): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  const walk = async (relativeDir: string): Promise<void> => {
    const entries = await readdir(path.join(dir, relativeDir), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const relativePath = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith(".")) await walk(relativePath);
      } else if (entry.isFile() && SOURCE_PATTERN.test(entry.name)) {
        const text = await readFile(path.join(dir, relativePath));
        digests[relativePath] = createHash("sha256").update(text).digest("hex");
      }
    }
  };
  await walk("");
  return digests;
}

/** Lists the files that were added, removed or changed between two digest maps. */
export function changedFiles(
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}

/**
 * Resolves the directory argument against the directory that `npm run` was
 * started from, which npm passes in INIT_CWD.
 */
export function resolveDirectory(argument: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), argument);
}

/** Runs a command's main function and sets the exit code from its result. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof CommandError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
        process.exitCode = EXIT_USAGE;
      }
    },
  );
}
