import fc from 'fast-check';
import { encodePathSegment } from './harness/http.js';
import { WEB_GET_ROUTES, WEB_POST_ROUTES, type Operation, type QueryParam, type SampleData } from './model.js';

/**
 * fast-check arbitraries for whole HTTP requests. A request is plain data (method, raw path,
 * headers, body, and who sends it, resolved to a key or a session only when it is sent), so
 * a failing one prints as a repro and shrinks.
 */

export type Auth = 'none' | 'reader' | 'coordinator' | 'bad-key';
export type WebAuth = 'none' | 'reader' | 'coordinator';

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Who sends it through the API's key headers. */
  readonly auth: Auth;
  /** When set: sent with that web session's cookie (and `_csrf` put in for the `{csrf}` placeholder). */
  readonly web?: WebAuth;
  /** `GET /companies/{id}`: failures are grouped by it. */
  readonly route: string;
  /** What is hostile about it, for grouping and for the known findings. */
  readonly tags: readonly string[];
  /** Set when the service must refuse this request (4xx), e.g. an id no URL can hold. */
  readonly mustRefuse?: string;
}

/** The marker every contact the fuzzer writes carries; a reader must never see it. */
export const CONTACT_MARK = 'zqxcontact';

export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__', 'isPrototypeOf'];

/** Ids no URL path or file name can hold: the service must refuse them (issue 14, F1). */
export const UNUSABLE_IDS = ['.', '..', 'x\ud800', '\udc00y', 'a\u0000b', 'line\nbreak', 'tab\there', '\u007f', 'esc\u001b'];

/** Ids of the pool the fuzzer creates, reads and deletes, so writes and reads meet. */
export const FUZZ_IDS = ['fz-1', 'fz-2', 'fz-3', 'fz-4', 'fz-5', 'fz-6', 'fz-7', 'fz-8'];

const huge = fc.integer({ min: 20_000, max: 1_200_000 }).map((n) => 'x'.repeat(n));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('', ' ', '.', '..', 'x\ud800', '\ud800', '\udfff', 'a\u0000b', '\n', '\r\n', '\t', '\u202e', '\ufeff', '=SUM(1)', "'=SUM(1)", '+1', '-1', '@a', '＝1', '光伏', '污水處理廠與光電', '們\ud800', 'avloppsreningsverk', '\\', '/', '%', '%00', '%2F', '../etc/passwd', '<script>alert(1)</script>', '"', ';', ',', 'null', 'true', '0', '-0', '1e309', 'NaN', 'energy.nuclear', ...PROTOTYPE_NAMES) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0001\u0002\u0003', '\u0085\u2028\u2029', 'e\u0301', '👩‍👩‍👧', '\ud83d') },
  { weight: 1, arbitrary: huge },
);

/** `depth` levels of arrays or objects, the innermost `1`. */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + '1' + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const deep = fc.record({ depth: fc.oneof(fc.integer({ min: 2, max: 200 }), fc.integer({ min: 5_000, max: 12_000 })), kind: fc.constantFrom<'array' | 'object'>('array', 'object') });

/** A JSON value of any shape, as text (deep nesting cannot go through JSON.stringify's recursion-friendly path). */
const hostileValueText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: fc.constantFrom('null', 'true', 'false', '0', '-1', '1e308', '-0', '123456789012345678901234567890', '[]', '{}', '[null]', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}') },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: deep.map(({ depth, kind }) => deepJson(depth, kind)) },
);

function contactArb(): fc.Arbitrary<Record<string, string>> {
  return fc.nat(99_999).map((n) => ({ name: `Fuzz Kontakt ${CONTACT_MARK}${n}`, email: `${CONTACT_MARK}${n}@example.se`, phone: `+46 70 ${CONTACT_MARK} ${n}` }));
}

type Kind = 'company' | 'need';

/**
 * A record as JSON text: a sample record under a pool id (or a hostile id), with a few
 * fields replaced by hostile values, removed, or joined by unknown and prototype keys.
 */
