export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * A minimal text/event-stream reader over fetch (HTML §9.2.6 parsing: fields up to a blank line;
 * comment lines start with ":"), for tests and benchmarks: what a browser's EventSource would see.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  status = 0;
  private readonly abort = new AbortController();
  private done?: Promise<void>;

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const c = new SseClient();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: c.abort.signal });
    c.status = res.status;
    if (!res.ok || !res.body) return c;
    c.done = c.pump(res.body);
    return c;
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let current: Partial<SseEvent> & { data?: string } = {};
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let i = buffer.indexOf('\n'); i !== -1; i = buffer.indexOf('\n')) {
          const line = buffer.slice(0, i).replace(/\r$/, '');
          buffer = buffer.slice(i + 1);
          if (line === '') {
            if (current.data !== undefined) this.events.push({ id: current.id, event: current.event ?? 'message', data: current.data });
            current = {};
          } else if (line.startsWith(':')) this.comments++;
          else {
            const colon = line.indexOf(':');
            const field = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
            else if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
          }
        }
      }
    } catch {
      /* aborted */
    }
  }

  /** Outbox events only (those with an id). */
  get outbox(): SseEvent[] {
    return this.events.filter((e) => e.id !== undefined);
  }

  async waitFor(predicate: (c: SseClient) => boolean, ms = 10_000): Promise<void> {
    const until = Date.now() + ms;
    while (!predicate(this)) {
      if (Date.now() > until) throw new Error(`SSE: condition not met within ${ms} ms (${this.events.length} events)`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
