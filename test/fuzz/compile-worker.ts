/**
 * Runs in a worker thread for compilers.test.ts: compiles one trigger or mapping from source text
 * and runs it on the given events, then answers what happened. In a worker, a hang cannot stall
 * the test run: the test waits a bounded time for each answer and terminates the worker when it
 * does not come.
 */
import { parentPort } from 'node:worker_threads';
import { ConfigError } from '../../src/errors.js';
import { compileMapping } from '../../src/mapping/index.js';
import { compileTrigger } from '../../src/triggers/index.js';
import { prototypeChanges, snapshotPrototypes } from './prototypes.js';

/** The worker's own built-in prototypes (a worker is a realm of its own: the test's check misses them). */
const prototypes = snapshotPrototypes();

export interface CompileRequest {
  id: number;
  /** `spin` never ends: the test of the hang detector itself. */
  kind: 'trigger' | 'mapping' | 'spin';
  source: string;
  /** Events as JSON text (so that `__proto__` keys arrive as JSON.parse makes them). */
  events: string[];
}

export type CompileAnswer = { id: number; pollution?: string[] } & (
  | { outcome: 'compiled'; results: unknown[] }
  /** Mapping source that is not JSON: the configuration reader's error, not the compiler's. */
  | { outcome: 'unreadable' }
  | { outcome: 'refused'; code: string; message: string; position?: number; path?: string }
  | { outcome: 'crashed'; error: string }
);

function run(request: CompileRequest): CompileAnswer {
  const { id, kind, source } = request;
  const events = request.events.map((text) => JSON.parse(text) as Record<string, unknown>);
  try {
    if (kind === 'spin') for (;;);
    if (kind === 'trigger') {
      const trigger = compileTrigger(source, { path: 'trigger' });
      const results = events.map((event) => {
        const matched = trigger.test(event);
        const explanation = trigger.explain(event);
        if (typeof matched !== 'boolean') throw new Error(`test answered ${typeof matched}`);
        if (explanation.matched !== matched)
          throw new Error(`explain says ${explanation.matched}, test says ${matched}`);
        if (typeof explanation.reason !== 'string' || explanation.reason === '')
          throw new Error('explain gave no reason');
        return matched;
      });
      return { id, outcome: 'compiled', results };
    }
    let mapping: unknown;
    try {
      mapping = JSON.parse(source);
    } catch {
      return { id, outcome: 'unreadable' };
    }
    const mapper = compileMapping(mapping, { path: 'mapping' });
    // The result crosses to the test as JSON text: mappers must produce JSON-serialisable data.
    return { id, outcome: 'compiled', results: events.map((event) => JSON.stringify(mapper(event) ?? null)) };
  } catch (error) {
    if (error instanceof ConfigError) {
      return {
        id,
        outcome: 'refused',
        code: error.code,
        message: error.message,
        ...(error.position === undefined ? {} : { position: error.position }),
        ...(error.path === undefined ? {} : { path: error.path }),
      };
    }
    return {
      id,
      outcome: 'crashed',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

parentPort?.on('message', (request: CompileRequest) => {
  const answer = run(request);
  const pollution = prototypeChanges(prototypes);
  parentPort?.postMessage(pollution.length === 0 ? answer : { ...answer, pollution });
});
