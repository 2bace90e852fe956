// certif's web UI in headless Chromium, as people use it: run by tests/browser.rs against a
// `certif serve` on the demo database. Exits non-zero, naming the step, on the first failure.
import { accessible, base, browser, check, shots, signedIn } from './steps.mjs';

const titleOf = async (page) => (await page.locator('.title-status .badge').innerText()).trim();

try {
  // A registrar opens the cohort, then a learner.
  const registrar = await signedIn('demo-registrar');
  check(new URL(registrar.url()).pathname === '/cohorte', 'a registrar lands on the cohort');
  const cohortRows = () => registrar.locator('table.matrix tbody tr').count();
  check((await cohortRows()) === 50, 'the cohort shows its first page of 50 learners');
  check((await registrar.locator('#cohort-results [role=status]').innerText()).startsWith('68 apprenant(s)'), 'it counts the 68 demo learners');
  await accessible(registrar, 'the cohort page');
  await registrar.screenshot({ path: `${shots}/cohorte.png`, fullPage: true });
  // Searching as one types: the rows narrow in place, the address follows, the focus stays.
  const search = registrar.getByLabel('Rechercher un apprenant');
  await search.pressSequentially('a-0007', { delay: 40 });
  await registrar.waitForFunction(() => document.querySelectorAll('table.matrix tbody tr').length === 1);
  check(new URL(registrar.url()).searchParams.get('q') === 'a-0007', 'the address keeps the search');
  check(await search.evaluate((field) => document.activeElement === field), 'the search field keeps the focus');
  await search.fill('');
  await registrar.waitForFunction(() => document.querySelectorAll('table.matrix tbody tr').length === 50);
  // Sorting by a column's head; then "missing exactly: English".
  await registrar.getByRole('link', { name: 'Titre', exact: true }).click();
  await registrar.waitForURL(/\/cohorte\?tri=titre$/);
  check((await registrar.locator('th[aria-sort="ascending"]').innerText()).startsWith('Titre'), 'the head says the cohort is sorted by it');
  await registrar.locator('#manque').selectOption('english');
  await registrar.getByLabel('et rien d\'autre').check();
  await registrar.getByRole('button', { name: 'Filtrer' }).click();
  await registrar.waitForURL(/manque=english/);
  const missing = await registrar.locator('table.matrix tbody tr td:last-child').allInnerTexts();
  check(missing.length > 0 && missing.every((m) => m === 'Anglais'), `only learners missing English and nothing else (${missing})`);
  await accessible(registrar, 'the cohort, filtered and sorted');
  // On a phone: nothing wider than the screen (the table scrolls inside itself); printed: no filters.
  await registrar.goto(`${base}/cohorte`);
  await registrar.setViewportSize({ width: 390, height: 800 });
  const overflow = await registrar.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the cohort fits a phone's width (${overflow}px too wide)`);
  await registrar.screenshot({ path: `${shots}/cohorte-390.png`, fullPage: true });
  await registrar.setViewportSize({ width: 1280, height: 800 });
  await registrar.emulateMedia({ media: 'print' });
  check(!(await registrar.locator('form.filters').isVisible()), 'the filters are not printed');
  check(await registrar.locator('table.matrix').isVisible(), 'the table is');
  await registrar.emulateMedia({ media: 'screen' });
  await registrar.getByRole('link', { name: 'A-0001', exact: true }).click();
  await registrar.waitForURL('**/apprenants/A-0001');
  const before = await titleOf(registrar);
  check(before === 'DÉLIVRÉ', `A-0001's title is awarded before the teacher's mark (${before})`);
  await accessible(registrar, 'a learner\'s page');
  await registrar.screenshot({ path: `${shots}/apprenant.png`, fullPage: true });

  // A teacher enters a failing mark with the keyboard; the decision changes.
  const teacher = await signedIn('demo-teacher');
  await teacher.goto(`${base}/notes/M1.1.1`);
  const cell = teacher.getByLabel('Session 1 A-0001', { exact: true });
  await cell.fill('2,5');
  await cell.press('Enter');
  await teacher.locator('#row-A-0001 .ok').waitFor();
  check(true, 'the teacher\'s mark is saved in place');
  await accessible(teacher, 'the mark grid');
  await registrar.reload();
  const after = await titleOf(registrar);
  check(after === 'NON DÉLIVRÉ', `the learner page shows the changed decision (${after})`);
  const takes = registrar.getByRole('heading', { name: 'Ce qu\'il faudrait', level: 2 });
  check(await takes.isVisible(), 'the registrar reads what it would take on a learner not awarded');
  check((await registrar.locator('h2').first().innerText()) === 'Ce qu\'il faudrait', 'what it would take comes above the details');
  check((await registrar.locator('.what-it-takes').innerText()).includes('M1.1.1'), 'it names the module the mark would change');
  await registrar.screenshot({ path: `${shots}/apprenant-non-delivre.png`, fullPage: true });

  // A stale edit (the registrar changed the mark since the grid was loaded) is told, not lost.
  const grid = await signedIn('demo-teacher');
  await grid.goto(`${base}/notes/M1.1.1`);
  await teacher.getByLabel('Session 1 A-0002', { exact: true }).fill('14');
  await teacher.getByLabel('Session 1 A-0002', { exact: true }).press('Enter');
  await teacher.locator('#row-A-0002 .ok').waitFor();
  await grid.getByLabel('Session 1 A-0002', { exact: true }).fill('9');
  await grid.getByLabel('Session 1 A-0002', { exact: true }).press('Enter');
  await grid.locator('#row-A-0002 .ko').waitFor();
  check((await grid.locator('#row-A-0002 .ko').innerText()).includes('14'), 'a stale edit is refused, showing the current value');

  // A master evaluates a company period.
  const master = await signedIn('demo-master');
  check(new URL(master.url()).pathname === '/apprentis', 'a master lands on their apprentices');
  await master.locator('#eval-A-0001-P1').fill('15,5');
  await master.locator('#eval-A-0001-P1').press('Enter');
  await master.locator('#status-A-0001-P1 .ok').waitFor();
  check(true, 'the master\'s evaluation is saved');
  await accessible(master, 'the apprentices page');

  // A learner cannot open another learner.
  const learner = await signedIn('demo-learner');
  check(new URL(learner.url()).pathname === '/parcours', 'a learner lands on their own progress');
  await learner.getByRole('link', { name: 'English' }).click();
  await learner.waitForURL('**/parcours');
  // A-0001 is not awarded since the teacher's mark: the learner reads what it would take first.
  check((await learner.locator('h2').first().innerText()) === 'What it would take', 'the English switch keeps the learner on their page, in English');
  check(await learner.getByRole('heading', { name: 'Award conditions', level: 2 }).isVisible(), 'the details follow, in English');
  await accessible(learner, 'the learner\'s own page, in English');
  const response = await learner.goto(`${base}/apprenants/A-0002`);
  check(response.status() === 404, 'another learner\'s page is 404 for a learner');
  check((await learner.locator('h1').innerText()).includes('404'), 'the 404 page says so (in English)');
  await accessible(learner, 'the 404 page');
  const signIn = await (await browser.newContext()).newPage();
  await signIn.goto(`${base}/login`);
  await accessible(signIn, 'the sign-in page');
  await teacher.goto(`${base}/notes`);
  await accessible(teacher, 'the teacher\'s modules');
} finally {
  await browser.close();
}
