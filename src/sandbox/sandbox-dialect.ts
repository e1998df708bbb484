import { SFS_WIRE } from '../sfs-auth/sfs/sfs-wire';
import { SandboxHttpError } from './sandbox-request.validator';
import type { SfsSandboxDialect } from './sfs-sandbox.types';

/**
 * An SFS that speaks a slightly different wire dialect than the module (a renamed request field, a
 * response field left out): how `doctor` tests prove they name such a mismatch precisely.
 * Renamed fields are translated back to the module's names before the strict checks run, so a body
 * that still uses the module's name gets `400 Missing field 'data.<their name>'`.
 */
export function translateRequestFields(
  data: Record<string, unknown>,
  dialect: SfsSandboxDialect | undefined,
): void {
  for (const [ours, theirs] of Object.entries(dialect?.requestFields ?? {})) {
    const field = SFS_WIRE.fields[ours as keyof typeof SFS_WIRE.fields];
    if (!theirs || theirs === field) continue;
    if (theirs in data) {
      if (field in data) throw new SandboxHttpError(400, `Unexpected field 'data.${field}'`);
      data[field] = data[theirs];
      delete data[theirs];
    } else if (field in data) {
      throw new SandboxHttpError(400, `Missing field 'data.${theirs}'`);
    }
  }
}

/** A token answer without the response fields the dialect leaves out. */
export function dialectTokenBody(
  body: Record<string, unknown>,
  dialect: SfsSandboxDialect | undefined,
): Record<string, unknown> {
  const omitted = new Set<string>(dialect?.omitResponseFields ?? []);
  return Object.fromEntries(Object.entries(body).filter(([key]) => !omitted.has(key)));
}
