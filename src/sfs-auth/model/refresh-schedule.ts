/** Inputs of the refresh plan of one token, all in milliseconds. */
export interface SfsRefreshPlanInput {
  issuedAt: number;
  expiresAt: number;
  /** Configured lead (`refreshLeadSeconds` × 1000). */
  leadMs: number;
  /** Uniform random in [0, 1); injected so tests are exact. */
  random: number;
}

/** The effective lead for a lifetime: the configured lead, capped at half the lifetime. */
export function effectiveLeadMs(lifetimeMs: number, leadMs: number): number {
  return Math.max(0, Math.min(leadMs, Math.floor(lifetimeMs / 2)));
}

/**
 * When to refresh: `expiresAt − min(lead, lifetime/2) − jitter`, the jitter uniform in
 * [0, lifetime/10]. Because lead ≤ lifetime/2 and jitter ≤ lifetime/10, a token is never due at
 * birth: refreshAt ≥ issuedAt + 0.4 × lifetime.
 */
export function computeRefreshAt(input: SfsRefreshPlanInput): number {
  const lifetime = Math.max(0, input.expiresAt - input.issuedAt);
  const jitter = Math.floor(input.random * (lifetime / 10));
  return input.expiresAt - effectiveLeadMs(lifetime, input.leadMs) - jitter;
}

/**
 * Whether a token may be handed to a caller at `now`: it must not expire within the effective
 * lead (so whoever gets it has at least that long to use it).
 */
export function isServable(
  token: { issuedAt: number; expiresAt: number },
  now: number,
  leadMs: number,
): boolean {
  const lifetime = token.expiresAt - token.issuedAt;
  return token.expiresAt - now > effectiveLeadMs(lifetime, leadMs);
}

/**
 * When a browser holding a token should ask for it again (`renewAt` of the hand-off): half the
 * effective lead before expiry, the lead capped at half the time left (as serving caps it at half
 * the lifetime), so the module serves the replacement by then; never sooner than 1 s from `now`
 * (or expiry, when that is sooner), so a browser never polls in a loop.
 */
export function browserRenewAt(expiresAt: number, now: number, leadMs: number): number {
  const left = Math.max(0, expiresAt - now);
  const lead = Math.min(leadMs, left / 2);
  return Math.round(Math.max(now + Math.min(1000, left), expiresAt - lead / 2));
}
