import { connect, rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';
import type { SfsAuthResolvedOptions } from '../options/option-table';
import {
  sfsDispatcherFor,
  sfsExchange,
  type SfsPostOptions,
  type SfsRawAnswer,
} from '../sfs/sfs-http.transport';
import {
  apiKeyAuth,
  clientTokenBody,
  parseErrorMessage,
  platformTokenBody,
  revokeClientTokenBody,
  revokePlatformTokenBody,
  SFS_WIRE,
} from '../sfs/sfs-wire';
import { verdict, type SfsDoctorVerdict } from './doctor-report';
import { sfsDriverCode, sfsErrorCode } from '../errors/safe-error';

const CA_HINT =
  'set SFS_CA_FILE or SFS_CA_PEM for a private CA; TLS verification is never disabled';

/** A readable reason for a failed connection (the TLS or socket error code, never a secret). */
export function describeConnectionFailure(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const code = sfsDriverCode(error) ?? sfsErrorCode(cause);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
    return `the certificate of SFS is not trusted (${code}): ${CA_HINT}`;
  }
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED): is SFS_BASE_URL right?';
  if (code === 'ENOTFOUND') return 'the host name does not resolve (ENOTFOUND)';
  if (/Timeout|ABORT/i.test(code)) return 'no answer within the request timeout';
  return `the connection failed (${code})`;
}

/** The token-API calls the module makes, one attempt each, answers kept whole for the report. */
export class SfsDoctorWire {
  private readonly dispatcher?: Dispatcher;

  constructor(
    private readonly options: Pick<
      SfsAuthResolvedOptions,
      'apiKey' | 'baseUrl' | 'caPem' | 'dispatcher' | 'requestTimeoutMs' | 'secret'
    >,
  ) {
    this.dispatcher = sfsDispatcherFor(options);
  }

  /** Opens a TLS connection to the base URL's host and verifies its certificate. */
  tls(): Promise<SfsDoctorVerdict> {
    const url = new URL(this.options.baseUrl);
    return new Promise((resolve) => {
      const socket = connect({
        host: url.hostname,
        port: Number(url.port || 443),
        servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname,
        ca: this.options.caPem ? [...rootCertificates, this.options.caPem] : undefined,
        timeout: this.options.requestTimeoutMs,
      });
      socket.once('secureConnect', () => {
        const peer = socket.getPeerCertificate();
        const subject = peer?.subject?.CN ?? 'no CN';
        resolve(
          verdict('ok', `${url.host}: ${socket.getProtocol()}, certificate of ${subject} verified`),
        );
        socket.end();
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(
          verdict(
            'fail',
            `${url.host}: no TLS handshake within ${this.options.requestTimeoutMs} ms`,
          ),
        );
      });
      socket.once('error', (error) =>
        resolve(verdict('fail', `${url.host}: ${describeConnectionFailure(error)}`)),
      );
    });
  }

  createPlatformToken(): Promise<SfsRawAnswer> {
    return this.post(
      SFS_WIRE.tokenPath,
      platformTokenBody(this.options.apiKey ?? '', this.options.secret ?? ''),
    );
  }

  revokePlatformToken(platformToken: string): Promise<SfsRawAnswer> {
    return this.post(SFS_WIRE.tokenPath, revokePlatformTokenBody(), { bearer: platformToken });
  }

  createClientToken(platformToken: string, clientKey: string): Promise<SfsRawAnswer> {
    return this.post(SFS_WIRE.tokenPath, clientTokenBody(clientKey), { bearer: platformToken });
  }

  revokeClientToken(platformToken: string, clientToken: string): Promise<SfsRawAnswer> {
    return this.post(SFS_WIRE.tokenPath, revokeClientTokenBody(clientToken), {
      bearer: platformToken,
    });
  }

