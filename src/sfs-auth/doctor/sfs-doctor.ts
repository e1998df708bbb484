import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import { resolveSfsAuthOptions } from '../options/resolve-sfs-auth-options';
import { sfsEnvSecretMask, type SfsSecretMask } from '../options/secret-mask';
import type { SfsAuthResolvedOptions } from '../options/option-table';
import { sfsAuthOptionsFromEnv } from '../options/sfs-auth-options-from-env';
import {
  clientTokenBody,
  platformTokenBody,
  revokeClientTokenBody,
  revokePlatformTokenBody,
} from '../sfs/sfs-wire';
import {
  checkChangeFeed,
  checkKeyRing,
  checkMigrations,
  checkReachable,
  checkTables,
  withPg,
} from './doctor-db.checks';
import { SfsDoctorRun, verdict, type SfsDoctorReport } from './doctor-report';
import { judgeFailure, judgeTokenAnswer, SfsDoctorWire } from './doctor-sfs.checks';

/** What `nestjs-sfs-auth doctor` is asked. */
export interface SfsDoctorOptions {
  /** Also mint, use and revoke a client token for this client key. */
  readonly clientKey?: string;
  /** TypeORM's migrations table of the host. @default 'migrations' */
  readonly migrationsTable?: string;
}

/**
 * Proves a deployment end to end, reading the variables of `sfsAuthOptionsFromEnv` (plus
 * `DATABASE_URL`, `SFS_LISTEN_DATABASE_URL`, `SFS_CHANGE_FEED_MODE`): options, TLS, every SFS token
 * call the module makes (exact bodies, secrets masked), the database, the key ring, the change feed
 * and the admin keys. Revokes whatever it minted, also when a later step fails.
 */
export async function runSfsDoctor(
  env: Readonly<Record<string, string | undefined>>,
  options: SfsDoctorOptions = {},
): Promise<SfsDoctorReport> {
  // Everything the doctor must never print, and the tokens it mints (added as they come).
  const secrets = sfsEnvSecretMask(env);
  const run = new SfsDoctorRun((text) => secrets.redact(text));

  let resolved: SfsAuthResolvedOptions | undefined;
  await run.step('options', async () => {
    try {
      resolved = resolveSfsAuthOptions(sfsAuthOptionsFromEnv(env));
    } catch (error) {
      if (error instanceof SfsAuthConfigError) return verdict('fail', error.message);
      throw error;
    }
    const r = resolved;
    return verdict(
      'ok',
      `${r.authMode} mode, ${r.baseUrl}, ${r.encryptionKeys.length} encryption key(s)${r.caPem ? ', extra CA trusted' : ''}`,
    );
  });

  if (resolved) await sfsSteps(run, secrets, resolved, options);
  else for (const name of ['sfs tls', 'sfs calls']) run.skip(name, 'the options are invalid');

  await databaseSteps(run, env, resolved, options);

  await run.step('admin keys', async () => {
    if (!resolved) return verdict('skip', 'the options are invalid');
    const keys = resolved.admin.keys;
    if (keys.length === 0)
      return verdict('ok', 'none configured (the admin API then needs an authorizer)');
    const all = keys.filter((k) => k.tenantId === '*').length;
    return verdict('ok', `${keys.length - all} tenant key(s), ${all} '*' key(s)`);
  });
  return run.report();
}

