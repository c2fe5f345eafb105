// Starts the local DigiCert ONE emulator in this process for the main job.

import { mkdir } from "node:fs/promises";

import { RunningEmulator, startEmulator } from "../../emulator/src/server";
import { oneLine } from "./format";
import { StartError } from "./terraform";

/**
 * Starts the emulator on 127.0.0.1 with its data in `dataDir`, so the next
 * run finds the same service users and the same administrator key. Throws a
 * StartError with one line when it cannot listen or read its data.
 */
export async function startLocalEmulator(dataDir: string, port: number): Promise<RunningEmulator> {
  const host = "127.0.0.1";
  await mkdir(dataDir, { recursive: true });
  try {
    return await startEmulator({
      host,
      port,
      dataDir,
      quiet: true,
      // Only errors reach the log when quiet, and they never contain a key.
      log: (line) => process.stderr.write(`emulator: ${line}\n`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new StartError(
        `the local DigiCert ONE emulator failed to start: port ${port} on ${host} is in use. Pass another --port, or --port 0 for any free port.`,
      );
    }
    throw new StartError(
      `the local DigiCert ONE emulator failed to start with its data in ${dataDir}: ${oneLine(error)}. Fix or delete that folder, then run npm start again.`,
    );
  }
}
