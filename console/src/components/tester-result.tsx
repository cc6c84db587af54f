/** The tester's findings: each subscription's verdict, and the Track API requests it would send. */
import type { PreviewRequest, SubscriptionVerdict } from '../types';
import { JsonBlock } from './json-block';

export function SubscriptionVerdicts({ verdicts }: { verdicts: SubscriptionVerdict[] }) {
  if (verdicts.length === 0) return <p class="hint">This destination has no subscriptions.</p>;
  return (
    <table class="verdicts">
      <caption>Subscriptions</caption>
      <thead>
        <tr>
          <th scope="col">Subscription</th>
          <th scope="col">Action</th>
          <th scope="col">Matches</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {verdicts.map((v) => (
          <tr key={v.name} class={v.matched ? (v.error ? 'failed' : 'matched') : 'skipped'}>
            <th scope="row">{v.name}</th>
            <td>
              <code>{v.action}</code>
            </td>
            <td>{v.matched ? (v.error ? 'yes, but cannot build' : 'yes') : 'no'}</td>
            <td>
              {v.reason}
              {v.operation !== undefined && (
                <details>
                  <summary>Operation</summary>
                  <JsonBlock label={`${v.name}: ${v.action}`} text={JSON.stringify(v.operation)} />
                </details>
              )}
              {v.error && (
                <p class="error">
                  <code>{v.error.code}</code> {v.error.message}
                </p>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TrackRequests({ requests }: { requests: PreviewRequest[] }) {
  if (requests.length === 0)
    return <p class="hint">No subscription builds an operation: nothing would be sent.</p>;
  return (
    <>
      <h2>Track API request{requests.length === 1 ? '' : 's'}</h2>
      {requests.map((request) => (
        <div key={request.url} class="request">
          <p>
            <code>
              {request.method} {request.url}
            </code>
          </p>
          <ul class="headers">
            {Object.entries(request.headers).map(([name, value]) => (
              <li key={name}>
                <code>
                  {name}: {value}
                </code>
              </li>
            ))}
          </ul>
          <JsonBlock label="Body" text={request.body} />
        </div>
      ))}
    </>
  );
}
