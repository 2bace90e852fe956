// The *Statistiques* page in headless Chromium: run by tests/browser.rs against a `certif serve`
// on the demo database (two promotions judged and surveyed). The registrar follows the
// navigation to it, reads the table per year and route and the three charts (each an image
// with its title for screen readers), downloads the CSV; the page reads in English too; a
// teacher gets 403. Checked with axe-core. Exits non-zero, naming the step, on the first failure.
import { readFileSync } from 'node:fs';
import { accessible, base, browser, check, shots, signedIn } from './steps.mjs';

try {
  const registrar = await signedIn('demo-registrar');
  await registrar.getByRole('link', { name: 'Statistiques' }).click();
  await registrar.waitForURL('**/statistiques');
  check(await registrar.getByRole('heading', { name: 'Statistiques — RNCP39668' }).isVisible(), 'the page has its heading');
  const table = (await registrar.locator('#stats-years').innerText()).trim();
  check(table.includes('2023') && table.includes('2024') && table.includes('toutes voies'), 'the table has both promotions');
  const charts = registrar.getByRole('img');
  check((await charts.count()) === 3, 'three charts');
  for (const name of ['Candidats présentés par année', 'Taux de réussite par année', 'Taux d\'insertion à 6 et 24 mois']) {
    check(await registrar.getByRole('img', { name: new RegExp(name) }).isVisible(), `the chart "${name}" is announced by its title`);
  }
  await accessible(registrar, 'the statistics page');
  await registrar.screenshot({ path: `${shots}/statistiques.png`, fullPage: true });

  const [download] = await Promise.all([registrar.waitForEvent('download'), registrar.getByRole('link', { name: /CSV/ }).click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  check(csv.startsWith('\ufeffAnnée;Voie d\'accès;'), 'the CSV opens in a spreadsheet as is');

  await registrar.getByRole('link', { name: 'English' }).click();
  await registrar.waitForURL('**/statistiques');
  check(await registrar.getByRole('heading', { name: 'Statistics — RNCP39668' }).isVisible(), 'the page in English');
  check(await registrar.getByRole('img', { name: /Success rate per year/ }).isVisible(), 'the charts in English');
  await accessible(registrar, 'the statistics page in English');

  const teacher = await signedIn('demo-teacher');
  const refused = await teacher.goto(`${base}/statistiques`);
  check(refused.status() === 403, 'a teacher may not read the statistics');
} finally {
  await browser.close();
}
