/**
 * Claims as leases. Each open store registers itself in `workers` with a lease deadline (database
 * clock, so relays on other machines agree) and renews it every third of the lease; the jobs it
 * claims carry its id as `owner`. A relay that stops renewing (killed, hung, cut off) loses its
 * claims once its deadline passes: any relay's `reap` deletes the worker row and queues its jobs
 * again, in one transaction. A live relay's claims are never taken.
 *
 * A relay that finds its own row gone (it was reaped while cut off) registers again under a new id,
 * so the results it still sends for its old claims match nothing: those jobs were queued again and
 * go out once more (at least once, never lost).
 */
import { hostname } from 'node:os';
import type pg from 'pg';
import { randomShard, requeue, requeued } from './counters.js';
import type { Queryable } from './pool.js';

export class Lease {
  private current: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Relays with a live lease, this one included, as of the last renewal (claims share buckets). */
  relays = 1;

  constructor(
    private readonly pool: pg.Pool,
    private readonly leaseMs: number,
    private readonly tell: { onError: (error: unknown) => void; onReaped: (jobs: number) => void },
    /** Run after each successful renewal (the database is reachable again). */
    private readonly afterRenewal: () => Promise<void> = async () => undefined,
  ) {}

  /** This relay's worker id (registered on first use). */
  async id(): Promise<number> {
    if (this.current === undefined) await this.register();
    return this.current!;
  }

  /** Register and keep the lease alive until `stop`. */
  async start(): Promise<void> {
    await this.register();
    await this.count();
    let renewing = false;
    this.timer = setInterval(() => {
      // A renewal still on its way (slow database) is not doubled.
      if (renewing) return;
      renewing = true;
      this.renew()
        .catch(this.tell.onError)
        .finally(() => {
          renewing = false;
        });
    }, this.leaseMs / 3);
    this.timer.unref();
  }

  async renew(): Promise<void> {
    if (this.current === undefined) return this.register();
    const { rowCount } = await this.pool.query(
      `UPDATE workers SET lease_until = clock_timestamp() + $2 * interval '1 millisecond' WHERE id = $1`,
      [this.current, this.leaseMs],
    );
    if (rowCount === 0) await this.register();
    const reaped = await this.reap(this.pool);
    if (reaped > 0) this.tell.onReaped(reaped);
    await this.count();
    await this.afterRenewal();
  }

  /**
   * Queue again the jobs of relays whose lease has passed (and of any owner that no longer exists,
   * e.g. a claim that committed just after its relay was reaped); answers how many.
   */
  async reap(client: Queryable): Promise<number> {
    return requeued(
      client,
      requeue(
        'NOT EXISTS (SELECT 1 FROM workers w WHERE w.id = j.owner AND w.lease_until >= now())',
        '$1',
        'gone AS (DELETE FROM workers WHERE lease_until < now()),',
      ),
      [randomShard()],
    );
  }

  /** Queue again this relay's own claims (none are being delivered any more). */
  async releaseOwn(client: Queryable): Promise<number> {
    if (this.current === undefined) return 0;
    return requeued(client, requeue('j.owner = $1', '$2'), [this.current, randomShard()]);
  }

  /** Stop renewing and give the lease up, queueing again whatever this relay still holds. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.current === undefined) return;
    await requeued(this.pool, requeue('j.owner = $1', '$2', 'gone AS (DELETE FROM workers WHERE id = $1),'), [
      this.current,
      randomShard(),
    ]);
    this.current = undefined;
  }

  /** Once expired ones are reaped, every row left is a live relay. */
  private async count(): Promise<void> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM workers');
    this.relays = Math.max(1, rows[0]?.n ?? 1);
  }

  private async register(): Promise<void> {
    const { rows } = await this.pool.query<{ id: number }>(
      `INSERT INTO workers (lease_until, host, pid)
       VALUES (clock_timestamp() + $1 * interval '1 millisecond', $2, $3) RETURNING id`,
      [this.leaseMs, hostname(), process.pid],
    );
    this.current = rows[0]!.id;
  }
}
