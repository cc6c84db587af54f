/**
 * The event tester: paste or build an event, pick a destination, and see which subscriptions match
 * (and why not), the operations and the exact Track API request. Nothing reaches Customer.io unless
 * "Send" is pressed; then the event is delivered like any other and its outcome (request and
 * response) is followed in the delivery log.
 */
import { useState } from 'preact/hooks';
import { type ApiError, call } from '../api';
import { DestinationSelect, useDestinationChoice } from '../components/destination-select';
import { ErrorNote } from '../components/error-note';
import { SubscriptionVerdicts, TrackRequests } from '../components/tester-result';
import { parseJsonText } from '../json-text';
import { EVENT_TYPES, type EventType, sampleText } from '../samples';
import type { TesterResult } from '../types';
import { SentEvent } from './sent-event';

interface Answer {
  test: TesterResult;
  sent: { messageId: string } | null;
}

export function TesterPage() {
  const { names, destination, choose } = useDestinationChoice();
  const [type, setType] = useState<EventType>('track');
  const [text, setText] = useState(() => sampleText('track'));
  const [answer, setAnswer] = useState<Answer | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const parsed = parseJsonText(text);

  const run = async (send: boolean) => {
    if (!parsed.ok) return;
    setError(undefined);
    const result = await call<Answer>(`/destinations/${encodeURIComponent(destination)}/test`, {
      body: { event: parsed.value, send },
    });
    if (!result.ok) {
      setAnswer(undefined);
      return setError(result.error);
    }
    setAnswer(result.value);
  };

  return (
    <>
      <form
        class="tester"
        onSubmit={(e) => {
          e.preventDefault();
          void run(false);
        }}
      >
        <div class="row">
          <DestinationSelect id="tester-destination" names={names} value={destination} onChange={choose} />
          <label for="tester-type">Event type</label>
          <select id="tester-type" value={type} onChange={(e) => setType(e.currentTarget.value as EventType)}>
            {EVENT_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <button type="button" class="quiet" onClick={() => setText(sampleText(type))}>
            Use the {type} sample
          </button>
        </div>
        <label for="tester-event">Event (JSON)</label>
        <textarea
          id="tester-event"
          rows={12}
          spellcheck={false}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          aria-invalid={!parsed.ok}
          aria-describedby="tester-event-help"
        />
        <p id="tester-event-help" class={parsed.ok ? 'hint' : 'error'}>
          {parsed.ok ? 'Test shows what would be sent; nothing leaves the relay.' : parsed.message}
        </p>
        <div class="actions">
          <button type="submit" disabled={!parsed.ok || destination === ''}>
            Test
          </button>
          <button type="button" disabled={!parsed.ok || destination === ''} onClick={() => run(true)}>
            Send to Customer.io
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {answer !== undefined && (
        <section aria-label="Test result">
          {answer.sent !== null && (
            <SentEvent
              key={answer.sent.messageId}
              messageId={answer.sent.messageId}
              destination={destination}
            />
          )}
          {!answer.test.routed && (
            <p class="error">This event's integrations turn Customer.io off: it would not be delivered.</p>
          )}
          <SubscriptionVerdicts verdicts={answer.test.subscriptions} />
          <TrackRequests requests={answer.test.requests} />
        </section>
      )}
    </>
  );
}
