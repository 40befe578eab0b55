import { Hono, type Context } from 'hono';
import { encodePathSegment } from '../url.js';
import { bodyLimit } from 'hono/body-limit';
import { setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { languageDetector } from 'hono/language';
import { ApiError, toApiError, type ApiErrorCode } from '../errors.js';
import type { App, RouteDeps } from '../routing.js';
import { webAsset } from './assets.js';
import { registerBatchPages } from './batch.js';
import { registerDuplicatePages } from './duplicates.js';
import { field, parseForm, readForm, render, safeBack, type WebContext, type WebDeps, type WebEnv } from './context.js';
import { FALLBACK_LANGUAGE, isUiLanguage, LANGUAGE_COOKIE, messages, UI_LANGUAGES, type UiLanguage } from './i18n.js';
import { SimpleField } from './forms.js';
import { Layout, type View } from './layout.js';
import { registerFollowupPages } from './followup.js';
import { registerListPages } from './lists.js';
import { registerRecordPages } from './records.js';
import { registerReportPages } from './report.js';
import { registerEventPages } from './events.js';
import {
  clearSessionCookie,
  clearSignInCookie,
  isHttps,
  SessionStore,
  sessionIdOf,
  setSessionCookie,
  setSignInCookie,
  signInNonceOf,
  SignInTokens,
} from './session.js';

export interface WebOptions {
  /** Browser sessions; a new in-memory store by default. */
  readonly sessions?: SessionStore;
  /** Trust `X-Forwarded-Proto: https` from a reverse proxy (see `CreateAppOptions.trustProxy`). Off by default. */
  readonly trustProxy?: boolean;
  /** Told about unexpected errors (answered with a plain error page). */
  readonly onInternalError?: (error: unknown, requestId?: string) => void;
}

/** No inline script or style, nothing from elsewhere, no framing. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** True when the client would rather have HTML than JSON (a browser). */
function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/html\b/.test(accept);
}

function SignInPage(props: { v: View; next: string; error?: string }) {
  const { v } = props;
  const { t } = v;
  return (
    <Layout v={v} title={t.signInTitle}>
      <div class="sign-in panel">
        <h1>{t.signInTitle}</h1>
        <p>{t.signInIntro}</p>
        <form method="post" action="/ui/sign-in" novalidate>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <SimpleField
            v={v}
            id="f-key"
            name="key"
            type="password"
            label={t.apiKey}
            hint={t.apiKeyHint}
            error={props.error}
            autocomplete="current-password"
            required
          />
          <div class="form-actions">
            <button type="submit" class="button-primary">
              {t.signInButton}
            </button>
          </div>
        </form>
      </div>
    </Layout>
  );
}

function ErrorPage({ v, status, message }: { v: View; status: number; message: string }) {
  const title = v.t.errorTitles[status] ?? v.t.errorTitles[500] ?? '';
  return (
    <Layout v={v} title={title}>
      <div class="panel error-page">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/ui/needs">{v.t.backToNeeds}</a>
        </p>
      </div>
    </Layout>
  );
}

/** The view of a request that failed before the middleware made one. */
function fallbackView(c: Context): View {
  const url = new URL(c.req.url);
  return { lang: FALLBACK_LANGUAGE, t: messages(FALLBACK_LANGUAGE), role: undefined, csrf: '', here: url.pathname };
}

/**
 * The coordinators' web interface under `/ui`, server-rendered over the same catalog, keys
 * and job queue as the API: sign-in to a session cookie, CSRF checks on every form, pages
 * in Swedish, English or Chinese.
 */
