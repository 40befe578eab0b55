import type { Child } from 'hono/jsx';
import { reportMessages } from '../report/i18n.js';
import { encodePathSegment } from '../url.js';
import type { AssignedTag, PartnershipType } from '@partnermatch/core';
import type { Role } from '../auth.js';
import type { RecordKind } from '../store.js';
import { assetUrl } from './assets.js';
import { followupMessages } from './followup-i18n.js';
import { eventMessages } from './events-i18n.js';
import { NATIVE_NAMES, partnershipLabel, sectorLabel, UI_LANGUAGES, type Messages, type UiLanguage } from './i18n.js';

/** What every page knows about the request it answers. */
export interface View {
  readonly lang: UiLanguage;
  readonly t: Messages;
  /** Undefined before sign-in. */
  readonly role: Role | undefined;
  /** The session's CSRF token, put into every form. */
  readonly csrf: string;
  /** The current path and query, for the language links and for coming back after a form. */
  readonly here: string;
}

export type Section = 'needs' | 'companies' | 'batch' | 'actions' | 'subscriptions' | 'report' | 'events' | undefined;

/** The collection of each kind in the interface's paths. */
export const PLURAL: Readonly<Record<RecordKind, 'needs' | 'companies'>> = { need: 'needs', company: 'companies' };

/** The page of a record. */
export function recordPath(kind: RecordKind, id: string): string {
  return `/ui/${PLURAL[kind]}/${encodePathSegment(id)}`;
}

