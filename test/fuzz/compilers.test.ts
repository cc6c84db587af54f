/**
 * Fuzzing the trigger and mapping compilers with random source text. Each input either compiles
 * into something that runs on random events without throwing, or is refused with a ConfigError
 * that has a code, a message and a place (the position in a trigger, the path in a mapping).
 * Each compile-and-run happens in a worker thread: an input that does not finish within HANG_MS
 * is reported as a hang (the worker is terminated), instead of stalling the test run. HANG_MS is a
 * hang detector, not a speed target: real inputs take microseconds.
 */
import type { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModuleWorker } from '../../src/relay/module-worker.js';
import { toJson } from './adversarial.js';
import type { CompileAnswer, CompileRequest } from './compile-worker.js';
import { failOnUnhandledErrors } from './process-errors.js';
import { eventDoc } from './requests.js';
import { CaseCounter, FUZZ_TIMEOUT_MS, type FuzzName, fuzzParameters } from './settings.js';
import { mappingSource, triggerSource } from './sources.js';

failOnUnhandledErrors();

const HANG_MS = 5000;
/** Starting the worker loads TypeScript sources through tsx: slow on a busy machine. */
const START_MS = 60_000;

/** One worker thread, restarted after a hang. */
class CompileWorker {
  private worker: Worker | undefined;
  private next = 1;
  private readonly waiting = new Map<number, (answer: CompileAnswer) => void>();

  private start(): Worker {
    const worker = startModuleWorker(new URL('./compile-worker.js', import.meta.url), undefined);
    worker.on('message', (answer: CompileAnswer) => {
      this.waiting.get(answer.id)?.(answer);
      this.waiting.delete(answer.id);
    });
    worker.on('error', (error) => {
      for (const resolve of this.waiting.values())
        resolve({ id: 0, outcome: 'crashed', error: String(error) });
      this.waiting.clear();
    });
    return worker;
  }

  /** The answer, or 'hung' when none came within `limitMs`. */
  async run(request: Omit<CompileRequest, 'id'>, limitMs = HANG_MS): Promise<CompileAnswer | 'hung'> {
    this.worker ??= this.start();
    const id = this.next++;
    const answer = new Promise<CompileAnswer>((resolve) => this.waiting.set(id, resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), limitMs);
    });
    this.worker.postMessage({ ...request, id });
    const result = await Promise.race([answer, timeout]);
    clearTimeout(timer);
    if (result === 'hung') {
      this.waiting.delete(id);
      await this.worker.terminate();
      this.worker = undefined;
    }
    return result;
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
  }
}

const worker = new CompileWorker();
beforeAll(async () => {
  // Loads the worker (and the compilers) once, with a generous bound.
  expect(
    await worker.run({ kind: 'trigger', source: 'type = "track"', events: ['{}'] }, START_MS),
  ).toMatchObject({
    outcome: 'compiled',
  });
}, START_MS + 5000);
afterAll(async () => {
  await worker.stop();
});

const events = fc.array(eventDoc.map(toJson), { minLength: 1, maxLength: 3 });

function show(source: string): string {
  return source.length <= 300
    ? JSON.stringify(source)
    : `${JSON.stringify(source.slice(0, 300))}… (${source.length} characters)`;
}

/** Checks one answer; returns its outcome for the tally. */
function check(kind: 'trigger' | 'mapping', source: string, answer: CompileAnswer | 'hung'): string {
  if (answer === 'hung')
    throw new Error(`compiling and running this ${kind} took more than ${HANG_MS} ms: ${show(source)}`);
  expect(answer.pollution, `prototypes polluted by this ${kind}: ${show(source)}`).toBeUndefined();
  if (answer.outcome === 'crashed')
    throw new Error(`compiling or running this ${kind} threw ${answer.error}\nsource: ${show(source)}`);
  if (answer.outcome === 'refused') {
    expect(answer.message.length, 'a refusal has a message').toBeGreaterThan(20);
    if (kind === 'trigger') {
      expect(answer.code).toBe('invalid_trigger');
      expect(answer.path).toBe('trigger');
      expect(
        Number.isInteger(answer.position) && answer.position! >= 0 && answer.position! <= source.length,
        'the position is in the source',
      ).toBe(true);
      // A syntax error names its place in the message; "empty" or "too long" are at position 0.
      if (answer.position! > 0) expect(answer.message).toContain(`at position ${answer.position} (line `);
    } else {
      expect(answer.code).toBe('invalid_mapping');
      expect(answer.path?.startsWith('mapping'), `the path ${answer.path} is inside the mapping`).toBe(true);
    }
  }
  return answer.outcome;
}

async function fuzzCompiler(name: FuzzName, kind: 'trigger' | 'mapping', sources: fc.Arbitrary<string>) {
  const counter = new CaseCounter(name);
  const tally = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(sources, events, async (source, sample) => {
      counter.tick();
      const outcome = check(kind, source, await worker.run({ kind, source, events: sample }));
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
    }),
    // Shrinking re-runs inputs; a hanging one would cost HANG_MS each time.
    { ...fuzzParameters(name), endOnFailure: true },
  );
  counter.expectAllRan();
  return tally;
}

describe('compilers under random source text', () => {
  it(
    'the hang detector reports an input that never finishes, and the next input runs in a new worker',
    async () => {
      expect(await worker.run({ kind: 'spin', source: '', events: [] }, 300)).toBe('hung');
      const next = await worker.run(
        { kind: 'trigger', source: 'type = "track"', events: ['{"type":"track"}'] },
        START_MS,
      );
      expect(next).toMatchObject({ outcome: 'compiled', results: [true] });
    },
    START_MS + 5000,
  );

  it(
    'a trigger compiles to a predicate that runs on any event, or is refused with invalid_trigger at a position',
    async () => {
      const tally = await fuzzCompiler('compilers: trigger source text', 'trigger', triggerSource);
      // Both sides must be exercised, not just syntax errors.
      expect(tally.get('compiled') ?? 0).toBeGreaterThan(100);
      expect(tally.get('refused') ?? 0).toBeGreaterThan(100);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a mapping compiles to a mapper that runs on any event, or is refused with invalid_mapping at a path',
    async () => {
      const tally = await fuzzCompiler('compilers: mapping source text', 'mapping', mappingSource);
      expect(tally.get('compiled') ?? 0).toBeGreaterThan(100);
      expect(tally.get('refused') ?? 0).toBeGreaterThan(100);
    },
    FUZZ_TIMEOUT_MS,
  );
});
