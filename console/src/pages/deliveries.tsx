/**
 * The delivery log: search by messageId or person (userId, else anonymousId) and outcome; each
 * entry opens to what was received, the request sent, the response, attempts and outcome. The
 * search lives in the URL hash so that other pages can link to one event's entries.
 */
import { useState } from 'preact/hooks';
import { call, query } from '../api';
import { ErrorNote } from '../components/error-note';
import { DeliveryErrorText, ExchangeView } from '../components/exchange-view';
import { JsonBlock } from '../components/json-block';
import { When } from '../components/when';
import { useLoad } from '../load';
import { href } from '../route';
import type { LogEntry } from '../types';

interface Page {
  entries: LogEntry[];
  nextBeforeId: number | null;
}

const OUTCOMES = ['', 'delivered', 'filtered', 'retry', 'dead'] as const;

export function DeliveriesPage({ params }: { params: URLSearchParams }) {
  const search = {
    messageId: params.get('messageId') ?? '',
    userId: params.get('userId') ?? '',
    outcome: params.get('outcome') ?? '',
  };
  const [beforeId, setBeforeId] = useState<number | null>(null);
  const key = JSON.stringify(search);
  const { result, reload } = useLoad(
    () => call<Page>(`/deliveries${query({ ...search, beforeId })}`),
    [key, beforeId],
  );
  return (
    <>
      <SearchForm
        key={key}
        initial={search}
        onSearch={(next) => {
          setBeforeId(null);
          location.hash = href('deliveries', next);
          if (JSON.stringify(next) === key) reload();
        }}
      />
      {result === undefined ? (
        <p class="hint">Loading…</p>
      ) : !result.ok ? (
        <ErrorNote error={result.error} />
      ) : (
        <>
          <EntryList entries={result.value.entries} />
          {(beforeId !== null || result.value.nextBeforeId !== null) && (
            <p class="actions">
              {beforeId !== null && (
                <button type="button" onClick={() => setBeforeId(null)}>
                  Newest
                </button>
              )}
              {result.value.nextBeforeId !== null && (
                <button type="button" onClick={() => setBeforeId(result.value.nextBeforeId)}>
                  Older entries
                </button>
              )}
            </p>
          )}
        </>
      )}
    </>
  );
}

type Search = Record<'messageId' | 'userId' | 'outcome', string>;

function SearchForm({ initial, onSearch }: { initial: Search; onSearch: (search: Search) => void }) {
  const [search, setSearch] = useState(initial);
  const field = (name: keyof Search) => ({
    id: `search-${name}`,
    name,
    value: search[name],
    onInput: (e: { currentTarget: { value: string } }) =>
      setSearch({ ...search, [name]: e.currentTarget.value }),
  });
  return (
    <form
      class="search"
      aria-label="Search the delivery log"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(search);
      }}
    >
      <label for="search-messageId">messageId</label>
      <input {...field('messageId')} />
      <label for="search-userId">userId or anonymousId</label>
      <input {...field('userId')} />
      <label for="search-outcome">Outcome</label>
      <select {...field('outcome')}>
        {OUTCOMES.map((outcome) => (
          <option key={outcome} value={outcome}>
            {outcome === '' ? 'any' : outcome}
          </option>
        ))}
      </select>
      <button type="submit">Search</button>
    </form>
  );
}

function EntryList({ entries }: { entries: LogEntry[] }) {
  if (entries.length === 0) return <p class="hint">No delivery log entries match.</p>;
  return (
    <ul class="entries" aria-label="Delivery log entries">
      {entries.map((entry) => (
        <li key={entry.id}>
          <details>
            <summary>
              <span class={`outcome ${entry.outcome}`}>{entry.outcome}</span> <When at={entry.at} />{' '}
              <code>{entry.messageId}</code> for <code>{entry.personKey}</code> to {entry.destination}
              <span class="hint"> · attempt {entry.attempts}</span>
            </summary>
            <EntryDetails entry={entry} />
          </details>
        </li>
      ))}
    </ul>
  );
}

function EntryDetails({ entry }: { entry: LogEntry }) {
  return (
    <div class="details">
      {entry.error !== undefined && (
        <p>
          Error: <DeliveryErrorText error={entry.error} />
        </p>
      )}
      {entry.reason !== undefined && <p>Reason: {entry.reason}</p>}
      <JsonBlock label="Received event" text={entry.event} />
      <ExchangeView exchange={entry.exchange} />
    </div>
  );
}
