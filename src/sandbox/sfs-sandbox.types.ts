/** Platform credentials the sandbox accepts. */
export interface SfsSandboxAccount {
  apiKey: string;
  secret: string;
}

/** How to start a sandbox. */
export interface SfsSandboxOptions {
  /** Accounts accepted by the credentials call. @default one generated account */
  accounts?: SfsSandboxAccount[];
  /** Lifetime of platform tokens, seconds. @default 1800 */
  platformTokenLifetimeSeconds?: number;
  /** Lifetime of client tokens, seconds. @default 1800 */
  clientTokenLifetimeSeconds?: number;
  /** Port on 127.0.0.1. @default 0 (a free one) */
  port?: number;
  /** Time source for expiry, ms since epoch. @default Date.now */
  now?: () => number;
}

/** One injected failure. */
export interface SfsSandboxFault {
  /** Answer with this status (and a `{code,message}` body). */
  status?: number;
  /** `Retry-After` header value, for 429/503. */
  retryAfter?: string;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** Never answer (the client's timeout fires). */
  hang?: boolean;
  /** Extra latency before answering (or before the fault). */
  delayMs?: number;
}

/** Random faults applied to calls (each roll independent). */
export interface SfsSandboxFaultProfile {
  /** Added latency, uniform in [min, max] ms. */
  latencyMs?: [number, number];
  /** Probability per status, e.g. `{500: 0.1, 503: 0.05, 429: 0.05}`. */
  statusRates?: Record<number, number>;
  /** `Retry-After` (seconds) sent with injected 429/503. @default '1' */
  retryAfterSeconds?: number;
  /** Probability of a connection reset. */
  resetRate?: number;
  /** Probability of never answering. */
  hangRate?: number;
  /** Only calls of these kinds are faulted. @default all */
  kinds?: SfsSandboxCallKind[];
}

export type SfsSandboxCallKind =
  | 'platform.create'
  | 'platform.revoke'
  | 'client.create'
  | 'client.revoke'
  | 'contract.list'
  | 'unknown';

/** One call the sandbox received, as logged. */
export interface SfsSandboxCall {
  seq: number;
  at: number;
  method: string;
  path: string;
  kind: SfsSandboxCallKind;
  /** Lower-cased header names; secrets masked unless `reveal` was asked. */
  headers: Record<string, string>;
  /** The raw request body text (secrets masked unless `reveal`). */
  rawBody: string;
  /** Parsed JSON body, if it parsed (secrets masked unless `reveal`). */
  body: unknown;
  status: number;
  /** The fault injected, if any. */
  fault?: SfsSandboxFault;
  /** Token issued by this call (masked unless `reveal`). */
  issuedToken?: string;
  /** Token the call authenticated with or revoked (masked unless `reveal`). */
  usedToken?: string;
  /** Client key the call concerned, if any. */
  clientKey?: string;
}
