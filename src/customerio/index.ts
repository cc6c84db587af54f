export { ACTIONS, isActionKey } from './actions/index.js';
export { type CompiledAction, compileAction } from './compile-action.js';
export type { ActionDef, ActionKey, BuildContext, FieldDef, FieldType, Payload } from './fields.js';
export {
  isEmail,
  type ObjectIdentifiers,
  type PersonIdentifiers,
  personIdentifier,
  personKey,
  resolvePerson,
} from './identifiers.js';
export { isOperation, type MetricsBody, type Operation, type V2Operation } from './operation.js';
export { isRegion, REGIONS, type Region, trackApiBase } from './regions.js';
export {
  authorizationHeader,
  batchRequest,
  singleRequest,
  TRACK_LIMITS,
  TRACK_PATHS,
  type TrackRequest,
} from './requests.js';
export {
  classifyResponse,
  parseRetryAfter,
  type ResponseClass,
  type TrackResponse,
} from './responses.js';
export {
  convertTimestampsIn,
  parseAnyDateSeconds,
  parseIsoSeconds,
  toUnixSeconds,
} from './timestamps.js';