async function sfsSteps(
  run: SfsDoctorRun,
  secrets: SfsSecretMask,
  options: SfsAuthResolvedOptions,
  doctor: SfsDoctorOptions,
): Promise<void> {
  const wire = new SfsDoctorWire(options);
  const tls = await run.step('sfs tls', () => wire.tls());
  if (tls.status === 'fail') {
    run.skip('sfs calls', 'TLS to SFS does not verify');
    return wire.close();
  }
  if (options.authMode === 'api-key') {
    run.skip('platform token create', 'api-key mode uses no tokens');
    if (doctor.clientKey) {
      const clientKey = doctor.clientKey;
      await run.step('sample call (api-key mode)', async () => {
        const answer = await wire.sampleCall({ clientKey });
        return answer.status < 300
          ? verdict('ok', `POST /api/contract with X-Sendforsign-Key → ${answer.status}`)
          : judgeFailure('sample call', answer, { data: { action: 'list', clientKey } });
      });
    }
    return wire.close();
  }
  const credentials = { apiKey: options.apiKey ?? '', secret: options.secret ?? '' };
  let platform: string | undefined;
  let client: string | undefined;
  let clientRevoked = false;
  try {
    const created = await run.step('platform token create', async () => {
      const judged = judgeTokenAnswer(
        'platform token create',
        await wire.createPlatformToken(),
        platformTokenBody(credentials.apiKey, credentials.secret),
      );
      platform = judged.token;
      secrets.add(platform);
      return judged;
    });
    // A token the module could not use (a field missing) is still revoked, in `finally`.
    if (!platform || created.status === 'fail') return;
    const platformToken = platform;
    if (doctor.clientKey) {
      const clientKey = doctor.clientKey;
      const minted = await run.step('client token create', async () => {
        const judged = judgeTokenAnswer(
          'client token create',
          await wire.createClientToken(platformToken, clientKey),
          clientTokenBody(clientKey),
        );
        client = judged.token;
        secrets.add(client);
        return judged;
      });
      if (client && minted.status !== 'fail') {
        const clientToken = client;
        await run.step('sample call', async () => {
          const answer = await wire.sampleCall({ bearer: clientToken });
          return answer.status < 300
            ? verdict(
                'ok',
                `POST /api/contract {"data":{"action":"list"}} with the client token → ${answer.status}`,
              )
            : judgeFailure('sample call', answer, { data: { action: 'list' } });
        });
        await run.step('client token revoke', async () => {
          const answer = await wire.revokeClientToken(platformToken, clientToken);
          clientRevoked = answer.status < 300;
          return clientRevoked
            ? verdict(
                'ok',
                `${answer.status}; sent ${JSON.stringify(revokeClientTokenBody(clientToken))}`,
              )
            : judgeFailure('client token revoke', answer, revokeClientTokenBody(clientToken));
        });
        await run.step('sample call after revoke', async () => {
          const answer = await wire.sampleCall({ bearer: clientToken });
          if (answer.status === 401)
            return verdict('ok', '401: SFS no longer accepts the revoked token');
          clientRevoked = false;
          return verdict(
            'fail',
            `expected 401, SFS answered ${answer.status}: the revoke did not take (is the revoke field \`token\` what SFS reads?)`,
          );
        });
      }
    }
    if (client && !clientRevoked) {
      const leftBehind = client;
      await run.step('client token cleanup', async () => {
        const answer = await wire.revokeClientToken(platformToken, leftBehind);
        clientRevoked = answer.status < 300;
        return clientRevoked
          ? verdict('ok', `revoked the client token a failed step left live (${answer.status})`)
          : judgeFailure('client token cleanup', answer, revokeClientTokenBody(leftBehind));
      });
    }
    await run.step('platform token revoke', async () => {
      const answer = await wire.revokePlatformToken(platformToken);
      if (answer.status < 300) platform = undefined;
      return answer.status < 300
        ? verdict(
            'ok',
            `${answer.status}; sent ${JSON.stringify(revokePlatformTokenBody())} with the platform token`,
          )
        : judgeFailure('platform token revoke', answer, revokePlatformTokenBody());
    });
  } finally {
    // Never leave a token live: what a failed step left behind is revoked here, quietly.
    if (client && !clientRevoked && platform) {
      await wire.revokeClientToken(platform, client).catch(() => undefined);
    }
    if (platform) await wire.revokePlatformToken(platform).catch(() => undefined);
    await wire.close();
  }
}

async function databaseSteps(
  run: SfsDoctorRun,
  env: Readonly<Record<string, string | undefined>>,
  options: SfsAuthResolvedOptions | undefined,
  doctor: SfsDoctorOptions,
): Promise<void> {
  const url = env.DATABASE_URL;
  if (!url) {
    await run.step('database', async () => verdict('fail', 'DATABASE_URL is not set'));
    return;
  }
  const reachable = await run.step('database', () => withPg(url, checkReachable));
  if (reachable.status === 'fail') return;
  await run.step('migrations', () =>
    withPg(url, (c) => checkMigrations(c, doctor.migrationsTable)),
  );
  const tables = await run.step('tables', () => withPg(url, checkTables));
  if (tables.status === 'ok' && options) {
    await run.step('key ring', () => withPg(url, (c) => checkKeyRing(c, options)));
  } else run.skip('key ring', options ? 'the tables are missing' : 'the options are invalid');
  // The resolved options when they resolve (the module's own rules), else the raw variables.
  const mode = options?.changeFeed.mode ?? env.SFS_CHANGE_FEED_MODE ?? 'auto';
  const listenUrl = (options ? options.changeFeed.listenUrl : env.SFS_LISTEN_DATABASE_URL) ?? url;
  await run.step('change feed', () => checkChangeFeed(url, listenUrl, mode));
}
