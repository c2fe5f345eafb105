// Command-line entry point: `npm run emulator -- [options]`. Prints the URL
// and the administrator and viewer keys on stdout, logs one line per request
// to stderr, and stops cleanly on SIGINT or SIGTERM.

import { resolve } from "node:path";
import { parseArgs } from "node:util";

import { formatLogLine, writeToStderr } from "./log";
import { PortInUseError, RunningEmulator, startEmulator } from "./server";

const USAGE = `Usage: npm run emulator -- [options]

Starts a local DigiCert ONE emulator that serves the Account Manager API for
service users under /account/api/v1. It prints the URL and the API keys of
the emulator's administrator and viewer users, then logs one line per
request to stderr. Stop it with Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port <number>     TCP port to listen on, 0 for any free port (default: 0)
  --host <address>    loopback address to listen on: one in 127.0.0.0/8,
                      ::1 or localhost (default: 127.0.0.1)
  --data-dir <path>   directory that keeps service users and the API keys
                      across restarts (default: none, state is in memory)
  --quiet             do not log requests (errors are still logged)
  --help              print this help and exit

Example:
  npm run emulator -- --port 8080 --data-dir .emulator-data
`;

interface CliOptions {
  port: number;
  host: string;
  dataDir: string | undefined;
  quiet: boolean;
}

class UsageError extends Error {}

function parseCommandLine(args: string[]): CliOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "data-dir": { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    return "help";
  }

  const portText = values.port ?? "0";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(
      `--port ${JSON.stringify(portText)} is not valid. Use a whole number from 0 to 65535.`,
    );
  }
  const dataDir = values["data-dir"];
  if (dataDir === "") {
    throw new UsageError("--data-dir is empty. Pass a directory path, or omit the option.");
  }
  return {
    port,
    host: values.host ?? "127.0.0.1",
    dataDir: dataDir === undefined ? undefined : resolve(dataDir),
    quiet: values.quiet ?? false,
  };
}

function printBanner(emulator: RunningEmulator, dataDir: string | undefined): void {
  const lines = [
    `DigiCert ONE emulator listening on ${emulator.url}`,
    `API base URL:          ${emulator.apiUrl}`,
    `Administrator API key: ${emulator.adminApiKey}`,
    `Viewer API key:        ${emulator.viewerApiKey}`,
    `Data directory:        ${dataDir ?? "none (state is in memory only)"}`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

/** Stops the emulator on the first SIGINT or SIGTERM, and exits at once on a second. */
function stopOnSignals(emulator: RunningEmulator): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      writeToStderr(formatLogLine("error", "second signal, exiting without waiting", { signal }));
      process.exit(1);
    }
    stopping = true;
    writeToStderr(formatLogLine("info", "stopping", { signal }));
    emulator.close().then(
      () => {
        writeToStderr(formatLogLine("info", "stopped", {}));
        process.exit(0);
      },
      (error: unknown) => {
        writeToStderr(formatLogLine("error", "stop failed", { error: String(error) }));
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

async function main(): Promise<void> {
  let options: CliOptions | "help";
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  if (options === "help") {
    process.stdout.write(USAGE);
    return;
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      host: options.host,
      port: options.port,
      dataDir: options.dataDir,
      quiet: options.quiet,
    });
  } catch (error) {
    if (error instanceof PortInUseError) {
      process.stderr.write(
        `error: port ${error.port} on ${error.host} is already in use. ` +
          "Pick another --port, or --port 0 for any free port.\n",
      );
    } else {
      process.stderr.write(`error: the emulator failed to start: ${(error as Error).message}\n`);
    }
    process.exit(1);
  }

  writeToStderr(formatLogLine("info", "started", { url: emulator.url }));
  printBanner(emulator, options.dataDir);
  stopOnSignals(emulator);
}

void main();