/** `?a=1&b=2` of the parameters that have a value, or '' when none has. */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** A score or weight for display: two decimals in the interface language's notation. */
export function formatScore(v: View, value: number): string {
  return new Intl.NumberFormat(v.lang === 'zh' ? 'zh-CN' : v.lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** `here` with `lang` set: the switcher's link to this page in another language. */
function withLanguage(here: string, lang: UiLanguage): string {
  const url = new URL(here, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

export function Csrf({ v }: { v: View }) {
  return <input type="hidden" name="_csrf" value={v.csrf} />;
}

export function Layout(props: { v: View; title: string; section?: Section; head?: Child; children?: Child }) {
  const { v, section } = props;
  const { t } = v;
  const navLink = (href: string, name: Exclude<Section, undefined>, label: string) => (
    <li>
      <a href={href} aria-current={section === name ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <html lang={v.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · partnermatch`}</title>
        <link rel="icon" type="image/svg+xml" href={assetUrl('favicon.svg')} />
        <link rel="stylesheet" href={assetUrl('style.css')} />
        <script src={assetUrl('app.js')} defer></script>
        {props.head}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t.skipToContent}
        </a>
        <header class="topbar">
          <div class="topbar-inner">
            <a class="brand" href="/ui/needs">
              partnermatch
            </a>
            {v.role !== undefined && (
              <nav class="main-nav" aria-label={t.mainNav}>
                <ul>
                  {navLink('/ui/needs', 'needs', t.navNeeds)}
                  {navLink('/ui/companies', 'companies', t.navCompanies)}
                  {navLink('/ui/batch', 'batch', t.navBatch)}
                  {v.role === 'coordinator' && navLink('/ui/actions', 'actions', followupMessages(v.lang).navActions)}
                  {v.role === 'coordinator' && navLink('/ui/subscriptions', 'subscriptions', followupMessages(v.lang).navSubscriptions)}
                  {navLink('/ui/report', 'report', reportMessages(v.lang).page.title)}
                  {navLink('/ui/events', 'events', eventMessages(v.lang).nav)}
                </ul>
              </nav>
            )}
            <div class="topbar-end">
              <nav class="lang-nav" aria-label={t.languageNav}>
                <ul>
                  {UI_LANGUAGES.map((lang) => (
                    <li>
                      <a href={withLanguage(v.here, lang)} lang={lang} hreflang={lang} aria-current={lang === v.lang ? 'true' : undefined}>
                        {NATIVE_NAMES[lang]}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              {v.role !== undefined && (
                <>
                  <span class="role-badge">{t.roleNames[v.role]}</span>
                  <form method="post" action="/ui/sign-out" class="sign-out">
                    <Csrf v={v} />
                    <button type="submit" class="button-quiet">
                      {t.signOut}
                    </button>
                  </form>
                </>
              )}
            </div>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer class="footer">
          <p>
            {t.footer} <a href="/docs">{t.apiDocs}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

export function PageHead(props: { title: string; lang?: string; subtitle?: Child; actions?: Child }) {
  return (
    <div class="page-head">
      <div>
        <h1 lang={props.lang}>{props.title}</h1>
        {props.subtitle !== undefined && <p class="subtitle">{props.subtitle}</p>}
      </div>
      {props.actions !== undefined && <div class="actions">{props.actions}</div>}
    </div>
  );
}

/** The message beside a field that failed (`id` is the field's; the message's is `${id}-error`). */
export function FieldError({ v, id, messages }: { v: View; id: string; messages: readonly string[] | undefined }) {
  if (messages === undefined || messages.length === 0) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      <span aria-hidden="true">⚠ </span>
      <span class="visually-hidden">{v.t.errorPrefix} </span>
      {messages.join(' ')}
    </p>
  );
}

/** A one-line message after an action; screen readers announce it. */
export function Notice(props: { tone?: 'ok' | 'warn'; children?: Child }) {
  return (
    <div class={`notice notice-${props.tone ?? 'ok'}`} role="status">
      {props.children}
    </div>
  );
}

export function StatusBadge({ v, status }: { v: View; status: 'open' | 'closed' }) {
  return <span class={`badge badge-${status}`}>{v.t.statusNames[status]}</span>;
}

export function SectorChips({ v, tags }: { v: View; tags: readonly string[] | undefined }) {
  if (tags === undefined || tags.length === 0) return <span class="muted">–</span>;
  return (
    <ul class="chips">
      {tags.map((tag) => (
        <li class="chip">{sectorLabel(v.lang, tag)}</li>
      ))}
    </ul>
  );
}

/** The tags the engine uses, each saying whether it was given or inferred (and how sure). */
export function ProfileTags({ v, tags }: { v: View; tags: readonly AssignedTag[] }) {
  if (tags.length === 0) return <p class="muted">{v.t.noTags}</p>;
  return (
    <ul class="chips">
      {tags.map((tag) => (
        <li class={`chip chip-${tag.source}`}>
          {sectorLabel(v.lang, tag.tag)}{' '}
          <span class="chip-note">({tag.source === 'given' ? v.t.tagGiven : v.t.tagInferred(Math.round(tag.confidence * 100))})</span>
        </li>
      ))}
    </ul>
  );
}

export function PartnershipList({ v, types }: { v: View; types: readonly PartnershipType[] | undefined }) {
  if (types === undefined || types.length === 0) return <span class="muted">–</span>;
  return <span>{types.map((type) => partnershipLabel(v.lang, type)).join(v.t.listSeparator)}</span>;
}

/** A definition list of the fields that have a value. */
export function Facts({ items }: { items: readonly (readonly [string, Child | undefined])[] }) {
  return (
    <dl class="facts">
      {items
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([term, value]) => (
          <div>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** Previous / next links over a list of `total` rows shown `limit` at a time. */
export function Pager(props: { v: View; total: number; limit: number; offset: number; link: (offset: number) => string }) {
  const { v, total, limit, offset } = props;
  if (total <= limit) return null;
  const to = Math.min(total, offset + limit);
  return (
    <nav class="pager" aria-label={v.t.pagination}>
      {offset > 0 ? <a href={props.link(Math.max(0, offset - limit))}>← {v.t.pagePrev}</a> : <span />}
      <span>{v.t.pageRange(offset + 1, to, total)}</span>
      {to < total ? <a href={props.link(offset + limit)}>{v.t.pageNext} →</a> : <span />}
    </nav>
  );
}
