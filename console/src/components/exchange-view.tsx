/** One exchange with the Track API: the request sent and the response, as the delivery log keeps it. */
import type { DeliveryError, Exchange } from '../types';
import { JsonBlock } from './json-block';

export function ExchangeView({ exchange }: { exchange: Exchange | undefined }) {
  if (exchange === undefined) return <p class="hint">Nothing was sent to Customer.io.</p>;
  return (
    <div class="exchange">
      <p>
        <code>
          {exchange.method} {exchange.url}
        </code>
        {exchange.durationMs !== undefined && <span class="hint"> ({exchange.durationMs} ms)</span>}
      </p>
      <JsonBlock label="Request body (this event's operations)" text={exchange.requestBody} />
      <p>
        Response: <strong>{exchange.status ?? 'no answer'}</strong>
      </p>
      <JsonBlock label="Response body" text={exchange.responseBody} />
    </div>
  );
}

export function DeliveryErrorText({ error }: { error: DeliveryError | undefined }) {
  if (error === undefined) return null;
  return (
    <span>
      <code>{error.code}</code>
      {error.status !== undefined && ` HTTP ${error.status}`}: {error.message}
    </span>
  );
}
