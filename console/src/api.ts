/** What the console knows of the admin API's answers (see the API's OpenAPI document). */
export interface TokenRecord {
  id: string;
  tenantId: string;
  clientKey: string;
  subjectId: string | null;
  status: 'active' | 'revoking' | 'revoked' | 'expired' | 'failed';
  fingerprint: string;
  issuedAt: string;
  expiresAt: string;
  refreshAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
  attempts: number;
  lastError: string | null;
}

export interface TokenPage {
  items: TokenRecord[];
  nextCursor: string | null;
}

export interface TenantSummary {
  tenantId: string;
  counts: Record<'active' | 'revoking' | 'revoked' | 'expired' | 'failed', number>;
  nextRefreshAt: string | null;
  overdueRefreshes: number;
  pendingRevocations: number;
  failedRevocations: number;
  oldestPendingRevocationAt: string | null;
  offboarding: Offboarding | null;
  dataKey: { version: number; createdAt: string } | null;
}

export interface TokenDetail extends TokenRecord {
  events: AuditEvent[];
}

export interface AuditEvent {
  id: string;
  tokenId: string | null;
  type: string;
  actor: string;
  reason: string | null;
  at: string;
}

export interface Revocation {
  tokenId: string;
  clientKey: string;
  subjectId: string | null;
  status: 'pending' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  reason: string | null;
  requestedAt: string;
}

export interface Access {
  tenantId: string;
  actor: string;
  canAct: boolean;
  canOffboard: boolean;
}

export interface Offboarding {
  status: 'revoking' | 'purging' | 'offboarded';
  reason: string;
  requestedBy: string;
  requestedAt: string;
  completedAt: string | null;
  tokensToRevoke: number;
  revoked: number;
  pendingRevocations: number;
  failedRevocations: number;
  purgedTokens: number;
  purgedEvents: number;
}

export interface TokenFilters {
  status?: string;
  subjectId?: string;
  clientKey?: string;
}

/** An error answer of the admin API: its message is what the console shows. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A client of the tenant admin REST API for one signed-in tenant: the key is sent only as
 * `Authorization: Bearer` to the same origin, and lives only in this object. Cookies of the
 * origin go along, for a host whose own authorizer reads its session instead of a key.
 */
export class AdminApi {
  constructor(
    private readonly base: string,
    readonly tenantId: string,
    private readonly key: string,
  ) {}

  access(): Promise<Access> {
    return this.call('GET', '/access');
  }

  summary(): Promise<TenantSummary> {
    return this.call('GET', '/summary');
  }

  detail(id: string): Promise<TokenDetail> {
    return this.call('GET', `/tokens/${encodeURIComponent(id)}`);
  }

  mint(clientKey: string, subjectId: string | null, reason: string): Promise<TokenRecord> {
    const body = subjectId ? { clientKey, subjectId, reason } : { clientKey, reason };
    return this.call('POST', '/tokens', body);
  }

  refresh(id: string, reason: string): Promise<TokenRecord> {
    return this.call('POST', `/tokens/${encodeURIComponent(id)}/refresh`, { reason });
  }

  revokeMatching(
    filters: TokenFilters,
    reason: string | null,
  ): Promise<{ revoked: number; matching?: number }> {
    const body: Record<string, unknown> = reason === null ? { dryRun: true } : { reason };
    if (filters.clientKey) body.clientKey = filters.clientKey;
    if (filters.subjectId) body.subjectId = filters.subjectId;
    return this.call('POST', '/tokens/revoke', body);
  }

  revocations(): Promise<{ items: Revocation[] }> {
    return this.call('GET', '/revocations?limit=100');
  }

  retryRevocations(reason: string, tokenId?: string): Promise<{ retried: number }> {
    return this.call('POST', '/revocations/retry', tokenId ? { tokenId, reason } : { reason });
  }

  events(cursor: string | null): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    const query = new URLSearchParams({ limit: '25' });
    if (cursor) query.set('cursor', cursor);
    return this.call('GET', `/events?${query.toString()}`);
  }

  offboard(reason: string): Promise<Offboarding> {
    return this.call('DELETE', '', { reason });
  }

  tokens(filters: TokenFilters, cursor: string | null): Promise<TokenPage> {
    const query = new URLSearchParams({ limit: '25' });
    for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
    if (cursor) query.set('cursor', cursor);
    return this.call('GET', `/tokens?${query.toString()}`);
  }

  token(id: string): Promise<TokenRecord> {
    return this.call('GET', `/tokens/${encodeURIComponent(id)}`);
  }

  revoke(id: string, reason: string): Promise<TokenRecord> {
    return this.call('POST', `/tokens/${encodeURIComponent(id)}/revoke`, { reason });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    // No key: the host signs its admins in itself (SSO) and its authorizer reads its own session.
    const headers: Record<string, string> = this.key ? { Authorization: `Bearer ${this.key}` } : {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.base}/tenants/${encodeURIComponent(this.tenantId)}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      throw new AdminApiError(0, 'The server cannot be reached.');
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const message =
        parsed &&
        typeof parsed === 'object' &&
        typeof (parsed as { message?: unknown }).message === 'string'
          ? (parsed as { message: string }).message
          : `The server answered ${response.status}.`;
      throw new AdminApiError(response.status, message);
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
