/**
 * The client's side of a fault scenario: sends batches of track events with unique messageIds and
 * remembers which ones the relay answered 200 (accepted: the relay owes their delivery) and which
 * it refused (a 503 means none of that batch was stored).
 */

/** POST one `/v1/batch` body; resolves with the HTTP status (0 when no answer came) and body. */
export type PostBatch = (body: { batch: object[] }) => Promise<Answer>;

export interface Answer {
  status: number;
  body?: unknown;
}

export interface LedgerOptions {
  /** Events per person cycle: event n belongs to person n % people (default 20). */
  people?: number;
  /** Extra fields for event n (e.g. a property that makes Customer.io refuse it). */
  decorate?: (n: number) => object;
}

export class Ledger {
  readonly acked = new Set<string>();
  /** Sent, and not (yet) answered 200. */
  readonly refused = new Set<string>();
  /** Sent again after newer events (a client's retry): outside the order their person's others keep. */
  readonly resent = new Set<string>();
  readonly statuses = new Map<number, number>();
  /** Batches not answered 200, as sent: a client SDK sends them again, same messageIds. */
  private unanswered: Array<Array<{ messageId: string }>> = [];
  private next = 0;

  constructor(
    private post: PostBatch,
    readonly prefix: string,
    private readonly options: LedgerOptions = {},
  ) {}

  /** Point the ledger at another relay (after a restart on a new port). */
  retarget(post: PostBatch): void {
    this.post = post;
  }

  get sent(): number {
    return this.next;
  }

  /**
   * Send one batch of `size` new events; resolves with the answer. Each concurrent sender has its
   * own `lane` of people, so a person's events are sent one after the other, in `seq` order.
   */
  async sendBatch(size: number, lane = 0): Promise<Answer> {
    const people = this.options.people ?? 20;
    const batch = Array.from({ length: size }, () => {
      const n = this.next++;
      return {
        type: 'track',
        userId: `${this.prefix}-l${lane}-p${n % people}`,
        event: 'Step',
        messageId: `${this.prefix}-${n}`,
        properties: { seq: n },
        ...this.options.decorate?.(n),
      };
    });
    return this.submit(batch);
  }

  /** Send every batch that was not answered 200 again, as a client SDK retries (same events). */
  async resendUnanswered(): Promise<void> {
    for (const batch of this.unanswered.splice(0)) {
      for (const { messageId } of batch) this.resent.add(messageId);
      await this.submit(batch);
    }
  }

  private async submit(batch: Array<{ messageId: string }>): Promise<Answer> {
    const answer = await this.post({ batch }).catch((): Answer => ({ status: 0 }));
    const status = answer.status;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    for (const { messageId } of batch) {
      if (status === 200) {
        this.acked.add(messageId);
        this.refused.delete(messageId);
      } else {
        this.refused.add(messageId);
      }
    }
    if (status !== 200) this.unanswered.push(batch);
    return answer;
  }

  /** `count` batches of `size`, one after the other. */
  async send(count: number, size: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.sendBatch(size);
  }

  /**
   * `workers` senders, each sending a batch of `size` every `pauseMs` until `stop()` (or until
   * `maxEvents` were sent, which bounds a scenario whatever happens).
   */
  run(workers: number, size: number, pauseMs: number, maxEvents = 5000): { stop(): Promise<void> } {
    let stopped = false;
    const worker = async (lane: number) => {
      while (!stopped && this.next < maxEvents) {
        await this.sendBatch(size, lane);
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    };
    const all = Promise.all(Array.from({ length: workers }, (_, lane) => worker(lane)));
    return {
      async stop() {
        stopped = true;
        await all;
      },
    };
  }

  count(status: number): number {
    return this.statuses.get(status) ?? 0;
  }
}

/** A PostBatch for a relay at `url` with a write key in Basic auth. */
export function batchPoster(url: string, writeKey: string): PostBatch {
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  return async (body) => {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
}
