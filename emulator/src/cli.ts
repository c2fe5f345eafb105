// Command-line entry point: `npm run emulator -- [options]`. Prints the URL
// and the administrator and viewer keys on stdout, logs one line per request
// to stderr, and stops cleanly on SIGINT or SIGTERM.

import { CliOptions, USAGE, UsageError, parseCommandLine } from "./cli-options";
import { enabledFaultNames } from "./faults";
import { formatLogLine, writeToStderr } from "./log";
import { PortInUseError, RunningEmulator, startEmulator } from "./server";
import { readTlsFiles } from "./tls";

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
      faults: options.faults,
      tls: options.tls === undefined ? undefined : readTlsFiles(options.tls),
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
  const faultNames = enabledFaultNames(options.faults);
  if (faultNames.length > 0) {
    // The seed is logged so that a run with random faults can be repeated.
    writeToStderr(
      formatLogLine("info", "faults enabled", {
        faults: faultNames.join(","),
        seed: emulator.faults().seed,
      }),
    );
  }
  printBanner(emulator, options.dataDir);
  stopOnSignals(emulator);
}

void main();
