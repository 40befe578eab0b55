import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { csvDownload } from '../csv.js';
import {
  ActionItemSchema,
  ActionsQuerySchema,
  FollowupEventSchema,
  NextActionInputSchema,
  PairStateSchema,
  StageChangeInputSchema,
  today,
  type Actor,
} from '../followup/index.js';
import { guard, problems, type App, type AppEnv, type RouteDeps } from '../routing.js';
import { IdParams, NeedSchema, PairParams } from '../schemas.js';

/**
 * Who made a change, as the history records it: the key's role and a short, stable
 * fingerprint of the key (the start of its SHA-256, never the key), since keys carry no name
 * at request time.
 */
export function actorOf(c: Context<AppEnv>): Actor {
  return actorFor(c.get('role'), c.get('keyId'));
}

/** The same for a web session (which holds the key's role and id). */
export function actorFor(role: string, keyId: string): Actor {
  return { name: `key:${keyId.slice(0, 12)}`, role };
}

const ChangeSchema = z.object({ event: FollowupEventSchema, state: PairStateSchema }).openapi('PairChange');

/** Follow-up on matched pairs: stage history, next actions, the action list, the CSV export; closing a need. */
export function registerFollowupRoutes(app: App, deps: RouteDeps): void {
  const { catalog } = deps;
  const tags = ['follow-up'];
  const change = { content: { 'application/json': { schema: ChangeSchema } } };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/decisions/{needId}/{companyId}/stages',
      tags,
      operationId: 'recordStage',
      summary: 'Record a stage change on a pair',
      description:
        'Appends `suggested → contacted → meeting → negotiating → agreed | declined | no-deal` with a note and (optionally) the next-action date (`null` clears it, leaving it out keeps it). The history is append-only; the decision of `PUT /decisions/…` follows the stage (`meeting`, `negotiating` read as `contacted`, `no-deal` as `declined`: the pair leaves rankings).',
      ...guard(deps, 'coordinator'),
      request: { params: PairParams, body: { required: true, content: { 'application/json': { schema: StageChangeInputSchema } } } },
      responses: { 201: { description: 'Appended', ...change }, ...problems(400, 401, 403, 404, 413, 415) },
    }),
    (c) => {
      const { needId, companyId } = c.req.valid('param');
      return c.json(catalog.decisions.recordStage(needId, companyId, c.req.valid('json'), actorOf(c)), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/decisions/{needId}/{companyId}/next-action',
      tags,
      operationId: 'setNextAction',
      summary: "Set or clear a pair's next-action date",
      ...guard(deps, 'coordinator'),
      request: { params: PairParams, body: { required: true, content: { 'application/json': { schema: NextActionInputSchema } } } },
      responses: { 200: { description: 'Appended', ...change }, ...problems(400, 401, 403, 404, 413, 415) },
    }),
    (c) => {
      const { needId, companyId } = c.req.valid('param');
      return c.json(catalog.decisions.setNextAction(needId, companyId, c.req.valid('json'), actorOf(c)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/decisions/{needId}/{companyId}/history',
      tags,
      operationId: 'getPairHistory',
      summary: "A pair's stage history, oldest first",
      ...guard(deps, 'coordinator'),
      request: { params: PairParams },
      responses: {
        200: { description: 'Every change on the pair', content: { 'application/json': { schema: z.object({ items: z.array(FollowupEventSchema) }) } } },
        ...problems(401, 403, 404),
      },
    }),
    (c) => {
      const { needId, companyId } = c.req.valid('param');
      return c.json({ items: catalog.decisions.historyOf(needId, companyId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/actions',
      tags,
      operationId: 'listActions',
      summary: 'Next actions due and overdue',
      description: 'Pairs whose next action is before `asOf` (overdue) or from `asOf` to `withinDays` days after it (due; default 0), most urgent first.',
      ...guard(deps, 'coordinator'),
      request: { query: ActionsQuerySchema },
      responses: {
        200: {
          description: 'The action list',
          content: { 'application/json': { schema: z.object({ asOf: z.string(), items: z.array(ActionItemSchema) }) } },
        },
        ...problems(400, 401, 403),
      },
    }),
    (c) => {
      const query = c.req.valid('query');
      const asOf = query.asOf ?? today();
      return c.json({ asOf, items: catalog.decisions.actions({ asOf, ...(query.withinDays === undefined ? {} : { withinDays: query.withinDays }) }) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/decisions/history.csv',
      tags,
      operationId: 'exportDecisionHistory',
      summary: 'The stage history as CSV',
      description: 'One row per change, oldest first; UTF-8 with a byte-order mark, formula-like cells escaped.',
      ...guard(deps, 'coordinator'),
      request: { query: z.object({ needId: z.string().min(1).optional(), companyId: z.string().min(1).optional() }) },
      responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...problems(400, 401, 403) },
    }),
    (c) => {
      const { needId, companyId } = c.req.valid('query');
      const csv = catalog.decisions.history.exportCsv({ ...(needId === undefined ? {} : { needId }), ...(companyId === undefined ? {} : { companyId }) });
      return csvDownload(c, 'decision-history.csv', csv);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/needs/{id}/close',
      tags,
      operationId: 'closeNeed',
      summary: 'Close a need (e.g. one past its deadline) in one action',
      ...guard(deps, 'coordinator'),
      request: { params: IdParams },
      responses: { 200: { description: 'The closed need', content: { 'application/json': { schema: NeedSchema } } }, ...problems(401, 403, 404) },
    }),
    (c) => {
      return c.json(catalog.records.patch('need', c.req.valid('param').id, { status: 'closed' }), 200);
    },
  );
}
