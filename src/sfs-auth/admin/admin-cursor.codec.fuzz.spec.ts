import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { anyText, anyValue, fuzzRuns } from '../../../test/support/fuzz';
import { SfsKeyRing } from '../crypto/key-ring';
import { SfsInvalidInputError } from '../errors/sfs-auth.error';
import { SFS_TOKEN_STATUSES } from './dto/admin-requests.dto';
import { SfsAdminCursorCodec, type SfsCursorScope } from './admin-cursor.codec';
import { SfsAdminEventIds } from './admin-event-ids';

const ring = new SfsKeyRing([{ id: 'k1', key: randomBytes(32) }]);
const codec = new SfsAdminCursorCodec(ring);
const eventIds = new SfsAdminEventIds(ring);

/** What `decode` did: the position, or the typed error (anything else thrown fails the property). */
function decoded(scope: SfsCursorScope, cursor: unknown): { value: unknown } | 'refused' {
  try {
    return { value: codec.decode(scope, cursor as string) };
  } catch (error) {
    expect(error).toBeInstanceOf(SfsInvalidInputError);
    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'cursor',
      retryable: false,
      message: 'cursor is invalid or was issued for another query',
    });
    return 'refused';
  }
}

/** Identifiers of any length, the longest (128) as often as short ones. */
const identifier = fc
  .oneof(
    fc.stringMatching(/^[A-Za-z0-9._:@-]{1,128}$/),
    fc.stringMatching(/^[A-Za-z0-9._:@-]{120,128}$/),
    fc.constantFrom('a'.repeat(128), '@'.repeat(128)),
  )
  .filter((s) => !/^\.+$/.test(s));
/** An exact `created_at` as the list query prints it, and a token id. */
const tokenPosition = fc.record({
  createdAt: fc
    .date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .chain((d) =>
      fc
        .integer({ min: 0, max: 999 })
        .map((us) => d.toISOString().replace(/\.(\d{3})Z$/, `.$1${String(us).padStart(3, '0')}Z`)),
    ),
  id: fc.uuid(),
});

/** A scope and position exactly as `SfsTokenAdminService.list` / `.events` build them. */
const issued = fc.oneof(
  fc
    .record({
      tenantId: identifier,
      status: fc.option(fc.constantFrom(...SFS_TOKEN_STATUSES), { nil: null }),
      clientKey: fc.option(identifier, { nil: null }),
      subjectId: fc.option(identifier, { nil: null }),
      position: tokenPosition,
    })
    .map(({ tenantId, status, clientKey, subjectId, position }) => ({
      scope: {
        list: 'tokens' as const,
        tenantId,
        filter: JSON.stringify([status, clientKey, subjectId]),
      },
      position: position as unknown,
    })),
  fc
    .record({ tenantId: identifier, rowId: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }) })
    .map(({ tenantId, rowId }) => ({
      scope: { list: 'events' as const, tenantId, filter: '' },
      position: eventIds.sealPosition(tenantId, String(rowId)) as unknown,
    })),
);

const anyScope = fc.record({
  list: fc.constantFrom('tokens' as const, 'events' as const),
  tenantId: anyText(),
  filter: anyText(),
});

