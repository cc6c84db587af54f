/**
 * Live events: incoming events as they are stored, newest first, pausable and filterable by type,
 * event name and person. Opening one shows the event and what became of it at each destination.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, query, unauthorized } from '../api';
import { DeliveryErrorText } from '../components/exchange-view';
import { JsonBlock } from '../components/json-block';
import { When } from '../components/when';
import { followStream } from '../live-stream';
import { href } from '../route';
import { EVENT_TYPES } from '../samples';
import type { LogEntry } from '../types';

/** Kept in the page; older ones are in the delivery log. */
const KEEP = 200;

interface LiveEvent {
  key: number;
  source: string;
  destinations: string[];
  event: Record<string, unknown>;
}

interface Filters {
  type: string;
  name: string;
  person: string;
}

export function LivePage() {
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [held, setHeld] = useState<LiveEvent[]>([]);
  const [paused, setPaused] = useState(false);
  const [connected, setConnected] = useState(false);
  const [dropped, setDropped] = useState(0);
  const [filters, setFilters] = useState<Filters>({ type: '', name: '', person: '' });
  // Read by the stream's handler, which outlives renders.
  const pausedNow = useRef(paused);
  pausedNow.current = paused;
  const received = useRef(0);

  useEffect(
    () =>
      followStream('/live', {
        status: setConnected,
        unauthorized,
        message: (kind, data) => {
          if (kind === 'dropped') return setDropped((n) => n + Number(data));
          if (kind !== 'event') return;
          const parsed = JSON.parse(data) as Omit<LiveEvent, 'key'>;
          const live = { ...parsed, key: ++received.current };
          // While paused, new events wait aside so that the list holds still for reading.
          (pausedNow.current ? setHeld : setEvents)((list) => [live, ...list].slice(0, KEEP));
        },
      }),
    [],
  );

  const togglePause = () => {
    if (paused) {
      setEvents((list) => [...held, ...list].slice(0, KEEP));
      setHeld([]);
    }
    setPaused(!paused);
  };
  const shown = events.filter((e) => matches(e.event, filters));
  const field = (name: keyof Filters) => ({
    id: `live-${name}`,
    value: filters[name],
    onInput: (e: { currentTarget: { value: string } }) =>
      setFilters({ ...filters, [name]: e.currentTarget.value }),
  });

  return (
    <>
      <div class="search">
        <button type="button" onClick={togglePause} aria-pressed={paused}>
          {paused ? `Resume (${held.length} new)` : 'Pause'}
        </button>
        <label for="live-type">Type</label>
        <select {...field('type')}>
          <option value="">any</option>
          {EVENT_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <label for="live-name">Event name</label>
        <input {...field('name')} />
        <label for="live-person">userId or anonymousId</label>
        <input {...field('person')} />
      </div>
      <p class="hint" role="status">
        {connected ? 'Connected: events appear as they arrive.' : 'Connecting…'}
        {dropped > 0 && ` ${dropped} events were skipped because this page fell behind.`}
      </p>
      {shown.length === 0 ? (
        <p class="hint">No events yet{events.length > 0 ? ' match the filters' : ''}.</p>
      ) : (
        <ul class="entries" aria-label="Live events">
          {shown.map((live) => (
            <LiveRow key={live.key} live={live} />
          ))}
        </ul>
      )}
    </>
  );
}

function matches(event: Record<string, unknown>, filters: Filters): boolean {
  const text = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : '');
  if (filters.type !== '' && event.type !== filters.type) return false;
  const name = text(event.event) || text(event.name);
  if (filters.name !== '' && !name.includes(filters.name.toLowerCase())) return false;
  const person = filters.person.toLowerCase();
  return person === '' || text(event.userId).includes(person) || text(event.anonymousId).includes(person);
}

function LiveRow({ live }: { live: LiveEvent }) {
  const [open, setOpen] = useState(false);
  const { event } = live;
  const messageId = String(event.messageId ?? '');
  const name = event.event ?? event.name;
  return (
    <li>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <strong>{String(event.type)}</strong>
          {typeof name === 'string' && ` ${name}`} from{' '}
          <code>{String(event.userId ?? event.anonymousId)}</code>{' '}
          <When at={Date.parse(String(event.receivedAt))} />
          <span class="hint">
            {' '}
            · {live.source} → {live.destinations.join(', ') || 'no destination'}
          </span>
        </summary>
        {open && <LiveDetails messageId={messageId} event={event} />}
      </details>
    </li>
  );
}

function LiveDetails({ messageId, event }: { messageId: string; event: Record<string, unknown> }) {
  const [entries, setEntries] = useState<LogEntry[] | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    void call<{ entries: LogEntry[] }>(`/deliveries${query({ messageId })}`).then((answer) => {
      if (answer.ok) setEntries(answer.value.entries);
    });
  }, [messageId, generation]);
  return (
    <div class="details">
      <h3>What became of it</h3>
      {entries === undefined ? (
        <p class="hint">Looking in the delivery log…</p>
      ) : entries.length === 0 ? (
        <p class="hint">Not in the delivery log yet: queued or being sent.</p>
      ) : (
        <ul class="outcomes">
          {entries.map((entry) => (
            <li key={entry.id}>
              {entry.destination}: <span class={`outcome ${entry.outcome}`}>{entry.outcome}</span>{' '}
              <When at={entry.at} /> {entry.error && <DeliveryErrorText error={entry.error} />}
              {entry.reason && ` ${entry.reason}`}
            </li>
          ))}
        </ul>
      )}
      <p class="actions">
        <button type="button" class="quiet" onClick={() => setGeneration((g) => g + 1)}>
          Look again
        </button>
        <a href={href('deliveries', { messageId })}>Open in the delivery log</a>
      </p>
      <JsonBlock label="Event as stored" text={JSON.stringify(event)} />
    </div>
  );
}
