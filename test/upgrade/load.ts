import { sleep } from '../chaos/timing';
import type { Fleet } from './fleet';

/** A token a host instance handed out, and when. */
export interface Serve {
  readonly token: string;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly release: string;
}

/** An answer that is not what the load asked for. */
export interface BadAnswer {
  readonly what: string;
  readonly status: number;
  readonly body: string;
  readonly release: string;
}

/**
 * Users signing in, using their token and signing out, round and round, on whichever instances
 * the fleet routes to: `users` of them over `tenants` tenants.
 */
export class UpgradeLoad {
  readonly serves: Serve[] = [];
  readonly errors: BadAnswer[] = [];
  logouts = 0;
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly fleet: Fleet,
    readonly users: ReadonlyArray<{ tenant: string; user: string }>,
  ) {}

  start(): void {
    this.running = true;
    this.loops = this.users.map((u, i) => this.loop(u.tenant, u.user, i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Every user signs out once more (whatever its state), so no token should stay live. */
  async signOutEveryone(): Promise<void> {
    await Promise.all(this.users.map((u) => this.logout(u.tenant, u.user)));
  }

  private async loop(tenant: string, user: string, index: number): Promise<void> {
    await sleep((index * 37) % 400);
    // Every third user stays signed in until the end: its token is refreshed by whichever
    // instances (and releases) run the refresh passes meanwhile.
    if (index % 3 === 0) return this.stay(tenant, user, index);
    while (this.running) {
      // A sign-in and a backend call for the same user at once, on two instances: the first mint
      // of a key races across instances (and releases) as in a real app.
      await Promise.all([
        this.serve('POST', `/login/${tenant}/${user}`),
        this.serve('GET', `/token/${tenant}/${user}`),
      ]);
      for (let i = 0; i < 3 && this.running; i++) {
        await sleep(100 + ((index * 53 + i * 29) % 200));
        await Promise.all([
          this.serve('GET', `/token/${tenant}/${user}`),
          this.serve('GET', `/token/${tenant}/${user}`),
        ]);
      }
      await this.logout(tenant, user);
      await sleep(150 + ((index * 71) % 300));
    }
  }

  private async stay(tenant: string, user: string, index: number): Promise<void> {
    await this.serve('POST', `/login/${tenant}/${user}`);
    while (this.running) {
      await sleep(300 + ((index * 53) % 200));
      await Promise.all([
        this.serve('GET', `/token/${tenant}/${user}`),
        this.serve('GET', `/token/${tenant}/${user}`),
      ]);
    }
  }

  private async serve(method: string, path: string): Promise<void> {
    const sentAt = Date.now();
    const answer = await this.fleet.send(method, path);
    const release = answer.instance?.release ?? 'none';
    if (answer.status !== 200 && answer.status !== 201) {
      this.errors.push({
        what: `${method} ${path}`,
        status: answer.status,
        body: answer.body,
        release,
      });
      return;
    }
    const { token } = JSON.parse(answer.body) as { token: string };
    this.serves.push({ token, sentAt, answeredAt: Date.now(), release });
  }

  private async logout(tenant: string, user: string): Promise<void> {
    const answer = await this.fleet.send('POST', `/logout/${tenant}/${user}`);
    if (answer.status === 204) this.logouts++;
    else
      this.errors.push({
        what: `POST /logout/${tenant}/${user}`,
        status: answer.status,
        body: answer.body,
        release: answer.instance?.release ?? 'none',
      });
  }
}
