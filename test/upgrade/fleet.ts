import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { findFreePort } from '../../src/dev/embedded-postgres';
import { sleep } from '../chaos/timing';

/** One answer of a host instance (`status` 0: no answer, the connection failed). */
export interface HostAnswer {
  readonly status: number;
  readonly body: string;
}

/** One HTTP call without keep-alive, so a stopping instance never holds an idle socket. */
export function call(port: number, method: string, path: string): Promise<HostAnswer> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, agent: false, timeout: 30_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, body: error.message }));
    req.end();
  });
}

/** One host process of a release (`node dist/main.js` in the release's host folder). */
export class HostInstance {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  port = 0;

  constructor(
    readonly name: string,
    readonly release: string,
    private readonly hostDir: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly logDir: string,
  ) {}

  /** Starts it and resolves once `GET /ready` answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.port = await findFreePort();
    const log = createWriteStream(join(this.logDir, `${this.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: this.hostDir,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST_RELEASE: this.release },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`${this.name} exited while starting (see its log)`);
      if ((await call(this.port, 'GET', '/ready')).status === 200) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** SIGTERM, then waits for the exit (drain included); SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<{ exit: string; killed: boolean }> {
    const child = this.child;
    const exit = () => `${child?.exitCode ?? child?.signalCode ?? 'none'}`;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return { exit: exit(), killed: false };
    child.kill('SIGTERM');
    const late = await Promise.race([this.exited, sleep(timeoutMs).then(() => 'late' as const)]);
    if (late !== 'late') return { exit: exit(), killed: false };
    child.kill('SIGKILL');
    await this.exited;
    return { exit: exit(), killed: true };
  }

  /** Lines of its log matching `pattern`. */
  logLines(pattern: RegExp): string[] {
    return readFileSync(join(this.logDir, `${this.name}.log`), 'utf8')
      .split('\n')
      .filter((line) => pattern.test(line));
  }

  /** Hard stop for cleanup paths; never throws. */
  kill(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null)
      this.child.kill('SIGKILL');
  }
}

/**
 * The load balancer's view: the instances that get new requests. Requests go round robin; one that
 * gets no answer (an instance gone) is retried on the next, as a proxy would.
 */
export class Fleet {
  private readonly routable: HostInstance[] = [];
  private next = 0;
  retries = 0;

  add(instance: HostInstance): void {
    this.routable.push(instance);
  }

  remove(instance: HostInstance): void {
    const i = this.routable.indexOf(instance);
    if (i >= 0) this.routable.splice(i, 1);
  }

  get members(): readonly HostInstance[] {
    return this.routable;
  }

  async send(method: string, path: string): Promise<HostAnswer & { instance?: HostInstance }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const instance = this.routable[this.next++ % Math.max(1, this.routable.length)];
      if (!instance) break;
      const answer = await call(instance.port, method, path);
      if (answer.status !== 0) return { ...answer, instance };
      this.retries++;
      await sleep(50);
    }
    return { status: 0, body: 'no instance answered' };
  }
}
