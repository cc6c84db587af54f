/** An event the tester sent: followed in the delivery log until it is delivered, dead or filtered. */
import { useEffect, useState } from 'preact/hooks';
import { DeliveryErrorText, ExchangeView } from '../components/exchange-view';
import { latestEntry } from '../log-lookup';
import { href } from '../route';
import type { LogEntry } from '../types';

const POLL_MS = 700;

export function SentEvent({ messageId, destination }: { messageId: string; destination: string }) {
  const [entry, setEntry] = useState<LogEntry | undefined>(undefined);
  const settled = entry !== undefined && entry.outcome !== 'retry';
  useEffect(() => {
    if (settled) return;
    const timer = setTimeout(async () => setEntry(await latestEntry(messageId, destination)), POLL_MS);
    return () => clearTimeout(timer);
  });
  return (
    <section class="sent" aria-label="Sent event" aria-live="polite">
      <h2>
        Sent as <code>{messageId}</code>
      </h2>
      {entry === undefined ? (
        <p class="hint">Queued; waiting for delivery…</p>
      ) : (
        <>
          <p>
            Outcome: <span class={`outcome ${entry.outcome}`}>{entry.outcome}</span>
            {entry.outcome === 'retry' && ' (will be retried)'}{' '}
            {entry.error && <DeliveryErrorText error={entry.error} />}
            {entry.reason && ` ${entry.reason}`}
          </p>
          <ExchangeView exchange={entry.exchange} />
        </>
      )}
      <p>
        <a href={href('deliveries', { messageId })}>Open in the delivery log</a>
      </p>
    </section>
  );
}
