import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { SfsTenantDataKeys } from '../../src/sfs-auth/crypto/tenant-data-keys';
import { DemoHarness } from '../e2e/support/demo-harness';
import { findNeedles, tokenNeedles, type Haystack, type Needle } from '../e2e/support/needles';
import { recordResponses, type RecordedResponse } from '../e2e/support/response-recorder';
import { demoLogin, rotateEncryptionKey, runTokenLifecycle } from './support/full-flow';
import { CapturingLogger, captureConsole } from './support/log-capture';
import { dumpTables } from './support/table-dump';

/** Each encryption key of `id:base64,...` as base64, base64url and raw hex. */
const keyNeedles = (ring: string): Needle[] =>
  ring.split(',').flatMap((entry) => {
    const [id, base64] = entry.split(':');
    const raw = Buffer.from(base64, 'base64');
    return [
      { label: `encryption key ${id} (base64)`, value: base64 },
      { label: `encryption key ${id} (base64url)`, value: raw.toString('base64url') },
      { label: `encryption key ${id} (hex)`, value: raw.toString('hex') },
    ];
  });

/** The login answers hand the user's token out by design: searched without that one field. */
function responseHaystacks(responses: readonly RecordedResponse[]): Haystack[] {
  return responses.map((r) => {
    let body = r.body;
    if (r.url === '/demo/login' && r.status === 200) {
      body = JSON.stringify({ ...JSON.parse(r.body), accessToken: '<handed to the user>' });
    }
    return { where: `response ${r.method} ${r.url} ${r.status}`, text: `${r.headers}\n${body}` };
  });
}

describe('secret hygiene: no token, key or secret in logs, responses or tables', () => {
  const logger = new CapturingLogger();
  const demo = new DemoHarness({ logger });
  const responses: RecordedResponse[] = [];
  const planted = `planted-${randomBytes(16).toString('hex')}`;
  let console: ReturnType<typeof captureConsole>;
  let needles: Needle[];
  let tables: Haystack[];
  const logs = (): Haystack[] =>
    [...logger.lines, ...console.lines].map((text, i) => ({ where: `log line ${i + 1}`, text }));

  beforeAll(async () => {
    console = captureConsole();
    await demo.start('security_hygiene');
    recordResponses(demo.app.getHttpServer(), responses);
    const outbox: Haystack[] = [];
    await runTokenLifecycle(demo, async () => {
      outbox.push(...(await dumpTables(demo)));
    });
    const ring = await rotateEncryptionKey(demo);
    recordResponses(demo.app.getHttpServer(), responses);
    await demoLogin(demo, 'globex', 'dave');
    new Logger('HygieneSelfCheck').debug(`self-check ${planted}`);
    tables = [...outbox, ...(await dumpTables(demo))];
    // The tenants' data keys, unwrapped, as this instance holds them in memory.
    const dataKeys = demo.app.get(SfsTenantDataKeys);
    const tenantKeys = await Promise.all(['acme', 'globex'].map((t) => dataKeys.current(t)));
    const tokens = demo.sandbox.issuedTokens();
    const { apiKey, secret } = demo.sandbox.accounts[0];
    needles = [
      ...tokenNeedles(tokens),
      ...tokens.map((t, i) => ({
        label: `token #${i + 1} (hex)`,
        value: Buffer.from(t.token).toString('hex'),
      })),
      { label: 'API secret', value: secret },
      { label: 'API key', value: apiKey },
      ...keyNeedles(ring),
      ...tenantKeys.flatMap(({ id, key }) => [
        { label: `data key ${id} (base64)`, value: key.toString('base64') },
        { label: `data key ${id} (hex)`, value: key.toString('hex') },
      ]),
      ...Object.entries(demo.keys).map(([tenant, key]) => ({
        label: `admin key ${tenant}`,
        value: key,
      })),
    ];
  }, 60_000);
  afterAll(async () => {
    console.restore();
    await demo.close();
  });

  it('captured a full run: every level of logs, every response, every table', () => {
    expect(demo.sandbox.issuedTokens('platform').length).toBeGreaterThanOrEqual(2);
    expect(demo.sandbox.issuedTokens('client').length).toBeGreaterThanOrEqual(8);
    for (const level of ['debug', 'log', 'warn'] as const)
      expect(logger.of(level).length).toBeGreaterThan(0);
    expect(responses).toHaveLength(15);
    // Dumped twice: while two revocations waited in the outbox, and at the end.
    expect(tables.map((t) => t.where)).toEqual([
      expect.stringMatching(/^table sfs_client_token \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_tenant_key \(\d+ rows\)$/),
      'table sfs_tenant_offboarding (0 rows)',
      expect.stringMatching(/^table sfs_tenant_token_count \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_tenant_token_count_delta \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_token_change \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_token_event \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_token_key_lease \(\d+ rows\)$/),
      'table sfs_token_revocation (2 rows)',
      expect.stringMatching(/^table sfs_client_token \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_tenant_key \(\d+ rows\)$/),
      'table sfs_tenant_offboarding (0 rows)',
      expect.stringMatching(/^table sfs_tenant_token_count \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_tenant_token_count_delta \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_token_change \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_token_event \(\d+ rows\)$/),
      expect.stringMatching(/^table sfs_token_key_lease \(\d+ rows\)$/),
      'table sfs_token_revocation (0 rows)',
    ]);
  });

  it('no secret in any log line (Nest logger at every level, and console)', () => {
    expect(findNeedles(needles, logs())).toEqual([]);
  });

  it('no secret in any response body or header (besides each login answer’s own token)', () => {
    expect(findNeedles(needles, responseHaystacks(responses))).toEqual([]);
  });

  it('no secret in any sfs_ table (bytea as hex, utf8 and base64)', () => {
    expect(findNeedles(needles, tables)).toEqual([]);
  });

  it('the search is not blind: it finds needles planted in a log, a response and a table', async () => {
    const plant: Needle[] = [{ label: 'planted', value: planted }];
    expect(findNeedles(plant, logs())).toHaveLength(1);
    const logins = responses.filter((r) => r.url === '/demo/login');
    const raw = logins.map((r) => ({ where: r.url, text: r.body }));
    expect(findNeedles(needles, raw)).toHaveLength(logins.length);
    // A text column, and a bytea one (found through its utf8 and its hex rendering).
    const sealed = `sealed-${planted}`;
    await demo.rows(
      `UPDATE sfs_client_token SET last_error = $1, token_ciphertext = $2
       WHERE id = (SELECT id FROM sfs_client_token WHERE token_ciphertext IS NOT NULL LIMIT 1)`,
      [planted, Buffer.from(sealed)],
    );
    const inTables = findNeedles(
      [
        { label: 'text', value: planted },
        { label: 'bytea as utf8', value: sealed },
        { label: 'bytea as hex', value: Buffer.from(sealed).toString('hex') },
      ],
      await dumpTables(demo),
    );
    expect(inTables.map((hit) => hit.replace(/ \(\d+ rows\)$/, ''))).toEqual([
      'text in table sfs_client_token',
      'bytea as utf8 in table sfs_client_token',
      'bytea as hex in table sfs_client_token',
    ]);
  });
});
