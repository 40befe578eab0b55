import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, READER_KEY, type ApiProcess } from '../api/server.js';
import { CHROMIUM, hasChromium } from './chromium.js';
import { ARTIFACTS, signedInBrowser, type SignedInBrowser } from './signed-in.js';
import type { Page } from 'playwright-core';

/**
 * The match filters on the ranked-match pages (issue 13) in Debian's Chromium: the form
 * narrows the list to what the API's filtered route answers, and every match left keeps the
 * score it had unfiltered.
 */

const suite = hasChromium ? 'match filters on the pages in headless Chromium' : `match filters on the pages in headless Chromium — skipped: ${CHROMIUM} is not installed`;

interface Row {
  readonly id: string;
  readonly detail: string;
  readonly score: string;
}

describe.skipIf(!hasChromium)(suite, () => {
  let browser: SignedInBrowser;
  let api: ApiProcess;
  let page: Page;
  const problems: string[] = [];

  const url = (path: string) => `${api.url}${path}`;

  /** The ranked list as shown: each candidate's id (from its link), detail line and score. */
  const rows = async (): Promise<Row[]> =>
    page.locator('ol.matches > li').evaluateAll((items) =>
      items.map((item) => ({
        id: decodeURIComponent(item.querySelector('.match-title a')!.getAttribute('href')!.split('?')[0]!.split('/').pop()!),
        detail: (item.querySelector('.match-title .muted')?.textContent ?? '').trim(),
        score: (item.querySelector('.score-value')?.textContent ?? '').trim(),
      })),
    );

  beforeAll(async () => {
    // Filters are for every signed-in user: a reader will do.
    browser = await signedInBrowser('filters', READER_KEY, { PARTNERMATCH_API_KEYS: API_KEYS }, problems);
    ({ api, page } = browser);
  });

  afterAll(async () => {
    if (browser !== undefined) expect(await browser.close()).toBe(0);
  });

  it('narrows a need’s companies by municipality, employees and language without changing a score', async () => {
    await page.goto(url('/ui/needs/s-n01?limit=100'));
    const all = await rows();
    expect(all.length).toBeGreaterThan(5);
    const scoreOf = new Map(all.map((row) => [row.id, row.score]));

    const form = page.getByTestId('match-filters');
    await form.getByLabel('Karlskrona').check();
    await form.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL('**/ui/needs/s-n01?**municipality=Karlskrona**');
    const inKarlskrona = await rows();
    expect(inKarlskrona.length).toBeGreaterThan(0);
    expect(inKarlskrona.length).toBeLessThan(all.length);
    for (const row of inKarlskrona) {
      expect(row.detail).toBe('Karlskrona');
      expect(row.score).toBe(scoreOf.get(row.id));
    }
    // The same list the API's filtered route answers, in the same order.
    const answered = (await api.call('/needs/s-n01/matches?limit=100&municipality=Karlskrona', { key: 'reader' })).json<{ matches: { company: { id: string } }[] }>();
    expect(inKarlskrona.map((row) => row.id)).toEqual(answered.matches.map((m) => m.company.id));
    // The form shows what is applied; the limit rode along.
    expect(await form.getByLabel('Karlskrona').isChecked()).toBe(true);
    expect(new URL(page.url()).searchParams.get('limit')).toBe('100');

    await form.getByLabel('at least').fill('50');
    await form.getByLabel('Swedish').check();
    await form.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL('**minEmployees=50**');
    const narrower = await rows();
    const api2 = (await api.call('/needs/s-n01/matches?limit=100&municipality=Karlskrona&minEmployees=50&language=sv', { key: 'reader' })).json<{ matches: { company: { id: string } }[] }>();
    expect(narrower.map((row) => row.id)).toEqual(api2.matches.map((m) => m.company.id));
    expect(narrower.length).toBeLessThanOrEqual(inKarlskrona.length);
    for (const row of narrower) expect(row.score).toBe(scoreOf.get(row.id));
    await page.screenshot({ path: join(ARTIFACTS, 'match-filters.png'), fullPage: true });

    // A range the wrong way round is left out and said so, not an error page.
    await form.getByLabel('at most').fill('10');
    await form.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL('**maxEmployees=10**');
    expect(await page.getByTestId('match-filters').locator('.field-error').innerText()).toContain('minEmployees');
    expect(problems).toEqual([]);
  });

  it('filters a company’s needs by sector only (a parent includes its children)', async () => {
    await page.goto(url('/ui/companies/s-c13?limit=100'));
    const form = page.getByTestId('match-filters');
    expect(await form.getByLabel('Karlskrona').count()).toBe(0);
    const all = await rows();
    const scoreOf = new Map(all.map((row) => [row.id, row.score]));
    await form.getByLabel('Sector').selectOption('environment');
    await form.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL('**sector=environment**');
    const filtered = await rows();
    const answered = (await api.call('/companies/s-c13/matches?limit=100&sector=environment', { key: 'reader' })).json<{ matches: { need: { id: string } }[] }>();
    expect(filtered.map((row) => row.id)).toEqual(answered.matches.map((m) => m.need.id));
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(all.length);
    for (const row of filtered) expect(row.score).toBe(scoreOf.get(row.id));
    expect(problems).toEqual([]);
  });
});
