/**
 * An action with its mapping, compiled once: the per-event work is one mapper call, payload
 * preparation and the action's body builder.
 */
import { ConfigError, type Rejection } from '../errors.js';
import { compileMapping } from '../mapping/index.js';
import { ACTIONS, isActionKey } from './actions/index.js';
import type { ActionDef, BuildContext } from './fields.js';
import type { Operation } from './operation.js';
import { preparePayload } from './payload.js';

export interface CompiledAction {
  readonly action: ActionDef;
  /** Each field's effective mapping: the action's default, or the subscription's own. */
  readonly mappings: Readonly<Record<string, unknown>>;
  run(event: Readonly<Record<string, unknown>>, context: BuildContext): Operation | Rejection;
}

/**
 * Compile `actionKey` with a subscription's `mapping`. The mapping overrides the action's default
 * mappings field by field; `null` removes a field's default. Unknown fields are configuration
 * errors (Segment's runtime silently drops them, which hides typos).
 */
export function compileAction(
  actionKey: string,
  mapping: Readonly<Record<string, unknown>> | undefined,
  options: { path?: string } = {},
): CompiledAction {
  const where = options.path ?? 'subscription';
  if (!isActionKey(actionKey)) {
    throw new ConfigError(
      'unknown_action',
      `${where}.action: unknown action ${JSON.stringify(actionKey)}; use one of ${Object.keys(ACTIONS).join(', ')}`,
      { path: `${where}.action` },
    );
  }
  const action = ACTIONS[actionKey];
  const mappings: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(action.fields)) {
    if (field.default !== undefined) mappings[key] = field.default;
  }
  if (mapping !== undefined) {
    if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
      throw new ConfigError('invalid_mapping', `${where}.mapping must be an object of field: value`, {
        path: `${where}.mapping`,
      });
    }
    for (const [key, value] of Object.entries(mapping)) {
      if (!Object.hasOwn(action.fields, key)) {
        throw new ConfigError(
          'unknown_field',
          `${where}.mapping.${key}: ${action.title} has no field "${key}"; its fields are ${Object.keys(action.fields).join(', ')}`,
          { path: `${where}.mapping.${key}` },
        );
      }
      if (value === null) delete mappings[key];
      else mappings[key] = value;
    }
  }
  const mapper = compileMapping(mappings, { path: `${where}.mapping` });
  return {
    action,
    mappings,
    run(event, context) {
      const mapped = mapper(event) as Record<string, unknown>;
      const prepared = preparePayload(action, mapped, mappings);
      return prepared.ok ? action.build(prepared.payload, context) : prepared.error;
    },
  };
}
