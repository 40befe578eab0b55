import { createRoute, z } from '@hono/zod-openapi';
import { PARTNERSHIP_TYPES, taxonomy } from '@partnermatch/core';
import { docsAsset, docsPage } from '../docs.js';
import { ApiError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { publicRoute, type App, type RouteDeps } from '../routing.js';
import { HealthSchema, TaxonomySchema } from '../schemas.js';

const startedAt = Date.now();

/** Scrape-time values: index size, cache use, decisions, jobs. */
function registerGauges(metrics: Metrics, deps: RouteDeps): void {
  const { catalog, jobs } = deps;
  const cache = () => catalog.rankings.cacheStats;
  metrics.gauge(
    'partnermatch_index_records',
    'Records in the in-memory matching index.',
    () => [
      { labels: { kind: 'company' }, value: catalog.records.count('company') },
      { labels: { kind: 'need' }, value: catalog.records.count('need') },
    ],
    ['kind'],
  );
  metrics.gauge('partnermatch_decisions', 'Recorded match decisions.', () => [{ value: catalog.decisions.count }]);
  metrics.gauge('partnermatch_index_generation', 'Writes applied since start (every write bumps it).', () => [{ value: catalog.generation }]);
  metrics.counter('partnermatch_cache_hits_total', 'Ranking cache hits.', () => cache().hits);
  metrics.counter('partnermatch_cache_misses_total', 'Ranking cache misses.', () => cache().misses);
  metrics.gauge('partnermatch_cache_hit_ratio', 'Ranking cache hits / lookups since start (0 before any lookup).', () => {
    const { hits, misses } = cache();
    return [{ value: hits + misses === 0 ? 0 : hits / (hits + misses) }];
  });
  metrics.gauge('partnermatch_cache_entries', 'Rankings in the cache.', () => [{ value: cache().size }]);
  metrics.counter('partnermatch_rankings_on_thread_total', 'Rankings of the matches routes made on the ranking thread (PARTNERMATCH_RANKING_THREAD).', () => catalog.rankingThread?.stats.ranked ?? 0);
  metrics.counter(
    'partnermatch_rankings_left_to_main_total',
    "Rankings of the matches routes the main thread made itself while the ranking thread answered: its share of the load when rankings wait on the thread.",
    () => catalog.rankingThread?.stats.leftToMain ?? 0,
  );
  metrics.gauge('partnermatch_ranking_thread_ready', 'Whether the ranking thread answers now (1) or rankings run on the main thread (0).', () => [{ value: catalog.rankingThread?.stats.ready === true ? 1 : 0 }]);
  metrics.gauge(
    'partnermatch_jobs',
    'Batch jobs held in memory, by status.',
    () => Object.entries(jobs.counts()).map(([status, value]) => ({ labels: { status }, value })),
    ['status'],
  );
}

/** Health, taxonomy, metrics, the OpenAPI document and the docs page: all without a key. */
export function registerMetaRoutes(app: App, deps: RouteDeps, metrics: Metrics, draining: () => boolean): void {
  const { catalog } = deps;
  registerGauges(metrics, deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['service'],
      operationId: 'getHealth',
      ...publicRoute,
      summary: 'Liveness and record counts',
      responses: {
        200: { description: 'Serving', content: { 'application/json': { schema: HealthSchema } } },
        503: { description: 'Shutting down', content: { 'application/json': { schema: HealthSchema } } },
      },
    }),
    (c) => {
      const body = {
        status: draining() ? ('draining' as const) : ('ok' as const),
        companies: catalog.records.count('company'),
        needs: catalog.records.count('need'),
        decisions: catalog.decisions.count,
        generation: catalog.generation,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      };
      return body.status === 'ok' ? c.json(body, 200) : c.json(body, 503);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/taxonomy',
      tags: ['service'],
      operationId: 'getTaxonomy',
      ...publicRoute,
      summary: 'Sector tags with sv/en/zh labels, and the partnership types',
      responses: { 200: { description: 'The taxonomy', content: { 'application/json': { schema: TaxonomySchema } } } },
    }),
    (c) =>
      c.json(
        {
          version: taxonomy.version,
          tags: taxonomy.tags.map((tag) => ({
            id: tag.id,
            ...(tag.parent === undefined ? {} : { parent: tag.parent }),
            children: [...tag.children],
            labels: { sv: tag.labels.sv, en: tag.labels.en, zh: tag.labels.zh },
          })),
          partnershipTypes: [...PARTNERSHIP_TYPES],
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      tags: ['service'],
      operationId: 'getMetrics',
      ...publicRoute,
      summary: 'Prometheus metrics',
      responses: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } } },
    }),
    async (c) => c.text(await metrics.render(), 200, { 'Content-Type': metrics.contentType }),
  );

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'partnermatch API',
      version: '0.1.0',
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      description:
        'Companies, partner needs, explainable ranked matches and coordinators\' decisions. Send a key as `Authorization: Bearer KEY` or `X-API-Key: KEY`. Roles: `reader` (needs, anonymised companies, matches) and `coordinator` (also writes, decisions and contact details). Errors are RFC 9457 `application/problem+json`.',
    },
    // Relative: the document is served by the server it describes, wherever that is mounted.
    servers: [{ url: '/', description: 'The server that serves this document' }],
    tags: [
      { name: 'companies', description: 'Blekinge companies' },
      { name: 'needs', description: 'Yunnan partner needs' },
      { name: 'matching', description: 'Ranked matches, ad-hoc matching and batch jobs' },
      { name: 'decisions', description: "Coordinators' decisions on pairs" },
      { name: 'service', description: 'Health, taxonomy, metrics' },
      { name: 'maintenance', description: 'Records stored with ids no URL can hold: list, rename, delete' },
    ],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyHeader', { type: 'apiKey', in: 'header', name: 'X-API-Key' });

  app.get('/docs', (c) => c.html(docsPage('/openapi.json', '/docs/assets')));
  app.get('/docs/assets/:file', (c) => {
    const asset = docsAsset(c.req.param('file'));
    if (asset === undefined) throw new ApiError('NOT_FOUND', 'no such asset');
    return c.body(new Uint8Array(asset.body), 200, { 'Content-Type': asset.contentType, 'Cache-Control': 'public, max-age=86400' });
  });

  app.get('/', (c) =>
    c.json({
      name: 'partnermatch API',
      docs: '/docs',
      openapi: '/openapi.json',
      health: '/health',
      authentication: 'Authorization: Bearer KEY (or X-API-Key: KEY)',
    }),
  );
}
