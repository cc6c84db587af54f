/**
 * The distinct exchanges of one log row, without their request bodies: the jobs of one Track API
 * request share its method, URL, status, response and duration, so a row keeps those once and
 * each entry the index of its own (both stores' logs: sqlite/log-row.ts, postgres/complete.ts).
 */
import type { Exchange } from './types.js';

export type ExchangeHead = [
  method: string,
  url: string,
  status: number | null,
  response: string | null,
  duration: number | null,
];

export class ExchangeHeads {
  readonly heads: ExchangeHead[] = [];

  /** The index of the exchange's head, added unless it is the last one added; none without one. */
  indexOf(x: Exchange | undefined): number | undefined {
    if (x === undefined) return undefined;
    const last = this.heads[this.heads.length - 1];
    if (
      last === undefined ||
      last[0] !== x.method ||
      last[1] !== x.url ||
      last[2] !== (x.status ?? null) ||
      last[3] !== (x.responseBody ?? null) ||
      last[4] !== (x.durationMs ?? null)
    ) {
      this.heads.push([x.method, x.url, x.status ?? null, x.responseBody ?? null, x.durationMs ?? null]);
    }
    return this.heads.length - 1;
  }

  json(): string {
    return JSON.stringify(this.heads);
  }
}

/** The exchange of a head and an entry's request body. */
export function exchangeOf(head: ExchangeHead, requestBody: string): Exchange {
  const [method, url, status, response, duration] = head;
  return {
    method,
    url,
    requestBody,
    ...(status !== null && { status }),
    ...(response !== null && { responseBody: response }),
    ...(duration !== null && { durationMs: duration }),
  };
}
