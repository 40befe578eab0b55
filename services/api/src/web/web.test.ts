import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactEmails, COORDINATOR_KEY, makeTestApp, READER_KEY, type TestApp } from '../test-helpers.js';
import { SessionStore } from './session.js';

const ORIGIN = 'http://localhost';

/** A client of the web pages that keeps cookies, as a browser would. */
class Client {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: TestApp['app']) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send('GET', path, undefined, headers);
  }

  /** Posts a form from this origin; `_csrf` is added from the last page unless given. */
  async post(path: string, form: Record<string, string | readonly string[]>, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
    return this.send('POST', path, body.toString(), { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }

  async send(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await this.app.request(path, {
      method,
      headers: { accept: 'text/html', ...(cookie === '' ? {} : { cookie }), ...headers },
      ...(body === undefined ? {} : { body }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** The CSRF token of the form on a page. */
  async token(path: string): Promise<string> {
    const html = await (await this.get(path)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token === undefined) throw new Error(`no CSRF token on ${path}`);
    return token;
  }

  async signIn(key: string): Promise<Response> {
    const _csrf = await this.token('/ui/sign-in');
    return this.post('/ui/sign-in', { _csrf, key, next: '/ui/needs' });
  }
}

function location(response: Response): string {
  return response.headers.get('location') ?? '';
}

describe('the web interface (route tests)', () => {
  let t: TestApp;
  let coordinator: Client;
  let reader: Client;

  beforeEach(async () => {
    t = makeTestApp();
    coordinator = new Client(t.app);
    reader = new Client(t.app);
    expect((await coordinator.signIn(COORDINATOR_KEY)).status).toBe(303);
    expect((await reader.signIn(READER_KEY)).status).toBe(303);
  });
  afterEach(() => t.close());

  describe('entry and sign-in', () => {
    it('sends browsers from / to the pages; other clients still get the JSON index', async () => {
      const browser = await t.app.request('/', { headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(browser.status).toBe(303);
      expect(location(browser)).toBe('/ui/needs');
      const api = await t.app.request('/', { headers: { accept: 'application/json' } });
      expect(await api.json()).toMatchObject({ docs: '/docs' });
    });

    it('sends a visitor without a session to the sign-in page, and back afterwards', async () => {
      const visitor = new Client(t.app);
      const first = await visitor.get('/ui/needs/s-n01?limit=20');
      expect(first.status).toBe(303);
      expect(location(first)).toBe('/ui/sign-in?next=%2Fui%2Fneeds%2Fs-n01%3Flimit%3D20');
      const _csrf = await visitor.token(location(first));
      const signedIn = await visitor.post('/ui/sign-in', { _csrf, key: COORDINATOR_KEY, next: '/ui/needs/s-n01?limit=20' });
      expect(location(signedIn)).toBe('/ui/needs/s-n01?limit=20');
    });

    it('keeps only a random session id in an HttpOnly, SameSite=Strict cookie, new at sign-in', async () => {
      const visitor = new Client(t.app);
      const form = await visitor.get('/ui/sign-in');
      // No session before sign-in: only the form's nonce, in a cookie for the sign-in path.
      expect(form.headers.getSetCookie()).toEqual([expect.stringMatching(/^pm_signin=\d+\.[\w-]{43}; Max-Age=7200; Path=\/ui\/sign-in; HttpOnly; SameSite=Strict$/)]);
      expect(visitor.cookies.has('pm_session')).toBe(false);
      const _csrf = await visitor.token('/ui/sign-in');
      const response = await visitor.post('/ui/sign-in', { _csrf, key: COORDINATOR_KEY });
      const cookies = response.headers.getSetCookie();
      expect(cookies).toContainEqual(expect.stringMatching(/^pm_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/));
      expect(cookies).toContainEqual(expect.stringMatching(/^pm_signin=; Max-Age=0; Path=\/ui\/sign-in/));
      expect(cookies.join('\n')).not.toContain(COORDINATOR_KEY);

      // Signing in again (a fresh form over a signed-in browser) starts a new session and ends the old one.
      const first = visitor.cookies.get('pm_session');
      const again = new Client(t.app);
      const token = await again.token('/ui/sign-in');
      again.cookies.set('pm_session', first ?? '');
      expect(location(await again.post('/ui/sign-in', { _csrf: token, key: READER_KEY }))).toBe('/ui/needs');
      expect(again.cookies.get('pm_session')).not.toBe(first);
      const stale = await t.app.request('/ui/needs', { headers: { cookie: `pm_session=${first}` } });
      expect(location(stale)).toMatch(/^\/ui\/sign-in/);
    });

    it('keeps nothing on the server for anonymous visitors, so however many come no one is signed out', async () => {
      const sessions = new SessionStore({ max: 3 });
      const small = makeTestApp({ sessions });
      try {
        const user = new Client(small.app);
        expect((await user.signIn(COORDINATOR_KEY)).status).toBe(303);
        for (let i = 0; i < 20; i += 1) {
          const visitor = new Client(small.app);
          expect((await visitor.get('/ui/sign-in')).status).toBe(200);
          expect((await visitor.get('/ui/needs')).status).toBe(303);
          const _csrf = await visitor.token('/ui/sign-in');
          expect((await visitor.post('/ui/sign-in', { _csrf, key: 'not-a-key-at-all-123' })).status).toBe(401);
        }
        const page = await user.get('/ui/needs');
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Sign out');
        expect(sessions.size).toBe(1);
      } finally {
        small.close();
      }
    });

    it('takes a sign-in form only with the token of its own cookie', async () => {
      const visitor = new Client(t.app);
      const _csrf = await visitor.token('/ui/sign-in');
      const other = new Client(t.app);
      const othersToken = await other.token('/ui/sign-in');
      const wrong = await visitor.post('/ui/sign-in', { _csrf: othersToken, key: COORDINATOR_KEY });
      expect(wrong.status).toBe(403);
      expect(await wrong.text()).toContain('The form had expired.');
      visitor.cookies.delete('pm_signin');
      expect((await visitor.post('/ui/sign-in', { _csrf, key: COORDINATOR_KEY })).status).toBe(403);
      expect(visitor.cookies.has('pm_session')).toBe(false);
    });

    it('marks cookies Secure over HTTPS, and behind a proxy only when it is trusted', async () => {
      const secureCookie = async (app: TestApp['app'], url: string, headers: Record<string, string> = {}) =>
        /; Secure/.test((await app.request(url, { headers: { accept: 'text/html', ...headers } })).headers.get('set-cookie') ?? '');
      expect(await secureCookie(t.app, 'https://partnermatch.example/ui/sign-in')).toBe(true);
      expect(await secureCookie(t.app, 'http://localhost/ui/sign-in')).toBe(false);
      expect(await secureCookie(t.app, 'http://localhost/ui/sign-in', { 'x-forwarded-proto': 'https' })).toBe(false);
      const proxied = makeTestApp({ trustProxy: true });
      try {
        expect(await secureCookie(proxied.app, 'http://localhost/ui/sign-in', { 'x-forwarded-proto': 'https' })).toBe(true);
        expect(await secureCookie(proxied.app, 'http://localhost/ui/sign-in', { 'x-forwarded-proto': 'http' })).toBe(false);
        expect(await secureCookie(proxied.app, 'http://localhost/ui/needs?lang=sv', { 'x-forwarded-proto': 'https, http' })).toBe(true);
      } finally {
        proxied.close();
      }
    });

    it('answers a form body that cannot be read with a 400 page, never a 500', async () => {
      const multipart = { 'content-type': 'multipart/form-data; boundary=zzz' };
      for (const path of ['/ui/sign-in', '/ui/sign-out', '/ui/decisions', '/ui/needs', '/ui/batch']) {
        const response = await coordinator.send('POST', path, 'not a multipart body', { origin: ORIGIN, ...multipart });
        expect(response.status, path).toBe(400);
        expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
        expect(await response.text(), path).toContain('The form could not be read.');
      }
      expect(t.internalErrors).toEqual([]);
      expect((await coordinator.get('/ui/needs')).status).toBe(200); // still signed in
    });

    it('says so beside the field when the key is wrong or missing', async () => {
      const visitor = new Client(t.app);
      const _csrf = await visitor.token('/ui/sign-in');
      const wrong = await visitor.post('/ui/sign-in', { _csrf, key: 'not-a-key-at-all-123' });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toMatch(/id="f-key-error"[^>]*>.*This key is not valid\./s);
      const empty = await visitor.post('/ui/sign-in', { _csrf, key: '  ' });
      expect(empty.status).toBe(400);
      expect(await empty.text()).toContain('Enter an API key.');
    });

    it('never redirects outside the interface after sign-in', async () => {
      for (const next of ['https://evil.example/', '//evil.example/ui', '/docs', '/ui\\@evil', '/ui/needs\r\nX: y']) {
        const visitor = new Client(t.app);
        const _csrf = await visitor.token('/ui/sign-in');
        expect(location(await visitor.post('/ui/sign-in', { _csrf, key: COORDINATOR_KEY, next })), next).toBe('/ui/needs');
      }
    });

    it('signs out: the session ends and the pages ask for a key again', async () => {
      const _csrf = await coordinator.token('/ui/needs');
      const response = await coordinator.post('/ui/sign-out', { _csrf });
      expect(location(response)).toBe('/ui/sign-in');
      expect(coordinator.cookies.has('pm_session')).toBe(false);
      expect(location(await coordinator.get('/ui/needs'))).toMatch(/^\/ui\/sign-in/);
    });
  });

  describe('CSRF', () => {
    it('rejects a form without the session token', async () => {
      const response = await coordinator.post('/ui/decisions', { needId: 's-n01', companyId: 's-c13', status: 'declined' });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('The form was not accepted');
      expect(t.catalog.decisions.find('s-n01', 's-c13')).toBeUndefined();
    });

    it('rejects a form with the token when it comes from another origin', async () => {
      const _csrf = await coordinator.token('/ui/needs/s-n01');
      const response = await coordinator.post(
        '/ui/decisions',
        { _csrf, needId: 's-n01', companyId: 's-c13', status: 'declined' },
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      );
      expect(response.status).toBe(403);
      expect(t.catalog.decisions.find('s-n01', 's-c13')).toBeUndefined();
    });

    it("rejects another session's token", async () => {
      const othersToken = await reader.token('/ui/needs');
      const response = await coordinator.post('/ui/decisions', { _csrf: othersToken, needId: 's-n01', companyId: 's-c13', status: 'declined' });
      expect(response.status).toBe(403);
    });
  });

  describe('roles', () => {
    it('gives a reader a 403 page for every edit form and write', async () => {
      for (const path of ['/ui/needs/new', '/ui/companies/new', '/ui/needs/s-n01/edit', '/ui/companies/s-c13/edit']) {
        const response = await reader.get(path);
        expect(response.status, path).toBe(403);
        expect(await response.text()).toContain('Your role may not do this.');
      }
      const _csrf = await reader.token('/ui/needs');
      const create = await reader.post('/ui/needs', { _csrf, id: 'r-1', title: 'T', organization: 'O', description: 'D' });
      expect(create.status).toBe(403);
      expect(t.catalog.records.has('need', 'r-1')).toBe(false);
      const decide = await reader.post('/ui/decisions', { _csrf, needId: 's-n01', companyId: 's-c13', status: 'agreed' });
      expect(decide.status).toBe(403);
    });

    it('shows a reader no edit links, no decision buttons and no contact details', async () => {
      const pages = ['/ui/needs', '/ui/companies', '/ui/needs/s-n01', '/ui/companies/s-c13', '/ui/companies/s-c01', '/ui/needs/s-n01/shortlist.csv'];
      for (const path of pages) {
        const html = await (await reader.get(path)).text();
        for (const email of contactEmails) expect(html, path).not.toContain(email);
        expect(html, path).not.toMatch(/href="[^"]*\/(new|edit)"/);
        expect(html, path).not.toContain('action="/ui/decisions"');
      }
      const coordinatorPage = await (await coordinator.get('/ui/companies/s-c13')).text();
      expect(coordinatorPage).toContain('peter.lundgren@example.se');
      expect(coordinatorPage).toContain('href="/ui/companies/s-c13/edit"');
    });
  });

  describe('languages', () => {
    it('takes the default from Accept-Language', async () => {
      const visitor = new Client(t.app);
      const zh = await (await visitor.get('/ui/sign-in', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' })).text();
      expect(zh).toContain('<html lang="zh">');
      expect(zh).toContain('API 密钥');
      const sv = await (await visitor.get('/ui/sign-in', { 'accept-language': 'de-DE, sv;q=0.8' })).text();
      expect(sv).toContain('<html lang="sv">');
      const fallback = await (await visitor.get('/ui/sign-in', { 'accept-language': 'fr-FR' })).text();
      expect(fallback).toContain('<html lang="en">');
    });

    it('remembers a language chosen with the switcher over the header', async () => {
      const switched = await coordinator.get('/ui/needs/s-n01?lang=sv');
      expect(switched.status).toBe(303);
      expect(location(switched)).toBe('/ui/needs/s-n01');
      expect(switched.headers.get('set-cookie')).toMatch(/^pm_lang=sv;/);
      const html = await (await coordinator.get('/ui/needs/s-n01', { 'accept-language': 'zh-CN' })).text();
      expect(html).toContain('<html lang="sv">');
      expect(html).toContain('Rangordnade företag');
      expect(html).toContain('Avloppsvatten'); // the sector, in Swedish
    });

    it('names sectors in the chosen language', async () => {
      await coordinator.get('/ui/needs?lang=zh');
      const html = await (await coordinator.get('/ui/needs/s-n01')).text();
      expect(html).toContain('污水处理');
      expect(html).toContain('企业排名');
    });

    it('glosses a Chinese need word by word for a Swedish or English reader, labelled as no translation', async () => {
      await coordinator.get('/ui/needs?lang=en');
      const en = await (await coordinator.get('/ui/needs/s-n01')).text();
      expect(en).toContain('Word gloss');
      expect(en).toContain('a word gloss, not a translation');
      expect(en).toMatch(/<dt lang="zh">[^<]*污水[^<]*<\/dt><dd lang="en">[^<]*wastewater/);
      await coordinator.get('/ui/needs?lang=sv');
      const sv = await (await coordinator.get('/ui/needs/s-n01')).text();
      expect(sv).toContain('Ordglosa');
      expect(sv).toContain('inte en översättning');
      await coordinator.get('/ui/needs?lang=zh');
      const zh = await (await coordinator.get('/ui/needs/s-n01')).text();
      expect(zh).not.toContain('word-gloss');
    });
  });

  describe('needs and companies', () => {
    it('lists needs with filters on status, city, sector and text', async () => {
      const all = await (await coordinator.get('/ui/needs')).text();
      expect(all).toContain('24 needs');
      const closed = await (await coordinator.get('/ui/needs?status=closed')).text();
      expect(closed).toContain('2 needs');
      const kunming = await (await coordinator.get('/ui/needs?city=Kunming&sector=energy')).text();
      expect(kunming).toContain('2 needs');
      expect(kunming).toContain('风电运维技术人员培训合作');
      const text = await (await coordinator.get('/ui/needs?q=coffee')).text();
      expect(text).toContain('1 need<');
    });

    it("shows a need's language, tags and ranked companies with their explanation", async () => {
      const html = await (await coordinator.get('/ui/needs/s-n01')).text();
      expect(html).toContain('Chinese (zh)');
      expect(html).toMatch(/Wastewater <span class="chip-note">\(given\)/);
      expect(html).toContain('href="/ui/companies/s-c08"');
      expect(html).toMatch(/污水处理厂<\/span> ↔ <span lang="sv" class="phrase">avloppsreningsverk/);
      expect(html).toMatch(/Tags <strong>0\.30<\/strong>/);
      // What joined two phrases in different languages: a glossary concept or the lexicon's English word.
      expect(html).toMatch(/污泥脱水<\/span> ↔ <span lang="sv" class="phrase">slam<\/span> <span class="via muted">\(glossary: sludge\)/);
      expect(html).toMatch(/技术<\/span> ↔ <span lang="sv" class="phrase">teknik<\/span> <span class="via muted">\(lexicon: technique\)/);
      // Terms that read the same (a word, and the same word through the lexicon) are one line.
      let lists = 0;
      for (const id of ['s-n01', 's-n05', 's-n06', 's-n14', 's-n17']) {
        const page = await (await coordinator.get(`/ui/needs/${id}`)).text();
        for (const list of page.match(/<ul class="evidence terms">.*?<\/ul>/gs) ?? []) {
          const lines = (list.match(/<li>.*?<\/li>/gs) ?? []).map((line) => line.replace(/<span class="muted" title=[^>]*>[^<]*<\/span>/, ''));
          expect(new Set(lines).size).toBe(lines.length);
          lists += 1;
        }
      }
      expect(lists).toBeGreaterThan(20);
    });

    it("lists a company's ranked needs, inferred tags with their confidence", async () => {
      const html = await (await coordinator.get('/ui/companies/s-c14')).text();
      expect(html).toContain('Open needs ranked for this company');
      expect(html).toMatch(/inferred, \d+ % confidence/);
    });

    it('answers an unknown record or page with a 404 page', async () => {
      expect((await coordinator.get('/ui/needs/nope')).status).toBe(404);
      const page = await coordinator.get('/ui/nothing-here');
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    });

    it('sends pages with a strict content security policy and no caching', async () => {
      const response = await coordinator.get('/ui/needs');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('cache-control')).toBe('no-store');
      const html = await response.text();
      const css = /href="(\/ui\/static\/style\.css\?v=\w+)"/.exec(html)?.[1] ?? '';
      const asset = await t.app.request(css);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect(await asset.text()).toContain('.scorebar');
    });
  });

  describe('forms', () => {
    it('re-renders a need with every value kept and an error beside each field, then creates it', async () => {
      const _csrf = await coordinator.token('/ui/needs/new');
      const form = {
        _csrf,
        id: '',
        title: 'Solar microgrids for mountain villages',
        organization: '',
        city: 'Lijiang',
        description: '偏远村庄需要太阳能光伏和储能微电网。',
        sectors: ['energy.solar', 'energy.storage'],
        partnershipTypes: ['export'],
        status: 'open',
        deadline: '2027-02-30x',
      };
      const failed = await coordinator.post('/ui/needs', form);
      expect(failed.status).toBe(400);
      const html = await failed.text();
      expect(html).toContain('There are 2 problems.');
      expect(html).toMatch(/<input id="f-organization" name="organization" aria-invalid="true" aria-describedby="f-organization-error"/);
      expect(html).toMatch(/id="f-organization-error">.*Required\./s);
      expect(html).toMatch(/id="f-deadline-error">.*Enter a date as YYYY-MM-DD\./s);
      expect(html).toContain('value="Solar microgrids for mountain villages"');
      expect(html).toContain('偏远村庄需要太阳能光伏和储能微电网。</textarea>');
      expect(html).toContain('value="energy.storage" checked=""');
      expect(html).toContain('value="2027-02-30x"');

      const created = await coordinator.post('/ui/needs', { ...form, organization: 'Lijiang Energy', deadline: '2027-02-28' });
      expect(created.status).toBe(303);
      const id = location(created).replace('/ui/needs/', '');
      expect(t.catalog.records.get('need', id)).toMatchObject({ title: form.title, organization: 'Lijiang Energy', sectors: form.sectors });
      const page = await (await coordinator.get(location(created))).text();
      expect(page).toContain('Saved.');
      expect(page).toContain('Solkraft Blekinge AB');
    });

    it('validates a company as the API does: numbers, e-mail, ids in use', async () => {
      const _csrf = await coordinator.token('/ui/companies/new');
      const response = await coordinator.post('/ui/companies', {
        _csrf,
        id: 'web-c1',
        name: 'Webbföretaget AB',
        description: 'Vi bygger solcellsparker.',
        employees: 'many',
        'contact.email': 'not-an-address',
        languages: 'sv, swe',
        orgNumber: '556677-8890',
      });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toMatch(/id="f-employees-error">.*Enter a whole number\./s);
      expect(html).toMatch(/id="f-contact-email-error">.*Enter an e-mail address\./s);
      expect(html).toMatch(/id="f-languages-error">.*Use two-letter codes/s);
      expect(html).toMatch(/id="f-orgNumber-error">.*check digit/s);
      expect(html).toContain('value="sv, swe"');

      const taken = await coordinator.post('/ui/companies', { _csrf, id: 's-c01', name: 'X', description: 'Y' });
      expect(taken.status).toBe(409);
      expect(await taken.text()).toContain('This id is already in use.');
    });

    it('edits a need without losing the fields it did not touch', async () => {
      const before = t.catalog.records.get('need', 's-n01');
      const html = await (await coordinator.get('/ui/needs/s-n01/edit')).text();
      expect(html).toContain(`value="${before.deadline}"`);
      const _csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const response = await coordinator.post('/ui/needs/s-n01', {
        _csrf,
        title: 'Nytt namn',
        organization: before.organization,
        city: before.city ?? '',
        description: before.description,
        sectors: [...(before.sectors ?? [])],
        partnershipTypes: [...(before.partnershipTypes ?? [])],
        status: before.status,
        deadline: before.deadline ?? '',
      });
      expect(location(response)).toBe('/ui/needs/s-n01');
      expect(t.catalog.records.get('need', 's-n01')).toEqual({ ...before, title: 'Nytt namn' });
    });
  });

  describe('decisions', () => {
    it('records a decision, leaves a declined pair out, shows it again on request and clears it', async () => {
      const page = async (query = '') => (await coordinator.get(`/ui/needs/s-n01${query}`)).text();
      const _csrf = await coordinator.token('/ui/needs/s-n01');
      const decide = (status: string) =>
        coordinator.post('/ui/decisions', { _csrf, needId: 's-n01', companyId: 's-c08', status, back: '/ui/needs/s-n01', anchor: 'm-s-c08' });

      expect(location(await decide('contacted'))).toBe('/ui/needs/s-n01#m-s-c08');
      expect(await page()).toMatch(/Biogas Sydost Teknik AB: marked as Contacted\./);
      expect(await page()).toMatch(/aria-pressed="true">Contacted/);

      expect(location(await decide('declined'))).toBe('/ui/needs/s-n01#matches');
      const hidden = await page();
      expect(hidden).toContain('Biogas Sydost Teknik AB was declined');
      expect(hidden).not.toContain('id="m-s-c08"');
      expect(hidden).toContain('Show declined (1)');
      expect(t.catalog.decisions.find('s-n01', 's-c08')?.status).toBe('declined');

      const shown = await page('?declined=show');
      expect(shown).toMatch(/id="m-s-c08"/);
      expect(shown).toMatch(/Decision: <\/span>Declined/);

      await decide('clear');
      expect(t.catalog.decisions.find('s-n01', 's-c08')).toBeUndefined();
      expect(await page()).toContain('id="m-s-c08"');
    });

    it('keeps the note of a decision when the page changes its status', async () => {
      t.catalog.decisions.set('s-n01', 's-c08', 'contacted', 'called on Monday; call back in May');
      const _csrf = await coordinator.token('/ui/needs/s-n01');
      const decide = (status: string) => coordinator.post('/ui/decisions', { _csrf, needId: 's-n01', companyId: 's-c08', status, back: '/ui/needs/s-n01' });
      expect((await decide('agreed')).status).toBe(303);
      expect(t.catalog.decisions.find('s-n01', 's-c08')).toMatchObject({ status: 'agreed', note: 'called on Monday; call back in May' });
      await decide('declined');
      await decide('contacted'); // what "undo" sends
      expect(t.catalog.decisions.find('s-n01', 's-c08')).toMatchObject({ status: 'contacted', note: 'called on Monday; call back in May' });
    });
  });

  describe('export and batch', () => {
    it("exports a need's shortlist as CSV, with contact details only for coordinators", async () => {
      const csv = await (await coordinator.get('/ui/needs/s-n01/shortlist.csv')).text();
      const [header = '', first = ''] = csv.replace(/^\uFEFF/, '').split('\n');
      expect(header).toBe('needId,needTitle,rank,companyId,companyName,municipality,score,tags,text,cooperation,sharedSectors,matchedPhrases,partnershipTypes,decision,contactName,contactEmail,contactPhone,asOf');
      expect(first).toMatch(/^s-n01,城镇污水处理厂提标改造技术合作,1,s-c13,AquaRena Process AB,Karlskrona,1,1,1,1,Wastewater,污水处理 ↔ wastewater treatment;/);
      expect(first).toContain('peter.lundgren@example.se');
      expect(csv.trim().split('\n')).toHaveLength(11);
      const forReader = await (await reader.get('/ui/needs/s-n01/shortlist.csv?limit=3')).text();
      expect(forReader).not.toContain('contactEmail');
      expect(forReader.trim().split('\n')).toHaveLength(4);
    });

    it('starts a batch run, shows its progress and its results', async () => {
      const _csrf = await reader.token('/ui/batch');
      const bad = await reader.post('/ui/batch', { _csrf, direction: 'companies', limit: '0' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('value="0"');

      const started = await reader.post('/ui/batch', { _csrf, direction: 'companies', limit: '3' });
      expect(location(started)).toMatch(/^\/ui\/batch\/[\w-]+$/);
      const id = location(started).replace('/ui/batch/', '');
      await t.jobs.settled(id);
      const status = (await (await reader.get(`/ui/batch/${id}/status`)).json()) as Record<string, unknown>;
      expect(status).toEqual({ status: 'succeeded', done: 22, total: 22, finished: true, statusText: 'Finished', progressText: '22 of 22 ranked' });
      const html = await (await reader.get(`/ui/batch/${id}`)).text();
      expect(html).toContain('<progress id="job-progress" max="22" value="22"');
      expect(html).toContain('AquaRena Process AB');
      const csv = await (await reader.get(`/ui/batch/${id}/results.csv`)).text();
      expect(csv.trim().split('\n')).toHaveLength(1 + 22 * 3);
      expect((await (await reader.get('/ui/batch')).text())).toContain(`href="/ui/batch/${id}"`);
    });

    it("lists a session's own runs only, and shows a run's results as the viewer's role may see them", async () => {
      t.catalog.decisions.set('s-n01', 's-c13', 'agreed');
      const _csrf = await coordinator.token('/ui/batch');
      const started = await coordinator.post('/ui/batch', { _csrf, direction: 'companies', limit: '3' });
      const id = location(started).replace('/ui/batch/', '');
      await t.jobs.settled(id);
      expect(await (await coordinator.get('/ui/batch')).text()).toContain(`href="/ui/batch/${id}"`);
      const readersList = await (await reader.get('/ui/batch')).text();
      expect(readersList).not.toContain(id);
      expect(readersList).toContain('No runs started since you signed in.');

      // The run's results hold no decision for anyone to read back: the coordinator's API view adds it, a reader's does not.
      expect(JSON.stringify(t.jobs.results(id))).not.toContain('agreed');
      const asReader = await t.call('GET', `/jobs/${id}/results`, { as: 'reader' });
      expect(await asReader.text()).not.toContain('decision');
      const asCoordinator = (await (await t.call('GET', `/jobs/${id}/results`)).json()) as { results: { needId: string; matches: { decision?: string }[] }[] };
      expect(asCoordinator.results.find((r) => r.needId === 's-n01')?.matches[0]?.decision).toBe('agreed');
      const page = await (await reader.get(`/ui/batch/${id}`)).text();
      for (const email of contactEmails) expect(page).not.toContain(email);
    });

    it('says when too many runs are waiting, with a 429 and Retry-After', async () => {
      const _csrf = await reader.token('/ui/batch');
      const run = () => reader.post('/ui/batch', { _csrf, direction: 'needs', limit: '100' });
      const ids = [location(await run()), location(await run())].map((path) => path.replace('/ui/batch/', ''));
      const refused = await run();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      const html = await refused.text();
      expect(html).toContain('Too many runs are waiting or running.');
      expect(html).toContain('value="100"'); // the form keeps what was typed
      for (const id of ids) await t.jobs.settled(id);
    });

    it('escapes spreadsheet formulas in the shortlist and run CSVs, which no cache may keep', async () => {
      const formula = '=HYPERLINK("https://evil.example","x")';
      t.catalog.records.create('company', { ...t.catalog.records.get('company', 's-c13'), id: 'evil', name: formula, contact: { name: '-Eva' } });
      const shortlist = await coordinator.get('/ui/needs/s-n01/shortlist.csv');
      expect(shortlist.headers.get('cache-control')).toBe('no-store');
      const shortlistCsv = await shortlist.text();
      expect(shortlistCsv).toContain(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
      expect(shortlistCsv).toContain(",'-Eva,");

      const _csrf = await coordinator.token('/ui/batch');
      const id = location(await coordinator.post('/ui/batch', { _csrf, direction: 'companies', limit: '3' })).replace('/ui/batch/', '');
      await t.jobs.settled(id);
      const results = await coordinator.get(`/ui/batch/${id}/results.csv`);
      expect(results.headers.get('cache-control')).toBe('no-store');
      expect([...new Uint8Array(await results.clone().arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark
      const resultsCsv = await results.text();
      expect(resultsCsv).toContain(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
      for (const csv of [shortlistCsv, resultsCsv]) expect(csv.replace(/^\uFEFF/, '')).not.toMatch(/(^|,)"?[=@+-]/m);
      expect((await coordinator.get(`/ui/batch/${id}/status`)).headers.get('cache-control')).toBe('no-store');
    });
  });
});
