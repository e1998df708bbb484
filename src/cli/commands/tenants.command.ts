import {
  sfsTenantOffboardingResponse,
  sfsTenantSummaryResponse,
} from '../../sfs-auth/admin/admin-responses';
import { SfsTokenReadModel } from '../../sfs-auth/admin/token-read.model';
import type {
  SfsTenantOffboardingDto,
  SfsTenantSummaryDto,
} from '../../sfs-auth/admin/dto/admin-responses.dto';
import { SfsClock } from '../../sfs-auth/clock/clock';
import { SfsTokenService } from '../../sfs-auth/host-api/sfs-token.service';
import { type CliCommand, CliUsageError, identifierOption } from '../cli-command';
import { operatorActor, withOperatorApp } from '../operator-app';
import { SFS_IDENTIFIER_RULE, sfsIsIdentifier } from '../../sfs-auth/model/identifiers';
import { checkRevokeRequest } from '../../sfs-auth/model/token-inputs';

const COLUMNS = ['active', 'revoking', 'revoked', 'expired', 'failed'] as const;

function table(tenants: SfsTenantSummaryDto[]): string[] {
  const header = ['tenant', ...COLUMNS, 'pending rev.', 'failed rev.', 'offboarding'];
  const rows = tenants.map((t) => [
    t.tenantId,
    ...COLUMNS.map((c) => String(t.counts[c])),
    String(t.pendingRevocations),
    String(t.failedRevocations),
    t.offboarding?.status ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** `tenants list`: each tenant's admin summary (token counts by status, revocation backlog). */
export const tenantsListCommand: CliCommand = {
  name: 'tenants list',
  synopsis: '',
  summary:
    'every tenant: token counts by status, pending and failed revocations, offboarding\n' +
    '(as the admin API GET /summary shows them)',
  async run(input, io) {
    const tenants = await withOperatorApp(input.env, io, async (app) => {
      const reads = app.get(SfsTokenReadModel);
      const tokens = app.get(SfsTokenService);
      const now = new Date(app.get(SfsClock).now());
      const summaries: SfsTenantSummaryDto[] = [];
      for (const tenantId of await reads.tenantIds()) {
        const summary = await reads.tenantSummary(tenantId, now);
        summaries.push(
          sfsTenantSummaryResponse(tenantId, summary, await tokens.tenantOffboarding(tenantId)),
        );
      }
      return summaries;
    });
    io.result({ ok: true, tenants }, () =>
      tenants.length === 0 ? ['no tenants yet'] : table(tenants),
    );
    return 0;
  },
};

function offboardingLines(state: SfsTenantOffboardingDto): string[] {
  return [
    `tenant ${state.tenantId}: offboarding ${state.status} (requested ${state.requestedAt} by ${state.requestedBy}: ${state.reason})`,
    `  ${state.tokensToRevoke} live token(s) queued for revocation: ${state.revoked} revoked, ` +
      `${state.pendingRevocations} pending, ${state.failedRevocations} failed`,
    ...(state.status === 'offboarded'
      ? [
          `  done ${state.completedAt}: ${state.purgedTokens} token rows and ${state.purgedEvents} events purged`,
        ]
      : [
          "  the deployment's workers revoke them at SFS, then purge the tenant's rows and its data",
          '  key (follow with: tenants list)',
        ]),
  ];
}

/**
 * `tenants offboard <id> --confirm <id>`: starts the tenant's offboarding as the admin API's
 * `DELETE /sfs/admin/tenants/:tenantId` does (`SfsTokenService.offboardTenant`); refused unless the
 * id is typed twice.
 */
export const tenantsOffboardCommand: CliCommand = {
  name: 'tenants offboard',
  synopsis: '<id> --confirm <id> [--reason R]',
  summary:
    'starts offboarding tenant <id> as the admin API DELETE does: stop serving it, revoke\n' +
    'its tokens at SFS, purge its rows and data key, keep a tombstone (--confirm: the id again)',
  options: ['confirm', 'reason'],
  operands: 1,
  async run(input, io) {
    const [tenantId] = input.operands;
    if (tenantId === undefined) throw new CliUsageError('tenants offboard needs the tenant id');
    if (!sfsIsIdentifier(tenantId)) {
      throw new CliUsageError(`the tenant id must be ${SFS_IDENTIFIER_RULE}`);
    }
    const confirm = identifierOption(input, 'confirm');
    if (confirm !== tenantId) {
      throw new CliUsageError(
        `refusing to offboard ${tenantId}: --confirm must repeat the tenant id (got ${confirm === undefined ? 'none' : confirm})`,
      );
    }
    const reason = input.values.get('reason') ?? 'offboarded by an operator (nestjs-sfs-auth CLI)';
    // The service's own check, before connecting: a reason it refuses is a usage error (exit 2).
    checkRevokeRequest({ tenantId }, reason);
    const state = await withOperatorApp(input.env, io, async (app) =>
      sfsTenantOffboardingResponse(
        await app.get(SfsTokenService).offboardTenant(tenantId, reason, operatorActor()),
      ),
    );
    io.result({ ok: true, offboarding: state }, () => offboardingLines(state));
    return 0;
  },
};
