import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { formatResults, PartnermatchError, type Company, type PartnerNeed, type RecordNames, type ResultMatch } from '@partnermatch/core';
import { csvDownload } from '../csv.js';
import { ApiError, toApiError } from '../errors.js';
import { DecisionInputSchema } from '../schemas.js';
import { type DecisionStatus, type RecordKind, type RecordOf } from '../store.js';
import { companyFor, seesContacts } from '../access.js';
import { field, limitParam, queryParam, readForm, render, requireCoordinator, safeBack, sessionOf, type WebContext, type WebDeps, type WebEnv } from './context.js';
import { fieldErrors, formRecord, formValues, recordValues, RecordForm, type FieldErrors, type FormValues } from './forms.js';
import { languageName, partnershipLabel, sectorLabel } from './i18n.js';
import { CloseExpiredNeed, DeadlineNote } from './followup.js';
import { dateSchema, today } from '../followup/index.js';
import { actorFor } from '../routes/followup.js';
import { Csrf, Facts, Layout, Notice, PageHead, PartnershipList, PLURAL, ProfileTags, queryString, recordPath, StatusBadge, type View } from './layout.js';
import { matchAnchor, MatchFilterForm, MatchList, readMatchFilter, type MatchFilterState, type MatchRow } from './matches.js';
import { NeedGloss } from './gloss.js';
import type { Flash } from './session.js';

/** Matches shown on a record's page unless `limit` asks for more. */
const MATCHES_SHOWN = 10;

// ── a record's page ────────────────────────────────────────────────────────

interface Ranked {
  readonly rows: MatchRow[];
  readonly declined: number;
  readonly showDeclined: boolean;
  readonly limit: number;
  readonly filters: MatchFilterState;
}

/** The ranked candidates of a stored record as page rows, with the pair decisions for coordinators. */
function ranked(c: WebContext, deps: WebDeps, kind: RecordKind, id: string): Ranked {
  const { catalog } = deps;
  const role = c.get('view').role;
  const showDeclined = role === 'coordinator' && c.req.query('declined') === 'show';
  const limit = limitParam(c, MATCHES_SHOWN);
  // `?asOf=YYYY-MM-DD` and `?includeExpired=true`, as the API's matches routes take them.
  const asOf = queryParam(c, 'asOf', dateSchema) ?? today();
  const includeExpired = c.req.query('includeExpired') === 'true';
  const filters = readMatchFilter(c, kind);
  const matches = catalog.rankings.matches(kind, id, {
    limit,
    minScore: 0,
    explain: true,
    includeDeclined: showDeclined,
    asOf,
    includeExpired,
    ...(filters.filter === undefined ? {} : { filter: filters.filter }),
  });
  const pair = (otherId: string): [string, string] => (kind === 'need' ? [id, otherId] : [otherId, id]);
  const rows = matches.map((match): MatchRow => {
    const decision = role === 'coordinator' ? catalog.decisions.find(...pair(match.id))?.status : undefined;
    const language = catalog.records.profile(kind === 'need' ? 'company' : 'need', match.id).language;
    if (kind === 'need') {
      const company = catalog.records.get('company', match.id);
      return { match, name: company.name, detail: company.municipality ?? '', href: recordPath('company', company.id), language, ...(decision ? { decision } : {}) };
    }
    const need = catalog.records.get('need', match.id);
    const detail = [need.organization, need.city].filter((part) => part !== undefined).join(' · ');
    return { match, name: need.title, detail, href: recordPath('need', need.id), language, ...(decision ? { decision } : {}) };
  });
  const declined = role === 'coordinator' ? catalog.decisions.list(kind === 'need' ? { needId: id, status: 'declined' } : { companyId: id, status: 'declined' }).length : 0;
  return { rows, declined, showDeclined, limit, filters };
}

/** Reads and forgets the session's one-shot message. */
function takeFlash(c: WebContext): Flash | undefined {
  const session = c.get('session');
  const flash = session?.flash;
  if (session !== undefined) delete session.flash;
  return flash;
}

