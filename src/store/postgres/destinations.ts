/**
 * Destination names ↔ integer ids (jobs, log entries and dead letters store the id), created on
 * first use with their claim slots and counters rows; the persisted pause. Ids never change once committed, so they
 * are cached for the life of the store.
 */
import type pg from 'pg';
import type { DestinationState } from '../types.js';
import { TOTAL_SHARDS } from './counters.js';
import { SLOTS } from './schema.js';

export class Destinations {
  private readonly ids = new Map<string, number>();

  constructor(private readonly pool: pg.Pool) {}

  /** The id of a known destination, or undefined. */
  async find(name: string): Promise<number | undefined> {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const { rows } = await this.pool.query<{ id: number }>('SELECT id FROM destinations WHERE name = $1', [
      name,
    ]);
    if (rows[0] !== undefined) this.ids.set(name, rows[0].id);
    return rows[0]?.id;
  }

  /** The id of a destination, created (committed on its own) if needed. */
  async ensure(name: string): Promise<number> {
    const known = await this.find(name);
    if (known !== undefined) return known;
    // One statement, so a destination never exists without its slots and counters rows (claims
    // pick a counters row no one holds: claim-function.ts), whichever relay creates it.
    const { rows } = await this.pool.query<{ id: number }>(
      `WITH created AS (
         INSERT INTO destinations (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id
       ), slots AS (
         INSERT INTO claim_slots (dest, slot) SELECT id, s FROM created, generate_series(0, $2 - 1) s
       ), counters AS (
         INSERT INTO totals (dest, shard) SELECT id, s FROM created, generate_series(0, $3 - 1) s
       )
       SELECT id FROM created`,
      [name, SLOTS, TOTAL_SHARDS],
    );
    if (rows[0] !== undefined) {
      this.ids.set(name, rows[0].id);
      return rows[0].id;
    }
    return (await this.find(name))!;
  }

  async ensureAll(names: Iterable<string>): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const name of names) if (!ids.has(name)) ids.set(name, await this.ensure(name));
    return ids;
  }

  async state(name: string): Promise<DestinationState> {
    const { rows } = await this.pool.query<{ paused: string | null }>(
      'SELECT paused FROM destinations WHERE name = $1',
      [name],
    );
    const paused = rows[0]?.paused;
    return { paused: paused ? (JSON.parse(paused) as DestinationState['paused']) : null };
  }

  async setPaused(name: string, paused: DestinationState['paused']): Promise<void> {
    const id = await this.ensure(name);
    await this.pool.query('UPDATE destinations SET paused = $1 WHERE id = $2', [
      paused === null ? null : JSON.stringify(paused),
      id,
    ]);
  }
}
