// A whole jury session in headless Chromium, as the registrar and the president do it: run by
// tests/browser.rs against a `certif serve` on the demo database. Prepare (members, with the
// composition checked live; candidates), open, deliberate three candidates (one by the
// president's casting vote, one after points de jury), close, sign, download the minutes,
// publish; the learner then reads their decision and the appeal deadline. Every page is
// checked with axe-core. Exits non-zero, naming the step, on the first failure.
import { readFileSync } from 'node:fs';
import { accessible, base, browser, check, shots, signedIn } from './steps.mjs';

const downloads = process.env.CERTIF_DOWNLOADS;

const text = async (page, selector) => (await page.locator(selector).innerText()).trim();

const seats = [
  ['Anne Lefèvre', 'president', 'demo-jury'],
  ['Bruno Garnier', 'director_of_studies'],
  ['Claire Morel', 'alternance_manager'],
  ['Denis Roux', 'partner_training_manager'],
  ['Élise Bernard', 'teacher'],
  ['François Petit', 'teacher'],
  ['Gaëlle Dubois', 'teacher'],
  ['Hugo Laurent', 'teacher'],
  ['Inès Fontaine', 'cfa_director'],
];

try {
  // The registrar finds the demo's session, and takes three of its candidates for a new one.
  const registrar = await signedIn('demo-registrar');
  await registrar.getByRole('link', { name: 'Jurys' }).click();
  await registrar.waitForURL('**/jurys');
  await accessible(registrar, 'the sessions page');
  check((await registrar.locator('table').innerText()).includes('jury-demo'), 'the demo leaves a session ready to open');
  await registrar.goto(`${base}/jurys/jury-demo`);
  check((await text(registrar, '#composition')).includes('conforme'), 'the demo session\'s jury meets the fiche');
  const ids = await registrar.locator('table.desk tbody th').evaluateAll((cells) => cells.map((c) => c.innerText.split(' ')[0]));
  check(ids.length >= 3, `the demo session has candidates (${ids.length})`);
  const three = ids.slice(0, 3);
  check(three.includes('A-0001'), 'A-0001 (the demo learner account) is one of them');

  // Prepare: a session, its members with the composition checked after each, its candidates.
  await registrar.goto(`${base}/jurys`);
  await registrar.getByLabel('Identifiant (facultatif)').fill('jury-web');
  await registrar.getByLabel('Nom', { exact: true }).fill('Jury de délivrance — navigateur');
  await registrar.getByRole('button', { name: 'Créer' }).click();
  await registrar.waitForURL('**/jurys/jury-web');
  for (const [index, [name, role, account]] of seats.entries()) {
    await registrar.locator('#member-name').fill(name);
    await registrar.locator('#member-role').selectOption(role);
    if (account) await registrar.locator('#member-account').fill(account);
    await registrar.getByRole('button', { name: 'Ajouter le membre' }).click();
    await registrar.waitForURL('**/jurys/jury-web');
    if (index === 2) {
      const composition = await text(registrar, '#composition');
      check(composition.includes('JURY_ROLE_MISSING') && composition.includes('JURY_TOO_FEW_TEACHERS'), 'an incomplete jury is said so, live');
    }
  }
  check((await text(registrar, '#composition')).includes('conforme'), 'the complete jury meets the fiche');
  await registrar.locator('#member-name').fill('anne lefèvre');
  await registrar.locator('#member-role').selectOption('teacher');
  await registrar.getByRole('button', { name: 'Ajouter le membre' }).click();
  check((await text(registrar, '[role=alert]')).includes('JURY_MEMBER_TWICE'), 'the same person cannot sit twice');
  await registrar.goto(`${base}/jurys/jury-web`);
  await registrar.locator('#candidates-ids').fill(three.join(' '));
  await registrar.getByRole('button', { name: 'Ajouter ces candidats' }).click();
  await registrar.waitForURL('**/jurys/jury-web');
  check((await registrar.locator('table.desk tbody tr').count()) === 3, 'three candidates');
  await accessible(registrar, 'the preparation page');
  await registrar.screenshot({ path: `${shots}/jury-preparation.png`, fullPage: true });
  await registrar.getByRole('button', { name: 'Ouvrir la session' }).click();
  await registrar.waitForURL('**/jurys/jury-web');
  check((await text(registrar, '#status')) === 'ouverte', 'the session opens');

  // The president deliberates at the desk.
  const president = await signedIn('demo-jury');
  await president.goto(`${base}/jurys/jury-web`);
  check((await text(president, 'label[for=progress]')).startsWith('0 / 3'), 'the desk shows the progress, 0 of 3');
  await accessible(president, 'the desk');
  await president.screenshot({ path: `${shots}/jury-bureau.png`, fullPage: true });
  await president.getByRole('link', { name: three[0], exact: true }).click();
  await president.waitForURL(`**/jurys/jury-web/candidats/${three[0]}`);
  await accessible(president, 'a candidate\'s page');
  await president.screenshot({ path: `${shots}/jury-candidat.png`, fullPage: true });

  // 1. A tie, decided by the president's casting vote (shown only on a tie).
  const casting = president.locator('#casting');
  check(!(await casting.isVisible()), 'no casting vote without a tie');
  await president.locator('#vote-for').fill('4');
  await president.locator('#vote-against').fill('4');
  check(await casting.isVisible(), 'the casting vote appears on a tie');
  const awarded = (await text(president, '.proposal .title-status')).includes('DÉLIVRÉ');
  await president.getByLabel(awarded ? 'ADM — titre délivré' : 'REF — refusé').check();
  if (!awarded) await president.locator('#vote-why').fill('Conditions non réunies');
  await president.getByLabel('pour', { exact: true }).check();
  await president.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await president.waitForURL(`**/jurys/jury-web/candidats/${three[1]}`);
  check(true, 'adopted by the casting vote, on to the next candidate');

  // 2. Points de jury, then a deferral.
  const module = await president.locator('#points-module option').first().innerText();
  await president.locator('#points-value').fill('0,5');
  await president.locator('#points-why').fill('Assiduité et progression remarquables');
  await president.getByRole('button', { name: 'Accorder les points' }).click();
  await president.waitForURL(`**/jurys/jury-web/candidats/${three[1]}`);
  check((await president.locator('section[aria-labelledby=points]').innerText()).includes(`${module} : +0,5`), 'the points de jury are shown');
  await president.getByLabel('AJ — ajourné').check();
  await president.locator('#vote-for').fill('9');
  await president.locator('#vote-why').fill('Un rattrapage est attendu');
  await president.locator('#vote-expected').fill('Rattrapage du module');
  await president.locator('#vote-by').fill('2027-06-30');
  await president.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await president.waitForURL(`**/jurys/jury-web/candidats/${three[2]}`);

  // 3. One key to move: "p" back, "s" forward; then a refusal, and back to the desk.
  await president.locator('h1').click();
  await president.keyboard.press('p');
  await president.waitForURL(`**/jurys/jury-web/candidats/${three[1]}`);
  await president.keyboard.press('s');
  await president.waitForURL(`**/jurys/jury-web/candidats/${three[2]}`);
  check(true, 'the previous and next candidates are one key away');
  await president.getByLabel('REF — refusé').check();
  await president.locator('#vote-for').fill('9');
  await president.getByRole('button', { name: 'Enregistrer la décision' }).click();
  check((await text(president, '[role=alert]')).includes('JURY_JUSTIFICATION_REQUIRED'), 'a refusal without justification is refused');
  await president.locator('#vote-why').fill('Dossier insuffisant');
  await president.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await president.waitForURL('**/jurys/jury-web');
  check((await text(president, 'label[for=progress]')).startsWith('3 / 3'), 'every candidate decided');

  // The president closes, signs and downloads the minutes.
  await president.getByRole('button', { name: 'Clore la session' }).click();
  await president.waitForURL('**/jurys/jury-web');
  check((await text(president, '#status')) === 'close', 'the session is closed');
  const sha256 = await text(president, '#sha256');
  check(/^[0-9a-f]{64}$/.test(sha256), 'the minutes\' SHA-256 is shown');
  await president.getByRole('button', { name: 'Signer le procès-verbal' }).click();
  await president.waitForURL('**/jurys/jury-web');
  check((await text(president, '#signature')).includes('Anne Lefèvre'), 'the minutes are signed by the president');
  await accessible(president, 'the closed session');
  const minutes = await (await president.request.get(`${base}/jurys/jury-web/proces-verbal.json`)).json();
  check(minutes.signature && minutes.signature.sha256 === sha256, 'the signature records the minutes\' SHA-256');
  const [download] = await Promise.all([
    president.waitForEvent('download'),
    president.getByRole('link', { name: 'Télécharger le procès-verbal (PDF)' }).click(),
  ]);
  const pdf = `${downloads}-minutes.pdf`;
  await download.saveAs(pdf);
  check(readFileSync(pdf).subarray(0, 5).toString() === '%PDF-', 'the minutes download as a PDF');

  // The registrar publishes; the learner reads the decision and the appeal deadline.
  await registrar.goto(`${base}/jurys/jury-web`);
  await registrar.getByRole('button', { name: 'Publier les décisions' }).click();
  await registrar.waitForURL('**/jurys/jury-web');
  check((await text(registrar, '#status')) === 'publiée', 'the decisions are published');
  const learner = await signedIn('demo-learner');
  const decision = await text(learner, '.jury-decisions');
  check(decision.includes('Recours possible jusqu\'au'), 'the learner reads their decision and the appeal deadline');
  await accessible(learner, 'the learner\'s page with a decision');

  // The desk reads in English too; a teacher has no jury page.
  await registrar.getByRole('link', { name: 'English' }).click();
  await registrar.waitForURL('**/jurys/jury-web');
  check(await registrar.getByRole('heading', { name: 'Jury members' }).isVisible(), 'the session page in English');
  const teacher = await signedIn('demo-teacher');
  const refused = await teacher.goto(`${base}/jurys/jury-web`);
  check(refused.status() === 403, 'a teacher may not open a jury session');
} finally {
  await browser.close();
}
