import { readdirSync, readFileSync } from 'node:fs';

/** CPU time spent since {@link startCpuMeter}, split between this process and its descendants. */
export interface CpuSpent {
  /** This Node process: the module, the host app and the in-process SFS sandbox. */
  readonly nodeMs: number;
  /** Every live descendant process (here: the embedded PostgreSQL server and its backends). */
  readonly childrenMs: number;
}

// Linux /proc: field 14 and 15 of /proc/<pid>/stat are utime and stime, in clock ticks (100/s on
// Linux unless the kernel says otherwise); field 4 is the parent pid.
const TICK_MS = 10;

function processTable(): Map<number, { ppid: number; cpuMs: number }> {
  const table = new Map<number, { ppid: number; cpuMs: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces: the fields after it start at the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), {
        ppid: Number(fields[1]),
        cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return table;
}

function descendantsCpuMs(): number {
  const table = processTable();
  const ours = new Set([process.pid]);
  let total = 0;
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, row] of table) {
      if (!ours.has(pid) && ours.has(row.ppid)) {
        ours.add(pid);
        total += row.cpuMs;
        grew = true;
      }
    }
  }
  return total;
}

/**
 * Starts measuring CPU time (Linux only; elsewhere `childrenMs` stays 0). Backends that exit
 * during the measurement take their CPU time with them, so keep the pool open across it.
 */
export function startCpuMeter(): () => CpuSpent {
  const linux = process.platform === 'linux';
  const node0 = process.cpuUsage();
  const children0 = linux ? descendantsCpuMs() : 0;
  return () => {
    const node = process.cpuUsage(node0);
    return {
      nodeMs: (node.user + node.system) / 1000,
      childrenMs: linux ? descendantsCpuMs() - children0 : 0,
    };
  };
}