export function createWebApp(deps: WebDeps, options: WebOptions = {}): Hono<WebEnv> {
  const { keys, sessions } = deps;
  const onInternalError = options.onInternalError ?? ((error: unknown) => console.error(error));
  const trustProxy = options.trustProxy ?? false;
  const signInTokens = new SignInTokens();
  const web = new Hono<WebEnv>();

  // Every POST: from this origin (hono/csrf), and (readForm) carrying the session's token.
  web.use('*', csrf());
  web.use(
    '*',
    bodyLimit({
      maxSize: deps.limits.body,
      onError: () => {
        throw new ApiError('PAYLOAD_TOO_LARGE', 'the form is larger than this service accepts');
      },
    }),
  );
  web.use(
    '*',
    languageDetector({
      supportedLanguages: [...UI_LANGUAGES],
      fallbackLanguage: FALLBACK_LANGUAGE,
      order: ['querystring', 'cookie', 'header'],
      lookupQueryString: 'lang',
      lookupCookie: LANGUAGE_COOKIE,
      caches: false,
    }),
  );
  web.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    c.set('secure', isHttps(c, trustProxy));
    const chosen = c.req.query('lang');
    if (chosen !== undefined && c.req.method === 'GET') {
      // The switcher's links: remember the choice, then show the same page without `?lang`.
      if (isUiLanguage(chosen)) {
        setCookie(c, LANGUAGE_COOKIE, chosen, { path: '/', sameSite: 'Lax', httpOnly: true, secure: c.get('secure'), maxAge: 365 * 24 * 3600 });
      }
      url.searchParams.delete('lang');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const lang: UiLanguage = isUiLanguage(c.get('language')) ? (c.get('language') as UiLanguage) : FALLBACK_LANGUAGE;
    let session = sessions.get(sessionIdOf(c));
    if (session !== undefined && keys.roleOf(session.keyId) !== session.role) {
      // The key it was signed in with was removed from the keys (or its role changed): the session ends with it.
      sessions.delete(session.id);
      session = undefined;
    }
    c.set('session', session);
    c.set('view', { lang, t: messages(lang), role: session?.role, csrf: session?.csrf ?? '', here: `${url.pathname}${url.search}` });
    await next();
    // Nothing the pages answer (pages, CSV downloads, run status) may be kept by a cache; the
    // static assets say how they may be cached themselves.
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
    if (c.res.headers.get('content-type')?.startsWith('text/html')) {
      c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      c.res.headers.set('Vary', 'Cookie, Accept-Language');
    }
    return undefined;
  });

  web.get('/static/:file', (c) => {
    const asset = webAsset(c.req.param('file'));
    if (asset === undefined) throw new ApiError('NOT_FOUND', 'no such asset');
    const cache = c.req.query('v') === asset.hash ? 'public, max-age=31536000, immutable' : 'no-cache';
    return c.body(new Uint8Array(asset.body), 200, { 'Content-Type': asset.contentType, 'Cache-Control': cache });
  });

  // ── signing in and out ─────────────────────────────────────────────────
  // Before sign-in there is no session and nothing is kept on the server: the sign-in form's
  // CSRF token is the HMAC of a nonce in its own cookie (SignInTokens). Signing in creates a
  // new session (a new id) and ends the one the browser had.

  const signInPage = (c: WebContext, next: string, error?: string, status: 200 | 400 | 401 | 403 = 200) => {
    const nonce = signInTokens.nonce(signInNonceOf(c));
    setSignInCookie(c, nonce, c.get('secure'));
    const csrf = signInTokens.token(nonce);
    return render(c, <SignInPage v={{ ...c.get('view'), csrf }} next={next} {...(error === undefined ? {} : { error })} />, status);
  };

  web.get('/sign-in', (c) => {
    const next = safeBack(c.req.query('next'));
    if (c.get('session') !== undefined) return c.redirect(next, 303);
    return signInPage(c, next);
  });

  web.post('/sign-in', async (c) => {
    const { t } = c.get('view');
    const form = await parseForm(c);
    if (!signInTokens.verify(signInNonceOf(c), form['_csrf'])) {
      // The form is too old (or the server restarted, or the cookie is gone): a fresh form, and try again.
      return signInPage(c, '/ui/needs', t.errFormExpired, 403);
    }
    const next = safeBack(field(form, 'next'));
    const key = field(form, 'key').trim();
    if (key === '') return signInPage(c, next, t.errKeyRequired, 400);
    const identity = keys.identify(key);
    if (identity === undefined) return signInPage(c, next, t.errKeyInvalid, 401);
    const old = c.get('session');
    if (old !== undefined) sessions.delete(old.id);
    setSessionCookie(c, sessions.create(identity.role, identity.keyId), c.get('secure'));
    clearSignInCookie(c, c.get('secure'));
    return c.redirect(next, 303);
  });

  web.post('/sign-out', async (c) => {
    await readForm(c);
    const session = c.get('session');
    if (session !== undefined) sessions.delete(session.id);
    clearSessionCookie(c, c.get('secure'));
    return c.redirect('/ui/sign-in', 303);
  });

  // ── everything below needs a signed-in session ─────────────────────────

  web.use('*', async (c, next) => {
    if (c.get('session') === undefined) {
      const { here } = c.get('view');
      return c.redirect(c.req.method === 'GET' ? `/ui/sign-in?next=${encodePathSegment(here)}` : '/ui/sign-in', 303);
    }
    return next();
  });

  web.get('/', (c) => c.redirect('/ui/needs', 303));
  registerListPages(web, deps);
  registerRecordPages(web, deps);
  registerBatchPages(web, deps);
  registerFollowupPages(web, deps);
  registerReportPages(web, deps);
  registerEventPages(web, deps);
  registerDuplicatePages(web, deps);
  web.all('*', () => {
    throw new ApiError('NOT_FOUND', 'no such page');
  });

  web.onError((error, c) => {
    const v = (c.get('view') as View | undefined) ?? fallbackView(c);
    if (error instanceof HTTPException && error.status === 403) return render(c, <ErrorPage v={v} status={403} message={v.t.csrfRejected} />, 403);
    const apiError = toApiError(error);
    if (apiError.code === 'INTERNAL') onInternalError(error, (c.get as (key: string) => string | undefined)('requestId'));
    const messages: Partial<Record<ApiErrorCode, string>> = {
      FORBIDDEN: v.t.forbidden,
      NOT_FOUND: v.t.notFound,
      INTERNAL: v.t.internalError,
      BAD_REQUEST: v.t.badRequest,
      TOO_MANY_REQUESTS: v.t.tooManyRuns,
    };
    for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value);
    return render(c, <ErrorPage v={v} status={apiError.status} message={messages[apiError.code] ?? apiError.message} />, apiError.status);
  });
  return web;
}

/**
 * Mounts the web interface at `/ui`, and sends browsers that open `/` there (other clients
 * still get the API's JSON index at `/`). Call it before the route that answers `/`.
 */
export function registerWebRoutes(app: App, deps: RouteDeps, options: WebOptions = {}): void {
  app.use('/', async (c, next) => {
    if (c.req.method === 'GET' && wantsHtml(c.req.header('accept'))) return c.redirect('/ui/needs', 303);
    return next();
  });
  app.get('/ui', (c) => c.redirect('/ui/needs', 303));
  app.route('/ui', createWebApp({ ...deps, sessions: options.sessions ?? new SessionStore() }, options));
}
