/**
 * Who maps events under load (relay/mapping-balance.ts): ingest maps ahead only while the delivery
 * thread was the busier of the two over the last interval, re-deciding at most once per interval.
 */
import { describe, expect, it } from 'vitest';
import { type LoopTime, MappingBalance } from '../../src/relay/mapping-balance.js';

/** Two threads' cumulative loop times, advanced by hand: `run(ms, ingestBusy, deliveryBusy)`. */
function threads() {
  const ingest: LoopTime = { idle: 0, active: 0 };
  const delivery: LoopTime = { idle: 0, active: 0 };
  let clock = 0;
  let deliveryRunning = true;
  const balance = new MappingBalance(
    () => ({ ...ingest }),
    () => (deliveryRunning ? { ...delivery } : undefined),
    () => clock,
    100,
  );
  const run = (ms: number, ingestBusy: number, deliveryBusy: number) => {
    clock += ms;
    ingest.active += ms * ingestBusy;
    ingest.idle += ms * (1 - ingestBusy);
    delivery.active += ms * deliveryBusy;
    delivery.idle += ms * (1 - deliveryBusy);
  };
  return {
    balance,
    run,
    stopDelivery: () => {
      deliveryRunning = false;
    },
  };
}

describe('mapping balance', () => {
  it('has ingest map while delivery is the busier thread, and leaves mapping to delivery otherwise', () => {
    const { balance, run } = threads();
    expect(balance.ingestShouldMap()).toBe(true); // nothing measured yet
    run(100, 0.5, 0.95);
    expect(balance.ingestShouldMap()).toBe(true);
    run(100, 0.9, 0.6);
    expect(balance.ingestShouldMap()).toBe(false);
    run(100, 0.7, 0.75);
    expect(balance.ingestShouldMap()).toBe(true);
  });

  it('decides at most once per interval, on the time since the last decision', () => {
    const { balance, run } = threads();
    balance.ingestShouldMap();
    run(100, 0.2, 0.9);
    expect(balance.ingestShouldMap()).toBe(true);
    // Ingest turns busier, but within the interval the last decision holds.
    run(50, 1, 0.1);
    expect(balance.ingestShouldMap()).toBe(true);
    run(50, 1, 0.1);
    expect(balance.ingestShouldMap()).toBe(false);
  });

  it('keeps its last decision while the delivery thread is not running (restarting)', () => {
    const { balance, run, stopDelivery } = threads();
    balance.ingestShouldMap();
    run(100, 0.9, 0.2);
    expect(balance.ingestShouldMap()).toBe(false);
    stopDelivery();
    run(100, 0.1, 0);
    expect(balance.ingestShouldMap()).toBe(false);
  });
});
