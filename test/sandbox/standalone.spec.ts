import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent } from 'undici';

interface Banner {
  url: string;
  caFile: string;
  apiKey: string;
  secret: string;
  controlKey: string;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)));
  });
}

describe('SFS sandbox: standalone process (npm run sandbox)', () => {
  it('prints one JSON line, serves with its CA file, and stops cleanly on SIGTERM', async () => {
    const root = join(__dirname, '../..');
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/sandbox/main.ts'],
      {
        cwd: root,
        env: { ...process.env, SANDBOX_API_KEY: 'proc-key', SANDBOX_SECRET: 'proc-secret-1234' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let agent: Agent | undefined;
    try {
      const banner = JSON.parse(await firstLine(child)) as Banner;
      expect(banner).toMatchObject({ apiKey: 'proc-key', secret: 'proc-secret-1234' });
      expect(banner.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      agent = new Agent({ connect: { ca: readFileSync(banner.caFile, 'utf8') } });
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${banner.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
          dispatcher: agent,
        } as RequestInit);
      const created = await post('/api/token', {
        data: { action: 'create', apiKey: 'proc-key', secret: 'proc-secret-1234' },
      });
      expect(created.status).toBe(201);
      const queued = await post('/__sandbox/faults/queue', [{ status: 503 }], {
        'x-sandbox-control': banner.controlKey,
      });
      expect(await queued.json()).toEqual({ queued: 1 });
      expect((await post('/api/token', { data: { action: 'revoke' } })).status).toBe(503);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(banner.caFile)).toBe(false);
    } finally {
      await agent?.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60000);
});
