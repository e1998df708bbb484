import type { DemoPlatform } from './demo-platform';
import type { DemoRuntime } from './demo-runtime';

/** The start banner: URLs, what the demo is connected to, and (first start only) the admin keys. */
export function printDemoBanner(
  runtime: DemoRuntime,
  port: number,
  startupMs: number,
  platform: DemoPlatform,
  otel?: string,
): void {
  const url = `http://127.0.0.1:${port}`;
  const lines = [
    '',
    `nestjs-sfs-auth demo listening on ${url} (started in ${Math.round(startupMs)} ms)`,
    `  platform : ${platform} (SFS_DEMO_PLATFORM)`,
    `  database : ${runtime.describe.database}`,
    `  SFS      : ${runtime.describe.sfs}`,
    `  docs     : ${url}/docs`,
    `  health   : ${url}/health`,
    `  metrics  : ${url}/metrics`,
    `  data     : ${runtime.describe.dataDir}`,
    ...(otel ? [`  otel     : ${otel}`] : []),
  ];
  if (runtime.newAdminKeys) {
    lines.push(
      '',
      'Demo admin keys (DEMO ONLY, generated now, stored in .data/admin-keys, printed this once):',
      ...runtime.newAdminKeys.split(',').map((entry) => `  ${entry.replace('=', '  ->  ')}`),
      'Never use these keys or the generated .data/dev-encryption-keys outside this demo.',
    );
  } else {
    lines.push('', `Admin keys: ${runtime.describe.dataDir}/admin-keys (or SFS_ADMIN_KEYS)`);
  }
  console.log(lines.join('\n'));
}
