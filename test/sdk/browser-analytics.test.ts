/**
 * Segment's browser SDK (analytics.js 2.0) in headless Chromium, loaded by Segment's own snippet
 * from the relay instead of Segment's CDN: the relay serves the bundle, its chunks and the source
 * settings, and the SDK posts its events back to the relay. Anonymous page views followed by an
 * identify end on one person in the emulator, as Customer.io merges an anonymous_id on identify.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import snippet from '@segment/snippet';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, UI_TIMEOUT_MS } from '../console/browser.js';
import { type Stack, startStack, WRITE_KEY, waitFor } from '../relay/stack.js';

let browser: Browser;
let stack: Stack | undefined;
let site: Server | undefined;
let context: BrowserContext | undefined;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());
afterEach(async () => {
  await context?.close();
  if (site) await new Promise((resolve) => site!.close(resolve));
  await stack?.close();
  context = site = stack = undefined;
});

/**
 * A website on its own loopback origin whose page carries the snippet pointed at `relayHost`
 * (Segment's `host` and `useHostForBundles` options). The snippet hard-codes https; the test relay
 * has no TLS, so that one word is changed.
 */
async function startSite(relayHost: string): Promise<string> {
  const code = snippet
    .min({ apiKey: WRITE_KEY, host: relayHost, useHostForBundles: true, page: true })
    .replaceAll('https://', 'http://');
  const html = `<!doctype html><html><head><title>Shop</title><script>${code}</script></head><body>Shop</body></html>`;
  site = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(html);
  });
  await new Promise<void>((resolve) => site!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}

describe('@segment/analytics-next in Chromium, loaded from the relay', () => {
  it('delivers anonymous page views, identify and track, merged on the identified person', async () => {
    stack = await startStack();
    const relayHost = new URL(stack.relay.url).host;
    const siteUrl = await startSite(relayHost);

    context = await browser.newContext();
    const offLoopback: string[] = [];
    const fromRelay: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname !== '127.0.0.1') {
        offLoopback.push(url.href);
        return route.abort();
      }
      if (url.host === relayHost) fromRelay.push(`${route.request().method()} ${url.pathname}`);
      return route.continue();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    // An ajs_ query parameter makes analytics.js load a chunk (queryString) on demand: it must
    // come from the relay too. This one tracks an event for the visitor arriving from a campaign.
    await page.goto(`${siteUrl}/?ajs_event=Opened%20Campaign&ajs_prop_campaign=spring`);
    await page.waitForFunction('window.analytics && window.analytics.initialized === true');
    // A second page view, as a single-page app makes one after navigating.
    await page.evaluate(`history.pushState({}, '', '/pricing'); analytics.page('Pricing')`);
    const anonymousId = (await page.evaluate('analytics.user().anonymousId()')) as string;
    expect(anonymousId).toMatch(/\S{8,}/);
    await page.evaluate(`analytics.identify('ada', { email: 'ada@example.com', plan: 'pro' })`);
    await page.evaluate(`analytics.track('Subscribed', { plan: 'pro', seats: 2 })`);

    const ada = await waitFor(
      'the identified person with both page views and the event',
      () => {
        const person = stack!.emulator.workspace.person('ada');
        const kinds = person?.activity.map((a) => a.kind) ?? [];
        const events = kinds.filter((k) => k === 'event').length;
        return kinds.filter((k) => k === 'page').length === 2 && events === 2 ? person : undefined;
      },
      UI_TIMEOUT_MS,
    );
    expect(ada.email).toBe('ada@example.com');
    expect(ada.attributes['plan']).toBe('pro');
    expect(ada.anonymous_ids).toEqual([anonymousId]);
    const pages = ada.activity.filter((a) => a.kind === 'page').map((a) => a.name);
    expect(pages.sort()).toEqual([
      `${siteUrl}/?ajs_event=Opened%20Campaign&ajs_prop_campaign=spring`,
      `${siteUrl}/pricing`,
    ]);
    const events = ada.activity.filter((a) => a.kind === 'event');
    expect(events.map((a) => a.name).sort()).toEqual(['Opened Campaign', 'Subscribed']);
    expect(events.find((a) => a.name === 'Opened Campaign')?.data).toMatchObject({ campaign: 'spring' });
    expect(events.find((a) => a.name === 'Subscribed')?.data).toMatchObject({ plan: 'pro', seats: 2 });
    // Nothing is left on the anonymous profile: it was merged into ada.
    expect(stack.emulator.workspace.anonymous()[anonymousId]).toBeUndefined();
    expect(stack.emulator.workspace.people()).toHaveLength(1);

    // No CDN: everything came from loopback, the bundle and settings from the relay.
    expect(offLoopback).toEqual([]);
    expect(fromRelay).toContain(`GET /analytics.js/v1/${WRITE_KEY}/analytics.min.js`);
    expect(fromRelay).toContain(`GET /v1/projects/${WRITE_KEY}/settings`);
    expect(
      fromRelay.some((r) => /^GET \/analytics-next\/bundles\/queryString\.bundle\.\w+\.js$/.test(r)),
    ).toBe(true);
    expect(fromRelay.filter((r) => r === 'POST /v1/p')).toHaveLength(2);
    expect(fromRelay).toContain('POST /v1/i');
    expect(fromRelay.filter((r) => r === 'POST /v1/t')).toHaveLength(2);
    expect(problems).toEqual([]);
  }, 60_000);
});
