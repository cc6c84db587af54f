/**
 * `GET /admin/health`: can the store answer, is delivery running, and each destination's state and
 * queue in one glance. `status` is `failing` when the store does not answer (HTTP 503), `degraded`
 * when delivery is not ready or a destination is paused or backing off, else `ok`.
 */
import type { DestinationStatus } from '../pipeline/delivery/port.js';
import type { ServerContext } from './context.js';

export interface AdminHealth {
  status: 'ok' | 'degraded' | 'failing';
  store: { ok: boolean; message?: string };
  delivery: { ready: boolean; message?: string };
  totals: { queued: number; inFlight: number; retrying: number; dead: number };
  destinations: Array<{
    name: string;
    state: DestinationStatus['state'];
    queued: number;
    inFlight: number;
    retrying: number;
    dead: number;
  }>;
}

export async function adminHealth(ctx: ServerContext): Promise<AdminHealth> {
  const [storeCheck, statusCheck] = await Promise.allSettled([
    // The cheapest read there is: proves the store answers queries.
    ctx.store.listDeadLetters({ limit: 1 }),
    ctx.delivery.status(),
  ]);
  const store: AdminHealth['store'] =
    storeCheck.status === 'fulfilled' ? { ok: true } : { ok: false, message: reason(storeCheck.reason) };
  const ready = ctx.delivery.ready();
  const delivery: AdminHealth['delivery'] =
    statusCheck.status === 'fulfilled' ? { ready } : { ready, message: reason(statusCheck.reason) };
  const statuses = statusCheck.status === 'fulfilled' ? statusCheck.value : [];
  const totals = { queued: 0, inFlight: 0, retrying: 0, dead: 0 };
  const destinations = statuses.map(({ name, state, stats }) => {
    totals.queued += stats.queued;
    totals.inFlight += stats.inFlight;
    totals.retrying += stats.retrying;
    totals.dead += stats.dead;
    const { queued, inFlight, retrying, dead } = stats;
    return { name, state, queued, inFlight, retrying, dead };
  });
  const troubled =
    statusCheck.status === 'rejected' || !ready || destinations.some((d) => d.state !== 'running');
  const status = !store.ok ? 'failing' : troubled ? 'degraded' : 'ok';
  return { status, store, delivery, totals, destinations };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
