import { createRoute, z } from '@hono/zod-openapi';
import { csvDownload, writeCsv } from '../csv.js';
import { negotiateFormat } from '../formats.js';
import { reportFromCatalog, reportRows } from '../report/source.js';
import { guard, problems, type App, type RouteDeps } from '../routing.js';

const instant = z
  .string()
  .regex(/^\d{4}-\d{2}(?:-\d{2}(?:T[\d:.]+Z)?)?$/, { error: 'must be a UTC date: YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ' })
  .optional();

export const ReportQuery = z.object({
  from: instant.openapi({ description: 'Count only what happened from this moment (UTC).', example: '2026-01-01' }),
  to: instant.openapi({ description: 'Count only what happened before this moment (UTC).', example: '2027-01-01' }),
  format: z.enum(['json', 'csv']).optional().openapi({ description: 'Defaults to the Accept header, else json.' }),
});

const count = (key: z.ZodType) => z.array(z.object({ key, count: z.number().int() }));

export const ReportSchema = z
  .object({
    period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
    totals: z.object({
      needs: z.number().int(),
      companies: z.number().int(),
      matchesShown: z.number().int(),
      contacted: z.number().int(),
      met: z.number().int(),
      agreed: z.number().int(),
      declined: z.number().int(),
      noDeal: z.number().int(),
    }),
    needsByMonth: count(z.string()),
    needsBySector: count(z.string().nullable()),
    needsByCity: count(z.string().nullable()),
    companiesByMunicipality: count(z.string().nullable()),
    funnel: z.array(z.object({ step: z.enum(['shown', 'contacted', 'met', 'agreed']), count: z.number().int(), shareOfShown: z.number() })),
    activityByMonth: z.array(z.object({ month: z.string(), needs: z.number().int(), contacted: z.number().int(), met: z.number().int(), agreed: z.number().int() })),
    sectorConversion: z.array(
      z.object({ sector: z.string().nullable(), shown: z.number().int(), contacted: z.number().int(), met: z.number().int(), agreed: z.number().int(), rate: z.number() }),
    ),
  })
  .openapi('ProgrammeReport', { description: 'Counts only: no contact details, no decision notes.' });

/** `GET /report`: the programme report as JSON or CSV. */
export function registerReportRoutes(app: App, deps: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/report',
      tags: ['report'],
      operationId: 'getReport',
      summary: 'The programme report',
      description:
        'Needs by month, sector (root, given or inferred tags) and city; companies by municipality; the funnel from match to agreement and which sectors convert. Stages come from the follow-up history when the database has it, else from the decisions. Counts only (no contact details, no decision notes), so readers and coordinators get the same report. JSON or CSV (`section,key,measure,value`).',
      ...guard(deps, 'reader'),
      request: { query: ReportQuery },
      responses: {
        200: { description: 'The report', content: { 'application/json': { schema: ReportSchema }, 'text/csv': { schema: z.string() } } },
        ...problems(400, 401, 403),
      },
    }),
    (c) => {
      const { from, to, format } = c.req.valid('query');
      const report = reportFromCatalog(deps.catalog, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
      if (negotiateFormat(format, c.req.header('accept')) === 'csv') return csvDownload(c, 'report.csv', writeCsv(reportRows(report), { bom: true }));
      return c.json(report, 200);
    },
  );
}