function FlashNotice({ v, deps, flash, kind }: { v: View; deps: WebDeps; flash: Flash | undefined; kind: RecordKind }) {
  if (flash === undefined) return null;
  const { t } = v;
  if (flash.kind === 'saved') return <Notice>{t.savedNotice}</Notice>;
  const otherKind = kind === 'need' ? 'company' : 'need';
  const otherId = kind === 'need' ? flash.companyId : flash.needId;
  if (!deps.catalog.records.has(otherKind, otherId)) return null;
  const other = deps.catalog.records.get(otherKind, otherId);
  const name = 'name' in other ? other.name : other.title;
  if (flash.status === 'cleared') return <Notice>{t.clearedNotice(name)}</Notice>;
  if (flash.status !== 'declined') return <Notice>{t.decisionNotice(name, t.decisions[flash.status])}</Notice>;
  return (
    <Notice tone="warn">
      {t.declinedNotice(name)}{' '}
      <form method="post" action="/ui/decisions" class="inline-form">
        <Csrf v={v} />
        <input type="hidden" name="needId" value={flash.needId} />
        <input type="hidden" name="companyId" value={flash.companyId} />
        <input type="hidden" name="status" value={flash.previous ?? 'clear'} />
        <input type="hidden" name="back" value={v.here} />
        <input type="hidden" name="anchor" value={matchAnchor(otherId)} />
        <button type="submit" class="button-small">
          {t.undo}
        </button>
      </form>
    </Notice>
  );
}

function RankedSection(props: { v: View; deps: WebDeps; kind: RecordKind; id: string; ranked: Ranked; flash: Flash | undefined; closed?: boolean }) {
  const { v, kind, ranked: r } = props;
  const { t } = v;
  const base = recordPath(kind, props.id);
  const limit = r.limit === MATCHES_SHOWN ? undefined : r.limit;
  // The filters ride along on every link that reloads the list.
  const filters = r.filters.query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
  const filtered = (query: string) => (filters === '' ? query : query === '' ? `?${filters}` : `${query}&${filters}`);
  const toggle = base + filtered(queryString({ declined: r.showDeclined ? undefined : 'show', limit }));
  const more = base + filtered(queryString({ limit: Math.min(100, r.limit + MATCHES_SHOWN), declined: r.showDeclined ? 'show' : undefined }));
  const last = r.rows[r.rows.length - 1];
  return (
    <section class="ranked" aria-labelledby="matches">
      <div class="section-head">
        <h2 id="matches" tabindex={-1}>
          {kind === 'need' ? t.rankedCompanies : t.rankedNeeds}
        </h2>
        {(r.declined > 0 || r.showDeclined) && (
          <a href={`${toggle}#matches`} class="button-link">
            {r.showDeclined ? t.hideDeclined : t.showDeclined(r.declined)}
          </a>
        )}
      </div>
      <FlashNotice v={v} deps={props.deps} flash={props.flash} kind={kind} />
      {!props.closed && (
        <MatchFilterForm v={v} kind={kind} action={base} state={r.filters} keep={{ limit: limit === undefined ? undefined : String(limit), declined: r.showDeclined ? 'show' : undefined }} />
      )}
      {props.closed ? (
        <p class="empty">{t.closedNotMatched}</p>
      ) : r.rows.length === 0 ? (
        <p class="empty">{t.noMatches}</p>
      ) : (
        <MatchList v={v} queryKind={kind} queryId={props.id} queryLanguage={props.deps.catalog.records.profile(kind, props.id).language} rows={r.rows} />
      )}
      {last !== undefined && r.rows.length === r.limit && r.limit < 100 && (
        <p>
          <a href={`${more}#${matchAnchor(last.match.id)}`} class="button-link">
            {t.showMore}
          </a>
        </p>
      )}
    </section>
  );
}

function ProfilePanel({ v, deps, kind, id }: { v: View; deps: WebDeps; kind: RecordKind; id: string }) {
  const profile = deps.catalog.records.profile(kind, id);
  return (
    <aside class="panel profile" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{v.t.profile}</h2>
      <Facts items={[[v.t.detectedLanguage, `${languageName(v.lang, profile.language)} (${profile.language})`]]} />
      <h3>{v.t.sectorTags}</h3>
      <ProfileTags v={v} tags={profile.tags} />
    </aside>
  );
}

