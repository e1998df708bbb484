import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection function. `npm run bench` starts node with `--expose-gc`; when run
 * without it, the flag is switched on at run time (V8 then hands out `gc` to new contexts).
 */
export function fullGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  (globalThis as { gc?: () => void }).gc = gc;
  return gc;
}

/** `heapUsed` in bytes after collecting twice (weak references and finalizers settle). */
export function heapUsedAfterGc(): number {
  const gc = fullGc();
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
