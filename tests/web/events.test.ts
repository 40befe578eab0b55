import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, COORDINATOR_KEY, contactEmails, READER_KEY, type ApiProcess } from '../api/server.js';
import { repoRoot } from '../helpers.js';
import { hasChromium } from './chromium.js';
import { ARTIFACTS, browserOnService, type SignedInBrowser } from './signed-in.js';

/** The events pages (issue 11) in Debian's Chromium: the grid, a hand move, agendas in three languages, the .ics parsed back. */

const FAIR = JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'events', 'kunming-fair.json'), 'utf8')) as { id: string; [key: string]: unknown };

interface Meeting {
  slot: string;
  table: number;
  companyId: string;
  needId: string;
  organization: string;
  interpreter: boolean;
  start: string;
  end: string;
}

describe.skipIf(!hasChromium)('the events pages in headless Chromium', { timeout: 120_000 }, () => {
  let browser: SignedInBrowser | undefined;
  let api: ApiProcess;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  const programme = async () => (await api.call(`/events/${FAIR.id}/programme`, { key: 'reader' })).json<{ version: number; programme: { meetings: Meeting[] } }>();

  beforeAll(async () => {
    browser = await browserOnService('events', { PARTNERMATCH_API_KEYS: API_KEYS }, problems);
    ({ api, context, page } = browser);
    expect((await api.call('/events', { json: FAIR })).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    if (browser !== undefined) expect(await browser.close()).toBe(0);
  });

  it('schedules from the event page and shows the grid: slots × tables, each meeting explained, interpreters marked', async () => {
    await page.goto(`${api.url}/ui/events?lang=en`);
    await page.getByLabel('API key').fill(COORDINATOR_KEY);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/events');
    await page.getByRole('link', { name: 'Blekinge–Yunnan matchmaking, Kunming 2027' }).click();
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.waitForURL('**/grid');
    const { programme: scheduled } = await programme();
    const grid = page.getByTestId('grid');
    expect(await grid.locator('tbody tr').count()).toBe(8);
    expect(await grid.locator('thead th').count()).toBe(1 + 6);
    const cells = grid.locator('td.meeting');
    expect(await cells.count()).toBe(scheduled.meetings.length);
    for (const meeting of scheduled.meetings) {
      const cell = grid.locator(`tr[data-slot="${meeting.slot}"] td`).nth(meeting.table - 1);
      expect(await cell.getAttribute('data-company')).toBe(meeting.companyId);
      expect((await cell.locator('.meeting-why').innerText()).length).toBeGreaterThan(5);
      expect(await cell.locator('.interpreter-mark').count()).toBe(meeting.interpreter ? 1 : 0);
    }
    expect(scheduled.meetings.some((m) => m.interpreter)).toBe(true);
    expect(await page.getByTestId('conflicts').innerText()).toContain('The programme breaks no rule.');
    await page.screenshot({ path: join(ARTIFACTS, 'events-grid.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('moves a meeting by hand: a taken table shows the conflict and saves nothing', async () => {
    const before = await programme();
    const [a, b] = [before.programme.meetings[0]!, before.programme.meetings.find((m) => m.slot !== before.programme.meetings[0]!.slot)!];
    await page.goto(`${api.url}/ui/events/${FAIR.id}/grid`);
    await page.getByLabel('Meeting', { exact: true }).selectOption(JSON.stringify([a.companyId, a.needId]));
    await page.getByLabel('To slot').selectOption(b.slot);
    await page.getByLabel('To table').fill(String(b.table));
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    const result = page.getByTestId('move-result');
    expect(await result.innerText()).toContain('The move was not saved');
    expect(await result.innerText()).toContain(`table ${b.table} is already taken in slot "${b.slot}"`);
    expect((await programme()).version).toBe(before.version);
  });

  it('builds an event with the form: an error beside its field, the typed text kept', async () => {
    await page.goto(`${api.url}/ui/events/new`);
    await page.getByLabel('Id', { exact: true }).fill('karlskrona-visit');
    await page.getByLabel('Name', { exact: true }).fill('Yunnan delegation in Karlskrona');
    await page.getByLabel('Time zone').fill('Europe/Stockholm');
    await page.getByLabel('Tables per slot').fill('3');
    await page.getByLabel('Slots').fill('a 2027-09-01T10:00 2027-09-01T10:30\nb 2027-09-01T10:20 2027-09-01T10:50');
    await page.getByLabel('Companies').fill('s-c13 | 2\ns-c01');
    await page.getByLabel('Organisations').fill('昆明滇湖水务发展有限公司 | 2 | | zh');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#e-slots-error').innerText()).toContain('line 2: start: overlaps slot "a"');
    expect(await page.getByLabel('Companies').inputValue()).toBe('s-c13 | 2\ns-c01');
    await page.getByLabel('Slots').fill('a 2027-09-01T10:00 2027-09-01T10:30\nb 2027-09-01T10:40 2027-09-01T11:10');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/ui/events/karlskrona-visit?saved=1');
    const stored = (await api.call('/events/karlskrona-visit')).json<{ timeZone: string; companies: { id: string; maxMeetings?: number }[]; organizations: { languages?: string[] }[] }>();
    expect(stored.timeZone).toBe('Europe/Stockholm');
    expect(stored.companies).toEqual([{ id: 's-c13', maxMeetings: 2, unavailable: [] }, { id: 's-c01', unavailable: [] }]);
    expect(stored.organizations[0]?.languages).toEqual(['zh']);
  });

  it('prints an agenda in Swedish, English and Chinese for a reader, one block per meeting, no contact details', async () => {
    await context.clearCookies();
    await page.goto(`${api.url}/ui/events`);
    await page.getByLabel(/API key|API-nyckel|API 密钥/).fill(READER_KEY);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/events');
    const { programme: current } = await programme();
    const company = current.meetings.find((m) => m.interpreter)?.companyId ?? current.meetings[0]!.companyId;
    const own = current.meetings.filter((m) => m.companyId === company);
    const expected = {
      sv: { title: 'Mötesprogram', with: 'Möte med', interpreter: 'Tolk' },
      en: { title: 'Meeting programme', with: 'Meeting with', interpreter: 'Interpreter' },
      zh: { title: '会谈日程', with: '会谈对象', interpreter: '翻译' },
    };
    for (const lang of ['sv', 'en', 'zh'] as const) {
      await page.goto(`${api.url}/ui/events/${FAIR.id}/agendas/${lang}/company/${company}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.locator('h1').innerText()).toContain(expected[lang].title);
      const blocks = page.locator('li.agenda-meeting');
      expect(await blocks.count()).toBe(own.length);
      expect(await blocks.first().innerText()).toContain(expected[lang].with);
      expect(await page.locator('.interpreter-mark').count()).toBe(own.filter((m) => m.interpreter).length);
      if (own.some((m) => m.interpreter)) expect(await page.locator('.interpreter-mark').first().innerText()).toBe(expected[lang].interpreter);
      for (const why of await page.locator('.agenda-why').allInnerTexts()) expect(why.length).toBeGreaterThan(5);
      // The print stylesheet loaded (same origin, allowed by the CSP): blocks have their border.
      expect(await page.evaluate("getComputedStyle(document.querySelector('li.agenda-meeting')).borderTopStyle")).not.toBe('none');
      const html = await page.content();
      for (const email of contactEmails) expect(html).not.toContain(email);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.agenda-tools').isVisible()).toBe(false);
      await page.emulateMedia({ media: 'screen' });
      await page.screenshot({ path: join(ARTIFACTS, `events-agenda-${lang}.png`), fullPage: true });
    }
    expect(problems).toEqual([]);
  });

  it('serves .ics files that parse back (ical.js) to the agenda’s meetings, times and tables', async () => {
    const { programme: current } = await programme();
    for (const [kind, ref, lang] of [
      ['company', current.meetings[0]!.companyId, 'sv'],
      ['organization', current.meetings[0]!.organization, 'zh'],
    ] as const) {
      const answer = await api.call(`/events/${FAIR.id}/agendas/${kind}/${encodeURIComponent(ref)}/calendar.ics?lang=${lang}`, { key: 'reader' });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toContain('text/calendar');
      const calendar = new ICAL.Component(ICAL.parse(answer.text));
      const zone = calendar.getFirstSubcomponent('vtimezone');
      expect(zone?.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');
      if (zone !== null) ICAL.TimezoneService.register(zone);
      const vevents = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      const mine = current.meetings.filter((m) => (kind === 'company' ? m.companyId === ref : m.organization === ref));
      expect(vevents.length).toBe(mine.length);
      const starts = vevents.map((e) => e.startDate.toJSDate().toISOString()).sort();
      expect(starts).toEqual(mine.map((m) => new Date(m.start).toISOString()).sort());
      for (const e of vevents) expect(e.location).toMatch(lang === 'sv' ? /Bord \d+$/ : /桌号 \d+$/);
    }
  });

  it('after a company of the event is deleted, the grid and its counterparts\' agendas still render, its meetings named as conflicts', async () => {
    const { programme: current } = await programme();
    const gone = current.meetings[0]!;
    expect((await api.call(`/companies/${gone.companyId}`, { method: 'DELETE' })).status).toBe(204);
    const event = (await api.call(`/events/${FAIR.id}`, { key: 'reader' })).json<{ companies: { id: string }[] }>();
    expect(event.companies.map((c) => c.id)).not.toContain(gone.companyId);
    await page.goto(`${api.url}/ui/events/${FAIR.id}/grid`);
    expect(await page.getByTestId('conflicts').innerText()).toContain(`company "${gone.companyId}" is not a participant`);
    const grid = page.getByTestId('grid');
    expect(await grid.locator(`td[data-company="${gone.companyId}"]`).count()).toBe(0);
    expect(await grid.locator('td.meeting').count()).toBe(current.meetings.filter((m) => m.companyId !== gone.companyId).length);
    // The counterpart's agenda no longer sends it to the cancelled meeting.
    await page.goto(`${api.url}/ui/events/${FAIR.id}/agendas/en/organization/${encodeURIComponent(gone.organization)}`);
    expect(await page.locator('h1').innerText()).toContain('Meeting programme');
    const others = current.meetings.filter((m) => m.organization === gone.organization && m.companyId !== gone.companyId);
    expect(await page.locator('li.agenda-meeting').count()).toBe(others.length);
    expect(await page.locator('main').innerText()).not.toContain(gone.companyId);
    await page.screenshot({ path: join(ARTIFACTS, 'events-grid-after-delete.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
