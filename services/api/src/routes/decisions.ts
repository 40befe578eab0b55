import { createRoute, z } from '@hono/zod-openapi';
import { guard, problems, type App, type RouteDeps } from '../routing.js';
import { actorOf } from './followup.js';
import { DecisionInputSchema, DecisionListQuery, DecisionSchema, PairParams } from '../schemas.js';

/** Coordinators' decisions on need–company pairs. */
export function registerDecisionRoutes(app: App, deps: RouteDeps): void {
  const { catalog } = deps;
  const tags = ['decisions'];
  const decision = { content: { 'application/json': { schema: DecisionSchema } } };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/decisions',
      tags,
      operationId: 'listDecisions',
      summary: 'List decisions',
      ...guard(deps, 'coordinator'),
      request: { query: DecisionListQuery },
      responses: {
        200: { description: 'Decisions, ordered by need and company', content: { 'application/json': { schema: z.object({ items: z.array(DecisionSchema) }) } } },
        ...problems(400, 401, 403),
      },
    }),
    (c) => c.json({ items: catalog.decisions.list(c.req.valid('query')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/decisions/{needId}/{companyId}',
      tags,
      operationId: 'putDecision',
      summary: 'Record the decision on a pair',
      description: '`contacted`, `agreed` or `declined`. A declined pair is left out of later rankings (both ways) unless `includeDeclined=true`. Each call also appends the stage of the same name to the pair\'s history (`GET /decisions/{needId}/{companyId}/history`).',
      ...guard(deps, 'coordinator'),
      request: { params: PairParams, body: { required: true, content: { 'application/json': { schema: DecisionInputSchema } } } },
      responses: {
        200: { description: 'Changed', ...decision },
        201: { description: 'Recorded', ...decision },
        ...problems(400, 401, 403, 404, 413, 415),
      },
    }),
    (c) => {
      const { needId, companyId } = c.req.valid('param');
      const { status, note } = c.req.valid('json');
      const result = catalog.decisions.set(needId, companyId, status, note, actorOf(c));
      return result.created ? c.json(result.decision, 201) : c.json(result.decision, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/decisions/{needId}/{companyId}',
      tags,
      operationId: 'getDecision',
      summary: 'Read the decision on a pair',
      ...guard(deps, 'coordinator'),
      request: { params: PairParams },
      responses: { 200: { description: 'The decision', ...decision }, ...problems(401, 403, 404) },
    }),
    (c) => {
      const { needId, companyId } = c.req.valid('param');
      return c.json(catalog.decisions.get(needId, companyId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/decisions/{needId}/{companyId}',
      tags,
      operationId: 'deleteDecision',
      summary: 'Forget the decision on a pair',
      ...guard(deps, 'coordinator'),
      request: { params: PairParams },
      responses: { 204: { description: 'Forgotten' }, ...problems(401, 403, 404) },
    }),
    (c) => {
      const { needId, companyId } = c.req.valid('param');
      catalog.decisions.remove(needId, companyId, actorOf(c));
      return c.body(null, 204);
    },
  );
}
