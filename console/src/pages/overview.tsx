/**
 * Per destination: its state and queue, with a banner for each paused one (a 401/403 from
 * Customer.io pauses delivery until an operator fixes the key and resumes). Refreshed every few
 * seconds so that a pause shows without reloading.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, call } from '../api';
import { ActivityChart } from '../components/activity-chart';
import { ErrorNote } from '../components/error-note';
import { DeliveryErrorText } from '../components/exchange-view';
import { When } from '../components/when';
import { useLoad } from '../load';
import type { DestinationStatus } from '../types';

const REFRESH_MS = 3000;

export function OverviewPage() {
  const { result, reload } = useLoad(() => call<{ destinations: DestinationStatus[] }>('/destinations'), []);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  if (result === undefined) return <p class="hint">Loading…</p>;
  if (!result.ok) return <ErrorNote error={result.error} />;
  const { destinations } = result.value;
  return (
    <>
      {destinations
        .filter((d) => d.paused !== null)
        .map((d) => (
          <PauseBanner key={d.name} destination={d} onResumed={reload} />
        ))}
      <div class="cards">
        {destinations.map((d) => (
          <DestinationCard key={d.name} destination={d} />
        ))}
      </div>
    </>
  );
}

function PauseBanner({ destination, onResumed }: { destination: DestinationStatus; onResumed: () => void }) {
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const resume = async () => {
    const answer = await call(`/destinations/${encodeURIComponent(destination.name)}/resume`, {
      method: 'POST',
    });
    if (!answer.ok) return setError(answer.error);
    onResumed();
  };
  return (
    <section class="banner" role="alert" aria-label={`${destination.name} is paused`}>
      <p>
        <strong>{destination.name} is paused</strong> since <When at={destination.paused?.at} />:{' '}
        <DeliveryErrorText error={destination.paused ?? undefined} />. Its events stay queued until it is
        resumed.
      </p>
      <button type="button" onClick={resume}>
        Resume {destination.name}
      </button>
      <ErrorNote error={error} />
    </section>
  );
}

function DestinationCard({ destination }: { destination: DestinationStatus }) {
  const { stats } = destination;
  // Each event a destination takes becomes one job; every job is in exactly one of these states.
  const received =
    stats.queued + stats.inFlight + stats.retrying + stats.dead + stats.delivered + stats.filtered;
  const figures: Array<[string, number]> = [
    ['received', received],
    ['delivered', stats.delivered],
    ['queued', stats.queued + stats.inFlight],
    ['retrying', stats.retrying],
    ['dead', stats.dead],
    ['filtered', stats.filtered],
  ];
  return (
    <section class="card" aria-label={`Destination ${destination.name}`}>
      <h2>
        {destination.name} <span class={`state ${destination.state}`}>{destination.state}</span>
      </h2>
      <dl class="figures">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd data-figure={label}>{value}</dd>
          </div>
        ))}
      </dl>
      <ActivityChart destination={destination.name} />
      <p class="hint">
        {destination.requestsPerSecond} requests/s allowed · ordering {destination.ordering ? 'on' : 'off'}
        {destination.backoffUntil !== null && (
          <>
            {' '}
            · backing off until <When at={destination.backoffUntil} />
          </>
        )}
      </p>
      {destination.lastError !== null && (
        <p>
          Last error (<When at={destination.lastError.at} />
          ): <DeliveryErrorText error={destination.lastError} />
        </p>
      )}
    </section>
  );
}
