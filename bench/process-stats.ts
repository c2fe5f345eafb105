// Peak resident memory and CPU time of processes, read from Linux's /proc.
//
// VmHWM in /proc/<pid>/status is the process's peak resident set size so
// far, and fields 14 and 15 of /proc/<pid>/stat (utime, stime) its CPU time
// so far. Both vanish when the process exits, so the processes that
// Terraform starts per phase, and Terraform itself, are sampled while they
// run. Children are found through /proc/<pid>/task/<tid>/children.

import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat: USER_HZ, 100 on Linux. */
const TICKS_PER_SECOND = 100;

/** Returns the peak resident set size of `pid` in bytes, or undefined once it has exited. */
export function peakResidentBytes(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match === null ? undefined : Number(match[1]) * 1024;
}

/** Returns the user plus system CPU time of `pid` in milliseconds, or undefined once it has exited. */
export function cpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name, field 2, may contain spaces, so count fields after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Returns the ids of the direct child processes of `pid`, from every thread. */
export function childProcessIds(pid: number): number[] {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const thread of threads) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${thread}/children`, "utf8");
      for (const id of text.split(" ")) if (id.trim() !== "") children.push(Number(id));
    } catch {
      // The thread exited between readdir and read.
    }
  }
  return children;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

export interface SampledStats {
  /** CPU time of the sampled process itself, in milliseconds. */
  parentCpuMs: number;
  /** Peak resident memory of each matching child by process id, in bytes. */
  childPeakBytes: Map<number, number>;
  /** CPU time of all matching children together, in milliseconds. */
  childCpuMs: number;
}

/**
 * Samples, every `intervalMs`, the CPU time of one process and the peak
 * memory and CPU time of its children whose command line contains
 * `marker`. The last sample of a process is taken up to `intervalMs`
 * before it exits, so what it uses in that window is missed.
 */
export class ProcessSampler {
  private parentCpu = 0;
  private readonly childPeaks = new Map<number, number>();
  private readonly childCpu = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly parentPid: number,
    private readonly marker: string,
    intervalMs = 20,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    this.parentCpu = cpuMs(this.parentPid) ?? this.parentCpu;
    for (const child of childProcessIds(this.parentPid)) {
      if (!this.childPeaks.has(child) && !commandLine(child).includes(this.marker)) continue;
      const peak = peakResidentBytes(child);
      const cpu = cpuMs(child);
      if (peak === undefined || cpu === undefined) continue;
      this.childPeaks.set(child, Math.max(peak, this.childPeaks.get(child) ?? 0));
      this.childCpu.set(child, cpu);
    }
  }

  /** Stops sampling and returns what it saw. */
  stop(): SampledStats {
    clearInterval(this.timer);
    let childCpuMs = 0;
    for (const cpu of this.childCpu.values()) childCpuMs += cpu;
    return { parentCpuMs: this.parentCpu, childPeakBytes: this.childPeaks, childCpuMs };
  }
}
