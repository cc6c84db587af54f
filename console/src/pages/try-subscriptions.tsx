/** Runs subscriptions being edited (not saved) on a sample event, with the event tester's route. */
import { useState } from 'preact/hooks';
import { type ApiError, call } from '../api';
import { ErrorNote } from '../components/error-note';
import { SubscriptionVerdicts, TrackRequests } from '../components/tester-result';
import { type Draft, fromDrafts } from '../drafts';
import { parseJsonText } from '../json-text';
import { sampleText } from '../samples';
import type { TesterResult } from '../types';

export function TryOut({ destination, drafts }: { destination: string; drafts: Draft[] }) {
  const [text, setText] = useState(() => sampleText('track'));
  const [result, setResult] = useState<TesterResult | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const run = async () => {
    setError(undefined);
    setResult(undefined);
    const event = parseJsonText(text);
    if (!event.ok) return setError({ code: 'invalid_json', message: `the sample event: ${event.message}` });
    const { subscriptions, problems } = fromDrafts(drafts);
    if (problems.length > 0) return setError({ code: 'invalid_mapping', message: problems[0]!.message });
    const answer = await call<{ test: TesterResult }>(
      `/destinations/${encodeURIComponent(destination)}/test`,
      {
        body: { event: event.value, subscriptions },
      },
    );
    if (!answer.ok) return setError(answer.error);
    setResult(answer.value.test);
  };
  return (
    <section class="tryout" aria-label="Try the edited subscriptions">
      <h2>Try before saving</h2>
      <label for="tryout-event">Sample event (JSON)</label>
      <textarea
        id="tryout-event"
        rows={8}
        spellcheck={false}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <p class="actions">
        <button type="button" onClick={run}>
          Try the edited subscriptions
        </button>
      </p>
      <ErrorNote error={error} />
      {result !== undefined && (
        <>
          <SubscriptionVerdicts verdicts={result.subscriptions} />
          <TrackRequests requests={result.requests} />
        </>
      )}
    </section>
  );
}
