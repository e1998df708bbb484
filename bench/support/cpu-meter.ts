import { readdirSync, readFileSync } from 'node:fs';

/** CPU time spent since {@link startCpuMeter}, split between this process and its descendants. */
export interface CpuSpent {
  /** This Node process: the module, the host app and the in-process SFS sandbox. */
  readonly nodeMs: number;
  /** Live descendant processes named `postgres`: the embedded server and its backends. */
  readonly postgresMs: number;
  /** Every other live descendant process (e.g. a sandbox run as a child process). */
  readonly otherMs: number;
}

// Linux /proc: field 14 and 15 of /proc/<pid>/stat are utime and stime, in clock ticks (100/s on
// Linux unless the kernel says otherwise); field 4 is the parent pid.
const TICK_MS = 10;

interface ProcessRow {
  readonly ppid: number;
  readonly name: string;
  readonly cpuMs: number;
}

function processTable(): Map<number, ProcessRow> {
  const table = new Map<number, ProcessRow>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces: the fields after it start at the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), {
        ppid: Number(fields[1]),
        name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return table;
}

function descendantsCpuMs(): { postgres: number; other: number } {
  const table = processTable();
  const ours = new Set([process.pid]);
  const total = { postgres: 0, other: 0 };
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, row] of table) {
      if (!ours.has(pid) && ours.has(row.ppid)) {
        ours.add(pid);
        total[row.name === 'postgres' ? 'postgres' : 'other'] += row.cpuMs;
        grew = true;
      }
    }
  }
  return total;
}

/**
 * Starts measuring CPU time (descendants on Linux only; elsewhere they stay 0). Backends that exit
 * during the measurement take their CPU time with them, so keep the pool open across it.
 */
export function startCpuMeter(): () => CpuSpent {
  const linux = process.platform === 'linux';
  const node0 = process.cpuUsage();
  const children0 = linux ? descendantsCpuMs() : { postgres: 0, other: 0 };
  return () => {
    const node = process.cpuUsage(node0);
    const children = linux ? descendantsCpuMs() : children0;
    return {
      nodeMs: (node.user + node.system) / 1000,
      postgresMs: children.postgres - children0.postgres,
      otherMs: children.other - children0.other,
    };
  };
}
