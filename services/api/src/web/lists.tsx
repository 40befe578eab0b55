import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { MUNICIPALITIES, taxonomy, type Company, type PartnerNeed } from '@partnermatch/core';
import type { ListFilter } from '../catalog.js';
import { CompanyListQuery, NeedListQuery } from '../schemas.js';
import type { RecordKind, RecordOf } from '../store.js';
import { queryParam, render, type WebContext, type WebDeps, type WebEnv } from './context.js';
import { sectorLabel } from './i18n.js';
import { DeadlineNote } from './followup.js';
import { duplicateMessages } from './duplicates.js';
import { formatScore, Layout, PageHead, Pager, PartnershipList, PLURAL, queryString, recordPath, SectorChips, StatusBadge, type View } from './layout.js';

/** Rows per list page. */
const PAGE_SIZE = 50;

/** The list's query: the filters and the page. */
interface ListParams {
  readonly q: string;
  readonly sector: string;
  /** City (needs) or municipality (companies). */
  readonly place: string;
  readonly status: string;
  readonly offset: number;
  /** The filter the values above make (invalid ones left out). */
  readonly filter: ListFilter;
}

/** `place` names the query parameter of the place filter. */
function listParams(c: WebContext, place: 'city' | 'municipality'): ListParams {
  return {
    q: c.req.query('q')?.trim() ?? '',
    sector: c.req.query('sector') ?? '',
    place: c.req.query(place) ?? '',
    status: c.req.query('status') ?? '',
    offset: queryParam(c, 'offset', NeedListQuery.shape.offset) ?? 0,
    filter: listFilter(c, place),
  };
}

/**
 * The catalog filter of a list query, each value read with the API's list-route schema for
 * it (`GET /needs`, `GET /companies`); values that are not valid filters are ignored.
 */
function listFilter(c: WebContext, place: 'city' | 'municipality'): ListFilter {
  const q = queryParam(c, 'q', NeedListQuery.shape.q);
  const sectors = queryParam(c, 'sector', NeedListQuery.shape.sector);
  const placeValue = place === 'city' ? queryParam(c, 'city', NeedListQuery.shape.city) : queryParam(c, 'municipality', CompanyListQuery.shape.municipality);
  const status = place === 'city' ? queryParam(c, 'status', NeedListQuery.shape.status) : undefined;
  return {
    ...(q === undefined ? {} : { q }),
    ...(sectors === undefined ? {} : { sectors }),
    ...(placeValue === undefined ? {} : { place: placeValue }),
    ...(status === undefined ? {} : { status }),
  };
}

