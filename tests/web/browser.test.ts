import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, contactEmails, COORDINATOR_KEY, READER_KEY, type ApiProcess } from '../api/server.js';
import { repoRoot } from '../helpers.js';
import { CHROMIUM, hasChromium } from './chromium.js';
import { ARTIFACTS, browserOnService, type SignedInBrowser } from './signed-in.js';

/**
 * The coordinators' web interface end to end: the real server (`dist/main.js`) and Debian's
 * Chromium driven by playwright-core, in a fresh profile. Screenshots of the main pages go
 * to `test-artifacts/web/`; with PARTNERMATCH_UPDATE_SCREENSHOTS=1 the README's screenshot
 * (`services/api/docs/need-page.png`) is written again too.
 */

const README_SCREENSHOT = join(repoRoot, 'services', 'api', 'docs', 'need-page.png');

const suite = hasChromium
  ? 'the web interface in headless Chromium'
  : `the web interface in headless Chromium — skipped: ${CHROMIUM} is not installed (apt-get install chromium)`;

describe.skipIf(!hasChromium)(suite, () => {
  let browser: SignedInBrowser | undefined;
  let api: ApiProcess;
  let context: BrowserContext;
  let page: Page;
  /** Script errors and console errors (a CSP violation is one) seen on any page. */
  const problems: string[] = [];

  const url = (path: string) => `${api.url}${path}`;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  /** The ranked match whose heading links to `name`. */
  const match = (name: string): Locator => page.locator('li.match', { has: page.getByRole('link', { name, exact: true }) });
  const text = async (selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ');

  async function signIn(key: string): Promise<void> {
    await page.getByLabel('API key').fill(key);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/needs');
  }

  async function download(link: Locator): Promise<{ name: string; body: string }> {
    const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = await file.path();
    return { name: file.suggestedFilename(), body: readFileSync(path, 'utf8') };
  }

  beforeAll(async () => {
    browser = await browserOnService('web', { PARTNERMATCH_API_KEYS: API_KEYS }, problems);
    ({ api, context, page } = browser);
  });

  afterAll(async () => {
    if (browser !== undefined) expect(await browser.close()).toBe(0);
  });

  it('signs in with an API key into an HttpOnly, SameSite=Strict session cookie', async () => {
    await page.goto(url('/'));
    expect(new URL(page.url()).pathname).toBe('/ui/sign-in');
    // Before sign-in the browser holds only the sign-in form's nonce: no session on the server.
    expect((await context.cookies()).map((cookie) => cookie.name)).toEqual(['pm_signin']);
    await shot('sign-in');

    // Keyboard first: the skip link is the first stop.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');

    await page.getByLabel('API key').fill('not-the-right-key-000');
    await page.keyboard.press('Enter');
    await page.locator('#f-key-error').waitFor();
    expect(await text('#f-key-error')).toContain('This key is not valid.');

    await signIn(COORDINATOR_KEY);
    const session = (await context.cookies()).find((cookie) => cookie.name === 'pm_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(session?.value).toMatch(/^[\w-]{43}$/);
    expect(session?.value).not.toContain(COORDINATOR_KEY);
    expect(await text('h1')).toBe('Partner needs');
    await shot('needs');
  });

  it('opens a Chinese need and shows a Swedish company ranked, with its explanation', async () => {
    await page.getByRole('link', { name: '城镇污水处理厂提标改造技术合作' }).click();
    await page.waitForURL('**/ui/needs/s-n01');
    expect(await text('.profile')).toContain('Detected language Chinese (zh)');
    expect(await text('.profile')).toContain('Wastewater (given)');

    const biogas = match('Biogas Sydost Teknik AB');
    const explained = (await biogas.innerText()).replace(/\s+/g, ' ');
    expect(explained).toContain('污水处理厂 ↔ avloppsreningsverk'); // which phrase met which
    expect(explained).toMatch(/Tags 0\.\d\d Text 0\.\d\d Cooperation 0\.\d\d/); // the bar's parts, written out
    expect(explained).toContain('Wastewater ↔ Waste and recycling (related)'); // shared tags
    expect(await biogas.locator('.rank').innerText()).toMatch(/2$/);
    await shot('need');
    if (process.env['PARTNERMATCH_UPDATE_SCREENSHOTS'] === '1') {
      mkdirSync(dirname(README_SCREENSHOT), { recursive: true });
      await page.screenshot({ path: README_SCREENSHOT, clip: { x: 0, y: 0, width: 1280, height: 1180 }, fullPage: true });
    }

    // The link leads to the company, which the engine reads as Swedish.
    await biogas.getByRole('link', { name: 'Biogas Sydost Teknik AB' }).click();
    await page.waitForURL('**/ui/companies/s-c08');
    expect(await text('.profile')).toContain('Swedish (sv)');
    expect(await text('.ranked')).toContain('城镇污水处理厂提标改造技术合作');
    await shot('company');
  });

  it('switches the language, sector names included, and keeps the choice', async () => {
    await page.goto(url('/ui/needs/s-n01'));
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '中文' }).click();
    await page.waitForURL('**/ui/needs/s-n01');
    expect(await page.getAttribute('html', 'lang')).toBe('zh');
    expect(await text('#matches')).toBe('企业排名');
    expect(await text('.profile')).toContain('污水处理');
    await shot('need-zh');

    await page.goto(url('/ui/companies'));
    expect(await text('h1')).toBe('企业');
    await page.getByRole('link', { name: 'Svenska' }).click();
    await page.waitForURL('**/ui/companies');
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    expect(await text('h1')).toBe('Företag');
    expect(await text('table.records')).toContain('Avloppsvatten');

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL('**/ui/companies');
    expect(await text('h1')).toBe('Companies');
  });

  it('creates a need: an error beside the field, nothing lost, then fixed and ranked', async () => {
    await page.goto(url('/ui/needs'));
    await page.getByRole('link', { name: /New need/ }).click();
    await page.waitForURL('**/ui/needs/new');
    const description = '偏远山村需要太阳能光伏和储能微电网，保障学校和诊所的电力供应。';
    await page.getByLabel('Title').fill('Solar microgrids for mountain villages');
    await page.getByLabel('City').fill('Lijiang');
    await page.getByLabel('Description').fill(description);
    await page.getByLabel('Solar energy', { exact: true }).check();
    await page.getByLabel('Energy storage', { exact: true }).check();
    await page.getByRole('button', { name: 'Create' }).click();

    await page.locator('#f-organization-error').waitFor();
    expect(await text('#f-organization-error')).toBe('⚠ Error: Required.');
    expect(await text('.error-summary')).toContain('There is 1 problem.');
    expect(await page.evaluate("document.activeElement?.hasAttribute('data-error-summary')")).toBe(true);
    expect(await page.getAttribute('#f-organization', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#f-title')).toBe('Solar microgrids for mountain villages');
    expect(await page.inputValue('#f-description')).toBe(description);
    expect(await page.getByLabel('Energy storage', { exact: true }).isChecked()).toBe(true);
    await shot('need-form-error');

    await page.getByRole('link', { name: /Organisation/ }).click(); // the summary's link goes to the field
    await page.getByLabel('Organisation').fill('Lijiang Yulong Energy Co.');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/ui\/needs\/n-[0-9a-f]{8}$/);
    expect(await text('[role=status]')).toBe('Saved.');
    expect(await text('.profile')).toContain('Chinese (zh)');
    const top = await page.locator('li.match h3').allInnerTexts();
    expect(top.slice(0, 3)).toContain('Hanö Microgrid Systems AB');
  });

  // The pair a coordinator passes on: the last match the page shows (whichever the ranking puts there).
  let declinedName = '';

  it('marks a pair declined: it leaves the ranking, and can be shown again', async () => {
    await page.goto(url('/ui/needs/s-n01'));
    const last = page.locator('li.match h3 a').last();
    declinedName = (await last.innerText()).trim();
    const declinedId = decodeURIComponent((await last.getAttribute('href'))!.split('/').pop()!);
    expect(declinedName).not.toBe('');
    await match(declinedName).getByRole('button', { name: 'Declined' }).click();
    await page.waitForURL('**/ui/needs/s-n01#matches');
    expect(await match(declinedName).count()).toBe(0);
    expect(await text('[role=status]')).toContain(`${declinedName} was declined and is left out of the ranking.`);
    expect((await api.call(`/decisions/s-n01/${declinedId}`)).json()).toMatchObject({ status: 'declined' });

    await page.getByRole('link', { name: 'Show declined (1)' }).click();
    await page.waitForURL('**/ui/needs/s-n01?declined=show#matches');
    const declined = match(declinedName);
    expect(await declined.locator('.badge').textContent()).toBe('Decision: Declined');
    expect(await declined.getByRole('button', { name: 'Declined' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('link', { name: 'Hide declined' }).click();
    await page.waitForURL('**/ui/needs/s-n01#matches');
    expect(await match(declinedName).count()).toBe(0);
  });

  it("exports the need's shortlist as CSV, the declined pair left out", async () => {
    await page.goto(url('/ui/needs/s-n01'));
    const csv = await download(page.getByRole('link', { name: 'Export shortlist (CSV)' }));
    expect(csv.name).toBe('shortlist-s-n01.csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('needId,needTitle,rank,companyId,companyName,municipality,score,tags,text,cooperation,sharedSectors,matchedPhrases,partnershipTypes,decision,contactName,contactEmail,contactPhone,asOf');
    expect(lines[1]).toMatch(/^s-n01,城镇污水处理厂提标改造技术合作,1,s-c13,AquaRena Process AB,Karlskrona,1,/);
    expect(lines[1]).toContain('peter.lundgren@example.se');
    expect(csv.body).toContain('污水处理厂 ↔ avloppsreningsverk');
    expect(declinedName).not.toBe('');
    expect(csv.body).not.toContain(declinedName);
    expect(lines).toHaveLength(11);
  });

  it('starts a batch run and shows its progress to the end', async () => {
    await page.goto(url('/ui/batch'));
    await page.getByLabel('Matches per record').fill('3');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/ui\/batch\/[\w-]+$/);
    await page.locator('[data-job-status-text]', { hasText: 'Finished' }).waitFor();
    const bar = page.locator('#job-progress');
    expect([await bar.getAttribute('value'), await bar.getAttribute('max')]).toEqual(['23', '23']); // 22 open sample needs and the one created above
    expect(await text('#job-progress-text')).toBe('23 of 23 ranked');
    expect(await text('table.records')).toContain('Solar microgrids for mountain villages');
    await shot('batch');
    const results = await download(page.getByRole('link', { name: 'Download results (CSV)' }));
    expect(results.body.trim().split('\n')).toHaveLength(1 + 23 * 3);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      ['/ui/needs', 'needs-phone'],
      ['/ui/needs/s-n01', 'need-phone'],
      ['/ui/companies/new', 'company-form-phone'],
    ] as const) {
      await page.goto(url(path));
      // (A string: this package type-checks without the DOM library.)
      const [scrollWidth = 0, clientWidth = 0] = await page.evaluate<number[]>('[document.documentElement.scrollWidth, document.documentElement.clientWidth]');
      expect(scrollWidth, path).toBeLessThanOrEqual(clientWidth);
      await shot(name);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out; a reader then reaches no edit form and no contact details', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/ui/sign-in');
    expect((await page.goto(url('/ui/needs/s-n01')))?.url()).toContain('/ui/sign-in?next=');
    await page.goto(url('/ui/sign-in'));
    await signIn(READER_KEY);
    expect(await page.getByRole('link', { name: /New need/ }).count()).toBe(0);

    await page.goto(url('/ui/needs/s-n01'));
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await page.locator('li.match button').count()).toBe(0);
    for (const path of ['/ui/needs/new', '/ui/needs/s-n01/edit', '/ui/companies/new', '/ui/companies/s-c13/edit']) {
      const response = await page.goto(url(path));
      expect(response?.status(), path).toBe(403);
      expect(await text('h1')).toBe('Not allowed');
    }
    await page.goto(url('/ui/companies/s-c13'));
    const html = await page.content();
    for (const email of contactEmails) expect(html).not.toContain(email);
    expect(await page.locator('.contact').count()).toBe(0);
    await shot('company-reader');

    await page.goto(url('/ui/needs/s-n01'));
    const csv = await download(page.getByRole('link', { name: 'Export shortlist (CSV)' }));
    expect(csv.body).not.toContain('contactEmail');
    for (const email of contactEmails) expect(csv.body).not.toContain(email);
  });

  it('logged no script errors and no content-security-policy violations', () => {
    expect(problems).toEqual([]);
  });
});
