import type { Logger } from '@nestjs/common';
import type { SfsTokenChange } from './token-change.feed';

/**
 * The listeners of a change feed: changes, and "changes may have been missed" resets. A listener
 * that throws is logged (with the tenant id) and never stops the others.
 */
export class SfsTokenChangeListeners {
  private readonly changes = new Set<(change: SfsTokenChange) => void>();
  private readonly resets = new Set<() => void>();

  constructor(private readonly logger: Logger) {}

  /** Registers a change listener; returns its unsubscribe function. */
  subscribe(listener: (change: SfsTokenChange) => void): () => void {
    this.changes.add(listener);
    return () => this.changes.delete(listener);
  }

  /** Registers a reset listener; returns its unsubscribe function. */
  onReset(listener: () => void): () => void {
    this.resets.add(listener);
    return () => this.resets.delete(listener);
  }

  /** Tells every change listener. */
  emit(change: SfsTokenChange): void {
    for (const listener of this.changes) {
      this.guard(
        () => listener(change),
        `token change listener failed for tenant ${change.tenantId}`,
      );
    }
  }

  /** Tells every reset listener. */
  reset(): void {
    for (const listener of this.resets) this.guard(listener, 'token change reset listener failed');
  }

  private guard(run: () => void, message: string): void {
    try {
      run();
    } catch (error) {
      this.logger.error(message, error instanceof Error ? error.stack : undefined);
    }
  }
}
