import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent } from 'undici';
import type { SfsAuthModuleOptions } from '../../src';
import {
  SFS_SANDBOX_CONTROL_HEADER,
  SFS_SANDBOX_CONTROL_PREFIX,
  type SfsSandboxFaultProfile,
} from '../../src/sandbox';

/**
 * The SFS sandbox in its own process (`src/sandbox/main.ts`), driven through its control API: the
 * SFS side of each call then costs the module's process nothing, as with the real, remote SFS.
 */
export class StandaloneSandbox {
  private readonly agent: Agent;

  private constructor(
    private readonly child: ChildProcess,
    private readonly info: { url: string; apiKey: string; secret: string; controlKey: string },
    readonly caPem: string,
  ) {
    this.agent = new Agent({ connect: { ca: caPem } });
  }

  /** Starts the sandbox process and waits for its one JSON line. */
  static async start(): Promise<StandaloneSandbox> {
    const root = join(__dirname, '..', '..');
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(root, 'src/sandbox/main.ts')],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`sandbox process exited (${code})`)));
    });
    const info = JSON.parse(line) as StandaloneSandbox['info'] & { caFile: string };
    return new StandaloneSandbox(child, info, readFileSync(info.caFile, 'utf8'));
  }

  /** Module options pointing at this sandbox. */
  moduleOptions(): Pick<SfsAuthModuleOptions, 'baseUrl' | 'apiKey' | 'secret' | 'caPem'> {
    const { url, apiKey, secret } = this.info;
    return { baseUrl: url, apiKey, secret, caPem: this.caPem };
  }

  setFaults(profile: SfsSandboxFaultProfile): Promise<void> {
    return this.control('PUT', 'faults', profile);
  }

  clearFaults(): Promise<void> {
    return this.control('DELETE', 'faults');
  }

  /** Stops the process (it removes its certificate file on the way out). */
  async close(): Promise<void> {
    await this.agent.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  private async control(method: string, path: string, body?: unknown): Promise<void> {
    const res = await fetch(`${this.info.url}${SFS_SANDBOX_CONTROL_PREFIX}${path}`, {
      method,
      headers: {
        [SFS_SANDBOX_CONTROL_HEADER]: this.info.controlKey,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.agent,
    } as RequestInit);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: ${res.status}`);
  }
}
