/**
 * After a replay: how many of the replayed events the delivery log shows delivered (or dead again)
 * after they died, polled until all are settled. Times compared are both the relay's (the
 * browser's clock may differ).
 */
import { useEffect, useState } from 'preact/hooks';
import { latestEntry } from '../log-lookup';
import type { DeadLetter, LogEntry } from '../types';

export interface Replayed {
  letters: DeadLetter[];
}

/** Followed one by one in the log; more would mean too many requests per poll. */
const MAX_FOLLOWED = 50;
const POLL_MS = 1000;

type Settled = Record<number, LogEntry['outcome']>;

export function ReplayProgress({ replayed }: { replayed: Replayed }) {
  const followed = replayed.letters.slice(0, MAX_FOLLOWED);
  const [settled, setSettled] = useState<Settled>({});
  const done = Object.keys(settled).length;
  useEffect(() => {
    if (done >= followed.length) return;
    const timer = setTimeout(async () => {
      const next: Settled = { ...settled };
      for (const letter of followed) {
        if (next[letter.id] !== undefined) continue;
        const outcome = await latestOutcome(letter);
        if (outcome !== undefined && outcome !== 'retry') next[letter.id] = outcome;
      }
      setSettled(next);
    }, POLL_MS);
    return () => clearTimeout(timer);
  });
  const delivered = Object.values(settled).filter((o) => o === 'delivered').length;
  const dead = Object.values(settled).filter((o) => o === 'dead').length;
  const filtered = Object.values(settled).filter((o) => o === 'filtered').length;
  return (
    <div class="progress" role="status" aria-label="Replay progress">
      <progress max={followed.length} value={done} />{' '}
      <span>
        {delivered} of {followed.length} delivered
        {dead > 0 && `, ${dead} dead again`}
        {filtered > 0 && `, ${filtered} filtered`}
        {done < followed.length && ' …'}
      </span>
    </div>
  );
}

async function latestOutcome(letter: DeadLetter): Promise<LogEntry['outcome'] | undefined> {
  const entry = await latestEntry(letter.messageId, letter.destination);
  return entry !== undefined && entry.at > letter.deadAt ? entry.outcome : undefined;
}
