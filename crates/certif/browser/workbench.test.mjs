// The staff's daily pages in headless Chromium: a learner's transcript as the registrar reads
// and prints it, the teacher's mark grid and the master's page with the keyboard. Run by
// tests/browser.rs against a `certif serve` on the demo database. Exits non-zero, naming the
// step, on the first failure.
import { accessible, base, browser, check, quiet, shots, signedIn } from './steps.mjs';

try {
  // The registrar reads a learner's transcript: words, French dates and marks, the next learner.
  const registrar = await signedIn('demo-registrar');
  await registrar.goto(`${base}/apprenants/A-0002`);
  const text = await registrar.locator('main').innerText();
  check((await registrar.locator('table.transcript tr.module').count()) > 10, 'the transcript lists the modules');
  check(!/\b\d{4}-\d{2}-\d{2}\b/.test(text), 'no ISO date on the learner\'s page');
  check(!/\b[A-Z]+(_[A-Z]+)+\b/.test(text), 'no raw reason code on the learner\'s page');
  check(/\d,\d\d/.test(text), 'marks with a decimal comma');
  check((await registrar.locator('header .who').innerText()).includes('scolarité'), 'the registrar\'s role is named in French');
  await accessible(registrar, 'a learner\'s transcript');
  await registrar.screenshot({ path: `${shots}/apprenant-releve.png`, fullPage: true });
  await registrar.emulateMedia({ media: 'print' });
  check(await registrar.locator('header').isHidden(), 'printed, the page has no navigation');
  await registrar.screenshot({ path: `${shots}/apprenant-impression.png`, fullPage: true });
  await registrar.emulateMedia({ media: 'screen' });
  await registrar.setViewportSize({ width: 390, height: 800 });
  check(await registrar.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the learner\'s page fits a phone');
  await registrar.screenshot({ path: `${shots}/apprenant-390.png`, fullPage: true });
  await registrar.setViewportSize({ width: 1366, height: 800 });
  await registrar.locator('a[rel="next"]').click();
  await registrar.waitForURL('**/apprenants/A-0003');
  check(await registrar.locator('a[rel="prev"]').isVisible(), 'the registrar goes from one learner to the next and back');

  const teacher = await signedIn('demo-teacher');
  await teacher.goto(`${base}/notes/M1.1.1`);
  const nameOf = async (id) => (await teacher.locator(`#row-${id} th`).innerText()).trim();
  const named = await nameOf('A-0001');
  check(named.length > 'A-0001'.length, `a row names its learner (${named})`);

  // A mark out of range: refused in French, the row keeps its learner's name, the caret moves down.
  const cell = teacher.locator('#s1-A-0001');
  await cell.fill('21');
  await cell.press('Enter');
  await teacher.locator('#row-A-0001 .ko').waitFor();
  const refusal = await teacher.locator('#row-A-0001 .ko').innerText();
  check(refusal.includes('n\'est pas entre 0 et 20'), `the refusal is in French (${refusal})`);
  check((await nameOf('A-0001')) === named, 'the row keeps its learner\'s name after a save');
  check(await teacher.evaluate(() => document.activeElement?.id === 's1-A-0002'), 'Enter moves to the next learner');

  // Escape puts back the value the row was loaded with.
  const third = teacher.locator('#s1-A-0003');
  const loaded = await third.inputValue();
  await third.fill('4,5');
  await third.press('Escape');
  check((await third.inputValue()) === loaded, `Escape restores the loaded value (${loaded})`);

  // Clearing a stored mark asks first: dismissed, nothing is sent and the mark is back.
  await teacher.locator('#s1-A-0002').fill('13,5');
  await teacher.locator('#s1-A-0002').press('Enter');
  await teacher.locator('#row-A-0002 .ok').waitFor();
  let asked = '';
  teacher.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
  await teacher.locator('#s1-A-0002').fill('');
  await teacher.locator('#s1-A-0002').press('Enter');
  await teacher.waitForTimeout(300);
  check(asked.includes('Effacer la note enregistrée') && asked.includes('A-0002'), `clearing asks first (${asked})`);
  check((await teacher.locator('#s1-A-0002').inputValue()) === '13,5', 'a dismissed clearing keeps the mark');
  teacher.once('dialog', (dialog) => dialog.accept());
  await teacher.locator('#s1-A-0002').fill('');
  await teacher.locator('#s1-A-0002').press('Enter');
  await teacher.locator('#row-A-0002 .ok').waitFor();
  check((await teacher.locator('#s1-A-0002').inputValue()) === '', 'an accepted clearing clears the mark');
  await accessible(teacher, 'the mark grid');
  await teacher.screenshot({ path: `${shots}/grille.png`, fullPage: true });
  await teacher.setViewportSize({ width: 390, height: 800 });
  check(await teacher.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the grid fits a phone (its table scrolls inside)');
  await teacher.screenshot({ path: `${shots}/grille-390.png`, fullPage: true });

  // The master sees what awaits them, and a save redraws the title's badge.
  const master = await signedIn('demo-master');
  const awaiting = await master.locator('#awaiting').innerText();
  check(/période|Aucune/.test(awaiting), `the master reads what awaits their evaluation (${awaiting})`);
  check((await master.locator('header .who').innerText()).includes('maître d\'apprentissage'), 'the role is named in French');
  const badge = master.locator('#badge-A-0001');
  await badge.evaluate((b) => { b.textContent = '…'; });
  await master.locator('#eval-A-0001-P1').fill('16');
  await master.locator('#eval-A-0001-P1').press('Enter');
  await master.locator('#status-A-0001-P1 .ok').waitFor();
  await master.waitForFunction(() => document.getElementById('badge-A-0001')?.textContent !== '…');
  check(true, 'the title\'s badge is drawn again after a save');
  await accessible(master, 'the apprentices page');

  // The admin creates an account: a weak password is refused beside its field, then the
  // account is made, disabled, and its changes read in the audit log.
  const admin = await signedIn('demo-admin');
  await admin.getByRole('link', { name: 'Comptes', exact: true }).click();
  await admin.waitForURL('**/comptes');
  await accessible(admin, 'the accounts page');
  await admin.getByLabel('Identifiant', { exact: true }).fill('c.bernard');
  await admin.getByLabel('Rôle', { exact: true }).selectOption('master');
  await admin.getByLabel('Apprentis (maître d\'apprentissage)').fill('A-0001, A-0002');
  await admin.getByLabel('Mot de passe', { exact: true }).fill('court');
  await admin.getByRole('button', { name: 'Créer le compte' }).click();
  const passwordError = admin.locator('#err-password');
  await passwordError.waitFor();
  check((await passwordError.innerText()).includes('au moins 12 caractères'), 'the refusal is said in French beside the password');
  check((await admin.getByLabel('Identifiant', { exact: true }).inputValue()) === 'c.bernard', 'what was typed is kept');
  await accessible(admin, 'the accounts page with a refusal');
  await admin.getByLabel('Mot de passe', { exact: true }).fill('une phrase de passe solide et longue');
  await admin.getByRole('button', { name: 'Créer le compte' }).click();
  await admin.waitForURL('**/comptes/c.bernard?fait=cree');
  await accessible(admin, 'an account\'s page');
  await admin.getByRole('button', { name: 'Désactiver le compte' }).click();
  await admin.waitForURL('**/comptes/c.bernard?fait=desactive');
  check((await admin.locator('[role=status]').innerText()).includes('désactivé'), 'the page says the account is disabled');
  await admin.getByRole('link', { name: 'Journal de ce compte' }).click();
  await admin.waitForURL('**/journal?compte=c.bernard');
  check((await admin.locator('table.audit tbody tr').count()) === 2, 'the log holds its creation and its disabling');
  await accessible(admin, 'the audit log');
  await admin.screenshot({ path: `${shots}/journal.png`, fullPage: true });
  quiet(admin, 'the accounts pages');
  quiet(registrar, 'the learner\'s pages');
  quiet(teacher, 'the mark grid');
  quiet(master, 'the apprentices page');
} finally {
  await browser.close();
}
