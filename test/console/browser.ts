/**
 * Browser tests drive Debian's Chromium with playwright-core (no browser download). One browser
 * per test file, shared by its tests; each test gets a fresh page (its own sessionStorage).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ADMIN_TOKEN } from '../relay/stack.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BUILT = fileURLToPath(new URL('../../dist/console/index.html', import.meta.url));

/** Waits on page state are long: the machine running the suite may be busy. */
export const UI_TIMEOUT_MS = 15_000;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(BUILT)) throw new Error('the console is not built: run npm run build (npm test does)');
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A new page on the console of the relay at `relayUrl`, not logged in; page errors are collected. */
export async function openConsole(browser: Browser, relayUrl: string): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${relayUrl}/console/`);
  return { page, errors, close: () => context.close() };
}

export interface ConsolePage {
  page: Page;
  /** Uncaught errors in the page so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Log in the way a person does: type the token, press Enter, wait for the navigation. */
export async function logIn(page: Page, token = ADMIN_TOKEN): Promise<void> {
  await page.getByLabel('Admin token').fill(token);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
}

/** What has the keyboard focus: its id and text (read in the page, which has a DOM). */
export async function focused(page: Page): Promise<{ id: string; text: string }> {
  return page.evaluate(
    '({ id: document.activeElement?.id ?? "", text: document.activeElement?.textContent?.trim() ?? "" })',
  );
}

/**
 * Press Tab until the focused element has this id or text (the way a keyboard user gets there);
 * fails when it is not reachable within `limit` presses.
 */
export async function tabTo(page: Page, target: { id: string } | { text: string | RegExp }, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const { id, text } = await focused(page);
    if ('id' in target ? id === target.id : matches(text, target.text)) return;
  }
  throw new Error(`${JSON.stringify(target)} is not reachable with Tab`);
}

function matches(text: string, wanted: string | RegExp): boolean {
  return typeof wanted === 'string' ? text === wanted : wanted.test(text);
}
