import { type Access, AdminApi, AdminApiError } from './api';
import { byId, showAlert } from './dom';

/**
 * The signed-in state of the page: the API client (holding the key, in memory only), what the
 * credentials may do, and the timers to stop on sign out.
 */
export class Session {
  private timers: number[] = [];

  constructor(
    readonly api: AdminApi,
    readonly access: Access,
  ) {}

  /** Runs `task` every `ms` until sign out. */
  every(ms: number, task: () => void): number {
    const timer = window.setInterval(task, ms);
    this.timers.push(timer);
    return timer;
  }

  end(): void {
    for (const timer of this.timers) window.clearInterval(timer);
    this.timers = [];
  }
}

let current: Session | null = null;

export const session = (): Session | null => current;

export function setSession(next: Session | null): void {
  current?.end();
  current = next;
}

/** The API's message for a failed call, shown in the page's alert. */
export function messageOf(error: unknown): string {
  return error instanceof AdminApiError ? error.message : 'Something went wrong.';
}

export function fail(error: unknown): void {
  showAlert(byId('app-error'), messageOf(error));
}

export function clearFailure(): void {
  showAlert(byId('app-error'), null);
}

/** Listeners the views register to hear that something changed (after an action, a timer). */
const changed: Array<() => void> = [];

export function onChange(listener: () => void): void {
  changed.push(listener);
}

export function notifyChange(): void {
  for (const listener of changed) listener();
}
