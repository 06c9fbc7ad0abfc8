import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ; `getconf CLK_TCK` is 100 on every mainstream kernel build

/** Pid of a child of this process whose command line contains `needle` (Linux /proc), or undefined. */
export function findChildPid(needle: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid !== process.pid) continue;
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) return Number(entry);
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    // no /proc (not Linux): figures that need it are left out
  }
  return undefined;
}

/** CPU time (user + system, ms) used so far by a process, or undefined when unreadable. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 14 and 15 of stat (utime, stime) are at 11 and 12 once pid and comm are cut off
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process (bytes), or undefined. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface Usage {
  wallMs: number;
  /** CPU of this Node process (worker, client and sandbox simulators together). */
  nodeCpuMs: number;
  serverCpuMs?: number;
  peakNodeRss: number;
  peakServerRss?: number;
}

/** Sample CPU and peak RSS of this process and the dev server between start() and stop(). */
export class UsageMeter {
  private t0 = 0;
  private cpu0 = process.cpuUsage();
  private server0?: number;
  private peakNode = 0;
  private peakServer?: number;
  private timer?: NodeJS.Timeout;

  constructor(private readonly serverPid?: number) {}

  start(): void {
    this.t0 = Date.now();
    this.cpu0 = process.cpuUsage();
    this.server0 = this.serverPid ? cpuMsOf(this.serverPid) : undefined;
    this.peakNode = process.memoryUsage.rss();
    this.peakServer = undefined;
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
  }

  stop(): Usage {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const cpu = process.cpuUsage(this.cpu0);
    const server1 = this.serverPid ? cpuMsOf(this.serverPid) : undefined;
    return {
      wallMs: Date.now() - this.t0,
      nodeCpuMs: (cpu.user + cpu.system) / 1000,
      serverCpuMs: server1 !== undefined && this.server0 !== undefined ? server1 - this.server0 : undefined,
      peakNodeRss: this.peakNode,
      peakServerRss: this.peakServer,
    };
  }

  private sample(): void {
    this.peakNode = Math.max(this.peakNode, process.memoryUsage.rss());
    const s = this.serverPid ? rssOf(this.serverPid) : undefined;
    if (s !== undefined) this.peakServer = Math.max(this.peakServer ?? 0, s);
  }
}

export const mb = (bytes: number | undefined): string => (bytes === undefined ? '–' : `${Math.round(bytes / 2 ** 20)} MB`);
