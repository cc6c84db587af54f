/**
 * Fuzzing the mapping core: the presets of every profile (router → actions → Track API bodies,
 * and the delivery planner that serialises them) and random mappings, on hostile events: keys
 * such as `__proto__` as JSON.parse delivers them, wrong types, deep nesting, odd text. Nothing
 * may throw, every refusal is a {code, message}, outputs are plain JSON data, and no prototype
 * changes. See settings.ts for the seed and the budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOperation } from '../../src/customerio/index.js';
import { ConfigError } from '../../src/errors.js';
import { validateEvent } from '../../src/events/index.js';
import { compileMapping } from '../../src/mapping/index.js';
import { planDelivery } from '../../src/pipeline/delivery/plan.js';
import { compileSubscriptions, route } from '../../src/pipeline/router.js';
import { allProfiles, destinationRoutes } from '../../src/profiles/index.js';
import type { Job } from '../../src/store/types.js';
import { type Doc, deepJson, doc, object, toJson } from './adversarial.js';
import { mappingDoc } from './mappings.js';
import { plainDataProblems, prototypeChanges, snapshotPrototypes } from './prototypes.js';
import { eventDoc } from './requests.js';
import { CaseCounter, FUZZ_TIMEOUT_MS, fuzzParameters } from './settings.js';

const NOW = Date.UTC(2024, 4, 1, 12);
const context = { now: () => NOW };
const prototypes = snapshotPrototypes();

const profiles = allProfiles().map((profile) => ({
  name: profile.name,
  subscriptions: compileSubscriptions(destinationRoutes(profile, undefined), { path: profile.name }),
}));

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
          // What ingest would store, when it accepts the event: the planner maps stored text.
          const checked = validateEvent(JSON.parse(text));
          const stored = checked.ok ? JSON.stringify(checked.event) : undefined;
          for (const { subscriptions } of profiles) {
            // As a library: any JSON object, checked or not.
            for (const { result } of route(raw, subscriptions, context)) {
              if (isOperation(result)) expectClean(result.body, 'operation body');
              else expectRejection(result);
            }
            if (stored === undefined) continue;
            const plan = planDelivery([job(stored, 1)], {
              subscriptions,
              base: 'https://track.customer.io',
              maxOperations: 100,
              maxBytes: 500_000,
              now: context.now,
            });
            for (const rejection of plan.jobs[0]!.rejections) expectRejection(rejection);
            for (const request of plan.requests) JSON.parse(request.body);
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
