import type {
  SfsSandboxCallKind,
  SfsSandboxFault,
  SfsSandboxFaultProfile,
} from './sfs-sandbox.types';

/** Every call kind, for validation of control input. */
export const SANDBOX_CALL_KINDS: readonly SfsSandboxCallKind[] = [
  'platform.create',
  'platform.revoke',
  'client.create',
  'client.revoke',
  'contract.list',
  'unknown',
];

function fail(message: string): never {
  throw new TypeError(`Invalid sandbox fault: ${message}`);
}

const isRate = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;
const isDelay = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isErrorStatus = (v: unknown) => Number.isInteger(v) && Number(v) >= 400 && Number(v) <= 599;

/** Throws a `TypeError` naming the field unless `value` is a usable {@link SfsSandboxFault}. */
export function assertValidFault(value: unknown): asserts value is SfsSandboxFault {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('not an object');
  const f = value as Record<string, unknown>;
  const known = ['kind', 'status', 'retryAfter', 'reset', 'hang', 'delayMs'];
  const extra = Object.keys(f).find((k) => !known.includes(k));
  if (extra !== undefined) fail(`unknown field '${extra}'`);
  if (f.kind !== undefined && !SANDBOX_CALL_KINDS.includes(f.kind as never)) fail("bad 'kind'");
  if (f.status !== undefined && !isErrorStatus(f.status)) fail("'status' must be 400-599");
  if (f.retryAfter !== undefined && typeof f.retryAfter !== 'string') fail("bad 'retryAfter'");
  if (f.reset !== undefined && typeof f.reset !== 'boolean') fail("'reset' must be a boolean");
  if (f.hang !== undefined && typeof f.hang !== 'boolean') fail("'hang' must be a boolean");
  if (f.delayMs !== undefined && !isDelay(f.delayMs)) fail("'delayMs' must be >= 0");
  const effects = [f.status !== undefined, f.reset === true, f.hang === true];
  if (effects.filter(Boolean).length > 1) fail("only one of 'status', 'reset', 'hang'");
  if (!effects.includes(true) && f.delayMs === undefined) fail('it does nothing');
}

/** Throws a `TypeError` naming the field unless `value` is a usable {@link SfsSandboxFaultProfile}. */
export function assertValidProfile(value: unknown): asserts value is SfsSandboxFaultProfile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('not an object');
  const p = value as Record<string, unknown>;
  const known = [
    'latencyMs',
    'statusRates',
    'retryAfterSeconds',
    'resetRate',
    'hangRate',
    'lateRate',
    'lateMs',
  ];
  const extra = Object.keys(p).find((k) => ![...known, 'kinds', 'seed'].includes(k));
  if (extra !== undefined) fail(`unknown field '${extra}'`);
  const latency = p.latencyMs as number[] | undefined;
  if (
    latency !== undefined &&
    !(
      Array.isArray(latency) &&
      latency.length === 2 &&
      latency.every(isDelay) &&
      latency[0] <= latency[1]
    )
  ) {
    fail("'latencyMs' must be [min, max] with 0 <= min <= max");
  }
  const rates = p.statusRates as Record<string, unknown> | undefined;
  if (rates !== undefined) {
    if (typeof rates !== 'object' || rates === null) fail("'statusRates' must be an object");
    for (const [status, rate] of Object.entries(rates)) {
      if (!isErrorStatus(Number(status)) || !isRate(rate)) fail(`bad 'statusRates.${status}'`);
    }
    if (Object.values(rates).reduce<number>((s, r) => s + Number(r), 0) > 1) fail('rates sum > 1');
  }
  if (p.retryAfterSeconds !== undefined && !isDelay(p.retryAfterSeconds))
    fail("bad 'retryAfterSeconds'");
  if (p.resetRate !== undefined && !isRate(p.resetRate)) fail("'resetRate' must be in [0, 1]");
  if (p.hangRate !== undefined && !isRate(p.hangRate)) fail("'hangRate' must be in [0, 1]");
  if (p.lateRate !== undefined && !isRate(p.lateRate)) fail("'lateRate' must be in [0, 1]");
  if (p.lateMs !== undefined && !isDelay(p.lateMs)) fail("bad 'lateMs'");
  const kinds = p.kinds;
  if (
    kinds !== undefined &&
    !(Array.isArray(kinds) && kinds.every((k) => SANDBOX_CALL_KINDS.includes(k)))
  ) {
    fail("bad 'kinds'");
  }
  if (p.seed !== undefined && !Number.isInteger(p.seed)) fail("'seed' must be an integer");
}