  /** The protected sample call, with a client token or (api-key mode) the key and `clientKey`. */
  sampleCall(auth: { bearer: string } | { clientKey: string }): Promise<SfsRawAnswer> {
    const data: Record<string, string> = { action: 'list' };
    if ('bearer' in auth)
      return this.post(SFS_WIRE.contractPath, { data }, { bearer: auth.bearer });
    const key = apiKeyAuth(this.options.apiKey ?? '', auth.clientKey);
    return this.post(
      SFS_WIRE.contractPath,
      { data: { ...data, ...key.data } },
      { headers: key.headers },
    );
  }

  async close(): Promise<void> {
    if (this.dispatcher && !this.options.dispatcher) await this.dispatcher.close();
  }

  private async post(
    path: string,
    body: unknown,
    auth: Pick<SfsPostOptions, 'bearer' | 'headers'> = {},
  ): Promise<SfsRawAnswer> {
    try {
      return await sfsExchange(
        this.dispatcher,
        new URL(`${this.options.baseUrl}${path}`),
        body,
        auth,
        { timeoutMs: this.options.requestTimeoutMs },
      );
    } catch (error) {
      throw new Error(describeConnectionFailure(error), { cause: error });
    }
  }
}

const TOKEN_FIELDS = Object.values(SFS_WIRE.response) as string[];

/**
 * Judges a token answer: 2xx with every field the module reads (unknown ones are a warning; a
 * missing one fails), else a failure naming SFS's status and message, the field it names, and
 * the body we sent (secrets masked by the run).
 */
export function judgeTokenAnswer(
  call: string,
  answer: SfsRawAnswer,
  sent: unknown,
): SfsDoctorVerdict & { token?: string } {
  if (answer.status < 200 || answer.status > 299) return judgeFailure(call, answer, sent);
  const body = (
    typeof answer.body === 'object' && answer.body !== null ? answer.body : {}
  ) as Record<string, unknown>;
  const fields = Object.keys(body);
  const missing = TOKEN_FIELDS.filter((f) => !(f in body));
  const unknown = fields.filter((f) => !TOKEN_FIELDS.includes(f));
  const token = body[SFS_WIRE.response.accessToken];
  const expires = body[SFS_WIRE.response.expiresIn];
  const shape = `${answer.status} {${fields.join(', ')}}`;
  if (missing.length > 0) {
    return {
      ...verdict(
        'fail',
        `${call}: SFS answered ${shape} without ${missing.join(', ')}, which the module needs; our body was ${JSON.stringify(sent)}`,
      ),
      token: typeof token === 'string' ? token : undefined,
    };
  }
  const lifetime = `expires_in=${String(expires)}, token_type=${String(body[SFS_WIRE.response.tokenType])}`;
  const result = unknown.length
    ? verdict(
        'warn',
        `${call}: ${shape}; fields the module does not know: ${unknown.join(', ')} (${lifetime})`,
      )
    : verdict(
        'ok',
        `${call}: ${answer.status} with ${TOKEN_FIELDS.join(', ')} (${lifetime}); sent ${JSON.stringify(sent)}`,
      );
  return { ...result, token: typeof token === 'string' ? token : undefined };
}

/** A non-2xx answer, named as precisely as SFS lets us. */
export function judgeFailure(call: string, answer: SfsRawAnswer, sent: unknown): SfsDoctorVerdict {
  const message = parseErrorMessage(answer.body);
  const field = message && /'(data\.[\w.]+|[\w.]+)'|field `?([\w.]+)`?/.exec(message);
  const named = field ? `: field \`${field[1] ?? field[2]}\`` : '';
  const said = message ? ` "${message}"` : '';
  const hint =
    answer.status === 401 || answer.status === 403
      ? ' (check SFS_API_KEY and SFS_SECRET, or the token sent)'
      : '';
  return verdict(
    'fail',
    `${call}: SFS answered ${answer.status}${said}${named}${hint}; our body was ${JSON.stringify(sent)}`,
  );
}
