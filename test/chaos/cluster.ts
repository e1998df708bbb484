import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { findFreePort } from '../../src/dev/embedded-postgres';

const ROOT = resolve(__dirname, '..', '..');
const ENTRY = join(ROOT, 'dist', 'src', 'main.js');

/** Newest modification time of the `.ts` files under `dir` (0 when there is none). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * `npm run build` unless `dist/src/main.js` is newer than every source (`CHAOS_BUILD=always` forces
 * it, `never` skips it). Returns what it did.
 */
export function ensureBuilt(mode = process.env.CHAOS_BUILD ?? 'auto'): string {
  const fresh =
    existsSync(ENTRY) &&
    statSync(ENTRY).mtimeMs >=
      Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'migrations')));
  if (mode === 'never' || (mode === 'auto' && fresh)) return 'build skipped (dist is current)';
  const started = performance.now();
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }
  return `built in ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/** One demo host process (`node dist/src/main.js`) on a fixed port, restartable. */
export class DemoInstance {
  private child?: ChildProcess;
  private log?: WriteStream;
  private exited?: Promise<void>;
  /** Process id of the current (or last) process. */
  pid = 0;
  /** Pids of every process this instance ran, oldest first (lease owners embed the pid). */
  readonly pids: number[] = [];

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Readonly<Record<string, string>>,
    private readonly logFile: string,
  ) {}

  /** Base URL of its HTTP server. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Whether a process is running. */
  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** Spawns the process and resolves once it prints its banner (rejects if it exits first). */
  async start(timeoutMs = 90_000): Promise<number> {
    const started = performance.now();
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.pid = child.pid ?? 0;
    this.pids.push(this.pid);
    const log = this.log;
    log.write(`\n=== ${this.name} pid ${this.pid} started ${new Date().toISOString()}\n`);
    this.exited = new Promise((done) => child.once('exit', () => done()));
    await new Promise<void>((ready, fail) => {
      let seen: string | null = '';
      const timer = setTimeout(
        () => fail(new Error(`${this.name} not ready in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        log.write(chunk);
        if (seen === null) return;
        seen = (seen + chunk.toString('utf8')).slice(-4096);
        if (seen.includes('listening on')) {
          seen = null;
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(
          new Error(
            `${this.name} exited (${code ?? signal}) before it was ready; see ${this.logFile}`,
          ),
        );
      });
    });
    return performance.now() - started;
  }

  /** Sends `signal` and waits for the process to exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.log?.write(`=== ${this.name} pid ${this.pid} ended by ${signal}\n`);
  }

  /** SIGKILL right now, synchronously (no wait): what the `exit` handler can still do. */
  killNow(): void {
    if (this.running) this.child?.kill('SIGKILL');
  }
}

/** Environment shared by every instance (each also gets its own `PORT` and data directory). */
export type InstanceEnv = Readonly<Record<string, string>>;

/** The instances of a run, started one first (it runs the migrations), then the others together. */
export class DemoCluster {
  private constructor(readonly instances: DemoInstance[]) {}

  /** Creates `count` instances on free ports with logs and data directories under `workDir`. */
  static async create(count: number, env: InstanceEnv, workDir: string): Promise<DemoCluster> {
    const instances: DemoInstance[] = [];
    for (let i = 0; i < count; i++) {
      const name = `app${i + 1}`;
      const dataDir = join(workDir, name);
      mkdirSync(dataDir, { recursive: true });
      const own = { ...env, SFS_DEMO_DATA_DIR: dataDir };
      instances.push(
        new DemoInstance(name, await findFreePort(), own, join(workDir, `${name}.log`)),
      );
    }
    return new DemoCluster(instances);
  }

  /** First instance alone (migrations run once), then the rest in parallel; returns boot times. */
  async start(): Promise<number[]> {
    const [first, ...rest] = this.instances;
    const firstMs = await first.start();
    return [firstMs, ...(await Promise.all(rest.map((instance) => instance.start())))];
  }

  /** Instances with a running process. */
  live(): DemoInstance[] {
    return this.instances.filter((instance) => instance.running);
  }

  /** SIGTERM to every instance (SIGKILL after the grace period). Never throws. */
  async stop(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop('SIGTERM').catch(() => undefined)));
  }

  /** Synchronous last resort for `process.on('exit')`. */
  killAllNow(): void {
    for (const instance of this.instances) instance.killNow();
  }
}