function recordText(sample: SampleData, kind: Kind, withContact: boolean, idArb: fc.Arbitrary<string>): fc.Arbitrary<{ text: string; id: string; tags: string[] }> {
  const base = kind === 'company' ? sample.companies : sample.needs;
  const fields = Object.keys(base[0] ?? {}).filter((f) => f !== 'id');
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('set' as const), field: fc.constantFrom(...fields, 'contact', 'unknownField', ...PROTOTYPE_NAMES), value: hostileValueText }),
    fc.record({ op: fc.constant('drop' as const), field: fc.constantFrom(...fields) }),
  );
  return fc
    .record({
      index: fc.nat(base.length - 1),
      id: idArb,
      withId: fc.boolean(),
      mutations: fc.array(mutation, { maxLength: 3 }),
      contact: withContact && kind === 'company' ? fc.option(contactArb(), { nil: undefined }) : fc.constant(undefined),
    })
    .map(({ index, id, withId, mutations, contact }) => {
      const record: Record<string, unknown> = { ...base[index] };
      delete record['contact'];
      if (contact !== undefined) record['contact'] = contact;
      if (withId || mutations.length === 0) record['id'] = id;
      else delete record['id'];
      const raw: Record<string, string> = {};
      const tags: string[] = [];
      for (const m of mutations) {
        if (m.op === 'drop') delete record[m.field];
        else {
          delete record[m.field];
          raw[m.field] = m.value;
          tags.push(m.value.length > 20_000 && /^[[{]/.test(m.value) ? 'deep' : m.value.length > 20_000 ? 'huge' : 'wrong-value');
          if (PROTOTYPE_NAMES.includes(m.field)) tags.push('proto-key');
        }
      }
      // Raw members are spliced in as text so deep nesting and "__proto__" keys reach the wire unchanged.
      let text = JSON.stringify(record);
      const extra = Object.entries(raw).map(([k, v]) => `${JSON.stringify(k)}:${v}`);
      if (extra.length > 0) text = text === '{}' ? `{${extra.join(',')}}` : `${text.slice(0, -1)},${extra.join(',')}}`;
      return { text, id: String(record['id'] ?? ''), tags };
    });
}

function idArbitrary(sample: SampleData, kind: Kind | 'any'): fc.Arbitrary<string> {
  const existing = kind === 'need' ? sample.needs : kind === 'company' ? sample.companies : [...sample.needs, ...sample.companies];
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...existing.map((r) => String(r['id']))) },
    { weight: 4, arbitrary: fc.constantFrom(...FUZZ_IDS) },
    { weight: 2, arbitrary: fc.constantFrom(...UNUSABLE_IDS) },
    { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
    { weight: 2, arbitrary: hostileString.filter((s) => s.length < 5000) },
  );
}

