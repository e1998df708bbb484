import { loadOptionalPeer } from '../common/optional-peer';
import type { OtelTraceApi } from './otel-trace-api';
import { SfsOtelTracer } from './otel.tracer';
import type { SfsOperationSpan, SfsSpanAttributes, SfsTracer } from './tracer.types';

export type * from './tracer.types';

const NOOP_SPAN: SfsOperationSpan = {
  set: () => undefined,
  addWait: () => undefined,
  rename: () => undefined,
};

/** The tracer without `@opentelemetry/api`: runs the work, records nothing. */
export const SFS_NOOP_TRACER: SfsTracer = {
  operation: (_operation, _attributes, fn) => fn(NOOP_SPAN),
  httpAttempt: (_attempt, fn) => fn(),
};

/** The tracer for an `@opentelemetry/api` module, or the no-op one without it. */
export function createSfsTracer(api: OtelTraceApi | undefined): SfsTracer {
  return api ? new SfsOtelTracer(api) : SFS_NOOP_TRACER;
}

let resolved: SfsTracer | undefined;

/**
 * The module's tracer, resolved once per process: OpenTelemetry when the host has
 * `@opentelemetry/api` (spans go to whatever tracer provider the host registers, or nowhere),
 * else the no-op one.
 */
export function sfsTracer(): SfsTracer {
  resolved ??= createSfsTracer(loadOptionalPeer<OtelTraceApi>('@opentelemetry/api'));
  return resolved;
}

/** The identifiers of a token key, as span attributes (never the subject: it may name a person). */
export function sfsKeyAttributes(key: {
  readonly tenantId: string;
  readonly clientKey?: string;
  readonly id?: string;
}): SfsSpanAttributes {
  return {
    'sfs_auth.tenant_id': key.tenantId,
    'sfs_auth.client_key': key.clientKey,
    'sfs_auth.token_id': key.id,
  };
}
