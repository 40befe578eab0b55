import type { Hono } from 'hono';
import { z } from '@hono/zod-openapi';
import type { PossibleDuplicate } from '../domain/duplicates.js';
import { ApiError } from '../errors.js';
import { actorFor } from '../routes/followup.js';
import { field, queryParam, readForm, render, requireCoordinator, sessionOf, type WebDeps, type WebEnv } from './context.js';
import type { UiLanguage } from './i18n.js';
import { Csrf, Layout, Notice, recordPath, type View } from './layout.js';

interface DuplicateMessages {
  title: string;
  intro: string;
  none: string;
  company: string;
  resembles: string;
  reason: string;
  similarity: string;
  orgNumber: string;
  similarText: string;
  review: string;
  mergeTitle: string;
  keepLegend: string;
  mergeIntro: string;
  keepThis: (name: string, id: string) => string;
  moves: (decisions: number, events: number) => string;
  mergeButton: string;
  cancel: string;
  merged: (merged: string, kept: string) => string;
  conflicts: (count: number) => string;
}

const MESSAGES: Readonly<Record<UiLanguage, DuplicateMessages>> = {
  en: {
    title: 'Possible duplicates',
    intro: 'Companies with the same organisation number, or a name and description so close that they are probably one firm entered twice. Merging keeps one record and moves the other’s decisions, follow-up history and alert subscriptions to it.',
    none: 'No likely duplicates.',
    company: 'Company',
    resembles: 'Resembles',
    reason: 'Why',
    similarity: 'Similarity',
    orgNumber: 'same organisation number',
    similarText: 'similar name and description',
    review: 'Review and merge…',
    mergeTitle: 'Merge two companies',
    keepLegend: 'The record to keep',
    mergeIntro: 'Choose the record to keep. The other is deleted; its decisions, history and subscriptions move to the one kept. Where both have a stage on the same need, the more advanced stage is kept and the history says so. This cannot be undone.',
    keepThis: (name, id) => `Keep ${name} (${id})`,
    moves: (decisions, events) => `${decisions} decisions, ${events} history events`,
    mergeButton: 'Merge',
    cancel: 'Cancel',
    merged: (merged, kept) => `${merged} was merged into ${kept}.`,
    conflicts: (count) => `${count} need(s) had a stage on both; the more advanced one was kept.`,
  },
  sv: {
    title: 'Möjliga dubbletter',
    intro: 'Företag med samma organisationsnummer, eller med namn och beskrivning så lika att de troligen är samma företag inlagt två gånger. En sammanslagning behåller en post och flyttar den andras beslut, uppföljningshistorik och bevakningar till den.',
    none: 'Inga troliga dubbletter.',
    company: 'Företag',
    resembles: 'Liknar',
    reason: 'Varför',
    similarity: 'Likhet',
    orgNumber: 'samma organisationsnummer',
    similarText: 'liknande namn och beskrivning',
    review: 'Granska och slå samman…',
    mergeTitle: 'Slå samman två företag',
    keepLegend: 'Posten som behålls',
    mergeIntro: 'Välj posten som ska behållas. Den andra tas bort; dess beslut, historik och bevakningar flyttas till den som behålls. Där båda har ett steg för samma behov behålls det som kommit längst, och historiken säger det. Det går inte att ångra.',
    keepThis: (name, id) => `Behåll ${name} (${id})`,
    moves: (decisions, events) => `${decisions} beslut, ${events} händelser i historiken`,
    mergeButton: 'Slå samman',
    cancel: 'Avbryt',
    merged: (merged, kept) => `${merged} slogs samman med ${kept}.`,
    conflicts: (count) => `${count} behov hade ett steg hos båda; det som kommit längst behölls.`,
  },
  zh: {
    title: '可能重复的企业',
    intro: '组织编号相同，或名称和描述非常接近、很可能是同一家企业被录入了两次。合并会保留一条记录，并把另一条的决定、跟进历史和提醒订阅转到保留的记录上。',
    none: '没有可能重复的企业。',
    company: '企业',
    resembles: '相似于',
    reason: '原因',
    similarity: '相似度',
    orgNumber: '组织编号相同',
    similarText: '名称和描述相似',
    review: '查看并合并…',
    mergeTitle: '合并两家企业',
    keepLegend: '要保留的记录',
    mergeIntro: '请选择要保留的记录。另一条将被删除，其决定、历史和订阅转到保留的记录。若两者对同一需求都有阶段，保留进展更远的阶段，并在历史中注明。此操作无法撤销。',
    keepThis: (name, id) => `保留 ${name}（${id}）`,
    moves: (decisions, events) => `${decisions} 个决定，${events} 条历史记录`,
    mergeButton: '合并',
    cancel: '取消',
    merged: (merged, kept) => `${merged} 已合并到 ${kept}。`,
    conflicts: (count) => `${count} 个需求在两者上都有阶段，已保留进展更远的阶段。`,
  },
};

export const duplicateMessages = (lang: UiLanguage): DuplicateMessages => MESSAGES[lang];

const id = z.string().min(1).max(200);

