/**
 * Resolves after the HTTP requests queued in this event-loop turn have been written. undici
 * writes a request onto a reused keep-alive socket only in the loop's check phase, after the
 * turn's I/O callbacks (it first lets the idle socket show any pending bytes, FIN or RST: its
 * idle-socket validation). Its `setImmediate` may be queued after one made here, so this waits
 * for the check phase of the next turn, which runs after every immediate queued in this one.
 */
export function afterQueuedRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