describe('SfsAdminCursorCodec (fuzzed)', () => {
  it('every cursor the admin lists issue decodes to its position, for any tenant and filters', () => {
    fc.assert(
      fc.property(issued, ({ scope, position }) => {
        expect(decoded(scope, codec.encode(scope, position))).toEqual({ value: position });
      }),
      fuzzRuns(300),
    );
  });

  it('round trip: any JSON position, any scope, decodes to the position (JSON semantics)', () => {
    fc.assert(
      fc.property(anyScope, fc.jsonValue({ maxDepth: 3 }), (scope, position) => {
        const cursor = codec.encode(scope, position);
        const outcome = decoded(scope, cursor);
        // Too long a scope or position makes a cursor over the limit: refused, never accepted wrong.
        if (outcome === 'refused') expect(cursor.length).toBeGreaterThan(1024);
        else expect(outcome.value).toEqual(JSON.parse(JSON.stringify({ p: position })).p);
      }),
      fuzzRuns(300),
    );
  });

  it('arbitrary strings and values are refused with the typed error (nothing else is thrown)', () => {
    const shapedLikeCursor = fc
      .tuple(fc.base64String({ maxLength: 300 }), fc.base64String({ maxLength: 30 }))
      .map(([body, tag]) => `${body.replace(/=+$/, '')}.${tag.replace(/=+$/, '')}`);
    fc.assert(
      fc.property(
        fc.oneof(anyText(600), shapedLikeCursor, anyValue()),
        anyScope,
        (cursor, scope) => {
          // Nobody without the key can tag a cursor: every input is refused.
          expect(decoded(scope, cursor)).toBe('refused');
        },
      ),
      fuzzRuns(500),
    );
  });

  it('a cursor changed anywhere (a character replaced, added or dropped) is refused', () => {
    const edit = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('replace', 'insert', 'delete'),
      char: fc.oneof(
        fc.constantFrom('A', '_', '-', '=', '.', ' ', '%'),
        anyText(1).filter(Boolean),
      ),
    });
    fc.assert(
      fc.property(issued, edit, ({ scope, position }, { at, kind, char }) => {
        const cursor = codec.encode(scope, position);
        const i = at % (cursor.length + (kind === 'insert' ? 1 : 0));
        const changed =
          kind === 'insert'
            ? cursor.slice(0, i) + char + cursor.slice(i)
            : cursor.slice(0, i) + (kind === 'replace' ? char : '') + cursor.slice(i + 1);
        fc.pre(changed !== cursor);
        expect(decoded(scope, changed)).toBe('refused');
      }),
      fuzzRuns(500),
    );
  });

  it('a cursor is refused for any other scope, and under another key ring', () => {
    /** Another scope: one field changed, or any scope at all. */
    const change = fc.oneof(
      fc
        .tuple(fc.constantFrom('list', 'tenantId', 'filter'), anyText())
        .map(([field, value]) => (scope: SfsCursorScope): SfsCursorScope => {
          if (field !== 'list') return { ...scope, [field]: value };
          return { ...scope, list: scope.list === 'tokens' ? 'events' : 'tokens' };
        }),
      anyScope.map((elsewhere) => () => elsewhere),
    );
    const other = new SfsAdminCursorCodec(new SfsKeyRing([{ id: 'k1', key: randomBytes(32) }]));
    fc.assert(
      fc.property(issued, change, ({ scope, position }, changeOf) => {
        const cursor = codec.encode(scope, position);
        const elsewhere = changeOf(scope);
        const same =
          elsewhere.list === scope.list &&
          elsewhere.tenantId === scope.tenantId &&
          elsewhere.filter === scope.filter;
        fc.pre(!same);
        expect(decoded(elsewhere, cursor)).toBe('refused');
        expect(decoded(scope, other.encode(scope, position))).toBe('refused');
      }),
      fuzzRuns(300),
    );
  });
});

describe('regressions found by the properties above', () => {
  it('a tenant of 128 characters filtered by a client key of 128 gets a cursor it can use', () => {
    // Shrunk counterexample: the cursor was 579+ characters and decode refused everything over 512.
    const scope: SfsCursorScope = {
      list: 'tokens',
      tenantId: 'a'.repeat(128),
      filter: JSON.stringify([null, 'a'.repeat(128), null]),
    };
    const position = {
      createdAt: '1970-01-01T00:00:00.000000Z',
      id: '00000000-0000-1000-8000-000000000000',
    };
    const cursor = codec.encode(scope, position);
    expect(cursor.length).toBeGreaterThan(512);
    expect(codec.decode(scope, cursor)).toEqual(position);
  });

  it('the longest cursor the lists issue fits the limit', () => {
    const longest = 'a'.repeat(128);
    const scope: SfsCursorScope = {
      list: 'tokens',
      tenantId: longest,
      filter: JSON.stringify(['revoking', longest, longest]),
    };
    const position = { createdAt: '294276-12-31T23:59:59.999999Z', id: randomUUID() };
    const cursor = codec.encode(scope, position);
    expect(cursor.length).toBeLessThan(800);
    expect(codec.decode(scope, cursor)).toEqual(position);
  });
});
