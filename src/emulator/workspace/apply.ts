/** Dispatch an internal operation to the file that knows its rules. */
import { prepareAddDevice, prepareDeleteDevice } from './devices.js';
import { prepareIdentify } from './identify.js';
import { prepareMerge } from './merge.js';
import { prepareMetric } from './metrics.js';
import type { Operation } from './operations.js';
import type { Context, Prepared } from './prepared.js';
import {
  prepareObjectDelete,
  prepareObjectIdentify,
  prepareObjectIdentifyAnonymous,
  prepareObjectRelationships,
  preparePersonRelationships,
} from './relationships.js';
import { prepareRemoval } from './removal.js';
import { prepareTrack } from './track.js';

export function prepare(ctx: Context, op: Operation): Prepared {
  switch (op.op) {
    case 'identify':
      return prepareIdentify(ctx, op);
    case 'track':
      return prepareTrack(ctx, op);
    case 'add_device':
      return prepareAddDevice(ctx, op);
    case 'delete_device':
      return prepareDeleteDevice(ctx, op);
    case 'delete':
    case 'suppress':
    case 'unsuppress':
      return prepareRemoval(ctx, op);
    case 'merge':
      return prepareMerge(ctx, op);
    case 'person_relationships':
      return preparePersonRelationships(ctx, op);
    case 'object_identify':
      return prepareObjectIdentify(ctx, op);
    case 'object_identify_anonymous':
      return prepareObjectIdentifyAnonymous(ctx, op);
    case 'object_delete':
      return prepareObjectDelete(ctx, op);
    case 'object_relationships':
      return prepareObjectRelationships(ctx, op);
    case 'metric':
      return prepareMetric(ctx, op);
  }
}
