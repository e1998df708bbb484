import { adminPrefix } from './admin-api';
import type { DemoHarness } from './demo-harness';

/** A tenant with a few live tokens, and what only its records contain. */
export interface SeededTenant {
  readonly tenantId: string;
  /** Its token ids, by client key and subject. */
  readonly tokenIds: readonly string[];
  /** Ids, client keys, subject ids and fingerprints of its records (all unique to it). */
  readonly markers: readonly string[];
}

/**
 * Gives a tenant three live tokens: a demo login (subject `<tenant>-alice`), and through the admin
 * API with the `*` key a service token and a subject token of client `<tenant>-billing`.
 */
export async function seedTenant(demo: DemoHarness, tenantId: string): Promise<SeededTenant> {
  await demo.http
    .post('/demo/login')
    .send({ tenantId, clientKey: `${tenantId}-portal`, userId: `${tenantId}-alice` })
    .expect(200);
  for (const subjectId of [undefined, `${tenantId}-bob`]) {
    await demo.http
      .post(`${adminPrefix(tenantId)}/tokens`)
      .set(demo.auth('all'))
      .send({ clientKey: `${tenantId}-billing`, subjectId })
      .expect(201);
  }
  const list = await demo.http
    .get(`${adminPrefix(tenantId)}/tokens?limit=100`)
    .set(demo.auth('all'))
    .expect(200);
  // Sorted by key: under the manual clock all three share a creation time, so the list's order
  // falls back to the random ids.
  const records = (list.body.items as Array<Record<string, string | null>>).sort((a, b) =>
    `${a.clientKey}/${a.subjectId ?? ''}`.localeCompare(`${b.clientKey}/${b.subjectId ?? ''}`),
  );
  const markers = records.flatMap((r) => [r.id, r.clientKey, r.subjectId, r.fingerprint]);
  return {
    tenantId,
    tokenIds: records.map((r) => r.id as string),
    markers: [...new Set(markers.filter((m): m is string => typeof m === 'string'))],
  };
}

/**
 * Markers of seeded tenants other than `tenant` found in `text`, except those the request itself
 * carried (`echo`: an id sent in the path may come back in a 404 message).
 */
export function foreignData(
  seeds: readonly SeededTenant[],
  tenant: string | null,
  text: string,
  echo = '',
): string[] {
  return seeds
    .filter((seed) => seed.tenantId !== tenant)
    .flatMap((seed) => seed.markers.map((marker) => ({ seed, marker })))
    .filter(({ marker }) => text.includes(marker) && !echo.includes(marker))
    .map(({ seed, marker }) => `${seed.tenantId}:${marker}`);
}
