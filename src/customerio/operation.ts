import type { ObjectIdentifiers, PersonIdentifiers } from './identifiers.js';

/** One Track API v2 operation: a `/api/v2/entity` body, or one item of a `/api/v2/batch`. */
export interface V2Operation {
  type: 'person' | 'object' | 'delivery';
  action: string;
  /** A delivery is identified by `{id: delivery_id}`, which has the shape of a person's `{id}`. */
  identifiers?: PersonIdentifiers | ObjectIdentifiers;
  [key: string]: unknown;
}

/**
 * A Report Delivery Event body for `/api/v1/metrics`: the metrics that v2's `type:"delivery"`
 * operation cannot express (see actions/reportDeliveryEvent.ts).
 */
export interface MetricsBody {
  delivery_id: string;
  metric: string;
  timestamp: number;
  recipient?: string;
  reason?: string;
  href?: string;
  metadata?: { action_name?: string; action_value?: string };
}

/** What one action produces for one event. */
export type Operation =
  | {
      endpoint: 'v2';
      body: V2Operation;
      /** Who this operation is about (`id:u1`, `email:...`, `object:2:acme`): the unit of ordering. */
      key: string;
    }
  | { endpoint: 'metrics'; body: MetricsBody; key: string };

export function isOperation(value: Operation | { code: string }): value is Operation {
  return 'endpoint' in value;
}