/** The record's text and facts beside how the engine reads it (and, for a company, its contact). */
function RecordBody(props: {
  v: View;
  deps: WebDeps;
  kind: RecordKind;
  id: string;
  description: string;
  facts: readonly (readonly [string, Child | undefined])[];
  saved: boolean;
  aside?: Child;
}) {
  const { v, deps, kind, id } = props;
  return (
    <>
      {props.saved && <Notice>{v.t.savedNotice}</Notice>}
      <div class="columns">
        <section class="panel" aria-labelledby="description-heading">
          <h2 id="description-heading">{v.t.description}</h2>
          <p class="description" lang={deps.catalog.records.profile(kind, id).language}>
            {props.description}
          </p>
          <Facts items={props.facts} />
        </section>
        <div class="stack">
          <ProfilePanel v={v} deps={deps} kind={kind} id={id} />
          {props.aside}
        </div>
      </div>
    </>
  );
}

function NeedPage({ v, deps, need, flash, ranked: r }: { v: View; deps: WebDeps; need: PartnerNeed; flash: Flash | undefined; ranked: Ranked }) {
  const { t } = v;
  const language = deps.catalog.records.profile('need', need.id).language;
  const path = recordPath('need', need.id);
  return (
    <Layout v={v} title={need.title} section="needs">
      <nav class="breadcrumb" aria-label="breadcrumb">
        <a href="/ui/needs">{t.navNeeds}</a> <span aria-hidden="true">›</span> <span>{need.id}</span>
      </nav>
      <PageHead
        title={need.title}
        lang={language}
        subtitle={
          <>
            <span lang={language}>{need.organization}</span>
            {need.city !== undefined && ` · ${need.city}`} · <StatusBadge v={v} status={need.status} />
          </>
        }
        actions={
          <>
            {v.role === 'coordinator' && (
              <a class="button" href={`${path}/edit`}>
                {t.edit}
              </a>
            )}
            <a class="button" href={`${path}/shortlist.csv${queryString({ limit: r.limit === MATCHES_SHOWN ? undefined : r.limit })}`} download>
              {t.exportCsv}
            </a>
          </>
        }
      />
      {language !== v.lang && <NeedGloss v={v} need={need} />}
      <RecordBody
        v={v}
        deps={deps}
        kind="need"
        id={need.id}
        description={need.description}
        saved={flash?.kind === 'saved'}
        facts={[
          [t.partnershipTypes, <PartnershipList v={v} types={need.partnershipTypes} />],
          [t.deadline, <>{need.deadline} <DeadlineNote v={v} need={need} /> <CloseExpiredNeed v={v} need={need} /></>],
          [t.id, <code>{need.id}</code>],
        ]}
      />
      <RankedSection v={v} deps={deps} kind="need" id={need.id} ranked={r} flash={flash?.kind === 'decision' ? flash : undefined} closed={need.status === 'closed'} />
    </Layout>
  );
}

