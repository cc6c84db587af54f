/**
 * The subscriptions editor against a file-backed relay: an event dead-lettered by a subscription's
 * broken mapping, fixed in the editor (checked as you type, tried before saving, saved into the
 * YAML file, in force at once), and replayed from the Dead letters page, delivered this time.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { type Relay, startRelay } from '../../src/relay/relay.js';
import { ADMIN_TOKEN, API_KEY, SITE_ID, WRITE_KEY, waitFor } from '../relay/stack.js';
import { tempFile } from '../temp-files.js';
import { type ConsolePage, launchBrowser, logIn, openConsole } from './browser.js';

const config = (endpoint: string, db: string) => `# Written by the editor test
admin:
  token: \${ADMIN_TOKEN}
store:
  sqlite: ${db}
sources:
  - { name: web, writeKey: \${WRITE_KEY} }
destinations:
  - name: cio
    siteId: ${SITE_ID}
    apiKey: \${CIO_API_KEY}
    endpoint: ${endpoint}
    allowInsecureEndpoint: true
    batch: { lingerMs: 10 }
    subscriptions:
      # Orders, with a mapping that looks for the name in the wrong place
      - name: Orders
        trigger: type = "track"
        action: trackEvent
        mapping:
          name: { "@path": "$.properties.missing" }
`;
const ENV = { ADMIN_TOKEN, WRITE_KEY, CIO_API_KEY: API_KEY };

let emulator: Emulator;
let relay: Relay;
let browser: Browser;
let view: ConsolePage | undefined;
let file: string;

async function start(): Promise<Relay> {
  const loaded = loadConfig(file, ENV);
  const logger = pino({ level: 'silent' });
  return startRelay({
    config: { ...loaded, server: { host: '127.0.0.1', port: 0 } },
    logger,
    idlePollMs: 50,
  });
}

async function deadLetters(): Promise<Array<{ error: { code: string } }>> {
  const response = await fetch(`${relay.url}/admin/dead-letters`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return ((await response.json()) as { deadLetters: Array<{ error: { code: string } }> }).deadLetters;
}

beforeAll(async () => {
  emulator = await createEmulator({ siteId: SITE_ID, apiKey: API_KEY, port: 0, host: '127.0.0.1' });
  const db = tempFile('relay.db', '');
  file = tempFile('relay.yaml', config(emulator.url, db));
  [relay, browser] = await Promise.all([start(), launchBrowser()]);
});
afterAll(async () => {
  await view?.close();
  await browser?.close();
  await relay?.close();
  await emulator?.close();
});

describe('subscriptions editor', () => {
  it('fixes the subscription that dead-lettered an event, saves it to the file, and the replay is delivered', async () => {
    const sent = await fetch(`${relay.url}/v1/track`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        type: 'track',
        event: 'Order Completed',
        userId: 'editor-user',
        messageId: 'ed-1',
      }),
    });
    expect(sent.status).toBe(200);
    const dead = await waitFor('dead letter', async () => (await deadLetters())[0]);
    expect(dead.error.code).toBe('missing_field');

    view = await openConsole(browser, relay.url);
    const { page } = view;
    await logIn(page);
    await page.getByRole('link', { name: 'Subscriptions' }).click();
    const orders = page.getByRole('group', { name: 'Orders' });
    const trigger = orders.getByLabel('Trigger');
    expect(await trigger.inputValue()).toBe('type = "track"');

    // Checked as you type, with the trigger compiler's message under the field.
    await trigger.fill('type = ');
    await orders
      .locator('#sub-0-trigger-problems')
      .getByText(/subscriptions\[0\]\.trigger/)
      .waitFor();
    expect(await trigger.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Save subscriptions' }).isDisabled()).toBe(true);
    await trigger.fill('type = "track"');
    await page.getByText('No problems found.').waitFor();

    await orders.getByLabel('Field mapping (JSON)').fill('{"name": {"@path": "$.event"}}');
    await page.getByText('No problems found.').waitFor();
    const tryOut = page.getByRole('region', { name: 'Try the edited subscriptions' });
    await tryOut.getByRole('button', { name: 'Try the edited subscriptions' }).click();
    await tryOut
      .getByRole('row', { name: /Orders/ })
      .getByText('yes', { exact: true })
      .waitFor();
    expect(await tryOut.textContent()).toContain('"name": "Order Completed"');

    await page.getByRole('button', { name: 'Save subscriptions' }).click();
    await page.getByText(/^Saved to relay\.yaml: in force now/).waitFor();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# Written by the editor test');
    expect(text).toContain('$.event');
    expect(text).not.toContain('$.properties.missing');

    // In force at once: the replay is mapped with the fixed subscription, no restart needed.
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByRole('checkbox', { name: /ed-1/ }).check();
    await page.getByRole('button', { name: 'Replay selected (1)' }).click();
    await page.getByRole('status', { name: 'Replay progress' }).getByText('1 of 1 delivered').waitFor();
    expect(view.errors).toEqual([]);
  });
});
