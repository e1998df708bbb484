import { AdminApi, type TenantSummary } from './api';
import { byId, el, showAlert, when } from './dom';
import { loadEvents, loadRevocations, resetPanels, showTombstone } from './panels';
import { fail, messageOf, notifyChange, onChange, Session, session, setSession } from './session';
import { loadTokens, resetTokens } from './tokens';

/** How often the summary (and the open view) is read again while signed in. */
const REFRESH_EVERY_MS = 5000;

const apiBase =
  document.querySelector<HTMLMetaElement>('meta[name="sfs-admin-api"]')?.content ?? '';
const signInForm = byId<HTMLFormElement>('sign-in');
const signInError = byId('sign-in-error');
const app = byId('app');
const who = byId('who');
const signOutButton = byId<HTMLButtonElement>('sign-out');
let view = 'tokens-view';

signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const tenant = byId<HTMLInputElement>('tenant').value.trim();
  const keyInput = byId<HTMLInputElement>('admin-key');
  const api = new AdminApi(apiBase, tenant, keyInput.value);
  showAlert(signInError, null);
  api
    .access()
    .then((access) => {
      keyInput.value = '';
      const started = new Session(api, access);
      setSession(started);
      signInForm.hidden = true;
      app.hidden = false;
      app.classList.toggle('read-only', !access.canAct);
      who.textContent = `Tenant ${access.tenantId}${access.canAct ? '' : ' (read-only)'}`;
      who.hidden = false;
      signOutButton.hidden = false;
      byId('offboarding-tab').hidden = !access.canOffboard;
      show('tokens-view');
      started.every(REFRESH_EVERY_MS, () => notifyChange());
      notifyChange();
    })
    .catch((error: unknown) => showAlert(signInError, messageOf(error)));
});

signOutButton.addEventListener('click', () => {
  setSession(null);
  resetTokens();
  resetPanels();
  byId('summary').replaceChildren();
  byId('latest-failures').replaceChildren();
  showAlert(byId('app-error'), null);
  app.hidden = true;
  who.hidden = true;
  signOutButton.hidden = true;
  signInForm.hidden = false;
  byId<HTMLInputElement>('tenant').focus();
});

for (const button of document.querySelectorAll<HTMLButtonElement>('nav.views button')) {
  button.addEventListener('click', () => show(button.dataset.view ?? 'tokens-view'));
}

/** Shows one view (the others hidden) and loads it. */
function show(next: string): void {
  view = next;
  for (const button of document.querySelectorAll<HTMLButtonElement>('nav.views button')) {
    if (button.dataset.view === next) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const section of document.querySelectorAll<HTMLElement>('section.view')) {
    section.hidden = section.id !== next;
  }
  if (next !== 'tokens-view') byId('detail').hidden = true;
  void loadView();
}

function loadView(): Promise<void> {
  if (view === 'revocations-view') return loadRevocations();
  if (view === 'events-view') return loadEvents();
  if (view === 'tokens-view') return loadTokens();
  return Promise.resolve();
}

// Every change (an action, the timer) reads the summary and the open view again.
onChange(() => {
  void refreshSummary();
  if (view !== 'tokens-view') void loadView();
});

async function refreshSummary(): Promise<void> {
  const current = session();
  if (!current) return;
  try {
    const [summary, failures] = await Promise.all([
      current.api.summary(),
      current.api.tokens({ status: 'failed' }, null),
    ]);
    if (session() !== current) return;
    renderSummary(summary);
    byId('latest-failures').replaceChildren(
      ...(failures.items.length === 0
        ? [el('li', 'None.')]
        : failures.items
            .slice(0, 5)
            .map((record) =>
              el(
                'li',
                `${when(record.issuedAt)}: ${record.subjectId ?? '(service)'} ` +
                  `(${record.clientKey}): ${record.lastError ?? 'failed'}`,
              ),
            )),
    );
    showTombstone(summary.offboarding);
  } catch (error) {
    fail(error);
  }
}

function renderSummary(summary: TenantSummary): void {
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
    ['Data key version', summary.dataKey ? String(summary.dataKey.version) : '–'],
  ];
  byId('summary').replaceChildren(
    ...figures.map(([name, value]) => {
      const item = el('div', null, { class: 'figure' });
      item.append(el('dt', name), el('dd', value));
      return item;
    }),
  );
  const status = byId('offboarding-status');
  status.hidden = summary.offboarding === null;
  status.textContent = summary.offboarding
    ? `This tenant is being offboarded: ${summary.offboarding.status}.`
    : '';
}
