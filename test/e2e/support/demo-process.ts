import { type ChildProcess, spawn } from 'node:child_process';

/** A demo app started as a child process (`npm start` or `node dist/src/main.js`). */
export class DemoProcess {
  output = '';
  private exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    // 'close', not 'exit': npm may exit before the app it started has finished shutting down.
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  /** Spawns `command` in its own process group (so a stop reaches npm's children too). */
  static start(command: string, args: string[], env: NodeJS.ProcessEnv): DemoProcess {
    return new DemoProcess(spawn(command, args, { env, detached: true, stdio: 'pipe' }));
  }

  /** Resolves once `text` appears in the output; rejects if the process exits or time runs out. */
  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    const exit = this.exited.then((code) => {
      if (!done) throw new Error(`demo exited (${code}) before "${text}":\n${this.output}`);
    });
    const seen = (async () => {
      while (!done && !this.output.includes(text)) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for "${text}":\n${this.output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      await Promise.race([seen, exit]);
    } finally {
      done = true;
    }
  }

  /** Resolves with the exit code once the process ends on its own (killed after `timeoutMs`). */
  waitForExit(timeoutMs: number): Promise<number | null> {
    return this.settle(timeoutMs);
  }

  /**
   * Sends `signal` to the started process alone, as a container runtime signals its PID 1 (here
   * `npm`, which must pass it on), and resolves with its exit code once its output has closed
   * (`'timeout'` if it has not by then: something still holds it).
   */
  async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<number | null | 'timeout'> {
    if (this.child.exitCode === null && this.child.pid) process.kill(this.child.pid, signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether any process of the group is still running (an app its `npm` left behind). */
  groupAlive(): boolean {
    if (!this.child.pid) return false;
    try {
      process.kill(-this.child.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Sends `signal` to the process group and resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.pid) process.kill(-this.child.pid, signal);
    return this.settle(timeoutMs);
  }

  private async settle(timeoutMs: number): Promise<number | null> {
    const timer = setTimeout(
      () => this.child.pid && process.kill(-this.child.pid, 'SIGKILL'),
      timeoutMs,
    );
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The environment of a newcomer's shell: no database, no SFS settings. */
export function newcomerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name === 'DATABASE_URL' || name.startsWith('SFS_') || name.startsWith('JEST'))
      delete env[name];
  }
  return { ...env, NODE_ENV: 'development', ...extra };
}