function CompanyPage(props: { v: View; deps: WebDeps; company: Company; flash: Flash | undefined; ranked: Ranked }) {
  const { v, deps, flash } = props;
  const { t } = v;
  const company = companyFor(props.company, v.role ?? 'reader');
  const language = deps.catalog.records.profile('company', company.id).language;
  return (
    <Layout v={v} title={company.name} section="companies">
      <nav class="breadcrumb" aria-label="breadcrumb">
        <a href="/ui/companies">{t.navCompanies}</a> <span aria-hidden="true">›</span> <span>{company.id}</span>
      </nav>
      <PageHead
        title={company.name}
        subtitle={company.municipality}
        actions={
          v.role === 'coordinator' ? (
            <a class="button" href={`${recordPath('company', company.id)}/edit`}>
              {t.edit}
            </a>
          ) : undefined
        }
      />
      <RecordBody
        v={v}
        deps={deps}
        kind="company"
        id={company.id}
        description={company.description}
        saved={flash?.kind === 'saved'}
        facts={[
          [
            t.offerings,
            company.offerings === undefined || company.offerings.length === 0 ? undefined : (
              <ul class="plain" lang={language}>
                {company.offerings.map((offering) => (
                  <li>{offering}</li>
                ))}
              </ul>
            ),
          ],
          [t.partnershipTypes, <PartnershipList v={v} types={company.partnershipTypes} />],
          [t.orgNumber, company.orgNumber],
          [t.employees, company.employees?.toString()],
          [t.languages, company.languages?.join(', ')],
          // Only web addresses become links (a stored `javascript:` URL stays text).
          [t.website, company.website !== undefined && /^https?:\/\//i.test(company.website) ? <a href={company.website} rel="noopener noreferrer">{company.website}</a> : company.website],
          [t.id, <code>{company.id}</code>],
        ]}
        aside={
          company.contact === undefined ? undefined : (
            <aside class="panel contact" aria-labelledby="contact-heading">
              <h2 id="contact-heading">{t.contact}</h2>
              <p class="hint">{t.contactNote}</p>
              <Facts
                items={[
                  [t.contactName, company.contact.name],
                  [t.contactEmail, company.contact.email === undefined ? undefined : <a href={`mailto:${company.contact.email}`}>{company.contact.email}</a>],
                  [t.contactPhone, company.contact.phone],
                ]}
              />
            </aside>
          )
        }
      />
      <RankedSection v={v} deps={deps} kind="company" id={company.id} ranked={props.ranked} flash={flash?.kind === 'decision' ? flash : undefined} />
    </Layout>
  );
}

// ── forms ──────────────────────────────────────────────────────────────────

function FormPage(props: { v: View; kind: RecordKind; id?: string; values: FormValues; errors: FieldErrors }) {
  const { v, kind, id } = props;
  const { t } = v;
  const title = kind === 'need' ? (id === undefined ? t.newNeedTitle : t.editNeedTitle) : id === undefined ? t.newCompanyTitle : t.editCompanyTitle;
  const back = id === undefined ? `/ui/${PLURAL[kind]}` : recordPath(kind, id);
  return (
    <Layout v={v} title={title} section={PLURAL[kind]}>
      <nav class="breadcrumb" aria-label="breadcrumb">
        <a href={`/ui/${PLURAL[kind]}`}>{kind === 'need' ? t.navNeeds : t.navCompanies}</a>
        {id !== undefined && (
          <>
            {' '}
            <span aria-hidden="true">›</span> <a href={back}>{id}</a>
          </>
        )}
      </nav>
      <PageHead title={title} />
      <RecordForm v={v} kind={kind} action={id === undefined ? `/ui/${PLURAL[kind]}` : back} cancel={back} values={props.values} errors={props.errors} {...(id === undefined ? {} : { id })} />
    </Layout>
  );
}

/** New, edit, create and update of one kind: the catalog validates exactly as the API does. */
function registerForms(web: Hono<WebEnv>, deps: WebDeps, kind: RecordKind): void {
  const { catalog } = deps;
  const plural = PLURAL[kind];

  /** Creates or replaces from the submitted form; on a problem the form comes back with every value and a message per field. */
  const save = async (c: WebContext, id: string | undefined) => {
    requireCoordinator(c);
    if (id !== undefined) catalog.records.get(kind, id);
    const v = c.get('view');
    const values = formValues(kind, await readForm(c));
    const input = formRecord(kind, values, { ...(id === undefined ? {} : { id }), taken: (candidate) => catalog.records.has(kind, candidate) });
    let saved: RecordOf[RecordKind];
    try {
      saved = id === undefined ? catalog.records.create(kind, input) : catalog.records.replace(kind, id, input);
    } catch (error) {
      if (!(error instanceof PartnermatchError) || (error.code !== 'INVALID_INPUT' && error.code !== 'DUPLICATE_ID')) throw error;
      const errors = error.code === 'DUPLICATE_ID' ? { id: [v.t.err.idTaken] } : fieldErrors(v.t, error.issues);
      return render(c, <FormPage v={v} kind={kind} values={values} errors={errors} {...(id === undefined ? {} : { id })} />, toApiError(error).status);
    }
    const session = c.get('session');
    if (session !== undefined) session.flash = { kind: 'saved' };
    return c.redirect(recordPath(kind, saved.id), 303);
  };

  web.get(`/${plural}/new`, (c) => {
    requireCoordinator(c);
    return render(c, <FormPage v={c.get('view')} kind={kind} values={kind === 'need' ? { status: 'open' } : {}} errors={{}} />);
  });
  web.post(`/${plural}`, (c) => save(c, undefined));
  web.get(`/${plural}/:id/edit`, (c) => {
    requireCoordinator(c);
    const id = c.req.param('id');
    return render(c, <FormPage v={c.get('view')} kind={kind} id={id} values={recordValues(kind, catalog.records.get(kind, id))} errors={{}} />);
  });
  web.post(`/${plural}/:id`, (c) => save(c, c.req.param('id')));
}

// ── the shortlist as CSV ───────────────────────────────────────────────────

/**
 * The shortlist in core's results table, as the CLI and the API's batch write it (names beside
 * ids, scores, the evidence in the viewer's language, asOf), plus each pair's decision for
 * coordinators and the company's contact for those who may see it.
 */
function shortlistCsv(v: View, deps: WebDeps, needId: string, limit: number): string {
  const { catalog } = deps;
  const asOf = today();
  const matches = catalog.rankings.matches('need', needId, { limit, minScore: 0, explain: true, includeDeclined: false, asOf });
  const names: RecordNames = {
    company: (id) => companyFor(catalog.records.get('company', id), v.role),
    need: (id) => catalog.records.get('need', id),
  };
  const decision = (match: ResultMatch): string | undefined => {
    const status = catalog.decisions.find(match.needId, match.companyId)?.status;
    return status === undefined ? undefined : v.t.decisions[status];
  };
  const chunks = formatResults([{ queryId: needId, asOf, matches }], 'csv', {
    direction: 'companies',
    explain: true,
    names,
    labels: { sector: (tag) => sectorLabel(v.lang, tag), partnership: (type) => partnershipLabel(v.lang, type) },
    ...(v.role === 'coordinator' ? { decision } : {}),
    contacts: seesContacts(v.role),
  });
  return [...chunks].join('');
}

// ── routes ─────────────────────────────────────────────────────────────────

/** The pages, forms, shortlist export and decisions of needs and companies. */
export function registerRecordPages(web: Hono<WebEnv>, deps: WebDeps): void {
  const { catalog } = deps;

  registerForms(web, deps, 'need');
  registerForms(web, deps, 'company');

  web.get('/needs/:id', (c) => {
    const need = catalog.records.get('need', c.req.param('id'));
    return render(c, <NeedPage v={c.get('view')} deps={deps} need={need} flash={takeFlash(c)} ranked={ranked(c, deps, 'need', need.id)} />);
  });
  web.get('/companies/:id', (c) => {
    const company = catalog.records.get('company', c.req.param('id'));
    return render(c, <CompanyPage v={c.get('view')} deps={deps} company={company} flash={takeFlash(c)} ranked={ranked(c, deps, 'company', company.id)} />);
  });

  web.get('/needs/:id/shortlist.csv', (c) => {
    const need = catalog.records.get('need', c.req.param('id'));
    const csv = shortlistCsv(c.get('view'), deps, need.id, limitParam(c, MATCHES_SHOWN));
    return csvDownload(c, `shortlist-${need.id.replace(/[^A-Za-z0-9_-]/g, '_')}.csv`, csv);
  });

  web.post('/decisions', async (c) => {
    requireCoordinator(c);
    const form = await readForm(c);
    const needId = field(form, 'needId');
    const companyId = field(form, 'companyId');
    const status = field(form, 'status');
    // Read as `PUT /decisions/{needId}/{companyId}` reads it.
    const decided = DecisionInputSchema.shape.status.safeParse(status);
    const existing = catalog.decisions.find(needId, companyId);
    const previous = existing?.status;
    const actor = actorFor(sessionOf(c).role, sessionOf(c).keyId);
    if (status === 'clear') {
      if (previous !== undefined) catalog.decisions.remove(needId, companyId, actor);
    } else if (decided.success) {
      // The page changes only the status: a note written through the API stays.
      catalog.decisions.set(needId, companyId, decided.data, existing?.note, actor);
    } else {
      throw new ApiError('BAD_REQUEST', `unknown decision ${JSON.stringify(status)}`);
    }
    const session = c.get('session');
    if (session !== undefined) {
      session.flash = {
        kind: 'decision',
        status: status === 'clear' ? 'cleared' : (status as DecisionStatus),
        needId,
        companyId,
        ...(previous === undefined || status === 'clear' ? {} : { previous }),
      };
    }
    const back = safeBack(field(form, 'back'));
    const anchor = field(form, 'anchor');
    const hash = status === 'declined' || !/^[\w-]+$/.test(anchor) ? 'matches' : anchor;
    return c.redirect(`${back}#${hash}`, 303);
  });
}
