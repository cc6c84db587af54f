/**
 * The console against a real relay and emulator, driven like a user: log in, find an event in the
 * delivery log, replay a dead letter, resume a paused destination.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, API_KEY, type Stack, startStack, WRITE_KEY, waitFor } from '../relay/stack.js';
import { type ConsolePage, launchBrowser, logIn, openConsole, tabTo } from './browser.js';

let stack: Stack;
let browser: Browser;
let view: ConsolePage;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});
afterEach(async () => {
  stack.emulator.setFaults({});
  expect(view.errors).toEqual([]);
  await view.close();
});

async function signedIn(): Promise<ConsolePage> {
  view = await openConsole(browser, stack.relay.url);
  await logIn(view.page);
  return view;
}

function track(messageId: string, userId: string) {
  return { type: 'track', event: 'Order Completed', userId, messageId, properties: { total: 42 } };
}

async function emulatorRequests(): Promise<number> {
  const response = await fetch(`${stack.emulator.url}/_emulator/requests?limit=5000`);
  return ((await response.json()) as { count: number }).count;
}

/** Everything the page shows or keeps in its DOM, to prove no secret is in it. */
async function pageText(): Promise<string> {
  return view.page.content();
}

describe('console', () => {
  it('refuses a wrong admin token and opens on the right one, keeping it out of the page', async () => {
    view = await openConsole(browser, stack.relay.url);
    const { page } = view;
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid_admin_token' }).waitFor();

    await logIn(page);
    await page.getByRole('region', { name: 'Destination cio' }).waitFor();
    expect(page.url()).not.toContain(ADMIN_TOKEN);
    expect(await pageText()).not.toContain(ADMIN_TOKEN);
  });

  it('finds an event in the delivery log by messageId, with the request sent and the response', async () => {
    expect((await stack.send('/v1/track', track('log-m1', 'log-user'))).status).toBe(200);
    await waitFor(
      'delivery',
      async () => (await stack.admin('/deliveries?messageId=log-m1')).body.entries[0],
    );
    const { page } = await signedIn();

    // By keyboard only: Tab to the page's link, type the messageId, Enter, Tab to the entry, Enter.
    await tabTo(page, { text: 'Delivery log' });
    await page.keyboard.press('Enter');
    await tabTo(page, { id: 'search-messageId' });
    await page.keyboard.type('log-m1');
    await page.keyboard.press('Enter');
    const entry = page.getByRole('list', { name: 'Delivery log entries' }).getByRole('listitem');
    await entry.filter({ hasText: 'log-m1' }).waitFor();
    expect(await entry.count()).toBe(1);
    await tabTo(page, { text: /log-m1/ });
    await page.keyboard.press('Enter');
    const details = entry.locator('.details');
    await details.getByText('Response: 200').waitFor();
    expect(await details.textContent()).toContain('"name": "Order Completed"');
    expect(page.url()).toContain('messageId=log-m1');
    const html = await pageText();
    for (const secret of [API_KEY, WRITE_KEY, ADMIN_TOKEN]) expect(html).not.toContain(secret);

    // The delivery shows in the Overview's chart of the last hour.
    await page.getByRole('link', { name: 'Overview' }).click();
    const card = page.getByRole('region', { name: 'Destination cio' });
    await card.getByText(/Last hour: [1-9]\d* delivered .*p95 latency \d+ ms/).waitFor();
    expect(Number(await card.locator('[data-figure=delivered]').textContent())).toBeGreaterThan(0);
  });

  it('tests an event without sending it, then sends it and shows the request and the response', async () => {
    const before = await emulatorRequests();
    const { page } = await signedIn();
    await page.getByRole('link', { name: 'Event tester' }).click();
    await page.getByLabel('Event type').selectOption('identify');
    await page.getByRole('button', { name: 'Use the identify sample' }).click();
    expect(await page.getByLabel('Event (JSON)').inputValue()).toContain('"type": "identify"');
    await page.getByLabel('Event (JSON)').fill('{"type": "track", ');
    await page.getByText(/^Not valid JSON/).waitFor();
    expect(await page.getByRole('button', { name: 'Test', exact: true }).isDisabled()).toBe(true);
    await page
      .getByLabel('Event (JSON)')
      .fill(JSON.stringify({ type: 'track', userId: 'tester-user', event: 'Tester Clicked' }));

    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    const trackRow = result.getByRole('row', { name: /Track Event/ });
    await trackRow.waitFor();
    expect(await trackRow.textContent()).toContain('yes');
    await trackRow.getByText('Operation', { exact: true }).click();
    await trackRow.getByText(/"action": "event"/).waitFor();
    expect(await result.getByRole('row', { name: /Create or Update Person/ }).textContent()).toContain('no');
    await result.getByText(/POST http:\/\/127\.0\.0\.1:\d+\/api\/v2\/batch/).waitFor();
    expect(await result.textContent()).toContain('"name": "Tester Clicked"');
    expect(await emulatorRequests()).toBe(before);

    await page.getByRole('button', { name: 'Send to Customer.io' }).click();
    const sent = page.getByRole('region', { name: 'Sent event' });
    await sent.getByText('Response: 200').waitFor();
    expect(await sent.locator('.outcome').textContent()).toBe('delivered');
    expect(await emulatorRequests()).toBeGreaterThan(before);
    const html = await pageText();
    for (const secret of [API_KEY, ADMIN_TOKEN]) expect(html).not.toContain(secret);
  });

  it('shows live events as they arrive, filters and pauses them, and opens one in the delivery log', async () => {
    const { page } = await signedIn();
    await page.getByRole('link', { name: 'Live events' }).click();
    await page.getByText('Connected: events appear as they arrive.').waitFor();
    const list = page.getByRole('list', { name: 'Live events' });

    await stack.send('/v1/track', {
      type: 'track',
      event: 'Live Signup',
      userId: 'live-user',
      messageId: 'live-m1',
    });
    const signup = list.getByRole('listitem').filter({ hasText: /Live Signup from/ });
    await signup.waitFor();
    await page.getByLabel('Type').selectOption('identify');
    await page.getByText('No events yet match the filters.').waitFor();
    await page.getByLabel('Type').selectOption('');
    await page.getByLabel('Event name').fill('signup');
    await signup.waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    await stack.send('/v1/track', { type: 'track', event: 'Live Signup Again', userId: 'live-user' });
    await page.getByRole('button', { name: 'Resume (1 new)' }).waitFor();
    expect(await list.getByRole('listitem').count()).toBe(1);
    await page.getByRole('button', { name: 'Resume (1 new)' }).click();
    await list.getByRole('listitem').filter({ hasText: 'Live Signup Again' }).waitFor();

    await waitFor(
      'delivery',
      async () => (await stack.admin('/deliveries?messageId=live-m1')).body.entries[0],
    );
    await signup.locator('summary').click();
    await signup.getByText('cio: delivered').waitFor();
    await signup.getByRole('link', { name: 'Open in the delivery log' }).click();
    const entries = page.getByRole('list', { name: 'Delivery log entries' }).getByRole('listitem');
    await entries.filter({ hasText: 'live-m1' }).waitFor();
    expect(await entries.count()).toBe(1);
  });

  it('shows a dead letter from a 400 grouped by its error, replays it and shows it delivered', async () => {
    stack.emulator.setFaults({ errorRate: 1, errorStatuses: [400] });
    expect((await stack.send('/v1/track', track('dead-m1', 'dead-user'))).status).toBe(200);
    await waitFor('dead letter', async () => (await stack.admin('/dead-letters')).body.deadLetters[0]);
    stack.emulator.setFaults({});
    const { page } = await signedIn();

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const group = page.getByRole('region', { name: /HTTP 400/ });
    await group.waitFor();
    expect(await group.textContent()).toContain('1 dead letter');
    await page.getByRole('checkbox', { name: /dead-m1/ }).check();
    await page.getByRole('button', { name: 'Replay selected (1)' }).click();
    await page.getByRole('status', { name: 'Replay progress' }).getByText('1 of 1 delivered').waitFor();
    await page.getByText('No dead letters.').waitFor();
    expect((await stack.admin('/deliveries?messageId=dead-m1&limit=1')).body.entries[0].outcome).toBe(
      'delivered',
    );
  });

  it('pages through more dead letters than fit on one page', async () => {
    stack.emulator.setFaults({ errorRate: 1, errorStatuses: [400] });
    const batch = Array.from({ length: 1001 }, (_, i) => track(`page-m${i}`, `page-user${i}`));
    expect((await stack.send('/v1/batch', { batch })).status).toBe(200);
    await waitFor(
      '1,001 dead letters',
      async () => (await stack.admin('/destinations/cio')).body.destination.stats.dead === 1001,
    );
    stack.emulator.setFaults({});
    // Dead letters are numbered as their batches' answers came back, several batches at once: the
    // oldest and the newest, as the admin API pages them.
    const oldest = (await stack.admin('/dead-letters?limit=1000')).body;
    const newest = (await stack.admin(`/dead-letters?afterId=${oldest.nextAfterId}`)).body.deadLetters;
    expect(newest).toHaveLength(1);
    const { page } = await signedIn();

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const group = page.getByRole('region', { name: /HTTP 400/ });
    await group.getByText('1000 dead letters').waitFor();
    await page.getByRole('button', { name: 'Newer dead letters' }).click();
    await group.getByText('1 dead letter', { exact: true }).waitFor();
    expect(
      await page
        .getByRole('checkbox', { name: `Select dead letter ${newest[0].id} (${newest[0].messageId})` })
        .count(),
    ).toBe(1);
    expect(await page.getByRole('button', { name: 'Newer dead letters' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Older dead letters' }).click();
    await group.getByText('1000 dead letters').waitFor();
    const first = oldest.deadLetters[0];
    expect(
      await page
        .getByRole('checkbox', { name: `Select dead letter ${first.id} (${first.messageId})` })
        .count(),
    ).toBe(1);

    expect((await stack.admin('/dead-letters/drop', { body: { all: true } })).body.dropped).toBe(1001);
  });

  it('shows a banner when a 401 pauses the destination, and Resume lets the queued event through', async () => {
    stack.emulator.setFaults({ errorRate: 1, errorStatuses: [401] });
    expect((await stack.send('/v1/track', track('paused-m1', 'paused-user'))).status).toBe(200);
    const { page } = await signedIn();

    const banner = page.getByRole('alert', { name: 'cio is paused' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('401');
    stack.emulator.setFaults({});
    await banner.getByRole('button', { name: 'Resume cio' }).click();
    await banner.waitFor({ state: 'detached' });
    await waitFor('delivery after resume', async () => {
      const entry = (await stack.admin('/deliveries?messageId=paused-m1&limit=1')).body.entries[0];
      return entry?.outcome === 'delivered';
    });
  });
});
