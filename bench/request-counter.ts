// Counts the API requests that the emulator serves, from the request lines
// it writes to its log sink (logfmt with `msg=request`, `method` and `path`).

import type { LogSink } from "../emulator/src/log";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Request counts per endpoint, keyed by method and path with ids replaced
 * by `{id}`, such as "GET /account/api/v1/user/{id}".
 */
export type RequestCounts = Record<string, number>;

export class RequestCounter {
  private counts: RequestCounts = {};
  /** Sum of the emulator's `duration_ms` over the counted requests. */
  private busyMs = 0;

  /** The sink to pass as the emulator's `log` option, with `quiet: false`. */
  readonly sink: LogSink = (line) => {
    if (!/ msg=request /.test(line)) {
      process.stderr.write(`emulator: ${line}\n`);
      return;
    }
    const method = / method=(\S+)/.exec(line)?.[1] ?? "?";
    const path = (/ path=(\S+)/.exec(line)?.[1] ?? "?").replace(UUID, "{id}");
    const key = `${method} ${path}`;
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    this.busyMs += Number(/ duration_ms=([\d.]+)/.exec(line)?.[1] ?? 0);
  };

  /** Returns the counts and the emulator's busy time since the last call, and starts again from zero. */
  take(): { counts: RequestCounts; total: number; emulatorBusyMs: number } {
    const counts = this.counts;
    const emulatorBusyMs = this.busyMs;
    this.counts = {};
    this.busyMs = 0;
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    return { counts, total, emulatorBusyMs };
  }
}
