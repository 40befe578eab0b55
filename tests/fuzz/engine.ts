import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CONTACT_MARK, requestArbitrary, type FuzzRequest, type RequestContext, type WebAuth } from './arbitraries.js';
import { explainedBy, type Observed, type Violation } from './findings.js';
import { HttpTimeout, send, type RawResponse } from './harness/http.js';
import { COORDINATOR_KEY, READER_KEY, type Service } from './harness/service.js';
import { formFieldNames, signIn, type WebSession } from './harness/web.js';
import { fetchOperations, loadSample } from './model.js';

/**
 * Runs fuzzed requests one after another against a running service and checks the
 * invariants of issue 14 on every answer:
 * - no status ≥ 500;
 * - every 4xx/5xx is application/problem+json (web pages under /ui may be an HTML page instead);
 *   with `requestId`, the problem also carries the request id (a HEAD answer, having no body, in
 *   its X-Request-Id header);
 * - nothing a reader or an anonymous client gets contains a contact detail;
 * - an id that no URL path can hold is refused;
 * - a web form without its session's CSRF token, or from another origin, is refused;
 * - the server answers, and stays up.
 * Requests run one at a time so each log line and each state change belongs to one request.
 */

export interface FuzzOptions {
  readonly seed: number;
  readonly count: number;
  /** Check that every problem carries the request id (in this member, and equal to an `x-request-id` header when sent). */
  readonly requestId?: { readonly field: string } | undefined;
  readonly timeoutMs?: number;
  /** Shrink the first failure of up to this many groups to a minimal repro (default 8). */
  readonly shrinkGroups?: number;
  readonly shrinkTimeMs?: number;
  /** Where request bodies of failures are written, for repros with curl. */
  readonly artifactsDir?: string;
  readonly onProgress?: (done: number, summary: FuzzSummary) => void;
}

export interface FailureExample {
  readonly index: number;
  readonly request: FuzzRequest;
  readonly status: number | undefined;
  readonly detail: string;
}

export interface FailureGroup {
  /** `status>=500 POST /companies`. */
  readonly signature: string;
  count: number;
  readonly first: FailureExample;
  minimal?: FailureExample | 'not reproduced alone';
}

export interface FuzzSummary {
  readonly seed: number;
  sent: number;
  readonly byStatus: Record<string, number>;
  /** Failures no known finding explains. */
  readonly failures: FailureGroup[];
  /** Failures explained by a known finding, by finding id. */
  readonly known: Record<string, { count: number; first: FailureExample }>;
  /** Contact leaks checked: bodies a reader or an anonymous client got. */
  readerBodies: number;
  ms: number;
  aborted?: string;
}

interface Run {
  readonly service: Service;
  readonly sessions: Map<WebAuth, WebSession | undefined>;
  readonly contactStrings: readonly string[];
  readonly options: FuzzOptions;
  unusableIdStored: boolean;
}

export async function prepareContext(service: Service): Promise<{ ctx: RequestContext; sessions: Map<WebAuth, WebSession | undefined> }> {
  const operations = await fetchOperations(service);
  const sample = loadSample();
  const sessions = new Map<WebAuth, WebSession | undefined>([
    ['none', undefined],
    ['reader', await signIn(service, READER_KEY)],
    ['coordinator', await signIn(service, COORDINATOR_KEY)],
  ]);
  const formOf = async (path: string): Promise<string[]> => {
    const page = await send(service, { method: 'GET', path, headers: { cookie: sessions.get('coordinator')?.cookie ?? '' } });
    return formFieldNames(page.text()).filter((n) => n !== '_csrf');
  };
  const formFields = { company: await formOf('/ui/companies/new'), need: await formOf('/ui/needs/new') };
  return { ctx: { operations, sample, formFields }, sessions };
}

/** The request as it goes on the wire: keys, session cookie, CSRF token and origin put in. */
function resolve(run: Run, request: FuzzRequest): { method: string; path: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = {};
  const session = request.web === undefined ? undefined : run.sessions.get(request.web);
  for (const [name, value] of Object.entries(request.headers)) headers[name] = value === '{origin}' ? run.service.origin : value;
  if (request.auth === 'reader') headers['authorization'] ??= `Bearer ${READER_KEY}`;
  if (request.auth === 'coordinator') headers['authorization'] ??= `Bearer ${COORDINATOR_KEY}`;
  if (request.auth === 'bad-key') headers['authorization'] ??= 'Bearer not-a-key-of-this-service-0123';
  if (session !== undefined) headers['cookie'] = headers['cookie'] === undefined ? session.cookie : `${session.cookie}; ${headers['cookie']}`;
  const body = request.body?.replace('{csrf}', session?.csrf ?? 'no-session');
  return { method: request.method, path: request.path, headers, ...(body === undefined ? {} : { body }) };
}

