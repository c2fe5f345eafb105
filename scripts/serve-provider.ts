// Starts the built provider as one long-lived process, or stops it.
//
//   npm run provider:serve           prints `export TF_REATTACH_PROVIDERS=...`
//   npm run provider:stop            stops the process that variable names
//
// Terraform commands run with that variable reuse the running provider
// instead of starting one per phase, and need no `terraform init` for it.
// The provider serves until Ctrl-C, SIGTERM, `stop` typed on its stdin or
// `npm run provider:stop`. It logs at info unless TF_LOG_PROVIDER or TF_LOG
// selects another level.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { PROVIDER_SOURCE } from "../provider/src/schema-json";
import { terraformPlatform } from "./build-provider";

const root = path.resolve(__dirname, "..");

export const USAGE = `Usage: npm run provider:serve [-- --help]
       npm run provider:stop

provider:serve starts the built provider as one long-lived process, prints
\`export TF_REATTACH_PROVIDERS='...'\` and serves until Ctrl-C, SIGTERM or a
\`stop\` line on stdin. provider:stop stops the process that
TF_REATTACH_PROVIDERS names.

The provider writes JSON log lines to stderr at info and above. Set
TF_LOG_PROVIDER (or TF_LOG) to TRACE, DEBUG, INFO, WARN, ERROR or OFF before
starting it to choose another level.

Exit status: 0 on success, 1 on failure, 2 for invalid arguments.
`;

/** An invalid command line: the caller prints the message and exits with status 2. */
export class UsageError extends Error {}

export type ServeCommand = "serve" | "stop" | "help";

/**
 * Parses the arguments after the script name: none to serve, `stop`, or
 * `--help`/`-h`. Throws UsageError for anything else.
 */
export function parseServeArguments(argv: readonly string[]): ServeCommand {
  const isHelp = (argument: string) => argument === "--help" || argument === "-h";
  const others = argv.filter((argument) => !isHelp(argument));
  const asksForHelp = others.length < argv.length;
  if (others.length === 0) return asksForHelp ? "help" : "serve";
  if (others.length === 1 && others[0] === "stop") return asksForHelp ? "help" : "stop";

  const unknown = others.find((argument) => argument !== "stop") ?? others[1];
  throw new UsageError(
    unknown.startsWith("-") ? `unknown option "${unknown}"` : `unexpected argument "${unknown}"`,
  );
}

/** Returns the path of the built launcher, or throws with the fix. */
export function builtLauncher(): string {
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
  };
  const launcher = path.join(
    root,
    "build/mirror",
    PROVIDER_SOURCE,
    version,
    terraformPlatform(),
    `terraform-provider-digicertone_v${version}`,
  );
  if (!existsSync(launcher)) {
    throw new Error(`${launcher} is missing: run \`npm run build\` first.`);
  }
  return launcher;
}

function serveProvider(): void {
  const child = spawn(builtLauncher(), ["--serve"], { stdio: "inherit" });
  // The provider handles Ctrl-C itself, and this process waits for it.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
}

/**
 * Sends SIGTERM to the provider that TF_REATTACH_PROVIDERS names, after
 * checking that its socket still exists, so that a stale value cannot
 * signal an unrelated process that reuses the PID.
 */
function stopProvider(): void {
  const value = process.env.TF_REATTACH_PROVIDERS;
  if (value === undefined || value === "") {
    throw new Error("TF_REATTACH_PROVIDERS is not set: run this in the shell where you exported it.");
  }
  const config = (JSON.parse(value) as Record<string, { Pid: number; Addr: { String: string } }>)[
    PROVIDER_SOURCE
  ];
  if (config === undefined) {
    throw new Error(`TF_REATTACH_PROVIDERS has no entry for ${PROVIDER_SOURCE}.`);
  }
  if (!existsSync(config.Addr.String) || !statSync(config.Addr.String).isSocket()) {
    throw new Error(
      `the socket ${config.Addr.String} does not exist, so the provider has already stopped: unset TF_REATTACH_PROVIDERS.`,
    );
  }
  process.kill(config.Pid, "SIGTERM");
  process.stdout.write(`stopped the provider (PID ${config.Pid}): unset TF_REATTACH_PROVIDERS\n`);
}

if (require.main === module) {
  let command: ServeCommand;
  try {
    command = parseServeArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  try {
    if (command === "help") process.stdout.write(USAGE);
    else if (command === "stop") stopProvider();
    else serveProvider();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