function similarityText(v: View, pair: PossibleDuplicate): string {
  return new Intl.NumberFormat(v.lang, { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(pair.similarity);
}

function DuplicatesPage(props: { v: View; pairs: readonly PossibleDuplicate[]; notice?: string }) {
  const { v, pairs } = props;
  const m = duplicateMessages(v.lang);
  return (
    <Layout v={v} title={m.title} section="companies">
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {props.notice !== undefined && <Notice>{props.notice}</Notice>}
      {pairs.length === 0 ? (
        <p class="muted" data-testid="no-duplicates">
          {m.none}
        </p>
      ) : (
        <table class="data-table" data-testid="duplicates">
          <thead>
            <tr>
              <th scope="col">{m.company}</th>
              <th scope="col">{m.resembles}</th>
              <th scope="col">{m.reason}</th>
              <th scope="col">{m.similarity}</th>
              <th scope="col">
                <span class="visually-hidden">{m.review}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((pair) => (
              <tr data-pair={`${pair.id}>${pair.duplicateOf}`}>
                <td>
                  <a href={recordPath('company', pair.id)}>{pair.name}</a> <span class="muted">{pair.id}</span>
                </td>
                <td>
                  <a href={recordPath('company', pair.duplicateOf)}>{pair.duplicateOfName}</a> <span class="muted">{pair.duplicateOf}</span>
                </td>
                <td>{pair.reason === 'orgNumber' ? m.orgNumber : m.similarText}</td>
                <td>{similarityText(v, pair)}</td>
                <td>
                  <a href={`/ui/duplicates/merge?${new URLSearchParams({ id: pair.id, keep: pair.duplicateOf }).toString()}`}>{m.review}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

interface Side {
  readonly id: string;
  readonly name: string;
  readonly municipality: string | undefined;
  readonly orgNumber: string | undefined;
  readonly decisions: number;
  readonly events: number;
}

function MergePage(props: { v: View; merged: Side; kept: Side }) {
  const { v, merged, kept } = props;
  const m = duplicateMessages(v.lang);
  const option = (side: Side, checked: boolean) => (
    <label class="choice">
      <input type="radio" name="keep" value={side.id} checked={checked} />{' '}
      <strong>{m.keepThis(side.name, side.id)}</strong>
      <span class="muted">
        {' — '}
        {[side.municipality, side.orgNumber, m.moves(side.decisions, side.events)].filter((part) => part !== undefined).join(' · ')}
      </span>
    </label>
  );
  return (
    <Layout v={v} title={m.mergeTitle} section="companies">
      <h1>{m.mergeTitle}</h1>
      <p>{m.mergeIntro}</p>
      <form method="post" action="/ui/duplicates/merge" class="panel" data-testid="merge-form">
        <Csrf v={v} />
        <input type="hidden" name="a" value={kept.id} />
        <input type="hidden" name="b" value={merged.id} />
        <fieldset>
          <legend>{m.keepLegend}</legend>
          {option(kept, true)}
          <br />
          {option(merged, false)}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button-primary">
            {m.mergeButton}
          </button>{' '}
          <a href="/ui/duplicates">{m.cancel}</a>
        </div>
      </form>
    </Layout>
  );
}

/** `/ui/duplicates`: the coordinators' list of likely duplicate companies, and the merge (confirmation form, then POST). */
export function registerDuplicatePages(web: Hono<WebEnv>, deps: WebDeps): void {
  const { catalog } = deps;

  web.get('/duplicates', (c) => {
    requireCoordinator(c);
    const v = c.get('view');
    const m = duplicateMessages(v.lang);
    const merged = queryParam(c, 'merged', id);
    const kept = queryParam(c, 'kept', id);
    const conflicts = queryParam(c, 'conflicts', z.coerce.number().int().min(0));
    const notice =
      merged === undefined || kept === undefined ? undefined : `${m.merged(merged, kept)}${conflicts === undefined || conflicts === 0 ? '' : ` ${m.conflicts(conflicts)}`}`;
    return render(c, <DuplicatesPage v={v} pairs={catalog.duplicates.possible()} {...(notice === undefined ? {} : { notice })} />);
  });

  const side = (companyId: string): Side => {
    const company = catalog.records.get('company', companyId);
    return {
      id: company.id,
      name: company.name,
      municipality: company.municipality,
      orgNumber: company.orgNumber,
      decisions: catalog.decisions.list({ companyId }).length,
      events: catalog.decisions.history.currentAll({ companyId }).reduce((sum, pair) => sum + catalog.decisions.history.history(pair.needId, companyId).length, 0),
    };
  };

  web.get('/duplicates/merge', (c) => {
    requireCoordinator(c);
    const merged = queryParam(c, 'id', id);
    const keep = queryParam(c, 'keep', id);
    if (merged === undefined || keep === undefined || merged === keep) throw new ApiError('BAD_REQUEST', 'name two companies: id and keep');
    return render(c, <MergePage v={c.get('view')} merged={side(merged)} kept={side(keep)} />);
  });

  web.post('/duplicates/merge', async (c) => {
    requireCoordinator(c);
    const form = await readForm(c);
    const session = sessionOf(c);
    const pair = [field(form, 'a'), field(form, 'b')];
    const keep = field(form, 'keep');
    if (!pair.includes(keep)) throw new ApiError('BAD_REQUEST', 'choose one of the two companies to keep');
    const merged = pair.find((candidate) => candidate !== keep);
    if (merged === undefined || merged === '') throw new ApiError('BAD_REQUEST', 'name two companies');
    const result = catalog.duplicates.merge(merged, keep, actorFor(session.role, session.keyId));
    const query = new URLSearchParams({ merged: result.merged, kept: result.kept, conflicts: String(result.conflicts.length) });
    return c.redirect(`/ui/duplicates?${query.toString()}`, 303);
  });
}
