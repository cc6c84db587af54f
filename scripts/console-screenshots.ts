/**
 * `npm run screenshots`: the console's pages as PNGs in docs/images/, for the README. Starts a
 * relay and an emulator on loopback (the test stack), sends a few events, makes one dead letter and
 * one pause, and photographs each page in Debian's Chromium. Re-run it after changing a page.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { type ConsolePage, launchBrowser, logIn, openConsole } from '../test/console/browser.js';
import { startStack, waitFor } from '../test/relay/stack.js';

const OUT = new URL('../docs/images/', import.meta.url);

const stack = await startStack({
  destination: {
    subscriptions: [
      { name: 'People', trigger: 'type = "identify"', action: 'createUpdatePerson' },
      {
        name: 'Orders',
        trigger: 'type = "track" and event = "Order Completed"',
        action: 'trackEvent',
        mapping: { data: { '@path': '$.properties' } },
      },
      { name: 'Page views', trigger: 'type = "page"', action: 'trackPageView' },
    ],
  },
});
const browser = await launchBrowser();
let view: ConsolePage | undefined;
try {
  mkdirSync(OUT, { recursive: true });
  const people = ['ada', 'grace', 'alan', 'edsger', 'barbara'];
  for (const [i, person] of people.entries()) {
    await stack.send('/v1/identify', { userId: person, traits: { email: `${person}@example.com` } });
    await stack.send('/v1/track', {
      userId: person,
      event: 'Order Completed',
      properties: { total: 10 + i },
    });
    await stack.send('/v1/page', { userId: person, name: 'Pricing' });
  }
  // Page views without a URL are dead letters of their own kind (missing_field): wait for all.
  const settled = async () => {
    const { stats } = (await stack.admin('/destinations')).body.destinations[0];
    return stats.delivered + stats.dead === people.length * 3;
  };
  await waitFor('the first deliveries', settled);
  stack.emulator.setFaults({ errorRate: 1, errorStatuses: [400] });
  await stack.send('/v1/track', { userId: 'linus', event: 'Order Completed', properties: { total: 'n/a' } });
  await waitFor('a dead letter', async () => (await stack.admin('/dead-letters')).body.deadLetters[0]);
  stack.emulator.setFaults({ errorRate: 1, errorStatuses: [401] });
  await stack.send('/v1/track', { userId: 'ada', event: 'Order Completed', properties: { total: 99 } });
  await waitFor('the pause', async () => (await stack.admin('/destinations')).body.destinations[0].paused);

  view = await openConsole(browser, stack.relay.url);
  const { page } = view;
  await logIn(page);
  await page.getByRole('alert', { name: 'cio is paused' }).waitFor();
  await page.getByText(/Last hour:/).waitFor();
  await shoot(page, 'console-overview');

  await page.getByRole('link', { name: 'Event tester' }).click();
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await page.getByRole('region', { name: 'Test result' }).waitFor();
  await shoot(page, 'console-tester');

  await page.getByRole('link', { name: 'Live events' }).click();
  await page.getByText('Connected: events appear as they arrive.').waitFor();
  for (const person of people.slice(0, 3)) {
    await stack.send('/v1/track', { userId: person, event: 'Signed In' });
    await stack.send('/v1/page', { userId: person, name: 'Dashboard' });
  }
  await page.getByRole('list', { name: 'Live events' }).getByRole('listitem').nth(5).waitFor();
  await shoot(page, 'console-live');

  await page.getByRole('link', { name: 'Delivery log' }).click();
  const entries = page.getByRole('list', { name: 'Delivery log entries' }).getByRole('listitem');
  await entries.filter({ hasText: 'delivered' }).first().locator('summary').click();
  await shoot(page, 'console-delivery-log');

  await page.getByRole('link', { name: 'Dead letters' }).click();
  await page
    .getByRole('region', { name: /HTTP 400/ })
    .locator('summary')
    .first()
    .click();
  await shoot(page, 'console-dead-letters');

  await page.getByRole('link', { name: 'Subscriptions' }).click();
  const orders = page.getByRole('group', { name: 'Orders' });
  await orders.getByLabel('Trigger').fill('type = "track" and event = ');
  await orders.locator('#sub-1-trigger-problems').waitFor();
  await shoot(page, 'console-subscriptions');
} finally {
  await view?.close();
  await browser.close();
  await stack.close();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`${name}.png`, OUT).pathname, fullPage: false });
  console.log(`docs/images/${name}.png`);
}
