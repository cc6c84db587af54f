/** cio-relay's mapping core as a library: from a Segment-spec event to Track API requests. */
export * from './customerio/index.js';
export { ConfigError, configErrorText, type Rejection, reject } from './errors.js';
export * from './events/index.js';
export * from './mapping/index.js';
export * from './pipeline/index.js';
export * from './profiles/index.js';
export * from './triggers/index.js';
