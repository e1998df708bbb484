/**
 * `nestjs-sfs-auth/testing`: for hosts' tests. The SFS sandbox (an HTTPS simulation of the SFS token
 * API on 127.0.0.1) and a manual clock to bind to the `SfsClock` port.
 *
 * @packageDocumentation
 * @module nestjs-sfs-auth/testing
 */
export { SfsManualClock } from '../sfs-auth/clock/clock';
export { SfsSandbox } from './sfs-sandbox';
export { SFS_SANDBOX_CONTROL_HEADER, SFS_SANDBOX_CONTROL_PREFIX } from './sandbox-control.api';
export { SFS_SANDBOX_DEFAULT_LIFETIME_SECONDS } from './sandbox-options';
export type {
  SfsSandboxAccount,
  SfsSandboxCall,
  SfsSandboxCallFilter,
  SfsSandboxCallKind,
  SfsSandboxDialect,
  SfsSandboxFault,
  SfsSandboxFaultProfile,
  SfsSandboxLifetimes,
  SfsSandboxOptions,
  SfsSandboxRevokeStatuses,
  SfsSandboxStats,
  SfsSandboxTokenInfo,
  SfsSandboxTokenKind,
} from './sfs-sandbox.types';
