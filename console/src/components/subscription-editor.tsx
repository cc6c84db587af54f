/**
 * One subscription's fields, each with the relay's problems about it right below (linked with
 * aria-describedby, so a screen reader reads them with the field).
 */
import type { ComponentChildren } from 'preact';
import type { Draft } from '../drafts';
import type { ConfigProblem } from '../types';

export interface ActionInfo {
  key: string;
  title: string;
  description: string;
  defaultTrigger: string;
  fields: Array<{ name: string; label: string; required?: boolean; default?: unknown }>;
}

interface Props {
  index: number;
  draft: Draft;
  actions: ActionInfo[];
  problems: (field?: string) => ConfigProblem[];
  onChange: (draft: Draft) => void;
  onRemove: () => void;
}

export function SubscriptionEditor({ index, draft, actions, problems, onChange, onRemove }: Props) {
  const id = (field: string) => `sub-${index}-${field}`;
  const set = (change: Partial<Draft>) => onChange({ ...draft, ...change });
  const action = actions.find((a) => a.key === draft.action);
  const field = (name: 'name' | 'trigger' | 'action' | 'mapping') => {
    const found = problems(name);
    return {
      id: id(name),
      'aria-invalid': found.length > 0,
      'aria-describedby': found.length > 0 ? `${id(name)}-problems` : undefined,
    };
  };
  return (
    <fieldset class="subscription">
      <legend>{draft.name || `Subscription ${index + 1}`}</legend>
      <Problems list={problems()} />
      <div class="grid">
        <Labelled label="Name" id={id('name')} problems={problems('name')}>
          <input
            {...field('name')}
            value={draft.name}
            onInput={(e) => set({ name: e.currentTarget.value })}
          />
        </Labelled>
        <Labelled label="Trigger" id={id('trigger')} problems={problems('trigger')}>
          <input
            {...field('trigger')}
            class="wide"
            spellcheck={false}
            value={draft.trigger}
            onInput={(e) => set({ trigger: e.currentTarget.value })}
          />
        </Labelled>
        <Labelled label="Action" id={id('action')} problems={problems('action')}>
          <select
            {...field('action')}
            value={draft.action}
            onChange={(e) => set({ action: e.currentTarget.value })}
          >
            {action === undefined && (
              <option value={draft.action}>{draft.action || 'choose an action'}</option>
            )}
            {actions.map((a) => (
              <option key={a.key} value={a.key}>
                {a.title} ({a.key})
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="Field mapping (JSON)" id={id('mapping')} problems={problems('mapping')}>
          <textarea
            {...field('mapping')}
            rows={Math.min(10, Math.max(2, draft.mapping.split('\n').length))}
            spellcheck={false}
            placeholder="{} — the action's default mappings apply"
            value={draft.mapping}
            onInput={(e) => set({ mapping: e.currentTarget.value })}
          />
          {action !== undefined && <FieldHelp action={action} />}
        </Labelled>
        <span />
        <div class="row">
          <label>
            <input
              type="checkbox"
              checked={draft.enabled}
              onChange={(e) => set({ enabled: e.currentTarget.checked })}
            />{' '}
            Enabled
          </label>
          <button type="button" class="quiet" onClick={onRemove}>
            Remove {draft.name || `subscription ${index + 1}`}
          </button>
        </div>
      </div>
    </fieldset>
  );
}

/** A label, its control, and the problems about it (the id the control's aria-describedby names). */
function Labelled(props: {
  label: string;
  id: string;
  problems: ConfigProblem[];
  children: ComponentChildren;
}) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <div>
        {props.children}
        <Problems id={`${props.id}-problems`} list={props.problems} />
      </div>
    </>
  );
}

function Problems({ id, list }: { id?: string; list: ConfigProblem[] }) {
  if (list.length === 0) return null;
  return (
    <ul id={id} class="problems">
      {list.map((p) => (
        <li key={p.message} class="error">
          <pre>{p.message}</pre>
        </li>
      ))}
    </ul>
  );
}

function FieldHelp({ action }: { action: ActionInfo }) {
  return (
    <details class="field-help">
      <summary>{action.title}: fields and default mappings</summary>
      <table>
        <tbody>
          {action.fields.map((f) => (
            <tr key={f.name}>
              <th scope="row">
                <code>{f.name}</code>
                {f.required && ' *'}
              </th>
              <td>{f.label}</td>
              <td>
                <code>{f.default === undefined ? '' : JSON.stringify(f.default)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
