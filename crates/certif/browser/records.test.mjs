// The registrar's records in headless Chromium, end to end: an import refused for its errors,
// then corrected and confirmed; a learner created (refused beside its fields first), their
// contract edited, an English certificate, a mobility stay, a VAE decision and a company
// period added; an accommodation that the learner reads and the jury does not. Run by
// tests/browser.rs against a `certif serve` on the demo database; every page checked with
// axe-core and for console errors; screenshots at 1366 px and 390 px.
import { accessible, base, browser, check, quiet, shots, signedIn } from './steps.mjs';

const fitsAPhone = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

try {
  const registrar = await signedIn('demo-registrar');

  // An import with an error: every problem with its place; nothing written; then the corrected file.
  await registrar.getByRole('link', { name: 'Imports', exact: true }).click();
  await registrar.waitForURL('**/imports');
  await accessible(registrar, 'the imports page');
  const upload = async (csv) => {
    await registrar.getByLabel('Type de données').selectOption('english');
    await registrar.getByLabel('Fichier', { exact: true }).setInputFiles({ name: 'anglais.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await registrar.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await registrar.locator('.import-outcome').waitFor();
  };
  await upload('learner_id;test;date;score\nA-0003;TOEIC_LR;12/01/2027;995\n');
  const problems = await registrar.locator('.problems').innerText();
  check(problems.includes('anglais.csv:2:4') && problems.includes('hors de l\'échelle'), `the error is named with its place, in French (${problems})`);
  check((await registrar.getByRole('button', { name: 'Confirmer l\'import' }).count()) === 0, 'a file with an error cannot be confirmed');
  await accessible(registrar, 'an import refused');
  await upload('learner_id;test;date;score\nA-0003;TOEIC_LR;12/01/2027;905\n');
  check((await registrar.locator('.import-outcome [role=status]').innerText()).includes('1'), 'the dry run says what would change');
  await registrar.getByRole('button', { name: 'Confirmer l\'import' }).click();
  await registrar.locator('.import-outcome [role=status]').waitFor();
  check((await registrar.locator('.import-outcome [role=status]').innerText()).startsWith('Import effectué'), 'the corrected import is written');

  // A new learner: refused beside its fields, then created.
  await registrar.goto(`${base}/cohorte`);
  await registrar.getByRole('link', { name: 'Nouvel apprenant' }).click();
  await registrar.waitForURL('**/apprenants/nouveau');
  await accessible(registrar, 'the new learner\'s form');
  await registrar.getByLabel('Identifiant').fill('B-0100');
  await registrar.getByLabel('Nom', { exact: true }).fill('Lefèvre');
  await registrar.getByLabel('Prénoms').fill('Inès');
  await registrar.getByLabel('Inscrit le').fill('');
  await registrar.getByLabel('SIRET de l\'employeur').fill('123');
  await registrar.getByRole('button', { name: 'Créer l\'apprenant' }).click();
  await registrar.locator('#identite-nouveau-enrolled_on-error').waitFor();
  check((await registrar.locator('#identite-nouveau-enrolled_on-error').innerText()) === 'obligatoire', 'a required date is asked for beside its field');
  check((await registrar.locator('#identite-nouveau-employer_siret-error').innerText()).includes('SIRET'), 'a bad SIRET is named beside its field');
  check((await registrar.getByLabel('Nom', { exact: true }).inputValue()) === 'Lefèvre', 'what was typed is kept');
  await accessible(registrar, 'the new learner\'s form, refused');
  await registrar.getByLabel('Inscrit le').fill('2026-09-01');
  await registrar.getByLabel('SIRET de l\'employeur').fill('');
  await registrar.getByLabel('Employeur', { exact: true }).fill('Safran');
  await registrar.getByLabel('Début du contrat').fill('2026-09-01');
  await registrar.getByLabel('Fin du contrat').fill('2029-08-31');
  await registrar.getByRole('button', { name: 'Créer l\'apprenant' }).click();
  await registrar.waitForURL('**/apprenants/B-0100/dossier?enregistre=identite#identite');
  check((await registrar.locator('#identite [role=status]').innerText()) === 'Enregistré.', 'the learner is created');

  // The contract edited; an English certificate, a mobility stay, a VAE decision, a period added.
  await registrar.getByLabel('Maître d\'apprentissage').fill('Mme Garnier');
  await registrar.locator('#identite-1').getByRole('button', { name: 'Enregistrer' }).click();
  await registrar.waitForURL('**/dossier?enregistre=identite#identite');
  check((await registrar.getByLabel('Maître d\'apprentissage').inputValue()) === 'Mme Garnier', 'the contract is saved');
  const add = async (section, fields) => {
    const form = registrar.locator(`#${section}-nouveau`);
    for (const [label, value, select] of fields) {
      const field = form.getByLabel(label);
      if (select) await field.selectOption(value); else await field.fill(value);
    }
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await registrar.waitForURL(`**/dossier?enregistre=${section}#${section}`);
    check((await registrar.locator(`#${section} [role=status]`).innerText()) === 'Enregistré.', `${section}: added`);
  };
  await add('anglais', [['Test', 'TOEIC_LR', true], ['Date', '2027-03-10'], ['Résultat', '815']]);
  await add('mobilite', [['Pays', 'ES'], ['Début', '2027-02-01'], ['Fin', '2027-05-31']]);
  await add('vae', [['Bloc', 'RNCP39668BC07', true], ['Décision', 'validated', true], ['Date', '2027-06-15']]);
  await add('periodes', [['Période', 'P1'], ['Début', '2026-09-01'], ['Fin', '2027-01-31'], ['Évaluation', '13,5']]);
  check((await registrar.locator('#anglais-1 legend').innerText()).includes('10/03/2027'), 'a stored record is named in French');
  await accessible(registrar, 'a learner\'s record forms');
  await registrar.screenshot({ path: `${shots}/dossier.png`, fullPage: true });
  await registrar.setViewportSize({ width: 390, height: 800 });
  check(await fitsAPhone(registrar), 'the record forms fit a phone');
  await registrar.screenshot({ path: `${shots}/dossier-390.png`, fullPage: true });
  await registrar.setViewportSize({ width: 1366, height: 800 });

  // An accommodation for A-0001 (the demo learner): the learner reads it, the jury does not.
  await registrar.goto(`${base}/apprenants/A-0001`);
  await registrar.getByRole('link', { name: 'Modifier le dossier' }).click();
  await registrar.waitForURL('**/apprenants/A-0001/dossier');
  const accommodation = registrar.locator('#amenagements-nouveau');
  await accommodation.getByLabel('Type').selectOption('english_adaptation');
  await accommodation.getByLabel('Décidé le').fill('2026-10-02');
  await accommodation.getByLabel('Niveau visé').selectOption('B1');
  await accommodation.getByLabel('Définitif').selectOption('oui');
  await accommodation.getByRole('button', { name: 'Enregistrer' }).click();
  await registrar.waitForURL('**/dossier?enregistre=amenagements#amenagements');
  check((await registrar.locator('#amenagements-1 legend').innerText()).includes('adaptation de l\'anglais'), 'the accommodation is stored');
  await accessible(registrar, 'the record forms with an accommodation');
  const learner = await signedIn('demo-learner');
  check((await learner.locator('main').innerText()).includes('aménagement'), 'the learner reads their accommodation');
  const jury = await signedIn('demo-jury');
  await jury.goto(`${base}/apprenants/A-0001`);
  check(!(await jury.locator('main').innerText()).includes('aménagement'), 'the jury does not');
  check((await jury.getByRole('link', { name: 'Modifier le dossier' }).count()) === 0, 'nor can it edit the record');
  const refused = await jury.goto(`${base}/apprenants/A-0001/dossier`);
  check(refused.status() === 403, 'the jury is refused the record forms');
  quiet(registrar, 'the registrar\'s pages');
  quiet(learner, 'the learner\'s page');
} finally {
  await browser.close();
}
