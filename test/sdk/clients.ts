/**
 * The three Node SDKs, each opened the way its documentation says with one change: the host is the
 * relay. Small batches (BATCH_SIZE) so a few calls make several multi-event requests; a long flush
 * interval so only the batch size and close() decide when a request goes.
 */
import { Analytics as CustomerIoAnalytics } from '@customerio/cdp-analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';

type Fields = Record<string, string | number>;

/** A client of one SDK; the calls are the SDK's own (Segment's spec, which all three follow). */
export interface SdkClient {
  identify(message: { userId: string; traits: Fields }): void;
  track(message: { userId: string; event: string; properties: Fields; timestamp?: Date }): void;
  page(message: { userId: string; name: string; properties: Fields }): void;
  screen(message: { userId: string; name: string; properties: Fields }): void;
  group(message: { userId: string; groupId: string; traits: Fields }): void;
  alias(message: { userId: string; previousId: string }): void;
  /** Send everything queued (retries included) and stop. */
  close(): Promise<void>;
}

export interface NodeSdk {
  name: string;
  /** What its requests carry in Content-Encoding (RudderStack's SDK gzips by default). */
  encoding: string | undefined;
  open(host: string, writeKey: string): SdkClient;
}

type Calls = Omit<SdkClient, 'close'>;

/** The six calls, which every SDK names and shapes as Segment's spec does. */
function calls(analytics: { [K in keyof Calls]: (message: Parameters<Calls[K]>[0]) => unknown }): Calls {
  return {
    identify: (message) => void analytics.identify(message),
    track: (message) => void analytics.track(message),
    page: (message) => void analytics.page(message),
    screen: (message) => void analytics.screen(message),
    group: (message) => void analytics.group(message),
    alias: (message) => void analytics.alias(message),
  };
}

export const BATCH_SIZE = 3;
const FLUSH_INTERVAL_MS = 60_000;

export const NODE_SDKS: readonly NodeSdk[] = [
  {
    name: '@segment/analytics-node',
    encoding: undefined,
    open(host, writeKey) {
      const analytics = new SegmentAnalytics({
        writeKey,
        host,
        flushAt: BATCH_SIZE,
        flushInterval: FLUSH_INTERVAL_MS,
      });
      return {
        ...calls(analytics),
        close: () => analytics.closeAndFlush({ timeout: 30_000 }),
      };
    },
  },
  {
    name: '@customerio/cdp-analytics-node',
    encoding: undefined,
    open(host, writeKey) {
      const analytics = new CustomerIoAnalytics({
        writeKey,
        host,
        maxEventsInBatch: BATCH_SIZE,
        flushInterval: FLUSH_INTERVAL_MS,
      });
      return {
        ...calls(analytics),
        close: () => analytics.closeAndFlush({ timeout: 30_000 }),
      };
    },
  },
  {
    name: '@rudderstack/rudder-sdk-node',
    encoding: 'gzip',
    open(dataPlaneUrl, writeKey) {
      const analytics = new RudderAnalytics(writeKey, {
        dataPlaneUrl,
        flushAt: BATCH_SIZE,
        flushInterval: FLUSH_INTERVAL_MS,
        // Its retries log each failed attempt at error level; the tests cause those on purpose.
        logLevel: 'none',
      });
      return {
        ...calls(analytics),
        // flush() returns at once when a flush started by the batch size has already taken the
        // queue (and is still retrying); a second flush() finds the queue empty and waits for it.
        close: async () => {
          await analytics.flush();
          await analytics.flush();
        },
      };
    },
  },
];
