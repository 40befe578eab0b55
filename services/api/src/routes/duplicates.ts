import { createRoute, z } from '@hono/zod-openapi';
import { guard, problems, type App, type RouteDeps } from '../routing.js';
import { DuplicateWarningSchema, IdParams } from '../schemas.js';
import { stageSchema } from '../followup/index.js';
import { actorOf } from './followup.js';

export const PossibleDuplicateSchema = DuplicateWarningSchema.extend({
  id: z.string().openapi({ description: 'The company stored later.' }),
  duplicateOf: z.string().openapi({ description: 'The company stored first, which it resembles.' }),
  name: z.string().openapi({ description: 'The name of `id`.' }),
  duplicateOfName: z.string().openapi({ description: 'The name of `duplicateOf`.' }),
}).openapi('PossibleDuplicate', { description: 'A likely duplicate pair of stored companies.' });

export const MergeInputSchema = z
  .strictObject({
    keep: z.string().min(1, { error: 'must name the company to keep' }).openapi({ description: 'The company kept; the one in the path is merged into it.', example: 's-c13' }),
  })
  .openapi('MergeInput');

export const MergeResultSchema = z
  .object({
    kept: z.string(),
    merged: z.string(),
    moved: z.object({
      decisions: z.number().int(),
      events: z.number().int().openapi({ description: 'Follow-up history events moved to the kept company.' }),
      subscriptions: z.number().int().openapi({ description: 'Company alert subscriptions moved to the kept company.' }),
    }),
    conflicts: z
      .array(z.object({ needId: z.string(), keptStage: stageSchema, mergedStage: stageSchema, stage: stageSchema.openapi({ description: 'The stage the pair has now: the more advanced of the two.' }) }))
      .openapi({ description: 'Needs both companies had a stage on; the kept pair got a history event saying which stage won.' }),
  })
  .openapi('MergeResult');

/** The coordinators' list of likely duplicate companies, and the merge of two into one. */
export function registerDuplicateRoutes(app: App, deps: RouteDeps): void {
  const { catalog } = deps;
  const tags = ['duplicates'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/duplicates',
      tags,
      operationId: 'listPossibleDuplicates',
      summary: 'Likely duplicate companies',
      description:
        'Every pair of stored companies with the same organisation number or a name and description close by cosine similarity (the check create and import warn with), each pair once, strongest first: the same number, then by similarity, ties by ids.',
      ...guard(deps, 'coordinator'),
      responses: {
        200: {
          description: 'The pairs',
          content: { 'application/json': { schema: z.object({ threshold: z.number(), total: z.number().int(), items: z.array(PossibleDuplicateSchema) }) } },
        },
        ...problems(401, 403),
      },
    }),
    async (c) => {
      const items = await catalog.duplicates.possibleAsync();
      return c.json({ threshold: catalog.duplicates.threshold, total: items.length, items: [...items] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/companies/{id}/merge',
      tags,
      operationId: 'mergeCompany',
      summary: 'Merge a duplicate company into the one kept',
      description:
        'In one transaction: the decisions, the follow-up history and the company alert subscriptions of `{id}` move to `keep`, and `{id}` is deleted (from the index too). A need both had a stage on keeps the more advanced stage (along the funnel; an ending ranks with the step it ends, a tie goes to the later change), and a history event on the kept pair says so. The kept record itself is not changed. A company that takes part in an event (participant, request, pin or forbid) is not merged: 409 naming the events, nothing written.',
      ...guard(deps, 'coordinator'),
      request: { params: IdParams, body: { required: true, content: { 'application/json': { schema: MergeInputSchema } } } },
      responses: { 200: { description: 'Merged', content: { 'application/json': { schema: MergeResultSchema } } }, ...problems(400, 401, 403, 404, 409, 413, 415) },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const { keep } = c.req.valid('json');
      const result = catalog.duplicates.merge(id, keep, actorOf(c));
      return c.json({ ...result, conflicts: [...result.conflicts] }, 200);
    },
  );
}
