/** What the benchmarks need of the processes they start: their CPU time, and when they answer. */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: 100 on Linux on every architecture Node ships for. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a child process has used so far, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  try {
    return ticksToMs(ownTicks(statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'))));
  } catch {
    return Number.NaN;
  }
}

/** The fields of a /proc stat line after the command name (which may hold spaces and parentheses). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
}

/** utime + stime (the 12th and 13th fields after the command name), in clock ticks. */
function ownTicks(fields: string[]): number {
  return Number(fields[11]) + Number(fields[12]);
}

function ticksToMs(ticks: number): number {
  return (ticks * 1000) / CLOCK_TICKS;
}

/**
 * CPU time (user + system, ms) of a process and all its descendants so far, from /proc (Linux; NaN elsewhere):
 * the process's own, its live descendants', and what it has counted of the children it reaped (cutime, cstime).
 * The PostgreSQL server is such a tree: one process per connection under the postmaster.
 */
export function processTreeCpuMs(rootPid: number | undefined): number {
  if (rootPid === undefined) return Number.NaN;
  const stats = new Map<number, string[]>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        stats.set(Number(entry), statFields(readFileSync(`/proc/${entry}/stat`, 'utf8')));
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return Number.NaN;
  }
  const root = stats.get(rootPid);
  if (!root) return Number.NaN;
  // After the command name: ppid is the 2nd field, cutime/cstime (reaped children) the 14th/15th.
  let ticks = ownTicks(root) + Number(root[13]) + Number(root[14]);
  const inTree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, fields] of stats) {
      if (inTree.has(pid) || !inTree.has(Number(fields[1]))) continue;
      inTree.add(pid);
      ticks += ownTicks(fields);
      grew = true;
    }
  }
  return ticksToMs(ticks);
}

/**
 * Waits until `url` answers `ready` (by default: anything below 500), up to two minutes (a busy machine starts
 * Kezek slowly); throws when the process exits first or never answers.
 */
export async function waitUntilUp(child: ChildProcess, url: string, ready: (response: Response) => boolean = (response) => response.status < 500): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the process for ${url} exited`);
    try {
      if (ready(await fetch(url))) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}

/**
 * CPU time (user + system, ms) of each thread of a process so far, summed by thread name (Linux; empty
 * elsewhere): tells the main thread's JavaScript from V8's compiler and GC helpers and libuv's pool.
 */
export function threadCpuMs(pid: number | 'self' = 'self'): Map<string, number> {
  const byName = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      byName.set(name, (byName.get(name) ?? 0) + ticksToMs(ownTicks(statFields(stat))));
    }
  } catch {
    // not Linux, or the process is gone
  }
  return byName;
}
