import { createRoute, z } from '@hono/zod-openapi';
import { guard, problems, type App, type RouteDeps } from '../routing.js';

/**
 * Records stored before the id rule with an id it refuses (a lone surrogate, a control
 * character, `.`, `..`, a slash): no URL path can name them, so they are listed, renamed and
 * deleted here with the id in a JSON body, where `\ud800` and the like can be written.
 */
const Kind = z.enum(['company', 'need']).openapi({ description: 'The kind of record' });
const UnusableSchema = z
  .object({
    kind: Kind,
    id: z.string().openapi({ description: 'The stored id, JSON-escaped where it is not well-formed Unicode' }),
    problem: z.string().openapi({ example: 'must be well-formed Unicode (it has a lone surrogate)' }),
  })
  .openapi('UnusableRecord');
const RenameSchema = z
  .object({ kind: Kind, from: z.string(), to: z.string().openapi({ description: 'The new id; it must follow the id rule and be free' }) })
  .strict()
  .openapi('RenameRecord');
const DeleteSchema = z.object({ kind: Kind, id: z.string() }).strict().openapi('DeleteRecord');

export function registerMaintenanceRoutes(app: App, deps: RouteDeps): void {
  const { catalog } = deps;
  const tags = ['maintenance'];
  const json = <S extends z.ZodType>(schema: S) => ({ required: true, content: { 'application/json': { schema } } });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/maintenance/unusable-ids',
      tags,
      operationId: 'listUnusableIds',
      summary: 'Stored records whose id no URL can hold',
      description: 'Records stored before the id rule with an id it refuses; they are left out of lists, rankings and pages until renamed or deleted.',
      ...guard(deps, 'coordinator'),
      responses: {
        200: { description: 'Every such record', content: { 'application/json': { schema: z.object({ items: z.array(UnusableSchema) }) } } },
        ...problems(401, 403),
      },
    }),
    (c) => c.json({ items: catalog.records.unusable().map(({ kind, id, problem }) => ({ kind, id, problem })) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/maintenance/rename',
      tags,
      operationId: 'renameRecord',
      summary: 'Give a stored record a new id',
      description: 'Works for any stored record, those with an unusable id included; its decisions move with it.',
      ...guard(deps, 'coordinator'),
      request: { body: json(RenameSchema) },
      responses: {
        200: { description: 'Renamed: the record as it is now', content: { 'application/json': { schema: z.object({ kind: Kind, id: z.string() }) } } },
        ...problems(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    (c) => {
      const { kind, from, to } = c.req.valid('json');
      const record = catalog.records.rename(kind, from, to);
      return c.json({ kind, id: record.id }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/maintenance/delete',
      tags,
      operationId: 'deleteRecordById',
      summary: 'Delete a stored record named in the body',
      description: 'For records whose id no URL path can hold; also deletes the decisions on its pairs.',
      ...guard(deps, 'coordinator'),
      request: { body: json(DeleteSchema) },
      responses: { 204: { description: 'Deleted' }, ...problems(400, 401, 403, 404, 413, 415) },
    }),
    (c) => {
      const { kind, id } = c.req.valid('json');
      catalog.records.removeAny(kind, id);
      return c.body(null, 204);
    },
  );
}
