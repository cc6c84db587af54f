/**
 * Dead letters grouped by error (code and HTTP status), to select and replay or drop, a page of
 * the oldest at a time. A replay queues the events again (mapped anew with the current
 * subscriptions); its progress is followed in the delivery log.
 */
import { useState } from 'preact/hooks';
import { type ApiError, call, query } from '../api';
import { ErrorNote } from '../components/error-note';
import { DeliveryErrorText, ExchangeView } from '../components/exchange-view';
import { JsonBlock } from '../components/json-block';
import { When } from '../components/when';
import { useLoad } from '../load';
import type { DeadLetter } from '../types';
import { type Replayed, ReplayProgress } from './replay-progress';

const PAGE = 1000;

export function DeadLettersPage() {
  // Pages are the dead letters after an id, oldest first; the ids at which the visited pages start.
  const [starts, setStarts] = useState<readonly (number | null)[]>([null]);
  const afterId = starts[starts.length - 1]!;
  const { result, reload } = useLoad(
    () =>
      call<{ deadLetters: DeadLetter[]; nextAfterId: number | null }>(
        `/dead-letters${query({ limit: PAGE, afterId })}`,
      ),
    [afterId],
  );
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [notice, setNotice] = useState('');
  const [replayed, setReplayed] = useState<Replayed | undefined>(undefined);
  const [confirmDrop, setConfirmDrop] = useState(false);

  if (result === undefined) return <p class="hint">Loading…</p>;
  if (!result.ok) return <ErrorNote error={result.error} />;
  const letters = result.value.deadLetters;
  const chosen = letters.filter((letter) => selected.has(letter.id));

  const act = async (action: 'replay' | 'drop') => {
    setConfirmDrop(false);
    setError(undefined);
    const answer = await call<{ replayed?: number; dropped?: number }>(`/dead-letters/${action}`, {
      body: { ids: chosen.map((letter) => letter.id) },
    });
    if (!answer.ok) return setError(answer.error);
    if (action === 'replay') {
      setReplayed({ letters: chosen });
      setNotice(`Replayed ${answer.value.replayed ?? 0}.`);
    } else {
      setNotice(`Dropped ${answer.value.dropped ?? 0}.`);
    }
    setSelected(new Set());
    reload();
  };
  const toggle = (ids: number[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) on ? next.add(id) : next.delete(id);
    setSelected(next);
  };

  return (
    <>
      <fieldset class="actions">
        <legend class="visually-hidden">Selected dead letters</legend>
        <button type="button" disabled={chosen.length === 0} onClick={() => act('replay')}>
          Replay selected ({chosen.length})
        </button>
        {confirmDrop ? (
          <span>
            Drop {chosen.length} for good?{' '}
            <button type="button" class="danger" onClick={() => act('drop')}>
              Drop
            </button>{' '}
            <button type="button" onClick={() => setConfirmDrop(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" disabled={chosen.length === 0} onClick={() => setConfirmDrop(true)}>
            Drop selected ({chosen.length})
          </button>
        )}
      </fieldset>
      <ErrorNote error={error} />
      {notice !== '' && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {replayed !== undefined && (
        <ReplayProgress key={replayed.letters.map((l) => l.id).join()} replayed={replayed} />
      )}
      {letters.length === 0 ? (
        <p class="hint">{starts.length > 1 ? 'No newer dead letters.' : 'No dead letters.'}</p>
      ) : (
        groupByError(letters).map((group) => (
          <ErrorGroup key={group.key} group={group} selected={selected} toggle={toggle} />
        ))
      )}
      {(starts.length > 1 || result.value.nextAfterId !== null) && (
        <p class="actions">
          <span class="hint">
            Page {starts.length}, {PAGE} at a time, oldest first.
          </span>{' '}
          {starts.length > 1 && (
            <button type="button" onClick={() => setStarts(starts.slice(0, -1))}>
              Older dead letters
            </button>
          )}{' '}
          {result.value.nextAfterId !== null && (
            <button type="button" onClick={() => setStarts([...starts, result.value.nextAfterId])}>
              Newer dead letters
            </button>
          )}
        </p>
      )}
    </>
  );
}

interface Group {
  key: string;
  letters: DeadLetter[];
}

/** By code and HTTP status: messages often name the event, which would make one group per letter. */
export function groupByError(letters: readonly DeadLetter[]): Group[] {
  const groups = new Map<string, DeadLetter[]>();
  for (const letter of letters) {
    const key = `${letter.error.code}${letter.error.status === undefined ? '' : ` (HTTP ${letter.error.status})`}`;
    groups.set(key, [...(groups.get(key) ?? []), letter]);
  }
  return [...groups].map(([key, members]) => ({ key, letters: members }));
}

function ErrorGroup(props: {
  group: Group;
  selected: ReadonlySet<number>;
  toggle: (ids: number[], on: boolean) => void;
}) {
  const { group, selected, toggle } = props;
  const ids = group.letters.map((letter) => letter.id);
  const all = ids.every((id) => selected.has(id));
  return (
    <section class="group" aria-label={`Error ${group.key}`}>
      <h2>
        <label>
          <input type="checkbox" checked={all} onChange={() => toggle(ids, !all)} /> <code>{group.key}</code>
        </label>{' '}
        <span class="hint">
          {group.letters.length} dead letter{group.letters.length === 1 ? '' : 's'}
        </span>
      </h2>
      <ul class="entries">
        {group.letters.map((letter) => (
          <li key={letter.id}>
            <input
              type="checkbox"
              aria-label={`Select dead letter ${letter.id} (${letter.messageId})`}
              checked={selected.has(letter.id)}
              onChange={() => toggle([letter.id], !selected.has(letter.id))}
            />
            <details>
              <summary>
                <code>{letter.messageId}</code> for <code>{letter.personKey}</code> to {letter.destination},{' '}
                <When at={letter.deadAt} />{' '}
                <span class="hint">
                  · {letter.attempts} attempt{letter.attempts === 1 ? '' : 's'}
                </span>
              </summary>
              <div class="details">
                <p>
                  <DeliveryErrorText error={letter.error} />
                </p>
                <JsonBlock label="Event" text={letter.event} />
                <ExchangeView exchange={letter.exchange} />
              </div>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
