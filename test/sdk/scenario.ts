/**
 * One scenario every Node SDK plays against a real relay and emulator, through a gateway that
 * loses the relay's first answer (so the SDK's retry and the relay's dedupe are both exercised),
 * and what the emulator's workspace must look like afterwards. The calls are the SDK's own
 * (clients.ts opens each one).
 */
import { expect } from 'vitest';
import type { PersonView } from '../../src/emulator/index.js';
import { type Stack, startStack, WRITE_KEY, waitFor } from '../relay/stack.js';
import { BATCH_SIZE, type NodeSdk } from './clients.js';
import { type Exchange, type LossyGateway, startLossyGateway } from './lossy-gateway.js';

type Message = Record<string, unknown>;

/** When guest-7 browsed: two days ago, in whole seconds (Customer.io keeps seconds). */
const BROWSED_AT = new Date(Math.floor(Date.now() / 1000 - 2 * 86_400) * 1000);

export interface ScenarioResult {
  stack: Stack;
  gateway: LossyGateway;
  /** What the SDK sent, with the relay's answer to each request. */
  exchanges: Exchange[];
}

/**
 * Phase one: a known person with traits, an event, a page, a screen and a group, and a second
 * person; phase two (once both people exist, since the relay orders per person and an alias
 * names two of them): alias the second into the first.
 */
export async function playScenario(sdk: NodeSdk): Promise<ScenarioResult> {
  const stack = await startStack();
  const gateway = await startLossyGateway(stack.relay.url, 1);
  try {
    const first = sdk.open(gateway.url, WRITE_KEY);
    first.identify({
      userId: 'ada',
      traits: { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' },
    });
    first.track({ userId: 'ada', event: 'Signed Up', properties: { plan: 'pro', seats: 3 } });
    first.page({
      userId: 'ada',
      name: 'Pricing',
      properties: { url: 'https://example.com/pricing', title: 'Pricing' },
    });
    first.screen({ userId: 'ada', name: 'Home', properties: { tab: 'feed' } });
    first.group({ userId: 'ada', groupId: 'acme', traits: { name: 'Acme Inc', industry: 'tools' } });
    first.identify({ userId: 'guest-7', traits: { favourite: 'tea', plan: 'free' } });
    // A call made two days ago (a backfill): its own timestamp must reach Customer.io.
    first.track({
      userId: 'guest-7',
      event: 'Browsed',
      properties: { shelf: 'books' },
      timestamp: BROWSED_AT,
    });
    await first.close();
    await waitFor(
      'both people in the emulator',
      () => stack.emulator.workspace.person('ada') && stack.emulator.workspace.person('guest-7'),
      20_000,
    );

    const second = sdk.open(gateway.url, WRITE_KEY);
    second.alias({ userId: 'ada', previousId: 'guest-7' });
    await second.close();
    await waitFor(
      'the alias merged guest-7 into ada',
      () => !stack.emulator.workspace.person('guest-7'),
      20_000,
    );
    return { stack, gateway, exchanges: gateway.exchanges };
  } catch (error) {
    await gateway.close();
    await stack.close();
    throw error;
  }
}

/** The operations the scenario makes: eight calls, one Customer.io operation each. */
const OPERATIONS = 8;

/** Every call reached Customer.io exactly once, with what each call is meant to do. */
export async function expectWorkspace(result: ScenarioResult): Promise<void> {
  const { emulator } = result.stack;
  // Delivered once each: the lost answer's batch was sent again, and the relay dropped the repeat.
  await waitFor(
    'the relay to report all operations delivered',
    async () =>
      (await result.stack.admin('/destinations/cio')).body.destination.stats.delivered === OPERATIONS,
    20_000,
  );
  expect(emulator.stats().operations).toEqual({ accepted: OPERATIONS, rejected: 0 });

  const ada = emulator.workspace.person('ada') as PersonView;
  expect(ada.email).toBe('ada@example.com');
  expect(ada.attributes).toMatchObject({ name: 'Ada Lovelace', plan: 'pro' });
  // The alias merged guest-7: ada keeps her plan and gains guest-7's other attributes and activity.
  expect(ada.attributes['favourite']).toBe('tea');
  const activity = (kind: string) => ada.activity.filter((a) => a.kind === kind).map((a) => a.name);
  expect(activity('event').sort()).toEqual(['Browsed', 'Signed Up']);
  expect(activity('page')).toEqual(['https://example.com/pricing']);
  expect(activity('screen')).toEqual(['Home']);
  expect(ada.activity.find((a) => a.kind === 'merged')?.data).toMatchObject({ secondary: { id: 'guest-7' } });
  expect(ada.activity.find((a) => a.name === 'Signed Up')?.data).toMatchObject({ plan: 'pro', seats: 3 });
  expect(ada.activity.find((a) => a.name === 'Browsed')?.timestamp).toBe(BROWSED_AT.getTime() / 1000);
  expect(ada.relationships).toEqual([{ object_type_id: '1', object_id: 'acme', attributes: {} }]);
  const [acme] = emulator.workspace.objects();
  expect(acme).toMatchObject({
    object_type_id: '1',
    object_id: 'acme',
    attributes: { name: 'Acme Inc', industry: 'tools' },
  });
}

/** The SDK batched, retried the lost answer with the same events, and the relay saw the repeat. */
export function expectBatchingAndRetry(exchanges: readonly Exchange[], path: string): void {
  for (const exchange of exchanges) expect(exchange.path).toBe(path);
  const sizes = exchanges.map((exchange) => batchOf(exchange).length);
  expect(Math.max(...sizes)).toBeGreaterThan(1);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(BATCH_SIZE);
  for (const exchange of exchanges) {
    expect(exchange.relayStatus).toBe(200);
    expect(exchange.relayAnswer).not.toHaveProperty('rejected');
  }

  const [lost] = exchanges;
  expect(lost!.clientStatus).toBe(503);
  const lostIds = messageIds(lost!);
  const retry = exchanges.slice(1).find((exchange) => same(messageIds(exchange), lostIds));
  expect(retry, 'the SDK sent the batch whose answer was lost again').toBeDefined();
  expect(retry!.relayAnswer).toMatchObject({ success: true, duplicates: lostIds.length });
}

function batchOf(exchange: Exchange): Message[] {
  return (exchange.body as { batch: Message[] }).batch;
}

function messageIds(exchange: Exchange): string[] {
  return batchOf(exchange).map((event) => String(event['messageId']));
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

export async function closeScenario(result: ScenarioResult | undefined): Promise<void> {
  if (result === undefined) return;
  await result.gateway.close();
  await result.stack.close();
}