const isReaderView = (r: FuzzRequest): boolean => (r.web === undefined ? r.auth !== 'coordinator' : r.web !== 'coordinator' && r.auth !== 'coordinator');

function mediaType(contentType: string): string {
  return contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

/** The invariants over one answer. */
export function check(request: FuzzRequest, response: RawResponse, contactStrings: readonly string[], requestId: FuzzOptions['requestId']): Violation[] {
  const violations: Violation[] = [];
  const type = mediaType(response.contentType());
  if (response.status >= 500) violations.push({ kind: 'status>=500', detail: `${response.status}: ${response.text().slice(0, 200)}` });
  if (response.status >= 400) {
    const webPage = request.path.startsWith('/ui') && type === 'text/html';
    if (type !== 'application/problem+json' && !webPage) {
      violations.push({ kind: 'not-problem+json', detail: `${response.status} with content-type ${JSON.stringify(response.contentType())} and ${response.bodyBytes} bytes` });
    } else if (type === 'application/problem+json' && requestId !== undefined && request.method === 'HEAD') {
      // A HEAD answer has no body to carry the problem: the X-Request-Id header is its request id.
      const header = response.headers['x-request-id'];
      if (typeof header !== 'string' || header === '') violations.push({ kind: 'no-request-id', detail: `a HEAD answer ${response.status} without an X-Request-Id header` });
    } else if (type === 'application/problem+json' && requestId !== undefined) {
      let id: unknown;
      try {
        id = (JSON.parse(response.text()) as Record<string, unknown>)[requestId.field];
      } catch {
        id = undefined;
      }
      const header = response.headers['x-request-id'];
      if (typeof id !== 'string' || id === '' || (typeof header === 'string' && header !== id)) {
        violations.push({ kind: 'no-request-id', detail: `problem member ${requestId.field}=${JSON.stringify(id)}, x-request-id ${JSON.stringify(header)}` });
      }
    }
  }
  if (isReaderView(request)) {
    const text = response.body.toString('utf8').toLowerCase();
    const leaked = [CONTACT_MARK, ...contactStrings].find((s) => text.includes(s));
    if (leaked !== undefined) violations.push({ kind: 'contact-leak', detail: `a reader's answer contains ${JSON.stringify(leaked)}` });
  }
  if (request.tags.includes('csrf-bad') && response.status < 400) {
    const location = String(response.headers['location'] ?? '');
    if (!(response.status >= 300 && location.startsWith('/ui/sign-in'))) violations.push({ kind: 'csrf-accepted', detail: `${response.status}${location === '' ? '' : ` to ${location}`} for a form without its token or from another origin` });
  }
  if (request.mustRefuse !== undefined && response.status >= 200 && response.status < 300) {
    violations.push({ kind: 'accepted-unusable-id', detail: `${response.status} for ${request.mustRefuse}` });
  }
  return violations;
}

async function attempt(run: Run, request: FuzzRequest): Promise<{ response?: RawResponse; violations: Violation[]; stderr: string }> {
  const before = run.service.stderr().length;
  try {
    const response = await send(run.service, resolve(run, request), { timeoutMs: run.options.timeoutMs ?? 30_000 });
    return { response, violations: check(request, response, run.contactStrings, run.options.requestId), stderr: run.service.stderr().slice(before) };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (!run.service.alive()) return { violations: [{ kind: 'server-down', detail: `the process is gone after: ${message}` }], stderr: run.service.stderr().slice(before) };
    const kind = error instanceof HttpTimeout ? 'timeout' : 'connection-error';
    return { violations: [{ kind, detail: message }], stderr: run.service.stderr().slice(before) };
  }
}

function observed(run: Run, response: RawResponse | undefined, stderr: string): Observed {
  return { ...(response === undefined ? {} : { status: response.status, contentType: response.contentType(), bodyBytes: response.bodyBytes }), unusableIdStored: run.unusableIdStored || /URIError/.test(stderr) };
}

export async function runFuzz(service: Service, options: FuzzOptions): Promise<FuzzSummary> {
  const started = performance.now();
  const { ctx, sessions } = await prepareContext(service);
  const run: Run = { service, sessions, contactStrings: ctx.sample.contactStrings, options, unusableIdStored: false };
  const summary: FuzzSummary = { seed: options.seed, sent: 0, byStatus: {}, failures: [], known: {}, readerBodies: 0, ms: 0 };
  const groups = new Map<string, FailureGroup>();
  const arbitrary = requestArbitrary(ctx);
  let index = -1;

  await fc.check(
    fc.asyncProperty(arbitrary, async (request) => {
      index += 1;
      if (summary.aborted !== undefined) return true;
      try {
        await one(request);
      } catch (error) {
        // The harness itself failed (not the service): stop, and say so rather than end quietly.
        summary.aborted = `the fuzzer failed at request #${index}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
      }
      return true;
    }),
    { seed: options.seed, numRuns: options.count, endOnFailure: true },
  );

  async function one(request: FuzzRequest): Promise<void> {
    const { response, violations, stderr } = await attempt(run, request);
    summary.sent += 1;
    const statusKey = response === undefined ? violations[0]?.kind ?? 'error' : String(response.status);
    summary.byStatus[statusKey] = (summary.byStatus[statusKey] ?? 0) + 1;
    if (isReaderView(request)) summary.readerBodies += 1;
    // Not refused means possibly stored: a 500 on such a create has been seen to store the record first.
    if (request.mustRefuse !== undefined && response !== undefined && (response.status < 400 || response.status >= 500)) run.unusableIdStored = true;
    if (request.web !== undefined && request.method === 'POST' && /^\/ui\/sign-(in|out)/.test(request.path)) {
      // A fuzzed sign-out may have ended the session: sign in again so later pages are still seen signed in.
      if (request.web !== 'none') sessions.set(request.web, await signIn(service, request.web === 'reader' ? READER_KEY : COORDINATOR_KEY));
    }
    // The pipe from the server may deliver its log line after the answer: look at the whole log kept so far.
    if (/URIError/.test(stderr) || /URIError/.test(run.service.stderr())) run.unusableIdStored = true;
    const seen = observed(run, response, stderr);
    for (const violation of violations) {
      const example: FailureExample = { index, request, status: response?.status, detail: violation.detail };
      const finding = explainedBy(request, violation, seen);
      if (finding !== undefined) {
        const known = (summary.known[finding.id] ??= { count: 0, first: example });
        known.count += 1;
        continue;
      }
      const signature = `${violation.kind} ${request.route}${response === undefined ? '' : ` → ${response.status}`}`;
      const group = groups.get(signature);
      if (group === undefined) {
        const created: FailureGroup = { signature, count: 1, first: example };
        groups.set(signature, created);
        summary.failures.push(created);
      } else group.count += 1;
      if (violation.kind === 'server-down') summary.aborted = `the server went down at request #${index}`;
    }
    if (summary.sent % 500 === 0) options.onProgress?.(summary.sent, summary);
  }

  // Shrink the first failure of each group to the smallest request that still fails the same way.
  if (summary.aborted === undefined) {
    for (const group of summary.failures.slice(0, options.shrinkGroups ?? 8)) {
      const same = async (request: FuzzRequest): Promise<boolean> => {
        const { response, violations } = await attempt(run, request);
        return violations.some((v) => `${v.kind} ${request.route}${response === undefined ? '' : ` → ${response.status}`}` === group.signature);
      };
      let minimal: FailureExample | undefined;
      const details = await fc.check(
        fc.asyncProperty(arbitrary, async (request) => {
          const fails = await same(request);
          if (fails && (minimal === undefined || size(request) <= size(minimal.request))) minimal = { index: group.first.index, request, status: undefined, detail: group.first.detail };
          return !fails;
        }),
        { seed: options.seed, path: String(group.first.index), numRuns: options.count, interruptAfterTimeLimit: options.shrinkTimeMs ?? 20_000, markInterruptAsFailure: false },
      );
      group.minimal = details.failed || minimal !== undefined ? minimal ?? group.first : 'not reproduced alone';
    }
  }
  if (options.artifactsDir !== undefined) writeArtifacts(options.artifactsDir, summary);
  summary.ms = performance.now() - started;
  return summary;
}

function size(request: FuzzRequest): number {
  return request.path.length + (request.body?.length ?? 0) + Object.values(request.headers).reduce((n, v) => n + v.length, 0);
}

/** A repro: the request as JSON (bodies over 600 characters cut, and written whole to artifacts), and curl when it is plain enough. */
export function repro(example: FailureExample, bodyFile?: string): string {
  const r = example.request;
  const key = r.auth === 'reader' ? '$READER_KEY' : r.auth === 'coordinator' ? '$COORDINATOR_KEY' : r.auth === 'bad-key' ? 'not-a-key-of-this-service-0123' : undefined;
  const body = r.body === undefined ? '' : r.body.length > 600 ? `${JSON.stringify(r.body.slice(0, 300))}… (${r.body.length} chars${bodyFile === undefined ? '' : `, whole in ${bodyFile}`})` : JSON.stringify(r.body);
  const entries = Object.entries(r.headers);
  const headers = entries.slice(0, 6).map(([k, v]) => `${k}: ${v.length > 200 ? `${v.slice(0, 40)}… (${v.length} chars)` : v}`);
  if (entries.length > 6) headers.push(`… and ${entries.length - 6} more headers like the last`);
  const lines = [
    `${r.method} ${r.path.length > 300 ? `${r.path.slice(0, 200)}… (${r.path.length} chars)` : r.path}  [${r.web === undefined ? `key: ${r.auth}` : `web session: ${r.web}`}; tags: ${r.tags.join(',') || '-'}]`,
    ...headers.map((h) => `  ${h}`),
    ...(body === '' ? [] : [`  body: ${body}`]),
    `  → ${example.status ?? '-'}: ${example.detail}`,
  ];
  const plain = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);
  if (r.web === undefined && plain(r.path) && r.path.length < 300 && Object.values(r.headers).every((v) => plain(v) && v.length < 200)) {
    const data = r.body === undefined ? '' : bodyFile !== undefined ? ` --data-binary @${bodyFile}` : plain(r.body) && r.body.length <= 600 ? ` --data-binary '${r.body.replace(/'/g, `'\\''`)}'` : undefined;
    if (data !== undefined && entries.length <= 6) {
      const h = [...(key === undefined ? [] : [`-H 'Authorization: Bearer ${key}'`]), ...Object.entries(r.headers).map(([k, v]) => `-H '${k}: ${v.replace(/'/g, `'\\''`)}'`)];
      lines.push(`  curl -sS -i --path-as-is -X ${r.method} ${h.join(' ')}${data} "http://127.0.0.1:$PORT${r.path.replace(/"/g, '%22')}"`);
    }
  }
  return lines.join('\n');
}

