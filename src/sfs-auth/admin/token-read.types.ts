import type { SfsTokenRecord, SfsTokenStatus } from '../model/token-record';

/**
 * Position after which a newest-first page continues (the last row of the previous page).
 * `createdAt` is PostgreSQL's exact text of `created_at` (microseconds: a JS `Date` would round
 * it to milliseconds and rows created in the same millisecond would be skipped or repeated).
 */
export interface SfsTokenPageAfter {
  readonly createdAt: string;
  readonly id: string;
}

/** One page of token records and where the next one starts (`null` on the last page). */
export interface SfsTokenPage {
  readonly items: SfsTokenRecord[];
  readonly next: SfsTokenPageAfter | null;
}

/** A page of a tenant's token records, newest first (`created_at DESC, id DESC`). */
export interface SfsTokenListQuery {
  readonly tenantId: string;
  readonly status?: SfsTokenStatus;
  readonly clientKey?: string;
  readonly subjectId?: string;
  /** Rows to return at most; the read model looks one further to know whether a next page exists. */
  readonly limit: number;
  readonly after?: SfsTokenPageAfter;
}

/** A page of a tenant's audit trail, newest first (`id DESC`). */
export interface SfsEventListQuery {
  readonly tenantId: string;
  /** Only the events of this token. */
  readonly tokenId?: string;
  readonly limit: number;
  /** Continue below this event id (bigserial, as a decimal string). */
  readonly afterId?: string;
}

/** Counts and times of one tenant's tokens, for the admin summary. */
export interface SfsTenantTokenSummary {
  /** Every status, 0 when none. */
  readonly counts: Readonly<Record<SfsTokenStatus, number>>;
  /** Earliest `refresh_at` of an active token, or null. */
  readonly nextRefreshAt: Date | null;
  /** Active tokens whose `refresh_at` is before `now`. */
  readonly overdueRefreshes: number;
  /** Outbox rows `pending`. */
  readonly pendingRevocations: number;
  /** Outbox rows `failed` (given up; retryable). */
  readonly failedRevocations: number;
  /** `requested_at` of the oldest pending outbox row, or null. */
  readonly oldestPendingRevocationAt: Date | null;
  /** The tenant's data key: its version (bumped when it is wrapped again) and age; null before its first token. */
  readonly dataKey: { readonly version: number; readonly createdAt: Date } | null;
}

/** The tenant's revocation outbox, oldest request first. */
export interface SfsRevocationListQuery {
  readonly tenantId: string;
  /** `pending` (SFS has not confirmed yet) or `failed` (given up; retryable); none: both. */
  readonly status?: 'pending' | 'failed';
  readonly limit: number;
}

/** One outbox row with its token's key. */
export interface SfsRevocationEntry {
  readonly tokenId: string;
  readonly clientKey: string;
  readonly subjectId: string | null;
  readonly status: 'pending' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  /** The last SFS error (a code and status, never a token). */
  readonly lastError: string | null;
  readonly reason: string | null;
  readonly actor: string;
  readonly requestedAt: Date;
}

/** Which tokens a bulk revocation would take (every field given must match). */
export interface SfsRevocableFilter {
  readonly tenantId: string;
  readonly clientKey?: string;
  readonly subjectId?: string;
}
