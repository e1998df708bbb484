import { randomBytes } from 'node:crypto';
import type {
  SfsSandboxLifetimes,
  SfsSandboxTokenInfo,
  SfsSandboxTokenKind,
} from './sfs-sandbox.types';

interface TokenRecord {
  readonly token: string;
  readonly kind: SfsSandboxTokenKind;
  readonly apiKey: string;
  readonly clientKey?: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  revokedAt?: number;
}

/** Checks a lifetime in seconds: finite and positive. */
export function assertLifetime(name: string, seconds: unknown): asserts seconds is number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`${name} must be a positive number of seconds`);
  }
}

/**
 * The tokens the sandbox issued, with their kind, owner, client and state. Tokens are opaque
 * 43-character base64url strings (256 random bits); expiry is judged with the injected clock.
 */
export class SandboxTokenRegistry {
  private readonly tokens = new Map<string, TokenRecord>();
  private current: SfsSandboxLifetimes;

  constructor(
    private readonly now: () => number,
    lifetimes: SfsSandboxLifetimes,
  ) {
    this.current = { ...lifetimes };
  }

  /** Lifetimes applied to tokens issued from now on. */
  get lifetimes(): SfsSandboxLifetimes {
    return { ...this.current };
  }

  /** Changes lifetimes of future tokens; tokens already issued keep theirs. */
  setLifetimes(lifetimes: Partial<SfsSandboxLifetimes>): void {
    if (lifetimes.platform !== undefined) assertLifetime('platform lifetime', lifetimes.platform);
    if (lifetimes.client !== undefined) assertLifetime('client lifetime', lifetimes.client);
    this.current = { ...this.current, ...lifetimes };
  }

  /** Issues a token; returns it with its lifetime in seconds. */
  issue(
    kind: SfsSandboxTokenKind,
    apiKey: string,
    clientKey?: string,
  ): { token: string; expiresIn: number } {
    const expiresIn = this.current[kind];
    const issuedAt = this.now();
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, {
      token,
      kind,
      apiKey,
      clientKey,
      issuedAt,
      expiresAt: issuedAt + expiresIn * 1000,
    });
    return { token, expiresIn };
  }

  /** The token's state, or `undefined` when the sandbox never issued it. */
  info(token: string): SfsSandboxTokenInfo | undefined {
    const record = this.tokens.get(token);
    return record && this.describe(record);
  }

  /** The token exists, is of this kind (if given), and is neither expired nor revoked. */
  isActive(token: string, kind?: SfsSandboxTokenKind): boolean {
    const info = this.info(token);
    return info !== undefined && info.active && (kind === undefined || info.kind === kind);
  }

  /** Marks a token revoked (first revocation time wins). Returns false for an unknown token. */
  revoke(token: string): boolean {
    const record = this.tokens.get(token);
    if (!record) return false;
    record.revokedAt ??= this.now();
    return true;
  }

  /** Every issued token, oldest first, optionally of one kind. */
  list(kind?: SfsSandboxTokenKind): SfsSandboxTokenInfo[] {
    return [...this.tokens.values()]
      .filter((r) => kind === undefined || r.kind === kind)
      .map((r) => this.describe(r));
  }

  /** Forgets every token. */
  clear(): void {
    this.tokens.clear();
  }

  private describe(record: TokenRecord): SfsSandboxTokenInfo {
    const active = record.revokedAt === undefined && this.now() < record.expiresAt;
    return { ...record, active };
  }
}
