import { formatSfsDoctorReport } from '../../sfs-auth/doctor/doctor-report';
import { runSfsDoctor } from '../../sfs-auth/doctor/sfs-doctor';
import type { CliCommand } from '../cli-command';

/** `doctor`: proves a deployment before traffic does (src/sfs-auth/doctor). */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  synopsis: '[--client-key K] [--migrations-table T]',
  summary:
    'proves a deployment: options, TLS to SFS, each SFS token call (--client-key:\n' +
    'a client token minted, used, revoked, refused after), database, key ring, change feed',
  options: ['client-key', 'migrations-table'],
  async run(input, io) {
    const report = await runSfsDoctor(input.env, {
      clientKey: input.values.get('client-key'),
      migrationsTable: input.values.get('migrations-table'),
    });
    io.result(report, () => [formatSfsDoctorReport(report)]);
    return report.ok ? 0 : 1;
  },
};
