import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDir } from './paths.js';
import { send, type Target } from './harness/http.js';

/** What the fuzzer knows of the service: read from /openapi.json at run time, plus the web and docs routes. */

export interface QueryParam {
  readonly name: string;
  readonly schema: { type?: string | string[]; enum?: string[]; minimum?: number; maximum?: number };
}

export interface Operation {
  readonly method: string;
  /** `/companies/{id}`. */
  readonly template: string;
  readonly pathParams: readonly string[];
  readonly query: readonly QueryParam[];
  /** Media types of the request body; empty when the operation takes none. */
  readonly bodyTypes: readonly string[];
  /** Whether the document says the operation needs no key. */
  readonly isPublic: boolean;
}

type Json = Record<string, unknown>;

function resolveRef(doc: Json, value: unknown): Json {
  let node = value as Json;
  for (let i = 0; i < 10 && typeof node?.['$ref'] === 'string'; i += 1) {
    const parts = (node['$ref'] as string).replace(/^#\//, '').split('/');
    node = parts.reduce<unknown>((at, part) => (at as Json | undefined)?.[part], doc) as Json;
  }
  return node ?? {};
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export function operationsOf(doc: Json): Operation[] {
  const operations: Operation[] = [];
  const globalSecurity = Array.isArray(doc['security']) && (doc['security'] as unknown[]).length > 0;
  for (const [template, item] of Object.entries((doc['paths'] ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op === undefined) continue;
      const params = [...((item['parameters'] as unknown[]) ?? []), ...((op['parameters'] as unknown[]) ?? [])].map((p) => resolveRef(doc, p));
      const body = resolveRef(doc, op['requestBody']);
      const security = op['security'] as unknown[] | undefined;
      operations.push({
        method: method.toUpperCase(),
        template,
        pathParams: params.filter((p) => p['in'] === 'path').map((p) => String(p['name'])),
        query: params
          .filter((p) => p['in'] === 'query')
          .map((p) => ({ name: String(p['name']), schema: resolveRef(doc, p['schema']) as QueryParam['schema'] })),
        bodyTypes: Object.keys((body['content'] ?? {}) as Json),
        isPublic: security !== undefined ? security.length === 0 : !globalSecurity,
      });
    }
  }
  return operations;
}

export async function fetchOperations(target: Target): Promise<Operation[]> {
  const answer = await send(target, { method: 'GET', path: '/openapi.json' }, { maxBody: 64 * 1024 * 1024 });
  if (answer.status !== 200) throw new Error(`/openapi.json answered ${answer.status}`);
  const operations = operationsOf(JSON.parse(answer.text()) as Json);
  if (operations.length === 0) throw new Error('/openapi.json lists no operations');
  return operations;
}

/** The web's pages (under /ui) and the docs, which /openapi.json does not list. */
export const WEB_GET_ROUTES = [
  '/',
  '/ui',
  '/ui/',
  '/ui/sign-in',
  '/ui/needs',
  '/ui/needs/{needId}',
  '/ui/needs/{needId}/shortlist.csv',
  '/ui/needs/{needId}/edit',
  '/ui/needs/new',
  '/ui/companies',
  '/ui/companies/{companyId}',
  '/ui/companies/{companyId}/edit',
  '/ui/companies/new',
  '/ui/batch',
  '/ui/batch/{jobId}',
  '/ui/batch/{jobId}/status',
  '/ui/batch/{jobId}/results.csv',
  '/ui/static/{file}',
  '/docs',
  '/docs/',
  '/docs/assets/{file}',
] as const;

export const WEB_POST_ROUTES = ['/ui/sign-in', '/ui/sign-out', '/ui/needs', '/ui/needs/{needId}', '/ui/companies', '/ui/companies/{companyId}', '/ui/decisions', '/ui/batch'] as const;

export interface SampleData {
  readonly companies: Json[];
  readonly needs: Json[];
  /** Contact e-mails and phone numbers of the sample data, lower-cased: none may reach a reader. */
  readonly contactStrings: string[];
}

export function loadSample(): SampleData {
  const companies = JSON.parse(readFileSync(join(sampleDir, 'companies.json'), 'utf8')) as Json[];
  const needs = JSON.parse(readFileSync(join(sampleDir, 'needs.json'), 'utf8')) as Json[];
  const contactStrings = companies.flatMap((c) => {
    const contact = c['contact'] as Record<string, string> | undefined;
    return [contact?.['email'], contact?.['phone']].filter((s): s is string => typeof s === 'string' && s.length >= 6).map((s) => s.toLowerCase());
  });
  return { companies, needs, contactStrings };
}
