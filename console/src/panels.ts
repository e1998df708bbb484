import type { Offboarding, Revocation } from './api';
import { confirmWithReason } from './confirm';
import { byId, el, when } from './dom';
import { clearFailure, fail, notifyChange, session } from './session';

const revocationRows = byId<HTMLTableElement>('revocations').tBodies[0];
const eventRows = byId<HTMLTableElement>('events').tBodies[0];
let eventsCursor: string | null = null;
let eventsNext: string | null = null;

/** The revocation outbox: pending and failed rows, with **Retry** on failed ones. */
export async function loadRevocations(): Promise<void> {
  const current = session();
  if (!current) return;
  try {
    const { items } = await current.api.revocations();
    revocationRows.replaceChildren(...items.map(revocationRow));
    byId('revocations-empty').hidden = items.length > 0;
    byId('retry-all').hidden =
      !current.access.canAct || !items.some((item) => item.status === 'failed');
    clearFailure();
  } catch (error) {
    fail(error);
  }
}

function revocationRow(entry: Revocation): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.token = entry.tokenId;
  const actions = el('td');
  if (entry.status === 'failed' && session()?.access.canAct) {
    const subject = entry.subjectId ?? 'the service';
    const retry = el('button', 'Retry', {
      type: 'button',
      'aria-label': `Retry the revocation of ${subject} (${entry.clientKey})`,
    });
    retry.addEventListener('click', () =>
      askRetry(
        `The revocation of ${subject} (${entry.clientKey}) is sent to SFS again.`,
        entry.tokenId,
      ),
    );
    actions.append(retry);
  }
  row.append(
    el('td', entry.subjectId ?? '(service)'),
    el('td', entry.clientKey),
    el('td', entry.status, { class: `status status-${entry.status}` }),
    el('td', String(entry.attempts)),
    el('td', entry.status === 'pending' ? when(entry.nextAttemptAt) : '–'),
    el('td', entry.lastError ?? '–'),
    el('td', entry.reason ?? '–'),
    el('td', when(entry.requestedAt)),
    actions,
  );
  return row;
}

function askRetry(what: string, tokenId?: string): void {
  confirmWithReason({
    title: 'Retry revocation',
    what,
    confirm: 'Retry',
    run: async (reason) => {
      const current = session();
      if (!current) return;
      await current.api.retryRevocations(reason, tokenId);
      await loadRevocations();
      notifyChange();
    },
  });
}

byId('retry-all').addEventListener('click', () =>
  askRetry('Every failed revocation of the tenant is sent to SFS again.'),
);
byId('reload-revocations').addEventListener('click', () => void loadRevocations());

/** The tenant's audit trail, newest first, with the reason each action was given. */
export async function loadEvents(from: string | null = null): Promise<void> {
  const current = session();
  if (!current) return;
  try {
    const page = await current.api.events(from);
    eventsCursor = from;
    eventsNext = page.nextCursor;
    eventRows.replaceChildren(
      ...page.items.map((event) => {
        const row = document.createElement('tr');
        row.append(
          el('td', when(event.at)),
          el('td', event.type),
          el('td', event.actor),
          el('td', event.tokenId ? event.tokenId.slice(0, 8) : '–', {
            title: event.tokenId ?? '',
          }),
          el('td', event.reason ?? '–'),
        );
        return row;
      }),
    );
    byId<HTMLButtonElement>('events-next').disabled = eventsNext === null;
    byId<HTMLButtonElement>('events-first').disabled = eventsCursor === null;
    clearFailure();
  } catch (error) {
    fail(error);
  }
}

byId('events-first').addEventListener('click', () => void loadEvents(null));
byId('events-next').addEventListener('click', () => {
  if (eventsNext) void loadEvents(eventsNext);
});

/** Offboarding, offered to credentials that may do it: the tenant id typed again to confirm. */
const confirmInput = byId<HTMLInputElement>('offboard-confirm');
confirmInput.addEventListener('input', () => {
  byId<HTMLButtonElement>('offboard-submit').disabled =
    confirmInput.value !== session()?.api.tenantId;
});

byId<HTMLFormElement>('offboard-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const current = session();
  if (!current || confirmInput.value !== current.api.tenantId) return;
  const reason = byId<HTMLInputElement>('offboard-reason').value.trim();
  current.api
    .offboard(reason)
    .then((tombstone) => {
      showTombstone(tombstone);
      notifyChange();
    })
    .catch(fail);
});

/** Where an offboarding stands, or its tombstone once done. */
export function showTombstone(offboarding: Offboarding | null): void {
  const list = byId('tombstone');
  list.hidden = offboarding === null;
  if (!offboarding) return list.replaceChildren();
  const fields: Array<[string, string]> = [
    ['Offboarding', offboarding.status],
    ['Reason', offboarding.reason],
    ['Requested by', offboarding.requestedBy],
    ['Requested', when(offboarding.requestedAt)],
    ['Completed', when(offboarding.completedAt)],
    ['Tokens to revoke', String(offboarding.tokensToRevoke)],
    ['Revoked', String(offboarding.revoked)],
    ['Waiting for SFS', String(offboarding.pendingRevocations)],
    ['Given up', String(offboarding.failedRevocations)],
    ['Rows erased', String(offboarding.purgedTokens)],
    ['Events erased', String(offboarding.purgedEvents)],
  ];
  list.replaceChildren(...fields.flatMap(([name, value]) => [el('dt', name), el('dd', value)]));
}

export function resetPanels(): void {
  revocationRows.replaceChildren();
  eventRows.replaceChildren();
  confirmInput.value = '';
  byId<HTMLInputElement>('offboard-reason').value = '';
  byId<HTMLButtonElement>('offboard-submit').disabled = true;
  showTombstone(null);
}
