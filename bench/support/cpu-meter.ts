import { readdirSync, readFileSync } from 'node:fs';

/** CPU time spent since {@link startCpuMeter}, split between this process and its descendants. */
export interface CpuSpent {
  /** This Node process: the module, the host app and the in-process SFS sandbox. */
  readonly nodeMs: number;
  /**
   * Descendant processes named `postgres`: the embedded server, its backends and workers, and
   * those of them that exited meanwhile (the server's reaped children).
   */
  readonly postgresMs: number;
  /** {@link postgresMs} by process: `backend`, `walwriter`, `autovacuum worker`, `exited`... */
  readonly postgresByRole: Readonly<Record<string, number>>;
  /** Every other live descendant process (e.g. a sandbox run as a child process). */
  readonly otherMs: number;
}

// Linux /proc: fields 14 and 15 of /proc/<pid>/stat are utime and stime, 16 and 17 the same of
// its exited and reaped children, in clock ticks (100/s on Linux unless the kernel says
// otherwise); field 4 is the parent pid.
const TICK_MS = 10;

interface ProcessRow {
  readonly ppid: number;
  readonly name: string;
  readonly cpuMs: number;
  readonly reapedMs: number;
}

/** What a PostgreSQL process does, from the title it sets (`postgres: walwriter`...). */
function postgresRole(pid: number): string {
  try {
    const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    if (!title.startsWith('postgres: ')) return 'server';
    const role = title.slice('postgres: '.length);
    // A backend's title is `user database host(port) state`.
    return /\d+\.\d+\.\d+\.\d+\(\d+\)/.test(role) ? 'backend' : role.trim();
  } catch {
    return 'exited';
  }
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
        reapedMs: (Number(fields[13]) + Number(fields[14])) * TICK_MS,
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return table;
}

interface DescendantsCpu {
  readonly postgres: Record<string, number>;
  readonly other: number;
}

function descendantsCpuMs(): DescendantsCpu {
  const table = processTable();
  const ours = new Set([process.pid]);
  const total: { postgres: Record<string, number>; other: number } = { postgres: {}, other: 0 };
  const add = (role: string, ms: number) => {
    total.postgres[role] = (total.postgres[role] ?? 0) + ms;
  };
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, row] of table) {
      if (!ours.has(pid) && ours.has(row.ppid)) {
        ours.add(pid);
        if (row.name === 'postgres') {
          add(postgresRole(pid), row.cpuMs);
          add('exited', row.reapedMs);
        } else {
          total.other += row.cpuMs;
        }
        grew = true;
      }
    }
  }
  return total;
}

const sum = (byRole: Readonly<Record<string, number>>) =>
  Object.values(byRole).reduce((a, b) => a + b, 0);

/**
 * Starts measuring CPU time (descendants on Linux only; elsewhere they stay 0). A process that
 * exits during the measurement is counted once its parent has reaped it (PostgreSQL reaps its
 * backends and workers at once).
 */
export function startCpuMeter(): () => CpuSpent {
  const linux = process.platform === 'linux';
  const node0 = process.cpuUsage();
  const children0 = linux ? descendantsCpuMs() : { postgres: {}, other: 0 };
  return () => {
    const node = process.cpuUsage(node0);
    const children = linux ? descendantsCpuMs() : children0;
    const byRole: Record<string, number> = {};
    for (const role of new Set([
      ...Object.keys(children.postgres),
      ...Object.keys(children0.postgres),
    ])) {
      const ms = (children.postgres[role] ?? 0) - (children0.postgres[role] ?? 0);
      if (ms !== 0) byRole[role] = ms;
    }
    return {
      nodeMs: (node.user + node.system) / 1000,
      postgresMs: sum(byRole),
      postgresByRole: byRole,
      otherMs: children.other - children0.other,
    };
  };
}
