/**
 * Fuzzing the mapping core: the presets of every profile (router → actions → Track API bodies,
 * and the delivery planner that serialises them, from what ingest prepared or mapping the stored
 * event again: the same requests either way) and random mappings, on hostile events: keys
 * such as `__proto__` as JSON.parse delivers them, wrong types, deep nesting, odd text. Nothing
 * may throw, every refusal is a {code, message}, outputs are plain JSON data, and no prototype
 * changes. See settings.ts for the seed and the budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RelayConfig } from '../../src/config/types.js';
import { isOperation } from '../../src/customerio/index.js';
import { ConfigError } from '../../src/errors.js';
import { compileMapping } from '../../src/mapping/index.js';
import { planDelivery } from '../../src/pipeline/delivery/plan.js';
import { compileDestinationMapping } from '../../src/pipeline/prepared.js';
import { route } from '../../src/pipeline/router.js';
import { allProfiles, destinationRoutes } from '../../src/profiles/index.js';
import { acceptEvents } from '../../src/server/accept.js';
import { createPreparer } from '../../src/server/ingest-mapping.js';
import type { Job } from '../../src/store/types.js';
import { type Doc, deepJson, doc, object, toJson } from './adversarial.js';
import { mappingDoc } from './mappings.js';
import { failOnUnhandledErrors } from './process-errors.js';
import { plainDataProblems, prototypeChanges, snapshotPrototypes } from './prototypes.js';
import { eventDoc } from './requests.js';
import { CaseCounter, FUZZ_TIMEOUT_MS, fuzzParameters } from './settings.js';

failOnUnhandledErrors();

const NOW = Date.UTC(2024, 4, 1, 12);
const context = { now: () => NOW };
const prototypes = snapshotPrototypes();

const profiles = allProfiles().map((profile) => {
  const routes = destinationRoutes(profile, undefined);
  return { name: profile.name, routes, ...compileDestinationMapping(routes, profile.name) };
});
/** Ingest's mapping, one destination per profile (ingest-mapping.ts). */
const prepare = createPreparer(
  {
    destinations: profiles.map(({ name, routes }) => ({ name, path: name, subscriptions: routes })),
  } as unknown as RelayConfig,
  context.now,
);
const arrival = { source: 'web', receivedAt: NOW, receivedAtIso: new Date(NOW).toISOString() };

/** An event document, sometimes with a deeply nested value in a field the presets read. */
const hostileEvent: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: eventDoc.map(toJson), weight: 6 },
  {
    arbitrary: fc
      .tuple(eventDoc, fc.constantFrom('properties', 'traits', 'context', 'userId', 'event'), deepJson)
      .map(([event, field, deep]) => {
        const text = toJson(event);
        // The deep value goes last, so it wins over a field of the same name.
        return text === '{}' ? `{"${field}":${deep}}` : `${text.slice(0, -1)},"${field}":${deep}}`;
      }),
    weight: 1,
  },
  {
    arbitrary: doc.map((d) =>
      toJson(
        object([
          ['type', { kind: 'scalar', value: 'track' }],
          ['properties', d],
        ]),
      ),
    ),
    weight: 1,
  },
);

function expectRejection(result: unknown): void {
  const { code, message } = result as { code?: unknown; message?: unknown };
  expect(typeof code === 'string' && code.length > 0, 'a refusal has a code').toBe(true);
  expect(typeof message === 'string' && message.length > 10, 'a refusal has a message').toBe(true);
}

function expectClean(value: unknown, what: string): void {
  const problems = plainDataProblems(value);
  if (problems.length > 0) expect(problems, what).toEqual([]);
  const changes = prototypeChanges(prototypes);
  if (changes.length > 0) expect(changes, 'prototypes were polluted').toEqual([]);
}

function job(body: string, id: number): Job {
  return {
    id,
    destination: 'd',
    eventId: id,
    source: 'web',
    messageId: `m${id}`,
    personKey: 'p',
    body,
    receivedAt: NOW,
    attempts: 0,
    firstAttemptAt: null,
  };
}

describe('mapping core under hostile events', () => {
  it(
    'the presets of every profile route any event without throwing; the planner serialises what they build',
    () => {
      const counter = new CaseCounter('mapping core: presets of every profile');
      fc.assert(
        fc.property(hostileEvent, (text) => {
          counter.tick();
          const raw = JSON.parse(text) as Record<string, unknown>;
          // What ingest would store, when it accepts the event, and the operations it prepares.
          const [stored] = acceptEvents(
            [JSON.parse(text)],
            arrival,
            profiles.map((p) => p.name),
            prepare,
          ).events;
          for (const { name, version, subscriptions } of profiles) {
            // As a library: any JSON object, checked or not.
            for (const { result } of route(raw, subscriptions, context)) {
              if (isOperation(result)) expectClean(result.body, 'operation body');
              else expectRejection(result);
            }
            if (stored === undefined) continue;
            const options = {
              destination: name,
              version,
              subscriptions,
              base: 'https://track.customer.io',
              maxOperations: 100,
              maxBytes: 500_000,
              now: context.now,
            };
            const plan = planDelivery([job(stored.body, 1)], options);
            for (const rejection of plan.jobs[0]!.rejections) expectRejection(rejection);
            for (const request of plan.requests) JSON.parse(request.body);
            // What ingest prepared is what delivery would map from the stored event (events that
            // `integrations` keeps from Customer.io have no job, so nothing is prepared).
            if (stored.destinations.length === 0) continue;
            expect(stored.prepared, 'ingest prepared the operations').toBeDefined();
            const fromIngest = planDelivery([{ ...job(stored.body, 1), prepared: stored.prepared }], options);
            expect(fromIngest.requests).toEqual(plan.requests);
            const { job: _a, ...expected } = plan.jobs[0]!;
            const { job: _b, ...actual } = fromIngest.jobs[0]!;
            expect(actual).toEqual(expected);
          }
          expectClean(raw, 'the event');
        }),
        fuzzParameters('mapping core: presets of every profile'),
      );
      counter.expectAllRan();
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'random mappings compile or fail with invalid_mapping at a path; compiled ones map any event',
    () => {
      const counter = new CaseCounter('mapping core: random mappings');
      let compiled = 0;
      fc.assert(
        fc.property(
          mappingDoc,
          fc.array(hostileEvent, { minLength: 1, maxLength: 3 }),
          (mapping: Doc, events) => {
            counter.tick();
            let mapper: ReturnType<typeof compileMapping>;
            try {
              mapper = compileMapping(JSON.parse(toJson(mapping)), { path: 'mapping' });
            } catch (error) {
              if (!(error instanceof ConfigError)) throw error;
              expect(error.code).toBe('invalid_mapping');
              expect(error.path?.startsWith('mapping')).toBe(true);
              expect(error.message.length).toBeGreaterThan(20);
              return;
            }
            compiled++;
            for (const text of events) {
              const event = JSON.parse(text) as Record<string, unknown>;
              expectClean(mapper(event), 'mapped value');
            }
          },
        ),
        fuzzParameters('mapping core: random mappings'),
      );
      counter.expectAllRan();
      // The generator must reach the run-time paths, not only compile errors.
      expect(compiled).toBeGreaterThan(counter.count / 5);
    },
    FUZZ_TIMEOUT_MS,
  );
});
