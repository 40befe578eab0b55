import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, contactEmails, READER_KEY, type ApiProcess } from '../api/server.js';
import { hasChromium } from './chromium.js';
import { ARTIFACTS, browserOnService, type SignedInBrowser } from './signed-in.js';

/** The programme report page (`/ui/report`) in Debian's Chromium: charts, their numbers, three languages, no CSP violation. */


describe.skipIf(!hasChromium)('the programme report page in headless Chromium', () => {
  let browser: SignedInBrowser | undefined;
  let api: ApiProcess;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await browserOnService('report', { PARTNERMATCH_API_KEYS: API_KEYS }, problems, false);
    ({ api, context, page } = browser);
    for (const [needId, companyId, status] of [
      ['s-n01', 's-c13', 'agreed'],
      ['s-n01', 's-c01', 'contacted'],
      ['s-n02', 's-c02', 'declined'],
    ] as const) {
      const answer = await api.call(`/decisions/${needId}/${companyId}`, { method: 'PUT', key: 'coordinator', json: { status, note: 'SECRET-NOTE' } });
      expect(answer.status).toBeLessThan(300);
    }
  });

  afterAll(async () => {
    if (browser !== undefined) expect(await browser.close()).toBe(0);
  });

  it('shows each chart with its numbers beside it, in Swedish, English and Chinese, for a reader', async () => {
    await page.goto(`${api.url}/ui/report`);
    await page.getByLabel('API key').fill(READER_KEY);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/report');
    expect(await page.locator('h1').innerText()).toBe('Programme report');
    const figures = page.locator('figure.report-chart');
    expect(await figures.count()).toBe(5);
    for (const figure of await figures.all()) {
      const svg = figure.locator('svg');
      expect(await svg.getAttribute('role')).toBe('img');
      const box = await svg.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(100);
      expect(await figure.locator('table tbody tr').count()).toBeGreaterThan(0);
    }
    // Readable without colour: the funnel's numbers are in its table.
    const funnel = await page.locator('#chart-funnel table').innerText();
    expect(funnel).toMatch(/Agreed\s+1\b/);
    const html = await page.content();
    expect(html).not.toContain('SECRET-NOTE');
    for (const email of contactEmails) expect(html).not.toContain(email);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });

    await page.goto(`${api.url}/ui/report?lang=sv`);
    expect(await page.locator('h1').innerText()).toBe('Programrapport');
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await page.goto(`${api.url}/ui/report?lang=zh`);
    expect(await page.locator('h1').innerText()).toBe('项目报告');
    expect(await page.locator('figure.report-chart').count()).toBe(5);
    expect(problems).toEqual([]);
  });

  it('downloads the report as CSV', async () => {
    await page.goto(`${api.url}/ui/report?lang=en`);
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as CSV' }).click()]);
    const body = readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '');
    expect(body.split(/\r?\n/)[0]).toBe('section,key,measure,value');
    expect(body).toMatch(/totals,,agreed,1/);
  });
});
