import { send, type RawResponse } from './http.js';
import type { Service } from './service.js';

/** A signed-in browser, seen from outside: its cookies and the CSRF token its forms carry. */
export interface WebSession {
  readonly cookie: string;
  readonly csrf: string;
}

/** Cookies a response sets, as `name=value` pairs (attributes dropped). */
export function setCookies(response: RawResponse): Map<string, string> {
  const raw = response.headers['set-cookie'] ?? [];
  const jar = new Map<string, string>();
  for (const line of raw) {
    const pair = line.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return jar;
}

export function cookieHeader(jar: Map<string, string>): string {
  return [...jar].filter(([, value]) => value !== '').map(([name, value]) => `${name}=${value}`).join('; ');
}

/** The value of the first hidden `_csrf` input on a page. */
export function csrfOf(html: string): string | undefined {
  const input = /<input[^>]*name="_csrf"[^>]*>/.exec(html)?.[0];
  return input === undefined ? undefined : /value="([^"]*)"/.exec(input)?.[1];
}

/** The names of the inputs of the first form on a page posting to `action`. */
export function formFieldNames(html: string): string[] {
  const names = new Set<string>();
  for (const match of html.matchAll(/<(?:input|select|textarea)[^>]*\sname="([^"]+)"/g)) if (match[1] !== undefined) names.add(match[1]);
  return [...names];
}

/** Signs in through the sign-in form like a browser does. */
export async function signIn(service: Service, key: string): Promise<WebSession> {
  const form = await send(service, { method: 'GET', path: '/ui/sign-in' });
  const jar = setCookies(form);
  const token = csrfOf(form.text());
  if (token === undefined) throw new Error(`no _csrf on the sign-in page (${form.status})`);
  const body = new URLSearchParams({ _csrf: token, key, next: '/ui/needs' }).toString();
  const signedIn = await send(service, {
    method: 'POST',
    path: '/ui/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: service.origin, cookie: cookieHeader(jar) },
    body,
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}: ${signedIn.text().slice(0, 300)}`);
  for (const [name, value] of setCookies(signedIn)) jar.set(name, value);
  // Any signed-in page carries the session's token; try a few, as one may be broken by the data under test.
  const statuses: number[] = [];
  for (const path of ['/ui/batch', '/ui/needs', '/ui/companies']) {
    const page = await send(service, { method: 'GET', path, headers: { cookie: cookieHeader(jar) } });
    const csrf = csrfOf(page.text());
    if (page.status === 200 && csrf !== undefined) return { cookie: cookieHeader(jar), csrf };
    statuses.push(page.status);
  }
  throw new Error(`after sign-in no page carried a _csrf (${statuses.join(', ')})`);
}
