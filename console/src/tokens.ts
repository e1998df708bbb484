import type { TokenFilters, TokenRecord } from './api';
import { confirmWithReason } from './confirm';
import { byId, el, when } from './dom';
import { clearFailure, fail, notifyChange, session } from './session';

/** How often a revoking row is read again until SFS has confirmed it. */
const REVOKING_EVERY_MS = 1000;

const rows = byId<HTMLTableElement>('tokens').tBodies[0];
let filters: TokenFilters = {};
let cursor: string | null = null;
let nextCursor: string | null = null;
let shown: string | null = null;

const subjectOf = (record: { subjectId: string | null }) => record.subjectId ?? '(service)';

/** Loads the first page (or the page at `from`) with the current filters. */
export async function loadTokens(from: string | null = cursor): Promise<void> {
  const current = session();
  if (!current) return;
  try {
    const page = await current.api.tokens(filters, from);
    cursor = from;
    nextCursor = page.nextCursor;
    rows.replaceChildren(...page.items.map(rowOf));
    byId('tokens-empty').hidden = page.items.length > 0;
    byId<HTMLButtonElement>('next-page').disabled = nextCursor === null;
    byId<HTMLButtonElement>('first-page').disabled = cursor === null;
    clearFailure();
  } catch (error) {
    fail(error);
  }
}

export function resetTokens(): void {
  rows.replaceChildren();
  byId('detail').hidden = true;
  shown = null;
  cursor = null;
  nextCursor = null;
}

/** One table row; `data-token` holds the record id so a row can be updated in place. */
function rowOf(record: TokenRecord): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.token = record.id;
  fillRow(row, record);
  return row;
}

function fillRow(row: HTMLTableRowElement, record: TokenRecord): void {
  const canAct = session()?.access.canAct === true;
  const subject = el('td');
  const details = el('button', subjectOf(record), {
    type: 'button',
    class: 'link',
    'aria-label': `Details of the token of ${subjectOf(record)} (${record.clientKey})`,
  });
  details.addEventListener('click', () => void showDetail(record.id));
  subject.append(details);
  const actions = el('td');
  if (record.status === 'active' && canAct) {
    const revoke = el('button', 'Revoke', {
      type: 'button',
      class: 'danger',
      'aria-label': `Revoke the token of ${subjectOf(record)} (${record.clientKey})`,
    });
    revoke.addEventListener('click', () => askRevoke(record));
    actions.append(revoke);
  }
  row.replaceChildren(
    subject,
    el('td', record.clientKey),
    el('td', record.status, { class: `status status-${record.status}` }),
    el('td', when(record.expiresAt)),
    el('td', when(record.lastUsedAt)),
    el('td', record.status === 'active' ? when(record.refreshAt) : '–'),
    el('td', record.attempts > 0 ? `${record.attempts}: ${record.lastError ?? ''}` : '0'),
    actions,
  );
}

function updateRow(record: TokenRecord): void {
  const row = rows.querySelector<HTMLTableRowElement>(`tr[data-token="${CSS.escape(record.id)}"]`);
  if (row) fillRow(row, record);
  if (shown === record.id) void showDetail(record.id);
}

function askRevoke(record: TokenRecord): void {
  confirmWithReason({
    title: 'Revoke token',
    what:
      `The token of ${subjectOf(record)} for client key ${record.clientKey} ` +
      `(fingerprint ${record.fingerprint}) is revoked at SFS.`,
    confirm: 'Revoke',
    run: async (reason) => {
      const current = session();
      if (!current) return;
      const updated = await current.api.revoke(record.id, reason);
      updateRow(updated);
      watchUntilSettled(updated.id);
      notifyChange();
    },
  });
}

/** Reads a revoking record again until SFS has confirmed (or it failed), updating its row. */
function watchUntilSettled(id: string): void {
  const current = session();
  if (!current) return;
  const timer = current.every(REVOKING_EVERY_MS, () => {
    current.api
      .token(id)
      .then((record) => {
        updateRow(record);
        if (record.status !== 'revoking') {
          window.clearInterval(timer);
          notifyChange();
        }
      })
      .catch(() => window.clearInterval(timer));
  });
}

