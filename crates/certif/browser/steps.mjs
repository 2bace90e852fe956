// What both browser scripts share: the server and accounts tests/browser.rs gives them, a step
// checked (exit non-zero naming it on failure), axe-core on a page (WCAG 2.1 A and AA), and a
// signed-in page per demo account.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const base = process.env.CERTIF_URL;
export const shots = process.env.CERTIF_SCREENSHOTS;
const passwords = JSON.parse(process.env.CERTIF_ACCOUNTS);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export function check(condition, step) {
  if (!condition) {
    console.error(`FAILED: ${step}`);
    process.exit(1);
  }
  console.log(`ok: ${step}`);
}

// The console errors each watched page logged (CSP refusals, failed scripts or assets): a page's
// own status (a 403 or 404 page shown on purpose) is not one.
const consoleErrors = new WeakMap();

/// Collects `page`'s console errors from now on (every signed-in page is watched).
export function watch(page) {
  const errors = [];
  consoleErrors.set(page, errors);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const at = message.location()?.url ?? '';
    if (message.text().startsWith('Failed to load resource') && at === page.url()) return;
    errors.push(`${message.text()} (${at})`);
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return page;
}

/// No console error on `page` since it was watched (or since the last check).
export function quiet(page, name) {
  const errors = consoleErrors.get(page) ?? [];
  check(errors.length === 0, `${name}: no console error${errors.map((e) => `\n  ${e}`).join('')}`);
  errors.length = 0;
}

/// No violation axe-core finds on `page` as it stands, and no console error on it.
export async function accessible(page, name) {
  quiet(page, name);
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  check(found.length === 0, `${name}: no accessibility violation${found.map((v) => `\n  ${v}`).join('')}`);
}

export const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

/// A page signed in as `username` (a demo account), in its own browser context.
export async function signedIn(username) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, acceptDownloads: true });
  const page = watch(await context.newPage());
  await page.goto(`${base}/login`);
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill(passwords[username]);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}
