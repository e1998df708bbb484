import { Agent } from 'undici';
import type { SfsSandbox, SfsSandboxAccount } from '../../src/sandbox';

/** A response as the tests look at it. */
export interface TestResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** How to send one request; `body` objects are JSON-encoded, strings sent byte for byte. */
export interface TestRequest {
  method?: string;
  body?: unknown;
  bearer?: string;
  headers?: Record<string, string>;
  contentType?: string | null;
  signal?: AbortSignal;
}

/** Real HTTPS calls to a sandbox, trusting exactly its certificate. */
export class SandboxTestClient {
  readonly agent: Agent;

  constructor(private readonly sandbox: SfsSandbox) {
    this.agent = new Agent({ connect: { ca: sandbox.caPem } });
  }

  async request(path: string, req: TestRequest = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...req.headers };
    if (req.contentType !== null) headers['content-type'] = req.contentType ?? 'application/json';
    if (req.bearer !== undefined) headers.authorization = `Bearer ${req.bearer}`;
    const body =
      req.body === undefined || typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const res = await fetch(`${this.sandbox.url}${path}`, {
      method: req.method ?? 'POST',
      headers,
      body: body as string | undefined,
      signal: req.signal,
      dispatcher: this.agent,
    } as RequestInit);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** `POST /api/token` with `{"data": data}`. */
  token(data: unknown, bearer?: string): Promise<TestResponse> {
    return this.request('/api/token', { body: { data }, bearer });
  }

  /** A fresh platform token (fails the test unless 201). */
  async platformToken(account: SfsSandboxAccount = this.sandbox.accounts[0]): Promise<string> {
    const res = await this.token({
      action: 'create',
      apiKey: account.apiKey,
      secret: account.secret,
    });
    expect(res.status).toBe(201);
    return (res.body as { access_token: string }).access_token;
  }

  /** A fresh client token (fails the test unless 201). */
  async clientToken(platform: string, clientKey = 'client-1'): Promise<string> {
    const res = await this.token({ action: 'create', clientKey }, platform);
    expect(res.status).toBe(201);
    return (res.body as { access_token: string }).access_token;
  }

  /** `POST /api/contract` list, with a Bearer token. */
  contracts(bearer: string): Promise<TestResponse> {
    return this.request('/api/contract', { body: { data: { action: 'list' } }, bearer });
  }

  /** A control API call with the sandbox's control key. */
  control(method: string, path: string, body?: unknown): Promise<TestResponse> {
    return this.request(`/__sandbox/${path}`, {
      method,
      body,
      headers: { 'x-sandbox-control': this.sandbox.controlKey },
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Error body `{code, message}` of this status, message containing `text`. */
export function errorBody(status: number, text = ''): unknown {
  return { code: String(status), message: expect.stringContaining(text) };
}