function Select(props: { name: string; label: string; value: string; options: readonly (readonly [string, string])[] }) {
  return (
    <div class="filter">
      <label for={`filter-${props.name}`}>{props.label}</label>
      <select id={`filter-${props.name}`} name={props.name}>
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === props.value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Every sector, grouped under its root, labelled in the interface language. */
export function SectorSelect({ v, value, id = 'filter-sector' }: { v: View; value: string; id?: string }) {
  const roots = taxonomy.tags.filter((tag) => tag.parent === undefined);
  return (
    <div class="filter">
      <label for={id}>{v.t.sector}</label>
      <select id={id} name="sector">
        <option value="">{v.t.anySector}</option>
        {roots.map((root) => (
          <optgroup label={sectorLabel(v.lang, root.id)}>
            {[root.id, ...root.children].map((tag) => (
              <option value={tag} selected={tag === value}>
                {tag === root.id ? sectorLabel(v.lang, tag) : `· ${sectorLabel(v.lang, tag)}`}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** A column of a list: its heading and what a record shows in it. The first column heads its row. */
interface Column<T> {
  readonly label: string;
  readonly cell: (record: T) => Child;
}

/** What a list page needs to know about its kind. */
interface ListSpec<K extends RecordKind> {
  readonly kind: K;
  readonly title: string;
  readonly count: (n: number) => string;
  readonly newLabel: string;
  readonly empty: string;
  /** The kind's own filters, between the search box and the sector. */
  readonly filters: Child;
  /** The filter parameters (besides `offset`) as the pager's links repeat them. */
  readonly query: Readonly<Record<string, string>>;
  readonly columns: readonly Column<RecordOf[K]>[];
}

/** A list page: title and count, the filter form, a table of one page of records and the pager. */
function ListPage<K extends RecordKind>({ v, deps, params, spec }: { v: View; deps: WebDeps; params: ListParams; spec: ListSpec<K> }) {
  const { t } = v;
  const path = `/ui/${PLURAL[spec.kind]}`;
  const page = deps.catalog.records.list(spec.kind, params.filter, { limit: PAGE_SIZE, offset: params.offset });
  const [first, ...rest] = spec.columns;
  return (
    <Layout v={v} title={spec.title} section={PLURAL[spec.kind]}>
      <PageHead
        title={spec.title}
        subtitle={spec.count(page.total)}
        actions={
          v.role === 'coordinator' ? (
            <>
              {spec.kind === 'company' && (
                <a class="button" href="/ui/duplicates">
                  {duplicateMessages(v.lang).title}
                </a>
              )}{' '}
              <a class="button button-primary" href={`${path}/new`}>
                + {spec.newLabel}
              </a>
            </>
          ) : undefined
        }
      />
      <form method="get" action={path} class="filters" role="search" aria-label={t.filters}>
        <div class="filter filter-search">
          <label for="filter-q">{t.search}</label>
          <input id="filter-q" type="search" name="q" value={params.q} />
        </div>
        {spec.filters}
        <SectorSelect v={v} value={params.sector} />
        <div class="filter filter-actions">
          <button type="submit" class="button-primary">
            {t.applyFilters}
          </button>
          <a href={path} class="button-link">
            {t.clearFilters}
          </a>
        </div>
      </form>
      {page.items.length === 0 || first === undefined ? (
        <p class="empty">{spec.empty}</p>
      ) : (
        <table class="records">
          <thead>
            <tr>
              {spec.columns.map((column) => (
                <th scope="col">{column.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.items.map((record) => (
              <tr>
                <th scope="row">{first.cell(record)}</th>
                {rest.map((column) => (
                  <td data-label={column.label}>{column.cell(record)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager v={v} total={page.total} limit={PAGE_SIZE} offset={params.offset} link={(offset) => `${path}${queryString({ ...spec.query, q: params.q, sector: params.sector, offset })}`} />
    </Layout>
  );
}

function TopMatch({ v, deps, need }: { v: View; deps: WebDeps; need: PartnerNeed }) {
  const top = deps.catalog.rankings.matches('need', need.id, { limit: 1, minScore: 0, explain: false, includeDeclined: false })[0];
  if (top === undefined) return <span class="muted">–</span>;
  return (
    <span>
      <a href={recordPath('company', top.id)}>{deps.catalog.records.get('company', top.id).name}</a>{' '}
      <span class="muted">{formatScore(v, top.score)}</span>
    </span>
  );
}

function needsSpec(v: View, deps: WebDeps, params: ListParams): ListSpec<'need'> {
  const { t } = v;
  const { catalog } = deps;
  const cities = [...new Set(catalog.records.all('need').flatMap((n) => (n.city === undefined ? [] : [n.city])))].sort((a, b) => a.localeCompare(b));
  const profile = (need: PartnerNeed) => catalog.records.profile('need', need.id);
  return {
    kind: 'need',
    title: t.needsTitle,
    count: t.needsCount,
    newLabel: t.newNeed,
    empty: t.noNeeds,
    query: { status: params.status, city: params.place },
    filters: (
      <>
        <Select
          name="status"
          label={t.status}
          value={params.status}
          options={[
            ['', t.statusAll],
            ['open', t.statusNames.open],
            ['closed', t.statusNames.closed],
          ]}
        />
        <Select name="city" label={t.city} value={params.place} options={[['', t.anyCity], ...cities.map((city) => [city, city] as const)]} />
      </>
    ),
    columns: [
      {
        label: t.colNeed,
        cell: (need) => (
          <>
            <a href={recordPath('need', need.id)} lang={profile(need).language}>
              {need.title}
            </a>
            <span class="muted block" lang={profile(need).language}>
              {need.organization}
            </span>
          </>
        ),
      },
      { label: t.city, cell: (need) => need.city ?? '–' },
      { label: t.colSectors, cell: (need) => <SectorChips v={v} tags={profile(need).tags.map((tag) => tag.tag)} /> },
      { label: t.status, cell: (need) => <><StatusBadge v={v} status={need.status} /> <DeadlineNote v={v} need={need} /></> },
      { label: t.colTopMatch, cell: (need) => <TopMatch v={v} deps={deps} need={need} /> },
    ],
  };
}

function companiesSpec(v: View, deps: WebDeps, params: ListParams): ListSpec<'company'> {
  const { t } = v;
  return {
    kind: 'company',
    title: t.companiesTitle,
    count: t.companiesCount,
    newLabel: t.newCompany,
    empty: t.noCompanies,
    query: { municipality: params.place },
    filters: (
      <Select name="municipality" label={t.municipality} value={params.place} options={[['', t.anyMunicipality], ...MUNICIPALITIES.map((m) => [m, m] as const)]} />
    ),
    columns: [
      { label: t.colCompany, cell: (company: Company) => <a href={recordPath('company', company.id)}>{company.name}</a> },
      { label: t.municipality, cell: (company) => company.municipality ?? '–' },
      { label: t.colSectors, cell: (company) => <SectorChips v={v} tags={deps.catalog.records.profile('company', company.id).tags.map((tag) => tag.tag)} /> },
      { label: t.partnershipTypes, cell: (company) => <PartnershipList v={v} types={company.partnershipTypes} /> },
    ],
  };
}

/** The needs and companies lists, each with its filters. */
export function registerListPages(web: Hono<WebEnv>, deps: WebDeps): void {
  web.get('/needs', (c) => {
    const params = listParams(c, 'city');
    return render(c, <ListPage v={c.get('view')} deps={deps} params={params} spec={needsSpec(c.get('view'), deps, params)} />);
  });
  web.get('/companies', (c) => {
    const params = listParams(c, 'municipality');
    return render(c, <ListPage v={c.get('view')} deps={deps} params={params} spec={companiesSpec(c.get('view'), deps, params)} />);
  });
}
