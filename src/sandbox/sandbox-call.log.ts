import { SFS_WIRE } from '../sfs-auth/sfs/sfs-wire';
import type { SandboxRequest } from './sandbox-http';
import type { SandboxCallNotes } from './sandbox-sfs.context';
import type {
  SfsSandboxCall,
  SfsSandboxCallFilter,
  SfsSandboxCallKind,
  SfsSandboxFault,
  SfsSandboxStats,
} from './sfs-sandbox.types';

/** A logged call as kept: the body bytes and every secret in the clear, masked on the way out. */
export interface SandboxLoggedCall extends SandboxCallNotes {
  readonly seq: number;
  readonly at: number;
  readonly kind: SfsSandboxCallKind;
  readonly request: SandboxRequest;
  status: number;
  errorMessage?: string;
  fault?: SfsSandboxFault;
}

const SECRET_FIELDS: readonly string[] = [SFS_WIRE.fields.secret, SFS_WIRE.fields.clientToken];
const SECRET_HEADERS: readonly string[] = [
  SFS_WIRE.apiKeyHeader.toLowerCase(),
  'x-sandbox-control',
];
const RAW_SECRET = new RegExp(
  `("(?:${SECRET_FIELDS.join('|')})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|[^,}\\]\\s]+)`,
  'g',
);

/** `***` plus the last 4 characters (just `***` for values too short to spare 4). */
export function maskSecret(value: string): string {
  return value.length > 8 ? `***${value.slice(-4)}` : '***';
}

function maskHeader(name: string, value: string): string {
  if (name === 'authorization') {
    const bearer = /^(Bearer +)(\S+)$/i.exec(value.trim());
    return bearer ? bearer[1] + maskSecret(bearer[2]) : '***';
  }
  return SECRET_HEADERS.includes(name) ? maskSecret(value) : value;
}

function maskBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskBody);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (!SECRET_FIELDS.includes(k) || v === null || typeof v === 'object')
        return [k, maskBody(v)];
      return [k, typeof v === 'string' ? maskSecret(v) : '***'];
    }),
  );
}

function maskRaw(raw: string): string {
  return raw.replace(RAW_SECRET, (_m, prefix: string, value: string) => {
    const bare = value.startsWith('"') ? value.slice(1, -1) : value;
    return `${prefix}"${maskSecret(bare)}"`;
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every SFS call the sandbox received, in arrival order (control calls are not logged). */
export class SandboxCallLog {
  private entries: SandboxLoggedCall[] = [];
  private seq = 0;

  constructor(private readonly now: () => number) {}

  /** Logs a call on arrival (status 0 until answered) and returns the entry to complete. */
  record(request: SandboxRequest, kind: SfsSandboxCallKind): SandboxLoggedCall {
    const entry: SandboxLoggedCall = { seq: ++this.seq, at: this.now(), kind, request, status: 0 };
    this.entries.push(entry);
    return entry;
  }

  /** Copies of the logged calls, secrets masked unless `reveal`. */
  list(filter: SfsSandboxCallFilter = {}): SfsSandboxCall[] {
    return this.entries
      .filter((e) => filter.kind === undefined || e.kind === filter.kind)
      .map((e) => this.present(e, filter.reveal === true));
  }

  /** Forgets every logged call. */
  clear(): void {
    this.entries = [];
  }

  /** Counts per kind and status. */
  stats(): SfsSandboxStats {
    const stats: SfsSandboxStats = { total: 0, faulted: 0, byKind: {}, byStatus: {} };
    for (const e of this.entries) {
      const status = String(e.status);
      const kind = (stats.byKind[e.kind] ??= { total: 0, byStatus: {} });
      stats.total++;
      kind.total++;
      kind.byStatus[status] = (kind.byStatus[status] ?? 0) + 1;
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
      if (e.fault) stats.faulted++;
    }
    return stats;
  }

  private present(e: SandboxLoggedCall, reveal: boolean): SfsSandboxCall {
    const hide = (v: string | undefined) => (v === undefined || reveal ? v : maskSecret(v));
    const rawBody = e.request.raw.toString('utf8');
    const headers = Object.fromEntries(
      Object.entries(e.request.headers).map(([name, value]) => {
        const text = Array.isArray(value) ? value.join(', ') : String(value);
        return [name, reveal ? text : maskHeader(name, text)];
      }),
    );
    const body = parseJson(rawBody);
    const call: SfsSandboxCall = {
      seq: e.seq,
      at: e.at,
      method: e.request.method,
      path: e.request.path,
      kind: e.kind,
      headers,
      rawBody: reveal ? rawBody : maskRaw(rawBody),
      body: reveal ? body : maskBody(body),
      status: e.status,
    };
    if (e.errorMessage !== undefined) call.errorMessage = e.errorMessage;
    if (e.fault) call.fault = { ...e.fault };
    if (e.issuedToken !== undefined) call.issuedToken = hide(e.issuedToken);
    if (e.usedToken !== undefined) call.usedToken = hide(e.usedToken);
    if (e.revokedToken !== undefined) call.revokedToken = hide(e.revokedToken);
    if (e.clientKey !== undefined) call.clientKey = e.clientKey;
    return call;
  }
}