async function showDetail(id: string): Promise<void> {
  const current = session();
  if (!current) return;
  try {
    const detail = await current.api.detail(id);
    shown = id;
    const fields: Array<[string, string]> = [
      ['Subject', subjectOf(detail)],
      ['Client key', detail.clientKey],
      ['Status', detail.status],
      ['Fingerprint', detail.fingerprint],
      ['Issued', when(detail.issuedAt)],
      ['Expires', when(detail.expiresAt)],
      ['Next refresh', detail.status === 'active' ? when(detail.refreshAt) : '–'],
      ['Last used', when(detail.lastUsedAt)],
      ['Revoked', when(detail.revokedAt)],
      ['Revoke reason', detail.revokeReason ?? '–'],
      ['Last error', detail.lastError ?? '–'],
    ];
    byId('detail-fields').replaceChildren(
      ...fields.flatMap(([name, value]) => [el('dt', name), el('dd', value)]),
    );
    byId('detail-events').replaceChildren(
      ...detail.events.map((event) => {
        const item = el('li');
        item.append(
          el('time', when(event.at), { datetime: event.at }),
          el('strong', ` ${event.type}`),
          el('span', ` by ${event.actor}`),
          ...(event.reason ? [el('span', `: ${event.reason}`)] : []),
        );
        return item;
      }),
    );
    const refresh = byId<HTMLButtonElement>('detail-refresh');
    refresh.hidden = detail.status !== 'active' || !current.access.canAct;
    byId('detail').hidden = false;
  } catch (error) {
    fail(error);
  }
}

byId('detail-close').addEventListener('click', () => {
  byId('detail').hidden = true;
  shown = null;
});

byId('detail-refresh').addEventListener('click', () => {
  const current = session();
  const id = shown;
  if (!current || !id) return;
  confirmWithReason({
    title: 'Refresh token',
    what: 'A new token replaces this one now; the old one stays valid at SFS until it expires.',
    confirm: 'Refresh',
    run: async (reason) => {
      const replacement = await current.api.refresh(id, reason);
      await loadTokens(null);
      await showDetail(replacement.id);
      notifyChange();
    },
  });
});

byId<HTMLFormElement>('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  filters = {
    status: byId<HTMLSelectElement>('filter-status').value,
    subjectId: byId<HTMLInputElement>('filter-subject').value.trim(),
    clientKey: byId<HTMLInputElement>('filter-client').value.trim(),
  };
  void loadTokens(null);
});
byId('first-page').addEventListener('click', () => void loadTokens(null));
byId('next-page').addEventListener('click', () => {
  if (nextCursor) void loadTokens(nextCursor);
});

byId('bulk-revoke').addEventListener('click', () => {
  const current = session();
  if (!current) return;
  const scope = { clientKey: filters.clientKey, subjectId: filters.subjectId };
  current.api
    .revokeMatching(scope, null)
    .then(({ matching = 0 }) => {
      const which = [
        scope.clientKey ? `client key ${scope.clientKey}` : null,
        scope.subjectId ? `subject ${scope.subjectId}` : null,
      ].filter(Boolean);
      confirmWithReason({
        title: 'Revoke all matching tokens',
        what:
          `${matching} live token${matching === 1 ? '' : 's'} of tenant ${current.api.tenantId}` +
          (which.length > 0 ? ` with ${which.join(' and ')}` : ' (no filter: all of them)') +
          ' will be revoked at SFS.',
        confirm: `Revoke ${matching} token${matching === 1 ? '' : 's'}`,
        run: async (reason) => {
          await current.api.revokeMatching(scope, reason);
          await loadTokens(null);
          notifyChange();
        },
      });
    })
    .catch(fail);
});

byId<HTMLFormElement>('mint').addEventListener('submit', (event) => {
  event.preventDefault();
  const current = session();
  if (!current) return;
  const clientKey = byId<HTMLInputElement>('mint-client').value.trim();
  const subject = byId<HTMLInputElement>('mint-subject').value.trim();
  const reason = byId<HTMLInputElement>('mint-reason').value.trim();
  current.api
    .mint(clientKey, subject || null, reason)
    .then(async () => {
      byId<HTMLInputElement>('mint-reason').value = '';
      await loadTokens(null);
      notifyChange();
    })
    .catch(fail);
});
