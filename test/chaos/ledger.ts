/** One token handed to the load generator by `POST /demo/login`, and what its use answered. */
export interface ServeRecord {
  readonly tenantId: string;
  readonly clientKey: string;
  readonly userId: string;
  readonly instance: string;
  readonly tokenId: string;
  readonly token: string;
  /** Wall-clock ms: request sent, answer received. */
  readonly startedAt: number;
  readonly receivedAt: number;
  /** The sample protected call made with the token right after: status (0: no answer), times. */
  useStatus?: number;
  usedAt?: number;
  usedDoneAt?: number;
}

/** One `POST /demo/logout` of the storms. */
export interface LogoutRecord {
  readonly tenantId: string;
  readonly userId: string;
  readonly instance: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** HTTP status, 0 when no answer. */
  readonly status: number;
}

/** Everything the load generator saw, kept for the measures computed after the run. */
export class ChaosLedger {
  readonly serves: ServeRecord[] = [];
  readonly logouts: LogoutRecord[] = [];
  /** Token requests that got no token, by `status` (HTTP status, or `error`). */
  readonly failedServes = new Map<string, number>();
  /** Requests sent again to another instance because the first refused the connection. */
  failovers = 0;
  private readonly logoutsBySubject = new Map<string, LogoutRecord[]>();

  /** Records a logout (also indexed by subject). */
  addLogout(record: LogoutRecord): void {
    this.logouts.push(record);
    const key = subjectKey(record.tenantId, record.userId);
    const list = this.logoutsBySubject.get(key) ?? [];
    list.push(record);
    this.logoutsBySubject.set(key, list);
  }

  /** Counts a token request that got no token. */
  addFailure(status: string): void {
    this.failedServes.set(status, (this.failedServes.get(status) ?? 0) + 1);
  }

  /** Logouts of the subject, oldest first. */
  logoutsOf(tenantId: string, userId: string): readonly LogoutRecord[] {
    return this.logoutsBySubject.get(subjectKey(tenantId, userId)) ?? [];
  }
}

/** Map key of a (tenant, user) subject. */
export function subjectKey(tenantId: string, userId: string): string {
  return `${tenantId}\u0000${userId}`;
}
