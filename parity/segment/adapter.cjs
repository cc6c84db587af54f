'use strict';
/**
 * Runs events through Segment's published "Customer.io (Actions)" destination
 * (@segment/action-destinations + @segment/actions-core) with its 15 FQL presets,
 * exactly as Quick Setup would subscribe them, and records the HTTP requests it
 * would send instead of sending them.
 *
 * Time zone: Segment runs in UTC, and the destination converts zone-less ISO
 * strings ("2024-04-01") with local-time dayjs(). So this module sets
 * process.env.TZ = 'UTC' before anything loads dayjs. Requiring it changes the
 * time zone of the whole process (Node applies TZ changes at once).
 *
 * What is faked, and nothing else:
 *   - the settings: siteId/apiKey are fake constants (never printed; the
 *     Authorization header is not part of the recorded request);
 *   - the network: actions-core's fetch (cross-fetch) is replaced by a function
 *     that answers 200 `{}` at once. Everything before it (FQL parse+validate,
 *     mapping-kit, removeEmptyValues, AJV, perform/performBatch, the request
 *     client with its hooks and 10 s timeout timer) is Segment's own code.
 */
process.env.TZ = 'UTC';

const path = require('node:path');
const { Destination } = require('@segment/actions-core');
const { getAuthData } = require('@segment/actions-core/destination-kit/parse-settings');
const { parseFql, validate } = require('@segment/destination-subscriptions');
const customerio = require('@segment/action-destinations/dist/destinations/customerio').default;

/** The two values the destination's accountRegion setting accepts (flag emoji included). */
const REGIONS = Object.freeze({ US: 'US \u{1F1FA}\u{1F1F8}', EU: 'EU \u{1F1EA}\u{1F1FA}' });

/** Fake credentials: the destination requires them; they never leave this module. */
const FAKE_CREDENTIALS = Object.freeze({ siteId: 'parity-fake-site-id', apiKey: 'parity-fake-api-key' });

/** Quick Setup subscriptions: the 15 presets with an FQL trigger, mapping = every field's default. */
const PRESETS = customerio.presets.filter((p) => p.type === 'automatic' && typeof p.subscribe === 'string');

const RECORDER = Symbol('parity.recorder');

// --- fake network -----------------------------------------------------------
// actions-core's request-client calls `fetch_1.default(request)` at call time,
// where fetch_1 is the exports object of dist/cjs/fetch.js (not in the package's
// "exports" map, hence the absolute path: it is the same module instance).
const coreDir = path.dirname(require.resolve('@segment/actions-core'));
const fetchModule = require(path.join(coreDir, 'fetch.js'));
const FakeResponse = fetchModule.Response;
fetchModule.default = function fakeFetch(_request) {
  return Promise.resolve(
    new FakeResponse('{}', {
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'application/json' },
    }),
  );
};

function readBody(request) {
  // node-fetch v2 keeps a string body as a Buffer: readable synchronously.
  const raw = request.body;
  if (raw === null || raw === undefined) return undefined;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
  return text === '' ? undefined : JSON.parse(text);
}

function toError(err) {
  return { code: String(err?.name ?? err?.code ?? 'Error'), message: String(err?.message ?? err) };
}

/**
 * One Destination instance per mapper, as a long-lived Segment worker would hold.
 * Each Action emits 'response' (actions-core afterResponse hook) with the request and
 * the merged request options; the options carry the per-call statsContext we passed,
 * which is where the recorder for that subscription call lives.
 */
function createRuntime({ region = 'US' } = {}) {
  const accountRegion = REGIONS[region];
  if (!accountRegion) throw new Error(`region must be US or EU, got ${JSON.stringify(region)}`);
  const destination = new Destination(customerio);
  for (const action of Object.values(destination.actions)) {
    action.on('response', (response) => {
      const recorder = response?.options?.statsContext?.[RECORDER];
      if (!recorder) return;
      const request = response.request;
      recorder.push({ method: request.method, url: request.url, body: readBody(request) });
    });
  }
  const settings = { ...FAKE_CREDENTIALS, accountRegion, subscriptions: PRESETS };
  const isBatchAction = (slug) => destination.actions[slug]?.hasBatchSupport === true;
  return { destination, settings, isBatchAction };
}

/** Like Destination.onSubscriptions' preamble, done per call as Segment does per event/batch. */
function prepare(destination, settings) {
  const subscriptions = destination.getSubscriptions(settings);
  const destinationSettings = destination.getDestinationSettings(settings);
  destination.validateSettings(destinationSettings);
  return { subscriptions, destinationSettings, auth: getAuthData(settings) };
}

async function runSubscription(destination, subscription, data, destinationSettings, auth) {
  const records = [];
  const statsContext = { [RECORDER]: records };
  try {
    const result = await destination.onSubscription(subscription, data, destinationSettings, auth, {
      statsContext,
    });
    return { records, result };
  } catch (error) {
    return { records, error };
  }
}

/**
 * createSegmentMapper({ region }) -> async (event) => Result[]
 *
 * Segment's single-event path (Destination.onEvent -> onSubscriptions): per event,
 * settings are validated and every preset subscription runs concurrently through
 * Destination.onSubscription (parseFql, validate, transform, removeEmptyValues, AJV,
 * perform). onSubscriptions' retry() wrapper is left out: for a basic-auth
 * destination it rethrows at once, and Promise.all would hide which subscription
 * failed, so Promise.all is replaced by per-subscription collection.
 *
 * Result, in preset order (several per event only if several presets match):
 *   { action, method, url, body }            a request Segment would send
 *   { action, error: { code, message } }     a matching subscription that threw
 */