function writeArtifacts(dir: string, summary: FuzzSummary): void {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const examples = [...summary.failures.flatMap((g) => [g.first, ...(typeof g.minimal === 'object' ? [g.minimal] : [])]), ...Object.values(summary.known).map((k) => k.first)];
  for (const example of examples) {
    n += 1;
    writeFileSync(join(dir, `failure-${n}.json`), JSON.stringify(example, null, 2));
  }
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
}

export function formatSummary(summary: FuzzSummary): string {
  const lines = [
    `fuzz: seed ${summary.seed}, ${summary.sent} requests in ${(summary.ms / 1000).toFixed(1)} s (${summary.readerBodies} answers to readers or anonymous clients checked for contact details)`,
    `  by status: ${Object.entries(summary.byStatus).sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}×${n}`).join('  ')}`,
  ];
  if (summary.aborted !== undefined) lines.push(`  ABORTED: ${summary.aborted}`);
  const knownIds = Object.keys(summary.known);
  lines.push(`  known findings hit: ${knownIds.length === 0 ? 'none' : knownIds.map((id) => `${id}×${summary.known[id]?.count}`).join('  ')}`);
  for (const id of knownIds) lines.push(`  [${id}] first:\n${indent(repro(summary.known[id]!.first))}`);
  lines.push(`  new failures: ${summary.failures.length === 0 ? 'none' : `${summary.failures.reduce((n, g) => n + g.count, 0)} in ${summary.failures.length} group(s)`}`);
  for (const group of summary.failures) {
    lines.push(`  ✗ ${group.signature} ×${group.count}`);
    const minimal = group.minimal;
    if (typeof minimal === 'object') lines.push(`    minimal repro (shrunk from #${group.first.index}):\n${indent(repro(minimal), 6)}`);
    else lines.push(`    first (#${group.first.index})${minimal === undefined ? '' : `, ${minimal}`}:\n${indent(repro(group.first), 6)}`);
  }
  return lines.join('\n');
}

function indent(text: string, n = 4): string {
  return text.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
}
