import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../src/store/sqlite/group-commit.js';

describe('GroupCommit with a weight cap', () => {
  it('splits a burst into groups of whole calls, each resolved after its own commit', async () => {
    const groups: number[][] = [];
    const commit = new GroupCommit<number, number>(
      (inputs) => {
        groups.push(inputs);
        return inputs.map((n) => n * 10);
      },
      { weigh: (n) => n, maxWeight: 5 },
    );
    const order: string[] = [];
    const answers = [3, 3, 3, 1, 4].map((n, i) =>
      commit.submit(n).then((out) => {
        order.push(`${i}@${groups.length}`);
        return out;
      }),
    );
    expect(await Promise.all(answers)).toEqual([30, 30, 30, 10, 40]);
    // A group takes calls while below the cap: [3, 3] (6), then [3, 1, 4] (8).
    expect(groups).toEqual([
      [3, 3],
      [3, 1, 4],
    ]);
    expect(commit.commits).toBe(2);
    // Callers of the first group were answered before the second group committed.
    expect(order).toEqual(['0@1', '1@1', '2@2', '3@2', '4@2']);
  });

  it('flushAll commits every queued group now', async () => {
    const groups: number[][] = [];
    const commit = new GroupCommit<number, number>(
      (inputs) => {
        groups.push(inputs);
        return inputs;
      },
      { weigh: () => 1, maxWeight: 2 },
    );
    const answers = [1, 2, 3, 4, 5].map((n) => commit.submit(n));
    commit.flushAll();
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5]);
  });

  it('with durable, answers a group only once its sync resolved (the next group may commit meanwhile)', async () => {
    const groups: number[][] = [];
    const syncs: Array<() => void> = [];
    const commit = new GroupCommit<number, number>(
      (inputs) => {
        groups.push(inputs);
        return inputs;
      },
      { weigh: () => 1, maxWeight: 1, durable: () => new Promise<void>((resolve) => syncs.push(resolve)) },
    );
    let answered = 0;
    const answers = [1, 2].map((n) => commit.submit(n).then(() => answered++));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(groups).toEqual([[1], [2]]);
    expect(answered).toBe(0);
    syncs[0]!();
    await answers[0];
    expect(answered).toBe(1);
    syncs[1]!();
    await Promise.all(answers);
    await commit.settled();
  });
});
