import {
  type SfsReencryptBatch,
  type SfsReencryptReport,
  SfsTokenReencryptionService,
} from '../../sfs-auth/crypto/token-reencryption.service';
import { type CliCommand, integerOption } from '../cli-command';
import { withOperatorApp } from '../operator-app';

const PHASE = { rewrap: 'data keys', migrate: 'token rows' } as const;

const counts = (r: SfsReencryptReport) =>
  `${r.rewrapped} rewrapped, ${r.migrated} migrated, ${r.failed} failed, ${r.skipped} skipped`;

/**
 * `keys reencrypt`: the key rotation (`SfsTokenService.reencrypt()`) run once over every data key
 * and every ring-sealed row, a line per batch as it completes. Exit 1 when anything failed.
 */
export const keysReencryptCommand: CliCommand = {
  name: 'keys reencrypt',
  synopsis: '[--batch-size N]',
  summary:
    "key rotation: rewraps each tenant's data key under the first SFS_ENCRYPTION_KEYS\n" +
    'key, moves rows sealed under a ring key to their data key (a line per batch)',
  options: ['batch-size'],
  async run(input, io) {
    const batchSize = integerOption(input, 'batch-size', [1, 10_000], 500);
    const batches: Array<SfsReencryptBatch & { batch: number }> = [];
    const numbers = { rewrap: 0, migrate: 0 };
    const report = await withOperatorApp(input.env, io, (app) =>
      app.get(SfsTokenReencryptionService).run(batchSize, (batch) => {
        const { phase, rows, rewrapped, migrated, failed, skipped } = batch;
        const numbered = {
          batch: ++numbers[phase],
          phase,
          rows,
          rewrapped,
          migrated,
          failed,
          skipped,
        };
        batches.push(numbered);
        io.line(
          `${PHASE[batch.phase].padEnd(10)} batch ${numbered.batch}: ${batch.rows} read, ${counts(batch)}`,
        );
      }),
    );
    const ok = report.failed === 0;
    io.result({ ok, ...report, batches }, () => [
      `keys reencrypt: ${report.rewrapped} data keys rewrapped, ${report.migrated} token rows ` +
        `migrated, ${report.failed} failed, ${report.skipped} skipped`,
      ...(report.failed > 0
        ? ['some data keys or rows could not be opened (logged above): drop no key while any fails']
        : []),
      ...(report.skipped > 0 ? ['some changed meanwhile: run keys reencrypt again'] : []),
    ]);
    return ok ? 0 : 1;
  },
};
