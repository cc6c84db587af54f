/**
 * The admin API's answers, typed from the server's own declarations (type-only imports: nothing of
 * the server is bundled; the console still reaches data only through HTTP).
 */

export type { ConfigProblem } from '../../src/config/problems.js';
export type { DestinationStatus } from '../../src/pipeline/delivery/port.js';
export type { SubscriptionConfig } from '../../src/profiles/types.js';
export type { Activity, ActivityBucket } from '../../src/server/admin-activity.js';
export type { PreviewRequest, SubscriptionVerdict, TesterResult } from '../../src/server/admin-tester.js';
export type { DeadLetter, DeliveryError, Exchange, LogEntry, LogOutcome } from '../../src/store/types.js';
