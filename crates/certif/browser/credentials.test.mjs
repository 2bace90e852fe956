// The credentials in headless Chromium: run by tests/browser.rs against a `certif serve` on the
// demo database (its holders' credentials issued, the server holding the demo's passphrase).
// The registrar finds a holder's credentials on the learner's page, downloads the JWT and
// follows the share link; anyone, signed out, reads the public verification page (in French,
// then in English) and verifies the pasted JWT. Checked with axe-core. Exits non-zero, naming
// the step, on the first failure.
import { readFileSync } from 'node:fs';
import { accessible, base, browser, check, shots, signedIn } from './steps.mjs';

const { learner, id } = JSON.parse(process.env.CERTIF_CREDENTIAL);
const uuid = id.replace('urn:uuid:', '');

try {
  const registrar = await signedIn('demo-registrar');
  await registrar.goto(`${base}/apprenants/${learner}`);
  check(await registrar.getByRole('heading', { name: 'Documents et attestations numériques' }).isVisible(), 'the learner page lists the credentials');
  await accessible(registrar, 'the learner page with its credentials');
  const [download] = await Promise.all([
    registrar.waitForEvent('download'),
    registrar.locator(`a[href$="${uuid}.jwt"]`).click(),
  ]);
  const jwt = readFileSync(await download.path(), 'utf8').trim();
  check(jwt.split('.').length === 3, 'the JWT downloads');
  await registrar.locator(`a[href$="/verify/${uuid}"]`).click();
  await registrar.waitForURL(`**/verify/${uuid}`);
  check(await registrar.getByText('En vigueur : cette attestation').isVisible(), 'the share link opens the verification page');

  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const anyone = await context.newPage();
  const response = await anyone.goto(`${base}/verify/${uuid}`);
  check(response.status() === 200, 'the verification page is public');
  check(await anyone.getByRole('heading', { name: "Vérification d'une attestation" }).isVisible(), 'it has its heading');
  check(await anyone.getByText('En vigueur : cette attestation').isVisible(), 'it says the credential stands');
  check((await anyone.locator('table tbody tr').count()) === 7, 'every check is listed');
  check(!(await anyone.content()).includes(learner), 'the holder shows only hashed');
  await accessible(anyone, 'the public verification page');
  await anyone.screenshot({ path: `${shots}/verification.png`, fullPage: true });

  await anyone.getByLabel('Attestation numérique (JWT collé)').fill(jwt);
  await anyone.getByRole('button', { name: 'Vérifier' }).click();
  await anyone.waitForURL('**/verify');
  check(await anyone.getByText('En vigueur : cette attestation').isVisible(), 'the pasted JWT verifies');
  await accessible(anyone, 'the verification of a pasted JWT');

  await anyone.goto(`${base}/verify/${uuid}`);
  await anyone.getByRole('link', { name: 'English' }).click();
  await anyone.waitForURL(`**/verify/${uuid}`);
  check(await anyone.getByRole('heading', { name: 'Credential verification' }).isVisible(), 'the page in English');
  check(await anyone.getByText('Valid: this credential').isVisible(), 'the verdict in English');
  await accessible(anyone, 'the verification page in English');
} finally {
  await browser.close();
}
