import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** One Server-Sent Event as received. */
export interface ReceivedEvent {
  readonly type: string;
  readonly data: unknown;
  /** When it arrived (`performance.now()`). */
  readonly at: number;
}

/** An open `text/event-stream` response, read as a browser's EventSource would. */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  status = 0;
  headers: IncomingHttpHeaders = {};
  ended = false;
  private buffer = '';
  private close: () => void = () => undefined;
  private waiters: Array<() => void> = [];

  /** Connects to `url` (an `http://127.0.0.1:port/...` URL) with `headers`; resolves on the answer's head. */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      const call = httpRequest(
        url,
        { headers: { accept: 'text/event-stream', ...headers } },
        (res) => {
          client.status = res.statusCode ?? 0;
          client.headers = res.headers;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => client.feed(chunk));
          res.on('end', () => client.finish());
          res.on('close', () => client.finish());
          resolve(client);
        },
      );
      client.close = () => call.destroy();
      call.on('error', (error) => (client.status ? client.finish() : reject(error)));
      call.end();
    });
  }

  /** Waits until an event of `type` beyond the first `after` has arrived; rejects after `ms`. */
  async next(type: string, after = 0, ms = 5000): Promise<ReceivedEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.filter((e) => e.type === type)[after];
      if (found) return found;
      if (this.ended || Date.now() > deadline) {
        throw new Error(
          `no "${type}" event #${after + 1} (got ${this.events.map((e) => e.type).join(', ') || 'none'})`,
        );
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  stop(): void {
    this.close();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let type = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length === 0 && type === 'message') continue;
      let parsed: unknown = data.join('\n');
      try {
        parsed = JSON.parse(data.join('\n'));
      } catch {
        // plain text data
      }
      this.events.push({ type, data: parsed, at: performance.now() });
    }
    this.wake();
  }

  private finish(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
