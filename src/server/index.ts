/** The relay's HTTP server: ingest (Segment HTTP Tracking API), the admin API and health probes. */
export type { AdminHealth } from './admin-health.js';
export type { ServerOptions } from './context.js';
export { createServer, reconfigureServer } from './create-server.js';
export { type DirectAnswer, directIngest } from './direct-ingest.js';
export type { Failure, RejectedEvent } from './responses.js';
export type { IngestSuccess } from './routes-ingest.js';