const isUnusableId = (id: string): boolean => id === '.' || id === '..' || /[\u0000-\u001f\u007f]/.test(id) || /(?:[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/.test(id);

/** A query string from the operation's parameters: valid, out of range, wrong type, hostile, repeated or unknown. */
function queryArb(params: readonly QueryParam[]): fc.Arbitrary<string> {
  const valueFor = (p: QueryParam): fc.Arbitrary<string> => {
    const type = Array.isArray(p.schema.type) ? p.schema.type[0] : p.schema.type;
    const valid =
      p.schema.enum !== undefined
        ? fc.constantFrom(...p.schema.enum)
        : type === 'integer'
          ? fc.integer({ min: (p.schema.minimum ?? 0) - 2, max: (p.schema.maximum ?? 1000) + 2 }).map(String)
          : type === 'number'
            ? fc.double({ min: -1, max: 2, noNaN: true }).map(String)
            : type === 'boolean'
              ? fc.constantFrom('true', 'false', '1', '0', 'yes', '')
              : fc.constantFrom('energy', 'environment.wastewater', 'export,training', 'Karlskrona', 'Kunming', 'open', 'vatten', '光伏');
    return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: hostileString.filter((s) => s.length < 10_000) });
  };
  const pair = fc.oneof(
    { weight: 4, arbitrary: params.length === 0 ? fc.constant<[string, string]>(['x', '1']) : fc.constantFrom(...params).chain((p) => valueFor(p).map((v): [string, string] => [p.name, v])) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PROTOTYPE_NAMES, 'unknown', 'lang', ''), hostileString.filter((s) => s.length < 1000)) },
  );
  return fc.array(pair, { maxLength: 4 }).map((pairs) => (pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${encodePathSegment(k)}=${encodePathSegment(v)}`).join('&')));
}

function fillPath(template: string, ids: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodePathSegment(ids[name] ?? 'x'));
}

const CONTENT_TYPES = ['application/json', 'application/merge-patch+json', 'text/csv', 'application/x-ndjson', 'text/plain', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'garbage/', ';;;', 'application/json, text/csv'];

export interface RequestContext {
  readonly operations: readonly Operation[];
  readonly sample: SampleData;
  /** Input names of the web's record forms (scraped from /ui/…/new), by kind. */
  readonly formFields: { readonly company: readonly string[]; readonly need: readonly string[] };
}

function kindOf(template: string): Kind | undefined {
  if (/\/companies/.test(template)) return 'company';
  if (/\/needs/.test(template)) return 'need';
  return undefined;
}

/** A body fitting what the route takes, or a hostile one. */
function bodyFor(ctx: RequestContext, op: Operation, auth: Auth): fc.Arbitrary<{ body: string; contentType: string; tags: string[]; id?: string }> {
  const kind = kindOf(op.template);
  const isImport = op.template.startsWith('/import/');
  const withContact = auth === 'coordinator';
  const idArb = idArbitrary(ctx.sample, kind ?? 'any');
  const garbage = fc.oneof(
    fc.constantFrom('', '{', '[', '{"a":', 'nul', '\ufeff{}', '\u0000', '{"id":"x"}}', '[1,2,]', '"just a string"', '1'),
    hostileValueText,
  ).map((body) => ({ body, contentType: 'application/json', tags: ['garbage'] }));
  const bodies: fc.Arbitrary<{ body: string; contentType: string; tags: string[]; id?: string }>[] = [garbage];
  if (kind !== undefined && !isImport && !op.template.includes('matches')) {
    bodies.push(recordText(ctx.sample, kind, withContact, idArb).map(({ text, id, tags }) => ({ body: text, contentType: op.bodyTypes[0] ?? 'application/json', tags, id })));
  }
  if (op.method === 'PATCH') {
    bodies.push(deep.map(({ depth, kind: k }) => ({ body: k === 'object' ? `{"description":${deepJson(depth, 'object')}}` : deepJson(depth, 'array'), contentType: 'application/merge-patch+json', tags: depth > 1000 ? ['deep'] : [] })));
  }
  if (isImport && kind !== undefined) bodies.push(importBody(ctx.sample, kind, withContact));
  if (op.template === '/match') {
    bodies.push(
      fc.tuple(fc.constantFrom<Kind>('need', 'company'), recordText(ctx.sample, 'need', false, idArb), recordText(ctx.sample, 'company', false, idArb), fc.option(hostileValueText)).map(([which, need, company, limit]) => ({
        body: `{${JSON.stringify(which)}:${which === 'need' ? need.text : company.text}${limit === null ? '' : `,"limit":${limit}`}}`,
        contentType: 'application/json',
        tags: [...need.tags, ...company.tags],
      })),
    );
  }
  if (op.template === '/batch') {
    bodies.push(
      fc
        .record({ direction: fc.constantFrom('companies', 'needs', 'x', ''), ids: fc.option(fc.array(idArb, { maxLength: 4 })), limit: fc.option(fc.integer({ min: -1, max: 200 })), includeDeclined: fc.option(fc.boolean()), explain: fc.option(fc.boolean()) })
        .map((r) => ({ body: JSON.stringify(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null))), contentType: 'application/json', tags: [] })),
    );
  }
  if (op.template.startsWith('/decisions')) {
    bodies.push(
      fc.record({ status: fc.oneof(fc.constantFrom('contacted', 'agreed', 'declined'), hostileString), note: fc.option(hostileString) }).map((r) => ({ body: JSON.stringify(r.note === null ? { status: r.status } : r), contentType: 'application/json', tags: [] })),
    );
  }
  return fc.oneof(...bodies);
}

/** CSV, NDJSON or a JSON array for an import: sample records (some with hostile fields or ids) and broken lines. */
function importBody(sample: SampleData, kind: Kind, withContact: boolean): fc.Arbitrary<{ body: string; contentType: string; tags: string[]; id?: string }> {
  const records = fc.array(recordText(sample, kind, withContact, idArbitrary(sample, kind)), { minLength: 1, maxLength: 6 });
  const json = records.map((rs) => ({ body: `[${rs.map((r) => r.text).join(',')}]`, contentType: 'application/json', tags: ['import-json', ...rs.flatMap((r) => r.tags)], id: rs.find((r) => isUnusableId(r.id))?.id }));
  const ndjson = fc
    .tuple(records, fc.array(fc.constantFrom('', '{', '   ', '\ufeff', 'null', '[]', '1', '{"id":', '\u0000'), { maxLength: 3 }), fc.constantFrom('\n', '\r\n'))
    .map(([rs, junk, eol]) => ({ body: [...rs.map((r) => r.text), ...junk].join(eol), contentType: 'application/x-ndjson', tags: ['import-ndjson', ...(junk.some((j) => j.trim() !== '') ? ['garbage'] : []), ...rs.flatMap((r) => r.tags)], id: rs.find((r) => isUnusableId(r.id))?.id }));
  const columns = kind === 'company' ? ['id', 'name', 'municipality', 'description', 'offerings', 'sectors', 'partnershipTypes', 'employees', 'contact.name', 'contact.email'] : ['id', 'title', 'organization', 'city', 'description', 'sectors', 'partnershipTypes', 'status'];
  const cell = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('Karlskrona', 'Kunming', 'energy.solar;energy.storage', 'export', 'open', '12', 'Vi bygger avloppsreningsverk', '太阳能微电网') },
    { weight: 2, arbitrary: hostileString.filter((s) => s.length < 5000) },
  );
  const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const csv = fc
    .record({
      header: fc.oneof({ weight: 4, arbitrary: fc.constant(columns) }, { weight: 1, arbitrary: fc.array(fc.constantFrom(...columns, 'unknown', '__proto__', 'constructor', ''), { minLength: 1, maxLength: 8 }) }),
      rows: fc.array(fc.tuple(fc.constantFrom(...FUZZ_IDS, ...UNUSABLE_IDS, 's-c01', 's-n01'), fc.array(cell, { maxLength: 10 })), { maxLength: 6 }),
      bom: fc.boolean(),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      broken: fc.constantFrom('', '"unterminated', 'a,"b"c', ',,,,,,,,,,,,,,,,,,,,,,,,,,'),
    })
    .map(({ header, rows, bom, eol, broken }) => {
      const lines = [header.join(','), ...rows.map(([id, cells]) => [id, ...cells].map(quote).join(',')), ...(broken === '' ? [] : [broken])];
      const unusable = rows.map(([id]) => id).find(isUnusableId);
      return { body: (bom ? '\ufeff' : '') + lines.join(eol), contentType: 'text/csv', tags: ['import-csv', ...(broken === '' ? [] : ['garbage'])], ...(unusable === undefined ? {} : { id: unusable }) };
    });
  return fc.oneof(json, ndjson, csv);
}

const authArb = fc.constantFrom<Auth>('coordinator', 'coordinator', 'coordinator', 'reader', 'reader', 'none', 'bad-key');

/** A request to an operation of /openapi.json. */
function apiRequest(ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({ op: fc.constantFrom(...ctx.operations), auth: authArb })
    .chain(({ op, auth }) => {
      const ids: Record<string, fc.Arbitrary<string>> = {};
      for (const name of op.pathParams) {
        const kind = name === 'needId' ? 'need' : name === 'companyId' ? 'company' : op.template.startsWith('/jobs') ? undefined : kindOf(op.template);
        ids[name] = kind === undefined ? fc.oneof(fc.uuid(), hostileString.filter((s) => s.length < 2000)) : idArbitrary(ctx.sample, kind);
      }
      return fc.record({
        ids: fc.record(ids),
        query: queryArb(op.query),
        body: op.bodyTypes.length > 0 || op.method !== 'GET' ? fc.option(bodyFor(ctx, op, auth), { freq: 8 }) : fc.constant(null),
        contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { freq: 6 }),
        accept: fc.option(fc.constantFrom('text/csv', 'application/json', 'text/html', '*/*', 'image/png', 'garbage'), { freq: 3 }),
        mode: fc.option(fc.constantFrom('create', 'upsert', 'x'), { freq: 2 }),
      }).map(({ ids, query, body, contentType, accept, mode }): FuzzRequest => {
        const headers: Record<string, string> = {};
        const tags: string[] = [...(body?.tags ?? [])];
        if (body !== null) headers['content-type'] = contentType ?? body.contentType;
        if (contentType !== null && body !== null) tags.push('content-type');
        if (accept !== null) headers['accept'] = accept;
        let path = fillPath(op.template, ids) + query;
        if (mode !== null && op.template.startsWith('/import/')) path += `${query === '' ? '?' : '&'}mode=${mode}`;
        const idsUsed = Object.values(ids);
        if (idsUsed.some((id) => PROTOTYPE_NAMES.includes(id))) tags.push('proto-path');
        if (idsUsed.some(isUnusableId)) tags.push('bad-id');
        // A create, replace or import by a coordinator with a body otherwise well formed must refuse
        // an unusable id; a route that takes no body (an action such as POST /needs/{id}/close) ignores one.
        const writesUnusable = op.bodyTypes.length > 0 && auth === 'coordinator' && body?.id !== undefined && isUnusableId(body.id) && contentType === null && !tags.includes('garbage') && !tags.includes('wrong-value') && !tags.includes('deep') && !tags.includes('huge');
        if (writesUnusable) tags.push('bad-id');
        return {
          method: op.method,
          path,
          headers,
          ...(body === null ? {} : { body: body.body }),
          auth,
          route: `${op.method} ${op.template}`,
          tags,
          ...(writesUnusable && (op.method === 'POST' || op.method === 'PUT') ? { mustRefuse: `an id no URL path can hold: ${JSON.stringify(body?.id)}` } : {}),
        };
      });
    });
}

/** Paths bent out of shape: backslashes, encoded slashes and dots, prototype names, long paths. */
function pathRequest(ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const bases = [...new Set([...ctx.operations.map((o) => o.template), ...WEB_GET_ROUTES])];
  return fc
    .record({
      base: fc.constantFrom(...bases),
      id: fc.constantFrom('s-c01', 's-n01', ...PROTOTYPE_NAMES, ...UNUSABLE_IDS.map(encodePathSegment)),
      bend: fc.constantFrom('backslash', 'encoded-slash', 'no-leading-slash', 'dot-segments', 'double-slash', 'trailing', 'proto-tail', 'long', 'percent-garbage', 'none'),
      method: fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND'),
      auth: authArb,
    })
    .map(({ base, id, bend, method, auth }): FuzzRequest => {
      let path = base.replace(/\{[^}]+\}/g, PROTOTYPE_NAMES.includes(id) ? id : id.includes('%') ? id : encodePathSegment(id));
      const tags = [`path-${bend}`];
      if (PROTOTYPE_NAMES.includes(id) && base.includes('{')) tags.push('proto-path');
      switch (bend) {
        case 'backslash': path = path.replace(/\/(?=[^/]*$)/, '\\'); tags.push('backslash'); break;
        case 'encoded-slash': path = path.lastIndexOf('/') > 0 ? path.replace(/\/(?=[^/]*$)/, '%2F') : `/${path.slice(1)}%2F`; break;
        case 'no-leading-slash': path = path.replace(/^\//, '%2F'); tags.push('bad-target'); break;
        case 'dot-segments': path = `${path}/..%2F..%2F%2e%2e/`; break;
        case 'double-slash': path = `/${path}`; break;
        case 'trailing': path = `${path}/`; break;
        case 'proto-tail': path = `${path.replace(/\/$/, '')}/${PROTOTYPE_NAMES[path.length % PROTOTYPE_NAMES.length]}`; tags.push('proto-path'); break;
        case 'long': path = `${path}/${'a'.repeat(9_000)}`; break;
        case 'percent-garbage': path = `${path}%`; break;
        default: break;
      }
      return { method, path, headers: {}, auth, route: `${method} ${base} (${bend})`, tags };
    });
}

/** Headers: more than 16 KB of them, broken keys, odd content types and languages. */
function headerRequest(ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const gets = ctx.operations.filter((o) => o.method === 'GET' && o.pathParams.length === 0).map((o) => o.template);
  return fc
    .record({
      path: fc.constantFrom(...gets, '/companies/s-c01', '/needs/s-n01/matches', '/ui/needs', '/docs'),
      variant: fc.constantFrom('big-header', 'many-headers', 'bearer-empty', 'bearer-huge', 'basic', 'x-api-key-empty', 'latin1-key', 'two-keys', 'accept-language', 'cookie-garbage'),
      size: fc.integer({ min: 16_500, max: 40_000 }),
    })
    .map(({ path, variant, size }): FuzzRequest => {
      const headers: Record<string, string> = {};
      let auth: Auth = 'reader';
      switch (variant) {
        case 'big-header': headers['x-fuzz-padding'] = 'p'.repeat(size); break;
        case 'many-headers': for (let i = 0; i < 120; i += 1) headers[`x-fuzz-${i}`] = 'v'.repeat(150); break;
        case 'bearer-empty': auth = 'none'; headers['authorization'] = 'Bearer '; break;
        case 'bearer-huge': auth = 'none'; headers['authorization'] = `Bearer ${'k'.repeat(Math.min(size, 15_000))}`; break;
        case 'basic': auth = 'none'; headers['authorization'] = 'Basic Zm9vOmJhcg=='; break;
        case 'x-api-key-empty': auth = 'none'; headers['x-api-key'] = ''; break;
        case 'latin1-key': auth = 'none'; headers['x-api-key'] = 'nyckel-\u00e5\u00e4\u00f6-0123456789'; break;
        case 'two-keys': headers['x-api-key'] = 'wrong-key-0123456789abcdef'; break;
        case 'accept-language': headers['accept-language'] = 'zh;q=abc, *;q=-1, sv-SE;q=0.5, ' + 'x'.repeat(2000); break;
        case 'cookie-garbage': headers['cookie'] = 'pm_session=%ZZ; pm_lang=__proto__; pm_signin=' + 'c'.repeat(3000); break;
      }
      const tags = [`header-${variant}`, ...(variant === 'big-header' || variant === 'many-headers' ? ['big-header'] : [])];
      return { method: 'GET', path, headers, auth, route: `GET ${path} (${variant})`, tags };
    });
}

/** The web's pages and forms, signed in or not, with and without the CSRF token. */
function webRequest(ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const getPage = fc
    .record({
      route: fc.constantFrom(...WEB_GET_ROUTES),
      need: idArbitrary(ctx.sample, 'need'),
      company: idArbitrary(ctx.sample, 'company'),
      file: fc.constantFrom('style.css', 'app.js', 'swagger-ui.css', 'favicon.svg', ...PROTOTYPE_NAMES, '..%2Fpackage.json', '%2e%2e'),
      query: queryArb([
        { name: 'q', schema: { type: 'string' } },
        { name: 'city', schema: { type: 'string' } },
        { name: 'sector', schema: { type: 'string' } },
        { name: 'status', schema: { enum: ['open', 'closed'] } },
        { name: 'declined', schema: { enum: ['show', 'hide'] } },
        { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        { name: 'lang', schema: { enum: ['sv', 'en', 'zh'] } },
        { name: 'next', schema: { type: 'string' } },
      ]),
      web: fc.constantFrom<WebAuth>('reader', 'coordinator', 'coordinator', 'none'),
    })
    .map(({ route, need, company, file, query, web }): FuzzRequest => {
      const path = route.replace('{needId}', encodePathSegment(need)).replace('{companyId}', encodePathSegment(company)).replace('{jobId}', encodePathSegment(need)).replace('{file}', file) + query;
      const tags = ['web'];
      if (route.includes('{file}') && PROTOTYPE_NAMES.includes(file)) tags.push('proto-path');
      if ((route.includes('{needId}') && isUnusableId(need)) || (route.includes('{companyId}') && isUnusableId(company))) tags.push('bad-id');
      return { method: 'GET', path, headers: {}, auth: 'none', web, route: `GET ${route}`, tags };
    });
  const postForm = fc
    .record({
      route: fc.constantFrom(...WEB_POST_ROUTES),
      need: idArbitrary(ctx.sample, 'need'),
      company: idArbitrary(ctx.sample, 'company'),
      fields: fc.array(fc.tuple(fc.constantFrom(...ctx.formFields.company, ...ctx.formFields.need, 'status', 'needId', 'companyId', 'direction', 'limit', '__proto__', 'constructor'), hostileString.filter((s) => s.length < 50_000)), { maxLength: 8 }),
      csrf: fc.constantFrom('valid', 'valid', 'valid', 'missing', 'wrong'),
      origin: fc.constantFrom('same', 'same', 'same', 'missing', 'other'),
      web: fc.constantFrom<WebAuth>('reader', 'coordinator', 'coordinator', 'none'),
      contentType: fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/json'),
    })
    .map(({ route, need, company, fields, csrf, origin, web, contentType }): FuzzRequest => {
      const path = route.replace('{needId}', encodePathSegment(need)).replace('{companyId}', encodePathSegment(company));
      const params: string[] = fields.map(([k, v]) => `${encodePathSegment(k)}=${encodePathSegment(v)}`);
      if (csrf === 'valid') params.push('_csrf={csrf}');
      if (csrf === 'wrong') params.push('_csrf=not-the-token');
      const headers: Record<string, string> = { 'content-type': contentType };
      if (origin === 'same') headers['origin'] = '{origin}';
      if (origin === 'other') headers['origin'] = 'http://evil.invalid';
      const tags = ['web', 'web-form'];
      // Without its session's token or from another origin, a form must change nothing (issue 14: all CSRF variants refused).
      if ((csrf !== 'valid' || origin !== 'same') && web !== 'none') tags.push('csrf-bad');
      if ((route.includes('{needId}') && isUnusableId(need)) || (route.includes('{companyId}') && isUnusableId(company))) tags.push('bad-id');
      // A form never carries a contact for a reader to be shown; but coordinator forms may write one.
      return { method: 'POST', path, headers, body: params.join('&'), auth: 'none', web, route: `POST ${route}`, tags };
    });
  return fc.oneof({ weight: 3, arbitrary: getPage }, { weight: 2, arbitrary: postForm });
}

/** The deepest nesting of arrays and objects in a JSON text (strings skipped). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return max;
}

export function requestArbitrary(ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .oneof({ weight: 10, arbitrary: apiRequest(ctx) }, { weight: 3, arbitrary: pathRequest(ctx) }, { weight: 2, arbitrary: headerRequest(ctx) }, { weight: 4, arbitrary: webRequest(ctx) })
    .map((r) => (r.body !== undefined && !r.tags.includes('deep') && r.body.length > 2000 && nestingDepth(r.body) > 1000 ? { ...r, tags: [...r.tags, 'deep'] } : r));
}
