/**
 * Every SFS wire shape the module knows, in one place (see `docs/sfs-token-api.md`): the documented ones
 * and our inferences alike, so that a correction is a one-line change. The sandbox reads these too.
 */
export const SFS_WIRE = {
  /** The one endpoint of the token flow. */
  tokenPath: '/api/token',
  /** A protected sample call (used by the sandbox and by tests). */
  contractPath: '/api/contract',
  /** Testing-only api-key mode header. */
  apiKeyHeader: 'X-Sendforsign-Key',
  actionCreate: 'create',
  actionRevoke: 'revoke',
  /** Request fields inside `data`. `clientToken` is inferred (undocumented field name). */
  fields: {
    action: 'action',
    apiKey: 'apiKey',
    secret: 'secret',
    clientKey: 'clientKey',
    clientToken: 'token',
  },
  /** Response fields of a token (no `data` wrapper). */
  response: { accessToken: 'access_token', tokenType: 'token_type', expiresIn: 'expires_in' },
} as const;

/** `{"data":{...}}`, the envelope of every SFS request body. */
export interface SfsEnvelope<T> {
  data: T;
}

/** Body of the platform-token call: credentials, no auth header. */
export function platformTokenBody(
  apiKey: string,
  secret: string,
): SfsEnvelope<Record<string, string>> {
  const f = SFS_WIRE.fields;
  return { data: { [f.action]: SFS_WIRE.actionCreate, [f.apiKey]: apiKey, [f.secret]: secret } };
}

/** Body revoking the platform token sent in the Authorization header. */
export function revokePlatformTokenBody(): SfsEnvelope<Record<string, string>> {
  return { data: { [SFS_WIRE.fields.action]: SFS_WIRE.actionRevoke } };
}

/** Body minting a client token (platform token in the header). */
export function clientTokenBody(clientKey: string): SfsEnvelope<Record<string, string>> {
  const f = SFS_WIRE.fields;
  return { data: { [f.action]: SFS_WIRE.actionCreate, [f.clientKey]: clientKey } };
}

/** Body revoking a client token (platform token in the header). */
export function revokeClientTokenBody(clientToken: string): SfsEnvelope<Record<string, string>> {
  const f = SFS_WIRE.fields;
  return { data: { [f.action]: SFS_WIRE.actionRevoke, [f.clientToken]: clientToken } };
}

/** A token as SFS returns it, parsed and checked. */
export interface SfsIssuedToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Lifetime in seconds, as SFS said (never assumed). */
  readonly expiresInSeconds: number;
}

/**
 * Parses a token response defensively. Returns `undefined` for anything that is not a usable
 * Bearer token with a positive lifetime; the caller turns that into a typed error.
 */
export function parseTokenResponse(body: unknown): SfsIssuedToken | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const r = SFS_WIRE.response;
  const record = body as Record<string, unknown>;
  const token = record[r.accessToken];
  const type = record[r.tokenType] ?? 'Bearer';
  const expires =
    typeof record[r.expiresIn] === 'string' ? Number(record[r.expiresIn]) : record[r.expiresIn];
  if (typeof token !== 'string' || token.length === 0 || token.length > 8192) return undefined;
  if (typeof type !== 'string' || type.toLowerCase() !== 'bearer') return undefined;
  if (typeof expires !== 'number' || !Number.isFinite(expires) || expires <= 0) return undefined;
  return { accessToken: token, tokenType: 'Bearer', expiresInSeconds: expires };
}

/**
 * Reads `message` from an SFS error body `{code, message}` when there is one: 200 printable ASCII
 * characters at most. `redact` gets the whole message first, so that what it removes is found
 * as it was sent, before the cut and the replaced characters could hide a part of it.
 */
export function parseErrorMessage(
  body: unknown,
  redact: (message: string) => string = (message) => message,
): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as Record<string, unknown>).message;
  if (typeof message !== 'string') return undefined;
  return redact(message)
    .slice(0, 200)
    .replace(/[^\x20-\x7e]/g, '?');
}

/** What the testing-only api-key mode puts on a call: a header, and `clientKey` inside `data`. */
export interface SfsApiKeyAuth {
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, string>>;
}

/**
 * Auth of the testing-only api-key mode ("never with your real clients"): the platform API key in
 * the `X-Sendforsign-Key` header and the client's key in `data`, no token at all.
 */
export function apiKeyAuth(apiKey: string, clientKey: string): SfsApiKeyAuth {
  return {
    headers: { [SFS_WIRE.apiKeyHeader]: apiKey },
    data: { [SFS_WIRE.fields.clientKey]: clientKey },
  };
}
