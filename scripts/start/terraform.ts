// Runs the Terraform CLI for the main job: checks that it is installed, and
// runs commands with their output either shown as it comes or kept for an
// error, with the API key masked in both.

import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

import { oneLine } from "./format";

/** Minimum Terraform version, as the README requires. */
const MINIMUM_VERSION = [1, 11] as const;

const INSTALL_HINT =
  "Install Terraform 1.11 or later (https://developer.hashicorp.com/terraform/install, or unzip the release archive into /usr/local/bin) and run npm start again.";

/** A failure the main job reports in one line before it exits with 1. */
export class StartError extends Error {}

/** Checks that `terraform` is on the PATH and 1.11 or later, and returns its version. */
export async function checkTerraform(env: NodeJS.ProcessEnv): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)("terraform", ["version", "-json"], { env }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new StartError(`terraform was not found on the PATH. ${INSTALL_HINT}`);
    }
    throw new StartError(`terraform version failed: ${oneLine(error)}`);
  }

  const version = (JSON.parse(stdout) as { terraform_version?: string }).terraform_version ?? "";
  const [major, minor] = version.split(".").map(Number);
  const [minimumMajor, minimumMinor] = MINIMUM_VERSION;
  const recentEnough =
    major > minimumMajor || (major === minimumMajor && minor >= minimumMinor);
  if (!recentEnough) {
    throw new StartError(`terraform ${version || "of unknown version"} is too old. ${INSTALL_HINT}`);
  }
  return version;
}

export interface TerraformRun {
  readonly code: number;
  /** stdout and stderr together, with secrets masked. Empty when streamed. */
  readonly output: string;
}

export interface TerraformOptions {
  /** Terraform's working directory. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Strings replaced by `<redacted>` in everything printed or kept. */
  readonly secrets: readonly string[];
  /** Adds -no-color, for output that is not a terminal. */
  readonly noColor: boolean;
}

/**
 * Runs one terraform command. `stream` copies its output to this process's
 * stdout and stderr line by line, and `capture` keeps it and returns it.
 */
export function runTerraform(
  args: string[],
  options: TerraformOptions,
  mode: "stream" | "capture",
): Promise<TerraformRun> {
  const [command, ...rest] = args;
  const fullArgs = options.noColor ? [command, "-no-color", ...rest] : args;
  const child = spawn("terraform", fullArgs, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });

  let output = "";
  const sink = (target: NodeJS.WriteStream) => (text: string) => {
    if (mode === "stream") target.write(text);
    else output += text;
  };
  const stdout = new LineMasker(options.secrets, sink(process.stdout));
  const stderr = new LineMasker(options.secrets, sink(process.stderr));
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => stdout.write(chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr.write(chunk));

  return new Promise((resolve, reject) => {
    child.on("error", (error) =>
      reject(new StartError(`terraform ${command} could not start: ${error.message}`)),
    );
    child.on("close", (code, signal) => {
      stdout.end();
      stderr.end();
      resolve({ code: code ?? (signal === null ? 1 : 128), output });
    });
  });
}

/**
 * Replaces secrets in text that arrives in chunks. It holds back the last,
 * unfinished line, so a secret split across two chunks is still found.
 */
class LineMasker {
  private pending = "";

  constructor(
    private readonly secrets: readonly string[],
    private readonly emit: (text: string) => void,
  ) {}

  write(chunk: string): void {
    const text = this.pending + chunk;
    const lastNewline = text.lastIndexOf("\n");
    this.pending = text.slice(lastNewline + 1);
    if (lastNewline >= 0) {
      this.emit(this.mask(text.slice(0, lastNewline + 1)));
    }
  }

  end(): void {
    if (this.pending !== "") this.emit(this.mask(this.pending));
    this.pending = "";
  }

  private mask(text: string): string {
    let masked = text;
    for (const secret of this.secrets) {
      if (secret !== "") masked = masked.split(secret).join("<redacted>");
    }
    return masked;
  }
}
