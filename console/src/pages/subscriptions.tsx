/**
 * Destinations and subscriptions: edit a destination's subscriptions with the relay's own checks
 * as you type, try them on a sample event before saving, and save them to the configuration file
 * (the relay puts them in force at once).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, call } from '../api';
import { DestinationSelect, useDestinationChoice } from '../components/destination-select';
import { ErrorNote } from '../components/error-note';
import { type ActionInfo, SubscriptionEditor } from '../components/subscription-editor';
import { type Draft, fromDrafts, problemsAt, toDraft } from '../drafts';
import { useLoad } from '../load';
import type { ConfigProblem, SubscriptionConfig } from '../types';
import { TryOut } from './try-subscriptions';

const CHECK_DELAY_MS = 300;

interface Loaded {
  subscriptions: SubscriptionConfig[];
  profile: string;
  file: string | null;
}

export function SubscriptionsPage() {
  const { names, destination, choose } = useDestinationChoice();
  const actions = useLoad(() => call<{ actions: ActionInfo[] }>('/actions'), []);
  return (
    <>
      <div class="row">
        <DestinationSelect id="editor-destination" names={names} value={destination} onChange={choose} />
      </div>
      {destination !== '' && actions.result?.ok && (
        <Editor key={destination} destination={destination} actions={actions.result.value.actions} />
      )}
    </>
  );
}

function Editor({ destination, actions }: { destination: string; actions: ActionInfo[] }) {
  const path = `/destinations/${encodeURIComponent(destination)}/subscriptions`;
  const loaded = useLoad(() => call<Loaded>(path), [path]);
  const [drafts, setDrafts] = useState<Draft[] | undefined>(undefined);
  const [problems, setProblems] = useState<ConfigProblem[]>([]);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const checks = useRef(0);

  useEffect(() => {
    if (loaded.result?.ok && drafts === undefined) setDrafts(loaded.result.value.subscriptions.map(toDraft));
  }, [loaded.result, drafts]);

  // Validation as you type: the relay checks the edit a moment after typing stops.
  useEffect(() => {
    if (drafts === undefined) return;
    const timer = setTimeout(async () => {
      const turn = ++checks.current;
      const local = fromDrafts(drafts);
      const answer = await call<{ problems: ConfigProblem[] }>(`${path}/check`, {
        body: { subscriptions: local.subscriptions },
      });
      if (turn !== checks.current) return; // a newer edit is being checked
      setProblems([...local.problems, ...(answer.ok ? answer.value.problems : [])]);
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [drafts, path]);

  if (loaded.result === undefined || (loaded.result.ok && drafts === undefined))
    return <p class="hint">Loading…</p>;
  if (!loaded.result.ok) return <ErrorNote error={loaded.result.error} />;
  const info = loaded.result.value;
  const list = drafts ?? [];
  const edit = (next: Draft[]) => {
    setSaved(undefined);
    setDrafts(next);
  };
  const save = async () => {
    setError(undefined);
    const local = fromDrafts(list);
    if (local.problems.length > 0) return setProblems(local.problems);
    const answer = await call<{ file: string; message: string }>(path, {
      method: 'PUT',
      body: { subscriptions: local.subscriptions },
    });
    if (!answer.ok) return setError(answer.error);
    setSaved(`Saved to ${answer.value.file}: ${answer.value.message}.`);
  };
  const blank: Draft = {
    name: '',
    trigger: 'type = "track"',
    action: 'trackEvent',
    mapping: '',
    enabled: true,
  };

  return (
    <>
      <p class="hint">
        {info.file === null
          ? 'This relay runs without a configuration file: subscriptions can be tried here but not saved.'
          : `Saved to ${info.file}. `}
        {list.length === 0 && ` No subscriptions of its own: the ${info.profile} profile's presets apply.`}
      </p>
      {list.map((draft, i) => (
        <SubscriptionEditor
          // Positions identify subscriptions while editing (names change as you type).
          key={i}
          index={i}
          draft={draft}
          actions={actions}
          problems={(field) => problemsAt(problems, i, field)}
          onChange={(next) => edit(list.map((d, j) => (j === i ? next : d)))}
          onRemove={() => edit(list.filter((_, j) => j !== i))}
        />
      ))}
      <div class="actions">
        <button
          type="button"
          class="quiet"
          onClick={() => edit([...list, { ...blank, name: `Subscription ${list.length + 1}` }])}
        >
          Add a subscription
        </button>
        <button type="button" onClick={save} disabled={problems.length > 0 || info.file === null}>
          Save subscriptions
        </button>
        <span class="hint" role="status">
          {problems.length === 0
            ? 'No problems found.'
            : `${problems.length} problem${problems.length === 1 ? '' : 's'} to fix.`}
        </span>
      </div>
      <ErrorNote error={error} />
      {saved !== undefined && (
        <p class="notice" role="status">
          {saved}
        </p>
      )}
      <TryOut destination={destination} drafts={list} />
    </>
  );
}
