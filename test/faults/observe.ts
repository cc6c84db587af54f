/**
 * What happened to the events a scenario's relay accepted, read from the outside: the emulator's
 * workspace (what Customer.io holds) and the relay's admin API (dead letters, queue counts).
 */
import type { Emulator } from '../../src/emulator/index.js';
import { waitFor } from '../relay/stack.js';
import type { Ledger } from './ledger.js';

/** GET on the relay's admin API with its token. */
// biome-ignore lint/suspicious/noExplicitAny: admin answers are checked by the callers
export type Admin = (path: string) => Promise<{ status: number; body: any }>;

export interface Counts {
  /** Events answered 200 at ingest. */
  accepted: number;
  /** Accepted events present in the emulator's workspace. */
  delivered: number;
  /** Accepted events in the dead letters. */
  deadLettered: number;
  /** Dead letters per error code. */
  deadReasons: Record<string, number>;
  /** Dead letters without a code and a message (must be 0). */
  deadWithoutReason: number;
  /** Event operations the emulator applied beyond the first of each event. */
  duplicates: number;
  /**
   * Every event reached Customer.io with an `id` (the messageId), so Customer.io keeps the first and
   * drops repeats, as the emulator does: then duplicates never show in the workspace.
   */
  dropsDuplicatesById: boolean;
  /** Accepted events neither delivered nor dead-lettered (must be 0 once the queue is empty). */
  lost: number;
  /**
   * People whose events reached Customer.io out of the order they were sent in (must be 0): each
   * person's first arrivals, in the order Customer.io applied them, by `seq`. Events a client sent
   * again after newer ones are left out: the relay cannot know they are older.
   */
  outOfOrder: number;
}

interface DeadLetterView {
  id: number;
  messageId: string;
  error?: { code?: string; message?: string };
}

export async function deadLetters(admin: Admin): Promise<DeadLetterView[]> {
  const all: DeadLetterView[] = [];
  let after: number | null = null;
  do {
    const page = await admin(`/dead-letters?limit=1000${after === null ? '' : `&afterId=${after}`}`);
    if (page.status !== 200) throw new Error(`GET /admin/dead-letters answered ${page.status}`);
    all.push(...page.body.deadLetters);
    after = page.body.nextAfterId;
  } while (after !== null);
  return all;
}

export async function observe(emulator: Emulator, admin: Admin, ledger: Ledger): Promise<Counts> {
  const seen = new Set<string>();
  let entries = 0;
  let withId = 0;
  let outOfOrder = 0;
  for (const person of emulator.workspace.people()) {
    let last = -1;
    let ordered = true;
    for (const activity of person.activity) {
      if (activity.kind !== 'event') continue;
      entries++;
      if (activity.id === undefined) continue;
      withId++;
      seen.add(activity.id);
      const seq = activity.data?.['seq'];
      if (typeof seq !== 'number' || ledger.resent.has(activity.id)) continue;
      if (seq < last) ordered = false;
      last = seq;
    }
    if (!ordered) outOfOrder++;
  }
  const letters = await deadLetters(admin);
  const dead = new Set<string>();
  const deadReasons: Record<string, number> = {};
  let deadWithoutReason = 0;
  for (const letter of letters) {
    if (!ledger.acked.has(letter.messageId)) continue;
    dead.add(letter.messageId);
    const code = letter.error?.code;
    if (!code || !letter.error?.message) deadWithoutReason++;
    deadReasons[code ?? '(none)'] = (deadReasons[code ?? '(none)'] ?? 0) + 1;
  }
  let delivered = 0;
  let lost = 0;
  for (const id of ledger.acked) {
    if (seen.has(id)) delivered++;
    else if (!dead.has(id)) lost++;
  }
  return {
    accepted: ledger.acked.size,
    delivered,
    deadLettered: dead.size,
    deadReasons,
    deadWithoutReason,
    duplicates: emulator.stats().operations.accepted - entries,
    dropsDuplicatesById: withId === entries,
    lost,
    outOfOrder,
  };
}

/** An accepted event still missing this long after the queue emptied is lost (not late). */
export const LOSS_GRACE_MS = 2000;

/**
 * Wait until the relay's queue is empty and every accepted event is delivered or dead-lettered;
 * answers the milliseconds since `since` (the end of the fault): the recovery time. When the queue
 * stays empty for LOSS_GRACE_MS with events still unaccounted for, it returns anyway, so that the
 * caller's counts show how many were lost (a timeout would only say that something was).
 */
export async function settle(
  emulator: Emulator,
  admin: Admin,
  ledger: Ledger,
  since: number,
  timeoutMs = 60_000,
): Promise<number> {
  let emptySince: number | undefined;
  await waitFor(
    'an empty queue, every accepted event delivered or dead-lettered',
    async () => {
      const answer = await admin('/destinations/cio').catch(() => undefined);
      const stats = answer?.status === 200 ? answer.body.destination.stats : undefined;
      if (!stats || stats.queued + stats.inFlight + stats.retrying > 0) {
        emptySince = undefined;
        return false;
      }
      if ((await observe(emulator, admin, ledger)).lost === 0) return true;
      emptySince ??= Date.now();
      return Date.now() - emptySince >= LOSS_GRACE_MS;
    },
    timeoutMs,
  );
  return Date.now() - since;
}

/** An Admin for a relay at `url` (for relays the test spawned itself). */
export function adminClient(url: string, token: string): Admin {
  return async (path) => {
    const response = await fetch(`${url}/admin${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() };
  };
}
