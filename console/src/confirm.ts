import { byId, showAlert } from './dom';
import { messageOf } from './session';

/** What the confirmation dialog asks. */
export interface ConfirmRequest {
  readonly title: string;
  readonly what: string;
  /** The confirming button's name (`Revoke` on a row). */
  readonly confirm: string;
  /** Runs with the reason given; a rejection's message is shown in the dialog. */
  run(reason: string): Promise<void>;
}

const dialog = byId<HTMLDialogElement>('revoke-dialog');
const reasonInput = byId<HTMLInputElement>('revoke-reason');
const error = byId('revoke-error');
let pending: ConfirmRequest | null = null;

/** Opens the dialog: a **Reason** field (written to the audit trail) and a confirming button. */
export function confirmWithReason(request: ConfirmRequest): void {
  pending = request;
  byId('revoke-title').textContent = request.title;
  byId('revoke-what').textContent = request.what;
  byId('revoke-confirm').textContent = request.confirm;
  reasonInput.value = '';
  showAlert(error, null);
  dialog.showModal();
  reasonInput.focus();
}

byId('revoke-cancel').addEventListener('click', () => dialog.close());
dialog.addEventListener('close', () => {
  pending = null;
});

byId<HTMLFormElement>('revoke-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const request = pending;
  const reason = reasonInput.value.trim();
  if (!request) return;
  if (!reason) {
    showAlert(error, 'Give a reason: it is written to the audit trail.');
    return;
  }
  const button = byId<HTMLButtonElement>('revoke-confirm');
  button.disabled = true;
  request
    .run(reason)
    .then(() => dialog.close())
    .catch((failure: unknown) => showAlert(error, messageOf(failure)))
    .finally(() => {
      button.disabled = false;
    });
});
