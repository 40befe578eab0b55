import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, COORDINATOR_KEY, sampleCompanies, type ApiProcess } from '../api/server.js';
import { CHROMIUM, hasChromium } from './chromium.js';
import { ARTIFACTS, signedInBrowser, type SignedInBrowser } from './signed-in.js';
import type { Page } from 'playwright-core';

/**
 * The possible-duplicates page (issue 13) end to end in Debian's Chromium against the real
 * server: the list with both names, the confirmation form (choosing the record to keep), the
 * merge, and what the API says afterwards (decisions and history moved, the record gone).
 */

const suite = hasChromium ? 'the possible-duplicates page in headless Chromium' : `the possible-duplicates page in headless Chromium — skipped: ${CHROMIUM} is not installed`;

describe.skipIf(!hasChromium)(suite, () => {
  let browser: SignedInBrowser;
  let api: ApiProcess;
  let page: Page;
  const problems: string[] = [];

  const url = (path: string) => `${api.url}${path}`;
  const text = async (selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ');
  const aquarena = sampleCompanies.find((c) => c.id === 's-c13') as unknown as { id: string; name: string };

  beforeAll(async () => {
    browser = await signedInBrowser('duplicates', COORDINATOR_KEY, { PARTNERMATCH_API_KEYS: API_KEYS }, problems);
    ({ api, page } = browser);
  });

  afterAll(async () => {
    if (browser !== undefined) expect(await browser.close()).toBe(0);
  });

  it('lists a renamed twin, and merges it into the record chosen to keep, moving its decisions', async () => {
    const full = (await api.call('/companies/s-c13')).json<Record<string, unknown>>();
    const { orgNumber: _org, contact: _contact, ...rest } = full;
    const created = await api.call('/companies', { json: { ...rest, id: 'c-twin', name: 'Aqua Rena Processteknik' } });
    expect(created.status).toBe(201);
    expect(created.json<{ warnings: { duplicateOf: string }[] }>().warnings[0]!.duplicateOf).toBe('s-c13');
    expect((await api.call('/decisions/s-n01/c-twin/stages', { json: { stage: 'meeting', note: 'met the twin' } })).status).toBe(201);

    await page.getByRole('link', { name: 'Companies' }).first().click();
    await page.waitForURL('**/ui/companies');
    await page.getByRole('link', { name: 'Possible duplicates' }).click();
    await page.waitForURL('**/ui/duplicates');
    expect(await text('h1')).toBe('Possible duplicates');
    const row = page.locator('[data-pair="c-twin>s-c13"]');
    const rowText = (await row.innerText()).replace(/\s+/g, ' ');
    expect(rowText).toContain('Aqua Rena Processteknik');
    expect(rowText).toContain(aquarena.name);
    expect(rowText).toContain('similar name and description');
    await page.screenshot({ path: join(ARTIFACTS, 'duplicates.png'), fullPage: true });

    await row.getByRole('link', { name: 'Review and merge…' }).click();
    await page.waitForURL('**/ui/duplicates/merge?**');
    // The earlier record is proposed; the coordinator keeps it, and the twin's one decision is shown.
    const keepOriginal = page.getByLabel(`Keep ${aquarena.name} (s-c13)`);
    expect(await keepOriginal.isChecked()).toBe(true);
    expect(await text('[data-testid=merge-form]')).toContain('1 decisions, 1 history events');
    await page.screenshot({ path: join(ARTIFACTS, 'duplicates-merge.png'), fullPage: true });
    await page.getByRole('button', { name: 'Merge' }).click();
    await page.waitForURL('**/ui/duplicates?**');
    expect(await text('.notice')).toContain('c-twin was merged into s-c13.');
    await page.getByTestId('no-duplicates').waitFor();

    expect((await api.call('/companies/c-twin')).status).toBe(404);
    const decisions = (await api.call('/decisions?companyId=s-c13')).json<{ items: { needId: string; status: string; note?: string }[] }>().items;
    expect(decisions).toContainEqual(expect.objectContaining({ needId: 's-n01', status: 'contacted', note: 'met the twin' }));
    const history = (await api.call('/decisions/s-n01/s-c13/history')).json<{ items: { stage: string; actor: { role: string } }[] }>().items;
    expect(history.map((e) => e.stage)).toEqual(['meeting']);
    expect(problems).toEqual([]);
  });

  it('refuses a merge form without the session’s CSRF token', async () => {
    const response = await page.request.post(url('/ui/duplicates/merge'), { form: { a: 's-c13', b: 's-c01', keep: 's-c13' } });
    expect(response.status()).toBe(403);
    expect((await api.call('/companies/s-c01')).status).toBe(200);
  });
});