function createSegmentMapper(options = {}) {
  const { destination, settings } = createRuntime(options);
  return async function mapEvent(event) {
    const { subscriptions, destinationSettings, auth } = prepare(destination, settings);
    const runs = await Promise.all(
      subscriptions.map((s) => runSubscription(destination, s, event, destinationSettings, auth)),
    );
    // Destination keeps every response in an ever-growing array; Segment's own
    // TestDestination resets it per call, and so do we (memory, not behaviour).
    destination.responses.length = 0;
    const out = [];
    for (let i = 0; i < runs.length; i++) {
      const action = subscriptions[i].partnerAction;
      for (const r of runs[i].records) out.push({ action, method: r.method, url: r.url, body: r.body });
      if (runs[i].error) out.push({ action, error: toError(runs[i].error) });
    }
    return out;
  };
}

function chunk(list, size) {
  const chunks = [];
  for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  return chunks;
}

/** Which events of a chunk went into which batch request. */
function assignIndexes(action, records, valid) {
  if (records.length === 1) return [valid.map((v) => v.index)];
  // createUpdateObject.performBatch splits into an `identify` and an
  // `identify_anonymous` request: split the valid payloads by its mapPayload rule
  // (user_id -> identify, else anonymous_id -> identify_anonymous, else identify).
  const byAction = new Map();
  const objectAction = (sent) => (!sent?.user_id && sent?.anonymous_id ? 'identify_anonymous' : 'identify');
  for (const v of valid) {
    const key = action === 'createUpdateObject' ? objectAction(v.sent) : '';
    if (!byAction.has(key)) byAction.set(key, []);
    byAction.get(key).push(v.index);
  }
  return records.map((r) => {
    const items = r.body?.batch ?? [];
    const key = action === 'createUpdateObject' ? items[0]?.action : '';
    const indexes = byAction.get(key) ?? [];
    if (indexes.length !== items.length) {
      throw new Error(
        `cannot attribute ${action} batch request: ${items.length} items, ${indexes.length} events`,
      );
    }
    return indexes;
  });
}

/**
 * createSegmentBatchMapper({ region }) -> async (events) => Line[]
 *
 * Segment's batch path (Destination.onBatch -> onSubscription with an array ->
 * Action.executeBatch -> performBatch). Segment's platform groups events per
 * subscription; here each preset takes the events its FQL matches, in input order,
 * in chunks of the mapping's batch_size (50). An action without performBatch
 * (reportDeliveryEvent) gets its events one by one through the single path.
 *
 * Lines, grouped by subscription in preset order, then by chunk:
 *   { indexes, action, method, url, body: { batch } }   a batch request
 *   { index, action, method, url, body }                a single request
 *   { index, action, error: { code, message } }         a rejected event
 * (`code` is the multistatus errortype in batch mode, the error name in single mode.)
 */
function createSegmentBatchMapper(options = {}) {
  const { destination, settings, isBatchAction } = createRuntime(options);
  return async function mapEvents(events) {
    const { subscriptions, destinationSettings, auth } = prepare(destination, settings);
    const out = [];
    for (const subscription of subscriptions) {
      const action = subscription.partnerAction;
      const ast = parseFql(subscription.subscribe);
      const matching = [];
      events.forEach((event, index) => {
        if (validate(ast, event)) matching.push({ event, index });
      });
      if (matching.length === 0) continue;
      if (!isBatchAction(action)) {
        for (const { event, index } of matching) {
          const run = await runSubscription(destination, subscription, event, destinationSettings, auth);
          for (const r of run.records)
            out.push({ index, action, method: r.method, url: r.url, body: r.body });
          if (run.error) out.push({ index, action, error: toError(run.error) });
        }
        continue;
      }
      const size = Number(subscription.mapping?.batch_size) || 50;
      for (const group of chunk(matching, size)) {
        const run = await runSubscription(
          destination,
          subscription,
          group.map((m) => m.event),
          destinationSettings,
          auth,
        );
        if (run.error) {
          // A thrown error fails the whole batch (e.g. an HTTP error; not expected here).
          for (const m of group) out.push({ index: m.index, action, error: toError(run.error) });
          continue;
        }
        const multistatus = run.result?.[0]?.multistatus ?? [];
        const valid = [];
        const rejected = [];
        group.forEach((m, i) => {
          const status = multistatus[i];
          if (status && status.status >= 400) rejected.push({ index: m.index, status });
          else valid.push({ index: m.index, sent: status?.sent });
        });
        const indexes = assignIndexes(action, run.records, valid);
        run.records.forEach((r, i) => {
          out.push({ indexes: indexes[i], action, method: r.method, url: r.url, body: r.body });
        });
        for (const { index, status } of rejected) {
          out.push({
            index,
            action,
            error: { code: String(status.errortype ?? status.status), message: String(status.errormessage) },
          });
        }
      }
    }
    destination.responses.length = 0;
    return out;
  };
}

module.exports = { createSegmentMapper, createSegmentBatchMapper, PRESETS, REGIONS };
