import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { API_KEYS, COORDINATOR_KEY, type ApiProcess } from '../api/server.js';
import { CHROMIUM, hasChromium } from './chromium.js';
import { ARTIFACTS, signedInBrowser, type SignedInBrowser } from './signed-in.js';

/**
 * The follow-up pages (issue 12) end to end in Debian's Chromium: the action list (recording
 * a stage with a note and a next-action date, due and overdue actions) and the alert
 * subscriptions page (create, list, deliveries) against the real server, whose webhook worker
 * delivers to a receiver on loopback.
 */

const suite = hasChromium ? 'the follow-up pages in headless Chromium' : `the follow-up pages in headless Chromium — skipped: ${CHROMIUM} is not installed`;

const isoDay = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)(suite, () => {
  let browser: SignedInBrowser;
  let api: ApiProcess;
  let page: Page;
  let receiver: Server;
  let hookUrl: string;
  const received: string[] = [];
  const problems: string[] = [];

  const url = (path: string) => `${api.url}${path}`;
  const text = async (selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ');

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    browser = await signedInBrowser('followup', COORDINATOR_KEY, { PARTNERMATCH_API_KEYS: API_KEYS, PARTNERMATCH_WEBHOOK_ALLOW_PRIVATE: 'true' }, problems);
    ({ api, page } = browser);
  });

  afterAll(async () => {
    if (browser !== undefined) expect(await browser.close()).toBe(0);
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('records stages with a note and next-action date, and lists actions due and overdue', async () => {
    await page.getByRole('link', { name: 'Actions' }).click();
    await page.waitForURL('**/ui/actions');
    expect(await text('h1')).toBe('Actions due and overdue');
    await page.getByTestId('no-actions').waitFor();

    // A date that is not a date: the error names the field, nothing is stored.
    await page.getByLabel('Need id').fill('s-n01');
    await page.getByLabel('Company id').fill('s-c13');
    await page.getByLabel('Stage', { exact: true }).selectOption('meeting');
    await page.getByLabel('Note', { exact: true }).fill('Meeting in Kunming');
    await page.getByLabel('Next action on').fill('2027-02-30');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await text('.error-summary')).toContain('body.nextActionOn');
    expect(await page.getByLabel('Note', { exact: true }).inputValue()).toBe('Meeting in Kunming');
    expect((await api.call('/decisions/s-n01/s-c13/history')).json<{ items: unknown[] }>().items).toEqual([]);

    await page.getByLabel('Next action on').fill(isoDay(3));
    await page.getByRole('button', { name: 'Record' }).click();
    await page.waitForURL('**/ui/actions');
    expect(await text('.notice')).toContain('Recorded.');

    await page.getByLabel('Need id').fill('s-n02');
    await page.getByLabel('Company id').fill('s-c01');
    await page.getByLabel('Stage', { exact: true }).selectOption('contacted');
    await page.getByLabel('Next action on').fill(isoDay(-2));
    await page.getByRole('button', { name: 'Record' }).click();
    await page.waitForURL('**/ui/actions');

    const rows = page.getByTestId('actions').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-state')).toBe('overdue');
    expect((await rows.nth(0).innerText()).replace(/\s+/g, ' ')).toContain('overdue by 2 days');
    expect(await rows.nth(1).getAttribute('data-state')).toBe('due');
    expect((await rows.nth(1).innerText()).replace(/\s+/g, ' ')).toMatch(/meeting.*Meeting in Kunming.*due in 3 days/);
    await page.screenshot({ path: join(ARTIFACTS, 'actions.png'), fullPage: true });

    const history = (await api.call('/decisions/s-n01/s-c13/history')).json<{ items: { stage: string; note?: string; actor: { role: string } }[] }>().items;
    expect(history.map((e) => [e.stage, e.note, e.actor.role])).toEqual([['meeting', 'Meeting in Kunming', 'coordinator']]);
  });

  it('creates a webhook subscription, refuses bad input, and shows the delivery a new need fires', async () => {
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.waitForURL('**/ui/subscriptions');
    await page.getByTestId('no-subscriptions').waitFor();

    await page.getByLabel('Webhook URL').fill(hookUrl);
    await page.getByLabel('Company id', { exact: true }).fill('s-c13');
    await page.getByLabel('Lowest score').fill('1.5');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.locator('.error-summary').waitFor();
    const errors = await text('.error-summary');
    expect(errors).toContain('body.secret');
    expect(errors).toContain('body.minScore');
    expect((await api.call('/subscriptions')).json<{ items: unknown[] }>().items).toEqual([]);

    await page.getByLabel('Secret').fill('a-shared-secret-of-the-receiver');
    await page.getByLabel('Lowest score').fill('0.5');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL('**/ui/subscriptions');
    expect(await text('[data-testid=subscriptions] tbody')).toContain(hookUrl);

    const base = (await api.call('/needs/s-n01')).json<Record<string, unknown>>();
    expect((await api.call('/needs', { json: { ...base, id: 'n-e2e-alert', deadline: '2099-12-31' } })).status).toBe(201);
    // The worker polls the outbox every second; the receiver counts what arrives.
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!)).toMatchObject({ event: 'need.matched', needId: 'n-e2e-alert', companyId: 's-c13' });

    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.waitForURL('**/ui/subscriptions/sub_*');
    for (let i = 0; i < 50 && !(await text('[data-testid=deliveries]')).includes('delivered 204'); i++) await page.reload();
    const deliveries = await text('[data-testid=deliveries]');
    expect(deliveries).toContain('n-e2e-alert');
    expect(deliveries).toContain('delivered 204');
    await page.screenshot({ path: join(ARTIFACTS, 'subscriptions.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
