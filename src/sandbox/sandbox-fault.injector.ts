import { randomInt } from 'node:crypto';
import { assertValidFault, assertValidProfile } from './sandbox-fault.validation';
import type {
  SfsSandboxCallKind,
  SfsSandboxFault,
  SfsSandboxFaultProfile,
} from './sfs-sandbox.types';

/** mulberry32: a tiny seedable PRNG, plenty for fault rolls. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Decides the fault of each SFS call: first the oldest queued fault that matches the call's kind
 * (FIFO, deterministic), else a roll against the random profile. It only decides; the router
 * applies the fault before any token state is touched.
 */
export class SandboxFaultInjector {
  private profile?: SfsSandboxFaultProfile;
  private random: () => number = Math.random;
  private queue: SfsSandboxFault[] = [];

  /** Replaces the random profile (validated; a `seed` restarts the PRNG). */
  setProfile(profile: SfsSandboxFaultProfile): void {
    assertValidProfile(profile);
    this.profile = structuredClone(profile);
    this.random = seededRandom(profile.seed ?? randomInt(2 ** 32));
  }

  /** Appends faults for the next matching calls. */
  enqueue(faults: SfsSandboxFault[]): void {
    faults.forEach(assertValidFault);
    this.queue.push(...faults.map((fault) => structuredClone(fault)));
  }

  /** Faults still queued. */
  get queued(): number {
    return this.queue.length;
  }

  /** Drops the profile and the queue. */
  clear(): void {
    this.profile = undefined;
    this.queue = [];
  }

  /** The fault for a call of this kind, if any (consumes a queued one). */
  next(kind: SfsSandboxCallKind): SfsSandboxFault | undefined {
    const index = this.queue.findIndex((f) => f.kind === undefined || f.kind === kind);
    if (index >= 0) return this.queue.splice(index, 1)[0];
    return this.roll(kind);
  }

  private roll(kind: SfsSandboxCallKind): SfsSandboxFault | undefined {
    const p = this.profile;
    if (!p || (p.kinds && !p.kinds.includes(kind))) return undefined;
    const fault: SfsSandboxFault = {};
    if (p.latencyMs) {
      const [min, max] = p.latencyMs;
      const delay = Math.round(min + this.random() * (max - min));
      if (delay > 0) fault.delayMs = delay;
    }
    if (p.resetRate && this.random() < p.resetRate) fault.reset = true;
    else if (p.hangRate && this.random() < p.hangRate) fault.hang = true;
    else if (p.lateRate && this.random() < p.lateRate) fault.delayMs = p.lateMs ?? 5000;
    else {
      const status = this.pickStatus(p.statusRates ?? {});
      if (status !== undefined) fault.status = status;
      if (status === 429 || status === 503) fault.retryAfter = String(p.retryAfterSeconds ?? 1);
    }
    return Object.keys(fault).length > 0 ? fault : undefined;
  }

  private pickStatus(rates: Record<number, number>): number | undefined {
    const roll = this.random();
    let sum = 0;
    for (const [status, rate] of Object.entries(rates).sort(([a], [b]) => Number(a) - Number(b))) {
      sum += rate;
      if (roll < sum) return Number(status);
    }
    return undefined;
  }
}
