import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { SandboxCallLog } from './sandbox-call.log';
import { generateSandboxCertificate } from './sandbox-certificate';
import type { SandboxControlTarget } from './sandbox-control.api';
import { SandboxFaultInjector } from './sandbox-fault.injector';
import { resolveSandboxOptions, type ResolvedSandboxOptions } from './sandbox-options';
import { SandboxRouter } from './sandbox.router';
import { SandboxTokenRegistry } from './sandbox-token.registry';
import type {
  SfsSandboxAccount,
  SfsSandboxCall,
  SfsSandboxCallFilter,
  SfsSandboxFault,
  SfsSandboxFaultProfile,
  SfsSandboxLifetimes,
  SfsSandboxOptions,
  SfsSandboxStats,
  SfsSandboxTokenInfo,
  SfsSandboxTokenKind,
} from './sfs-sandbox.types';

/**
 * A faithful HTTPS simulation of the SFS token API (`docs/sfs-token-api.md`) on 127.0.0.1, with a
 * self-signed certificate made at start (trust {@link SfsSandbox.caPem}), fault injection, a call
 * log and a control API under `/__sandbox/` for other processes. Always `await close()`.
 *
 * @group Testing
 * @publicApi
 */
export class SfsSandbox implements SandboxControlTarget {
  private readonly registry: SandboxTokenRegistry;
  private readonly log: SandboxCallLog;
  private readonly faults = new SandboxFaultInjector();
  private readonly router: SandboxRouter;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private closing?: Promise<void>;
  private boundPort = 0;

  /** The PEM certificate the sandbox serves: the one CA a client must trust. */
  readonly caPem: string;
  /** Credentials the platform-token call accepts. */
  readonly accounts: readonly SfsSandboxAccount[];
  /** Value of the `X-Sandbox-Control` header the control API requires. */
  readonly controlKey: string;

  private constructor(
    private readonly options: ResolvedSandboxOptions,
    cert: { certPem: string; keyPem: string },
  ) {
    this.caPem = cert.certPem;
    this.accounts = options.accounts;
    this.controlKey = options.controlKey;
    this.registry = new SandboxTokenRegistry(options.now, options.lifetimes);
    this.log = new SandboxCallLog(options.now);
    this.router = new SandboxRouter({
      sfs: {
        registry: this.registry,
        accounts: options.accounts,
        revokeStatuses: options.revokeStatuses,
        dialect: options.dialect,
      },
      log: this.log,
      faults: this.faults,
      control: this,
      controlKey: options.controlKey,
    });
    this.server = createServer({ cert: cert.certPem, key: cert.keyPem }, this.router.listener);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Generates a certificate and listens on 127.0.0.1 (a free port unless `options.port`). */
  static async start(options?: SfsSandboxOptions): Promise<SfsSandbox> {
    const resolved = resolveSandboxOptions(options);
    const sandbox = new SfsSandbox(resolved, await generateSandboxCertificate());
    await new Promise<void>((resolve, reject) => {
      sandbox.server.once('error', reject);
      sandbox.server.listen(resolved.port, '127.0.0.1', () => {
        sandbox.server.off('error', reject);
        resolve();
      });
    });
    const address = sandbox.server.address();
    sandbox.boundPort = typeof address === 'object' && address ? address.port : resolved.port;
    return sandbox;
  }

  /** The port the sandbox listens on. */
  get port(): number {
    return this.boundPort;
  }

  /** Origin to use as SFS base URL, e.g. `https://127.0.0.1:40123`. */
  get url(): string {
    return `https://127.0.0.1:${this.boundPort}`;
  }

  /** The first account's credentials: what a host configures as `apiKey` and `secret`. */
  get credentials(): {
    /** The account's API key. */
    readonly apiKey: string;
    /** The account's secret. */
    readonly secret: string;
  } {
    const { apiKey, secret } = this.accounts[0];
    return { apiKey, secret };
  }

  /**
   * The environment a host's `sfsAuthOptionsFromEnv` needs to talk to this sandbox:
   * `SFS_BASE_URL`, `SFS_API_KEY`, `SFS_SECRET` (first account) and `SFS_CA_PEM` (its certificate),
   * e.g. `sfsAuthOptionsFromEnv({ ...sandbox.env(), SFS_ENCRYPTION_KEYS })` in a host's test.
   */
  env(): {
    /** The sandbox's origin ({@link url}). */
    SFS_BASE_URL: string;
    /** The first account's API key. */
    SFS_API_KEY: string;
    /** The first account's secret. */
    SFS_SECRET: string;
    /** The sandbox's self-signed certificate, to trust for TLS. */
    SFS_CA_PEM: string;
  } {
    const { apiKey, secret } = this.credentials;
    return {
      SFS_BASE_URL: this.url,
      SFS_API_KEY: apiKey,
      SFS_SECRET: secret,
      SFS_CA_PEM: this.caPem,
    };
  }

  /** Stops listening and destroys every socket, hanging ones included. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.router.stop();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  /** Calls received (oldest first), secrets masked unless `filter.reveal`. */
  calls(filter?: SfsSandboxCallFilter): SfsSandboxCall[] {
    return this.log.list(filter);
  }

  /** Forgets the call log. */
  clearCalls(): void {
    this.log.clear();
  }

  /** Counts of logged calls per kind and status. */
  stats(): SfsSandboxStats {
    return this.log.stats();
  }

  /** Random faults for every later call (replaces the previous profile; the queue stays). */
  setFaults(profile: SfsSandboxFaultProfile): void {
    this.faults.setProfile(profile);
  }

  /** The next matching calls get these faults, in order (`kind` restricts a fault to one kind). */
  enqueueFaults(...faults: SfsSandboxFault[]): void {
    this.faults.enqueue(faults);
  }

  /** Queued faults not yet used. */
  get queuedFaults(): number {
    return this.faults.queued;
  }

  /** Removes the random profile and the queue. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Lifetimes given to tokens issued from now on. */
  get lifetimes(): SfsSandboxLifetimes {
    return this.registry.lifetimes;
  }

  /** Changes lifetimes (seconds) of later tokens; issued tokens keep theirs. */
  setTokenLifetimes(lifetimes: Partial<SfsSandboxLifetimes>): void {
    if (typeof lifetimes !== 'object' || lifetimes === null || Array.isArray(lifetimes)) {
      throw new TypeError('lifetimes must be an object {platform?, client?}');
    }
    const extra = Object.keys(lifetimes).find((k) => k !== 'platform' && k !== 'client');
    if (extra !== undefined) throw new TypeError(`Unknown lifetime '${extra}'`);
    this.registry.setLifetimes(lifetimes);
  }

  /** The token was issued here, is of `kind` (if given), and is neither expired nor revoked. */
  isTokenActive(token: string, kind?: SfsSandboxTokenKind): boolean {
    return this.registry.isActive(token, kind);
  }

  /** State of an issued token; `undefined` if the sandbox never issued it. */
  tokenInfo(token: string): SfsSandboxTokenInfo | undefined {
    return this.registry.info(token);
  }

  /** Every issued token (oldest first), optionally of one kind. */
  issuedTokens(kind?: SfsSandboxTokenKind): SfsSandboxTokenInfo[] {
    return this.registry.list(kind);
  }

  /** Revokes a token behind the client's back, as SFS might. False if unknown. */
  revokeToken(token: string): boolean {
    return this.registry.revoke(token);
  }

  /** Back to the state after start: no tokens, calls or faults; lifetimes from the options. */
  reset(): void {
    this.registry.clear();
    this.registry.setLifetimes(this.options.lifetimes);
    this.log.clear();
    this.faults.clear();
  }
}
