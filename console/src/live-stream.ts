/**
 * Reads the relay's server-sent events with fetch (EventSource cannot send the admin token) and
 * reconnects after a failure until stopped.
 */
import { savedToken } from './session';

export interface LiveHandlers {
  message(event: string, data: string): void;
  status(connected: boolean): void;
  unauthorized(): void;
}

const RETRY_MS = 2000;

/** Returns the function that stops reading. */
export function followStream(path: string, handlers: LiveHandlers): () => void {
  const abort = new AbortController();
  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        const response = await fetch(`/admin${path}`, {
          headers: { authorization: `Bearer ${savedToken() ?? ''}` },
          signal: abort.signal,
        });
        if (response.status === 401) return handlers.unauthorized();
        if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
        handlers.status(true);
        await readBlocks(response.body, handlers.message);
      } catch {
        // Network failure or the relay restarting: shown as disconnected, then tried again.
      }
      if (abort.signal.aborted) return;
      handlers.status(false);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  };
  void run();
  return () => abort.abort();
}

async function readBlocks(body: ReadableStream<Uint8Array>, onMessage: LiveHandlers['message']) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const colon = line.indexOf(': ');
        if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
      }
      const data = fields.get('data');
      if (data !== undefined) onMessage(fields.get('event') ?? 'message', data);
      end = buffer.indexOf('\n\n');
    }
  }
}
