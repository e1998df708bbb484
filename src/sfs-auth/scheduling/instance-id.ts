import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Injection token of this module instance's id: the lease owner written on claimed rows. */
export const SFS_INSTANCE_ID = Symbol('SFS_INSTANCE_ID');

/** `host:pid:random`, unique per module instance (two apps in one process differ). At most 64 chars. */
export function createInstanceId(): string {
  return `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
