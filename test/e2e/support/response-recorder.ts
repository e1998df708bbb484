import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** One response as it left the server: status, every header and the body bytes as text. */
export interface RecordedResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

type Chunk = string | Buffer | Uint8Array;

const bytes = (chunk: Chunk, encoding?: unknown): Buffer =>
  typeof chunk === 'string'
    ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
    : Buffer.from(chunk);

/**
 * Records every response the server sends from now on, whichever route or error path wrote it
 * (so a test cannot forget one), into `recorded`. Only observes: the bytes go out unchanged.
 */
export function recordResponses(
  server: Server,
  recorded: RecordedResponse[] = [],
): RecordedResponse[] {
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.write = ((chunk: Chunk, ...rest: unknown[]) => {
      chunks.push(bytes(chunk, rest[0]));
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    response.end = ((chunk?: Chunk | (() => void), ...rest: unknown[]) => {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
        chunks.push(bytes(chunk, rest[0]));
      }
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    response.once('finish', () =>
      recorded.push({
        method: request.method ?? '',
        url: request.url ?? '',
        status: response.statusCode,
        headers: JSON.stringify(response.getHeaders()),
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  });
  return recorded;
}
