import type { INestApplicationContext } from '@nestjs/common';
import { sfsRevocationResponse } from '../../sfs-auth/admin/admin-responses';
import { SfsTokenReadModel } from '../../sfs-auth/admin/token-read.model';
import type { SfsRevocationDto } from '../../sfs-auth/admin/dto/admin-responses.dto';
import { SfsTokenService } from '../../sfs-auth/host-api/sfs-token.service';
import {
  type CliCommand,
  choiceOption,
  identifierOption,
  integerOption,
  uuidOption,
} from '../cli-command';
import { operatorActor, withOperatorApp } from '../operator-app';

const STATUSES = ['pending', 'failed'] as const;

/** The given tenant, or every tenant with outbox rows of `status` (or of either status). */
function tenantsOf(
  app: INestApplicationContext,
  tenant: string | undefined,
  status?: (typeof STATUSES)[number],
): Promise<string[]> {
  return tenant
    ? Promise.resolve([tenant])
    : app.get(SfsTokenReadModel).revocationTenantIds(status);
}

function revocationLine(r: SfsRevocationDto): string {
  const key = r.subjectId === null ? r.clientKey : `${r.clientKey}/${r.subjectId}`;
  const next = r.status === 'pending' ? `, next ${r.nextAttemptAt}` : '';
  return (
    `  ${r.tokenId}  ${r.status.padEnd(7)}  ${key}  ${r.attempts} attempt(s)${next}, ` +
    `requested ${r.requestedAt} by ${r.actor}; last error: ${r.lastError ?? 'none'}`
  );
}

/** `revocations list`: the revocation outbox (what SFS has not confirmed, or gave up on), per tenant. */
export const revocationsListCommand: CliCommand = {
  name: 'revocations list',
  synopsis: '[--tenant T] [--status pending|failed] [--limit N]',
  summary:
    'the revocation outbox per tenant: pending (not confirmed by SFS yet) and failed\n' +
    '(given up, retryable), with attempts and last error; oldest first, --limit per tenant',
  options: ['tenant', 'status', 'limit'],
  async run(input, io) {
    const tenant = identifierOption(input, 'tenant');
    const status = choiceOption(input, 'status', STATUSES);
    const limit = integerOption(input, 'limit', [1, 1000], 100);
    const tenants = await withOperatorApp(input.env, io, async (app) => {
      const found: Array<{ tenantId: string; items: SfsRevocationDto[] }> = [];
      for (const tenantId of await tenantsOf(app, tenant, status)) {
        const entries = await app
          .get(SfsTokenReadModel)
          .listRevocations({ tenantId, status, limit });
        found.push({ tenantId, items: entries.map(sfsRevocationResponse) });
      }
      return found;
    });
    const shown = tenants.filter((t) => t.items.length > 0);
    io.result({ ok: true, tenants }, () =>
      shown.length === 0
        ? [`no ${status ?? 'pending or failed'} revocations${tenant ? ` in tenant ${tenant}` : ''}`]
        : shown.flatMap((t) => [
            `tenant ${t.tenantId}: ${t.items.length} revocation(s)${t.items.length === limit ? ` (the first ${limit})` : ''}`,
            ...t.items.map(revocationLine),
          ]),
    );
    return 0;
  },
};

/**
 * `revocations retry`: puts given-up revocations back in the queue, as the admin API's retry does
 * (`SfsTokenService.retryFailedRevocations`); the deployment's revocation workers send them.
 */
export const revocationsRetryCommand: CliCommand = {
  name: 'revocations retry',
  synopsis: '[--tenant T] [--token ID]',
  summary:
    "queues failed revocations again (every tenant's, one tenant's or one token's);\n" +
    "the deployment's revocation workers then send them to SFS",
  options: ['tenant', 'token'],
  async run(input, io) {
    const tenant = identifierOption(input, 'tenant');
    const token = uuidOption(input, 'token');
    const actor = operatorActor();
    const tenants = await withOperatorApp(input.env, io, async (app) => {
      const tokens = app.get(SfsTokenService);
      const retried: Array<{ tenantId: string; retried: number }> = [];
      for (const tenantId of await tenantsOf(app, tenant, 'failed')) {
        const count = await tokens.retryFailedRevocations(tenantId, token, actor);
        if (count > 0) retried.push({ tenantId, retried: count });
      }
      return retried;
    });
    const total = tenants.reduce((n, t) => n + t.retried, 0);
    const scope = token ? ` of token ${token}` : tenant ? ` in tenant ${tenant}` : '';
    io.result({ ok: true, retried: total, tenants }, () =>
      total === 0
        ? [`no failed revocation${scope} to retry`]
        : [
            ...tenants.map((t) => `tenant ${t.tenantId}: ${t.retried} revocation(s) queued again`),
            `revocations retry: ${total} queued again; the deployment's revocation workers send ` +
              'them to SFS within SFS_SWEEP_INTERVAL_MS (follow with: revocations list)',
          ],
    );
    return 0;
  },
};
