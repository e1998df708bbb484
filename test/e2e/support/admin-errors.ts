/** What the checks read of a response (supertest's `Response` fits). */
export interface SeenResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The `message` of each error `code` must say what went wrong. */
const MESSAGE_OF_CODE: Readonly<Record<string, RegExp>> = {
  ADMIN_UNAUTHENTICATED: /^admin credentials are missing or invalid$/,
  ADMIN_FORBIDDEN: /^not an admin of tenant \S+$/,
  TOKEN_NOT_FOUND: /^token \S+ not found in tenant \S+$/,
  TOKEN_NOT_ACTIVE: /^token \S+ is \w+, not active$/,
  NOT_FOUND: /^Cannot [A-Z]+ \//,
  PAYLOAD_TOO_LARGE: /^(request )?body (is too large|must be at most \d+ bytes|has too many)/,
  UNSUPPORTED_MEDIA_TYPE: /^body .*not supported/,
  ADMIN_THROTTLED: /^too many failed admin authentications; retry later$/,
};

/** The code every status must come with (400 and 404 have their own rules). */
const CODE_OF_STATUS: Readonly<Record<number, readonly string[]>> = {
  400: ['INVALID_INPUT'],
  401: ['ADMIN_UNAUTHENTICATED'],
  403: ['ADMIN_FORBIDDEN'],
  404: ['TOKEN_NOT_FOUND', 'NOT_FOUND'],
  409: ['TOKEN_NOT_ACTIVE'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
  429: ['ADMIN_THROTTLED'],
};

/**
 * Why an admin error response breaks the contract (`{ statusCode, code, message, field? }`, a
 * 4xx, a code that fits the status, a message naming the cause, `field` on a 400 and named by the
 * message, `WWW-Authenticate: Bearer` on a 401), or null when it keeps it.
 */
export function errorBodyProblem(response: SeenResponse): string | null {
  const { status } = response;
  if (status >= 500) return `server error ${status}`;
  if (status < 400) return `not an error: ${status}`;
  const body = (response.body ?? {}) as Record<string, unknown>;
  const { statusCode, code, message, field } = body;
  if (statusCode !== status) return `statusCode ${String(statusCode)} is not the status ${status}`;
  if (typeof code !== 'string' || !code) return 'no code';
  if (typeof message !== 'string' || !message) return 'no message';
  const codes = CODE_OF_STATUS[status];
  if (!codes) return `unexpected status ${status}`;
  if (!codes.includes(code)) return `code ${code} does not fit status ${status}`;
  if (status === 400) {
    if (typeof field !== 'string' || !field) return '400 without field';
    if (!message.startsWith(`${field} `)) return `message "${message}" does not name ${field}`;
  } else if (!MESSAGE_OF_CODE[code]?.test(message)) {
    return `message "${message}" does not explain ${code}`;
  }
  if (status === 401 && response.headers['www-authenticate'] !== 'Bearer') {
    return '401 without WWW-Authenticate: Bearer';
  }
  return null;
}
