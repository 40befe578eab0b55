import type { Hono } from 'hono';
import { PartnermatchError } from '@partnermatch/core';
import { DIGEST_LANGUAGES, type Subscription } from '../alerts/index.js';
import { daysBetween, EXPIRES_SOON_DAYS, expiresWithin, isExpired, STAGES, today, type ActionItem } from '../followup/index.js';
import { csvDownload } from '../csv.js';
import { ApiError } from '../errors.js';
import { actorFor } from '../routes/followup.js';
import { field, readForm, render, requireCoordinator, sessionOf, type WebContext, type WebDeps, type WebEnv } from './context.js';
import { followupMessages } from './followup-i18n.js';
import { Csrf, Layout, Notice, recordPath, type View } from './layout.js';

interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** The problems of a rejected form, from the domain's INVALID_INPUT issues (other errors are rethrown). */
function formErrors(error: unknown): FieldError[] {
  if (error instanceof PartnermatchError && error.code === 'INVALID_INPUT') {
    return error.issues.length > 0 ? error.issues.map((i) => ({ path: i.path, message: i.message })) : [{ path: '', message: error.message }];
  }
  throw error;
}

function ErrorList({ v, errors }: { v: View; errors: readonly FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} data-error-summary>
      <p>{followupMessages(v.lang).fixErrors}</p>
      <ul>
        {errors.map((e) => (
          <li>{e.path === '' ? e.message : `${e.path}: ${e.message}`}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * "expired" or "expires within 14 days" beside a need's deadline (nothing otherwise), judged
 * as of today: the same rule the rankings use.
 */
export function DeadlineNote({ v, need }: { v: View; need: { readonly deadline?: string | undefined; readonly status?: string | undefined } }) {
  if (need.status === 'closed') return null;
  const f = followupMessages(v.lang);
  const asOf = today();
  if (isExpired(need, asOf)) return <span class="badge badge-closed deadline-expired">{f.expired}</span>;
  if (expiresWithin(need, asOf, EXPIRES_SOON_DAYS)) {
    return <span class="badge deadline-soon">{f.expiresIn(daysBetween(asOf, need.deadline!.slice(0, 10)))}</span>;
  }
  return null;
}

/** The one-click close of an expired need (coordinators only; nothing for other needs). */
export function CloseExpiredNeed({ v, need }: { v: View; need: { readonly id: string; readonly deadline?: string | undefined; readonly status?: string | undefined } }) {
  if (v.role !== 'coordinator' || need.status === 'closed' || !isExpired(need, today())) return null;
  return (
    <form method="post" action={`${recordPath('need', need.id)}/close`} class="inline-form">
      <Csrf v={v} />
      <button type="submit" class="button">
        {followupMessages(v.lang).closeNeed}
      </button>
    </form>
  );
}

interface RecordValues {
  readonly needId: string;
  readonly companyId: string;
  readonly stage: string;
  readonly note: string;
  readonly nextActionOn: string;
}

function ActionsPage(props: {
  v: View;
  deps: WebDeps;
  asOf: string;
  withinDays: number;
  items: readonly ActionItem[];
  values?: RecordValues;
  errors?: readonly FieldError[];
  recorded?: boolean;
}) {
  const { v, deps, items } = props;
  const f = followupMessages(v.lang);
  const { records } = deps.catalog;
  const values = props.values ?? { needId: '', companyId: '', stage: 'contacted', note: '', nextActionOn: '' };
  const nameOf = (kind: 'need' | 'company', id: string): string =>
    records.has(kind, id) ? (kind === 'need' ? records.get('need', id).title : records.get('company', id).name) : id;
  return (
    <Layout v={v} title={f.actionsTitle}>
      <h1>{f.actionsTitle}</h1>
      <p>{f.actionsIntro}</p>
      {props.recorded === true && <Notice>{f.recorded}</Notice>}
      <form method="get" action="/ui/actions" class="filters">
        <label for="f-asof">{f.asOf}</label> <input id="f-asof" name="asOf" type="date" value={props.asOf} />{' '}
        <label for="f-within">{f.withinDays}</label> <input id="f-within" name="withinDays" type="number" min="0" max="365" value={String(props.withinDays)} />{' '}
        <button type="submit" class="button">
          {f.show}
        </button>
      </form>
      {items.length === 0 ? (
        <p class="muted" data-testid="no-actions">
          {f.noActions}
        </p>
      ) : (
        <table class="data-table" data-testid="actions">
          <thead>
            <tr>
              <th scope="col">{f.colNeed}</th>
              <th scope="col">{f.colCompany}</th>
              <th scope="col">{f.colStage}</th>
              <th scope="col">{f.colNextAction}</th>
              <th scope="col">{f.colState}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr data-state={item.state}>
                <td>
                  <a href={recordPath('need', item.needId)}>{nameOf('need', item.needId)}</a>
                </td>
                <td>
                  <a href={recordPath('company', item.companyId)}>{nameOf('company', item.companyId)}</a>
                </td>
                <td>{f.stageNames[item.stage]}</td>
                <td>
                  <time datetime={item.nextActionOn}>{item.nextActionOn}</time>
                  {item.note === undefined ? null : <div class="muted">{item.note}</div>}
                </td>
                <td>
                  <span class={`badge ${item.state === 'overdue' ? 'badge-closed' : 'badge-open'}`}>
                    {item.state === 'overdue' ? f.overdue(-item.inDays) : f.dueIn(item.inDays)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href="/ui/actions/history.csv" download>
          {f.historyCsv}
        </a>
      </p>
      <section class="panel" aria-labelledby="record-stage">
        <h2 id="record-stage">{f.recordTitle}</h2>
        <ErrorList v={v} errors={props.errors ?? []} />
        <form method="post" action="/ui/actions" novalidate>
          <Csrf v={v} />
          <p>
            <label for="f-need">{f.needId}</label> <input id="f-need" name="needId" value={values.needId} required />
          </p>
          <p>
            <label for="f-company">{f.companyId}</label> <input id="f-company" name="companyId" value={values.companyId} required />
          </p>
          <p>
            <label for="f-stage">{f.stage}</label>{' '}
            <select id="f-stage" name="stage">
              {STAGES.map((stage) => (
                <option value={stage} selected={stage === values.stage}>
                  {f.stageNames[stage]}
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="f-note">{f.note}</label> <textarea id="f-note" name="note">{values.note}</textarea>
          </p>
          <p>
            <label for="f-next">{f.nextActionOn}</label> <input id="f-next" name="nextActionOn" value={values.nextActionOn} placeholder="YYYY-MM-DD" aria-describedby="f-next-hint" />{' '}
            <span id="f-next-hint" class="muted">
              {f.nextActionHint}
            </span>
          </p>
          <button type="submit" class="button-primary">
            {f.record}
          </button>
        </form>
      </section>
    </Layout>
  );
}

interface SubscriptionValues {
  readonly url: string;
  readonly email: string;
  readonly language: string;
  readonly companyId: string;
  readonly sectors: string;
  readonly minScore: string;
}

function SubscriptionsPage(props: { v: View; items: readonly Subscription[]; values?: SubscriptionValues; errors?: readonly FieldError[]; subscribed?: boolean }) {
  const { v, items } = props;
  const f = followupMessages(v.lang);
  const values = props.values ?? { url: '', email: '', language: v.lang, companyId: '', sectors: '', minScore: '' };
  return (
    <Layout v={v} title={f.subscriptionsTitle}>
      <h1>{f.subscriptionsTitle}</h1>
      <p>{f.subscriptionsIntro}</p>
      {props.subscribed === true && <Notice>{f.subscribed}</Notice>}
      {items.length === 0 ? (
        <p class="muted" data-testid="no-subscriptions">
          {f.noSubscriptions}
        </p>
      ) : (
        <table class="data-table" data-testid="subscriptions">
          <thead>
            <tr>
              <th scope="col">{f.target}</th>
              <th scope="col">{f.colCompany}</th>
              <th scope="col">{f.sectors}</th>
              <th scope="col">{f.minScore}</th>
              <th scope="col">{f.deliveries}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr data-id={s.id}>
                <td>{s.url ?? s.email}</td>
                <td>{s.companyId === undefined ? '–' : <a href={recordPath('company', s.companyId)}>{s.companyId}</a>}</td>
                <td>{s.sectors?.join(', ') ?? '–'}</td>
                <td>{s.minScore ?? '–'}</td>
                <td>
                  <a href={`/ui/subscriptions/${encodeURIComponent(s.id)}`}>{f.deliveries}</a>{' '}
                  <form method="post" action={`/ui/subscriptions/${encodeURIComponent(s.id)}/delete`} class="inline-form">
                    <Csrf v={v} />
                    <button type="submit" class="button-quiet">
                      {f.unsubscribe}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel" aria-labelledby="new-subscription">
        <h2 id="new-subscription">{f.newSubscription}</h2>
        <ErrorList v={v} errors={props.errors ?? []} />
        <form method="post" action="/ui/subscriptions" novalidate>
          <Csrf v={v} />
          <p>
            <label for="s-url">{f.url}</label> <input id="s-url" name="url" type="url" value={values.url} />
          </p>
          <p>
            <label for="s-secret">{f.secret}</label> <input id="s-secret" name="secret" type="password" autocomplete="off" aria-describedby="s-secret-hint" />{' '}
            <span id="s-secret-hint" class="muted">
              {f.secretHint}
            </span>
          </p>
          <p>
            <label for="s-email">{f.email}</label> <input id="s-email" name="email" type="email" value={values.email} />{' '}
            <label for="s-lang">{f.language}</label>{' '}
            <select id="s-lang" name="language">
              {DIGEST_LANGUAGES.map((lang) => (
                <option value={lang} selected={lang === values.language}>
                  {lang}
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="s-company">{f.companyId}</label> <input id="s-company" name="companyId" value={values.companyId} />
          </p>
          <p>
            <label for="s-sectors">{f.sectors}</label> <input id="s-sectors" name="sectors" value={values.sectors} aria-describedby="s-sectors-hint" />{' '}
            <span id="s-sectors-hint" class="muted">
              {f.sectorsHint}
            </span>
          </p>
          <p>
            <label for="s-min">{f.minScore}</label> <input id="s-min" name="minScore" inputmode="decimal" value={values.minScore} aria-describedby="s-min-hint" />{' '}
            <span id="s-min-hint" class="muted">
              {f.minScoreHint}
            </span>
          </p>
          <button type="submit" class="button-primary">
            {f.subscribe}
          </button>
        </form>
      </section>
    </Layout>
  );
}

function DeliveriesPage({ v, deps, subscription }: { v: View; deps: WebDeps; subscription: Subscription }) {
  const f = followupMessages(v.lang);
  const deliveries = deps.catalog.alerts.subscriptions.deliveries(subscription.id);
  return (
    <Layout v={v} title={f.deliveriesTitle}>
      <nav class="breadcrumb" aria-label="breadcrumb">
        <a href="/ui/subscriptions">{f.subscriptionsTitle}</a> <span aria-hidden="true">›</span> <span>{subscription.id}</span>
      </nav>
      <h1>{f.deliveriesTitle}</h1>
      <p>
        {f.target}: {subscription.url ?? subscription.email}
      </p>
      {deliveries.length === 0 ? (
        <p class="muted">{f.noDeliveries}</p>
      ) : (
        <table class="data-table" data-testid="deliveries">
          <thead>
            <tr>
              <th scope="col">{f.colCreated}</th>
              <th scope="col">{f.colNeed}</th>
              <th scope="col">{f.colCompany}</th>
              <th scope="col">{f.colScore}</th>
              <th scope="col">{f.colStatus}</th>
              <th scope="col">{f.colAttempts}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr>
                <td>{d.createdAt}</td>
                <td>
                  <a href={recordPath('need', d.needId)}>{d.needId}</a>
                </td>
                <td>{d.companyId ?? '–'}</td>
                <td>{d.score ?? '–'}</td>
                <td>{d.status}</td>
                <td>{d.attempts.map((a) => `${a.outcome}${a.httpStatus === undefined ? '' : ` ${a.httpStatus}`}`).join(', ') || '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** Parses the action list's query the way `GET /actions` does, falling back to today and 14 days. */
function actionsQuery(c: WebContext): { asOf: string; withinDays: number } {
  const asOf = c.req.query('asOf');
  const within = Number(c.req.query('withinDays'));
  return {
    asOf: asOf !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(asOf) && !Number.isNaN(Date.parse(asOf)) ? asOf : today(),
    withinDays: Number.isInteger(within) && within >= 0 && within <= 365 && c.req.query('withinDays') !== undefined ? within : EXPIRES_SOON_DAYS,
  };
}

/** The coordinators' follow-up pages: the action list (recording a stage), alert subscriptions, closing an expired need. */
export function registerFollowupPages(web: Hono<WebEnv>, deps: WebDeps): void {
  const { catalog } = deps;

  web.get('/actions', (c) => {
    requireCoordinator(c);
    const { asOf, withinDays } = actionsQuery(c);
    const recorded = sessionOf(c).flash?.kind === 'saved';
    if (recorded) delete sessionOf(c).flash;
    return render(c, <ActionsPage v={c.get('view')} deps={deps} asOf={asOf} withinDays={withinDays} items={catalog.decisions.actions({ asOf, withinDays })} recorded={recorded} />);
  });

  web.get('/actions/history.csv', (c) => {
    requireCoordinator(c);
    return csvDownload(c, 'decision-history.csv', catalog.decisions.history.exportCsv());
  });

  web.post('/actions', async (c) => {
    requireCoordinator(c);
    const form = await readForm(c);
    const session = sessionOf(c);
    const values: RecordValues = {
      needId: field(form, 'needId').trim(),
      companyId: field(form, 'companyId').trim(),
      stage: field(form, 'stage'),
      note: field(form, 'note'),
      nextActionOn: field(form, 'nextActionOn').trim(),
    };
    const body = { stage: values.stage, ...(values.note.trim() === '' ? {} : { note: values.note }), ...(values.nextActionOn === '' ? {} : { nextActionOn: values.nextActionOn }) };
    let errors: FieldError[] = [];
    if (values.needId === '' || !catalog.records.has('need', values.needId)) errors.push({ path: 'needId', message: `unknown need ${JSON.stringify(values.needId)}` });
    if (values.companyId === '' || !catalog.records.has('company', values.companyId)) errors.push({ path: 'companyId', message: `unknown company ${JSON.stringify(values.companyId)}` });
    if (errors.length === 0) {
      try {
        catalog.decisions.recordStage(values.needId, values.companyId, body, actorFor(session.role, session.keyId));
        session.flash = { kind: 'saved' };
        return c.redirect('/ui/actions', 303);
      } catch (error) {
        errors = formErrors(error);
      }
    }
    const asOf = today();
    return render(
      c,
      <ActionsPage v={c.get('view')} deps={deps} asOf={asOf} withinDays={EXPIRES_SOON_DAYS} items={catalog.decisions.actions({ asOf, withinDays: EXPIRES_SOON_DAYS })} values={values} errors={errors} />,
      400,
    );
  });

  web.post('/needs/:id/close', async (c) => {
    requireCoordinator(c);
    await readForm(c);
    const id = c.req.param('id');
    catalog.records.patch('need', id, { status: 'closed' });
    return c.redirect(recordPath('need', id), 303);
  });

  const visible = (c: WebContext): Subscription[] => {
    const session = sessionOf(c);
    return catalog.alerts.subscriptions.list(session.role === 'coordinator' ? {} : { ownerName: actorFor(session.role, session.keyId).name });
  };

  web.get('/subscriptions', (c) => {
    requireCoordinator(c);
    const subscribed = sessionOf(c).flash?.kind === 'saved';
    if (subscribed) delete sessionOf(c).flash;
    return render(c, <SubscriptionsPage v={c.get('view')} items={visible(c)} subscribed={subscribed} />);
  });

  web.post('/subscriptions', async (c) => {
    requireCoordinator(c);
    const form = await readForm(c);
    const session = sessionOf(c);
    const values: SubscriptionValues = {
      url: field(form, 'url').trim(),
      email: field(form, 'email').trim(),
      language: field(form, 'language'),
      companyId: field(form, 'companyId').trim(),
      sectors: field(form, 'sectors').trim(),
      minScore: field(form, 'minScore').trim(),
    };
    const secret = field(form, 'secret');
    const sectors = values.sectors.split(/[,\s]+/).filter((s) => s !== '');
    const minScore = values.minScore.replace(',', '.');
    const body = {
      ...(values.url === '' ? {} : { url: values.url, secret }),
      ...(values.email === '' ? {} : { email: values.email, language: values.language }),
      ...(values.companyId === '' ? {} : { companyId: values.companyId }),
      ...(sectors.length === 0 ? {} : { sectors }),
      ...(minScore === '' ? {} : { minScore: Number.isFinite(Number(minScore)) ? Number(minScore) : minScore }),
    };
    try {
      await catalog.alerts.subscriptions.create(body, actorFor(session.role, session.keyId), { companyExists: (id) => catalog.records.has('company', id) });
      session.flash = { kind: 'saved' };
      return c.redirect('/ui/subscriptions', 303);
    } catch (error) {
      return render(c, <SubscriptionsPage v={c.get('view')} items={visible(c)} values={values} errors={formErrors(error)} />, 400);
    }
  });

  web.get('/subscriptions/:id', (c) => {
    requireCoordinator(c);
    const subscription = visible(c).find((s) => s.id === c.req.param('id'));
    if (subscription === undefined) throw new ApiError('NOT_FOUND', 'no such subscription');
    return render(c, <DeliveriesPage v={c.get('view')} deps={deps} subscription={subscription} />);
  });

  web.post('/subscriptions/:id/delete', async (c) => {
    requireCoordinator(c);
    await readForm(c);
    const subscription = visible(c).find((s) => s.id === c.req.param('id'));
    if (subscription === undefined) throw new ApiError('NOT_FOUND', 'no such subscription');
    catalog.alerts.subscriptions.remove(subscription.id);
    return c.redirect('/ui/subscriptions', 303);
  });
}
