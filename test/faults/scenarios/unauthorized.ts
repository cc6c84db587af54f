/**
 * 401 in the middle of a run (the API key was revoked): the destination pauses with its events
 * queued, nothing is dead-lettered, and once the key works again and an operator resumes it,
 * everything is delivered. Recovery is counted from the resume.
 */
import { expect } from 'vitest';
import { waitFor } from '../../relay/stack.js';
import { observe, settle } from '../observe.js';
import { type Scenario, sleep, startRun } from '../scenario.js';

export const unauthorizedMidRun: Scenario = {
  name: '401 mid-run: pause, resume',
  stores: ['SQLite', 'PostgreSQL'],
  async run(store) {
    const { stack, ledger, admin } = await startRun(store, 'auth');
    const status = async () => (await admin('/destinations/cio')).body.destination;
    const load = ledger.run(2, 25, 50, 800);
    await waitFor('deliveries under way', () => stack.emulator.stats().operations.accepted >= 100, 20_000);
    stack.emulator.setFaults({ errorRate: 1, errorStatuses: [401] });
    await waitFor('the pause', async () => (await status()).state === 'paused', 20_000);
    await load.stop();
    await ledger.send(2, 25); // accepted while paused: queued
    stack.emulator.setFaults({}); // the key works again
    await sleep(300);
    const paused = await status();
    expect(paused.state).toBe('paused');
    expect(paused.stats.dead).toBe(0);
    expect(paused.stats.queued).toBeGreaterThan(0);
    expect((await stack.admin('/destinations/cio/resume', { body: {} })).status).toBe(200);
    const recoveryMs = await settle(stack.emulator, admin, ledger, Date.now());
    return { counts: await observe(stack.emulator, admin, ledger), recoveryMs, maxDuplicates: 0 };
  },
};
