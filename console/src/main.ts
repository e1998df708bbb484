import { AdminApi, AdminApiError, type TokenFilters, type TokenRecord } from './api';
import { byId, el, showAlert, when } from './dom';

/** How often the summary is read again while signed in. */
const SUMMARY_EVERY_MS = 5000;
/** How often a revoking row is read again until SFS has confirmed it. */
const REVOKING_EVERY_MS = 1000;

const apiBase =
  document.querySelector<HTMLMetaElement>('meta[name="sfs-admin-api"]')?.content ?? '';

let api: AdminApi | null = null;
let timers: number[] = [];
let filters: TokenFilters = {};
let cursor: string | null = null;
let nextCursor: string | null = null;
let revoking: TokenRecord | null = null;

const signInForm = byId<HTMLFormElement>('sign-in');
const signInError = byId('sign-in-error');
const app = byId('app');
const appError = byId('app-error');
const who = byId('who');
const signOutButton = byId<HTMLButtonElement>('sign-out');
const rows = byId<HTMLTableElement>('tokens').tBodies[0];
const dialog = byId<HTMLDialogElement>('revoke-dialog');
const reasonInput = byId<HTMLInputElement>('revoke-reason');
const revokeError = byId('revoke-error');

const messageOf = (error: unknown): string =>
  error instanceof AdminApiError ? error.message : 'Something went wrong.';

signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const tenant = byId<HTMLInputElement>('tenant').value.trim();
  const keyInput = byId<HTMLInputElement>('admin-key');
  const candidate = new AdminApi(apiBase, tenant, keyInput.value);
  showAlert(signInError, null);
  candidate
    .summary()
    .then((summary) => {
      keyInput.value = '';
      api = candidate;
      signInForm.hidden = true;
      app.hidden = false;
      who.textContent = `Tenant ${candidate.tenantId}`;
      who.hidden = false;
      signOutButton.hidden = false;
      renderSummary(summary);
      timers.push(window.setInterval(() => void refreshSummary(), SUMMARY_EVERY_MS));
      void loadTokens(null);
    })
    .catch((error: unknown) => showAlert(signInError, messageOf(error)));
});

signOutButton.addEventListener('click', () => {
  api = null;
  for (const timer of timers) window.clearInterval(timer);
  timers = [];
  rows.replaceChildren();
  byId('summary').replaceChildren();
  showAlert(appError, null);
  app.hidden = true;
  who.hidden = true;
  signOutButton.hidden = true;
  signInForm.hidden = false;
  byId<HTMLInputElement>('tenant').focus();
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

async function refreshSummary(): Promise<void> {
  if (!api) return;
  try {
    renderSummary(await api.summary());
  } catch (error) {
    showAlert(appError, messageOf(error));
  }
}

function renderSummary(summary: Awaited<ReturnType<AdminApi['summary']>>): void {
  const figures: Array<[string, string]> = [
    ['Active', String(summary.counts.active)],
    ['Revoking', String(summary.counts.revoking)],
    ['Revoked', String(summary.counts.revoked)],
    ['Expired', String(summary.counts.expired)],
    ['Failed', String(summary.counts.failed)],
    ['Pending revocations', String(summary.pendingRevocations)],
    ['Failed revocations', String(summary.failedRevocations)],
    ['Overdue refreshes', String(summary.overdueRefreshes)],
    ['Next refresh', when(summary.nextRefreshAt)],
  ];
  byId('summary').replaceChildren(
    ...figures.map(([name, value]) => {
      const item = el('div', null, { class: 'figure' });
      item.append(el('dt', name), el('dd', value));
      return item;
    }),
  );
}

async function loadTokens(from: string | null): Promise<void> {
  if (!api) return;
  try {
    const page = await api.tokens(filters, from);
    cursor = from;
    nextCursor = page.nextCursor;
    rows.replaceChildren(...page.items.map(rowOf));
    byId('tokens-empty').hidden = page.items.length > 0;
    byId<HTMLButtonElement>('next-page').disabled = nextCursor === null;
    byId<HTMLButtonElement>('first-page').disabled = cursor === null;
    showAlert(appError, null);
  } catch (error) {
    showAlert(appError, messageOf(error));
  }
}

/** One table row; `data-token` holds the record id so a row can be updated in place. */
function rowOf(record: TokenRecord): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.token = record.id;
  fillRow(row, record);
  return row;
}

function fillRow(row: HTMLTableRowElement, record: TokenRecord): void {
  const status = el('td', record.status, { class: `status status-${record.status}` });
  const failures = el(
    'td',
    record.attempts > 0 ? `${record.attempts}: ${record.lastError ?? ''}` : '0',
  );
  const actions = el('td');
  if (record.status === 'active') {
    const button = el('button', 'Revoke', {
      type: 'button',
      'aria-label': `Revoke the token of ${record.subjectId ?? 'the service'} (${record.clientKey})`,
    });
    button.addEventListener('click', () => openRevoke(record));
    actions.append(button);
  }
  row.replaceChildren(
    el('td', record.subjectId ?? '(service)'),
    el('td', record.clientKey),
    status,
    el('td', when(record.expiresAt)),
    el('td', when(record.lastUsedAt)),
    el('td', record.status === 'active' ? when(record.refreshAt) : '–'),
    failures,
    actions,
  );
}

function openRevoke(record: TokenRecord): void {
  revoking = record;
  byId('revoke-what').textContent =
    `The token of ${record.subjectId ?? 'the service'} for client key ${record.clientKey} ` +
    `(fingerprint ${record.fingerprint}) is revoked at SFS.`;
  reasonInput.value = '';
  showAlert(revokeError, null);
  dialog.showModal();
  reasonInput.focus();
}

byId('revoke-cancel').addEventListener('click', () => dialog.close());

byId<HTMLFormElement>('revoke-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const record = revoking;
  const reason = reasonInput.value.trim();
  if (!api || !record) return;
  if (!reason) {
    showAlert(revokeError, 'Give a reason: it is written to the audit trail.');
    return;
  }
  const signedIn = api;
  signedIn
    .revoke(record.id, reason)
    .then((updated) => {
      dialog.close();
      updateRow(updated);
      watchUntilSettled(signedIn, updated.id);
      void refreshSummary();
    })
    .catch((error: unknown) => showAlert(revokeError, messageOf(error)));
});

function updateRow(record: TokenRecord): void {
  const row = rows.querySelector<HTMLTableRowElement>(`tr[data-token="${CSS.escape(record.id)}"]`);
  if (row) fillRow(row, record);
}

/** Reads a revoking record again until SFS has confirmed (or it failed), updating its row. */
function watchUntilSettled(signedIn: AdminApi, id: string): void {
  const timer = window.setInterval(() => {
    if (api !== signedIn) return window.clearInterval(timer);
    signedIn
      .token(id)
      .then((record) => {
        updateRow(record);
        if (record.status !== 'revoking') {
          window.clearInterval(timer);
          void refreshSummary();
        }
      })
      .catch(() => window.clearInterval(timer));
  }, REVOKING_EVERY_MS);
  timers.push(timer);
}
