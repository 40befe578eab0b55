import { createRoute, z } from '@hono/zod-openapi';
import { glossText, type Company, type PartnerNeed } from '@partnermatch/core';
import { guard, problems, type App, type RouteDeps } from '../routing.js';
import { IdParams } from '../schemas.js';

/** What every gloss answer says about itself, so no client shows it as a translation. */
export const GLOSS_NOTE = 'word gloss, not a translation: the key terms of the text with their meanings, from the glossary and the lexicon';

const WordGlossSchema = z
  .object({
    term: z.string().openapi({ example: '养蜂' }),
    gloss: z.string().openapi({ example: 'beekeeping' }),
    source: z.enum(['glossary', 'lexicon']).openapi({ description: '`glossary`: a curated domain concept; `lexicon`: the open everyday-word lexicon' }),
  })
  .openapi('WordGloss');

const GlossQuery = z.object({
  lang: z.enum(['en', 'sv']).default('en').openapi({ param: { name: 'lang', in: 'query' }, description: "The reader's language", example: 'en' }),
});

const RecordGlossSchema = z
  .object({
    id: z.string(),
    lang: z.enum(['en', 'sv']),
    kind: z.literal('word-gloss'),
    note: z.string().openapi({ example: GLOSS_NOTE }),
    fields: z
      .record(z.string(), z.array(WordGlossSchema))
      .openapi({ description: 'Per text field (`title`, `description` of a need; `description`, `offerings` of a company), its key terms in text order; empty when the field is already in the reader\'s language' }),
  })
  .openapi('RecordGloss');

export type RecordGloss = z.output<typeof RecordGlossSchema>;

/** The word gloss of a need's title and description in `lang`. */
export function glossNeed(need: PartnerNeed, lang: 'en' | 'sv'): RecordGloss {
  return {
    id: need.id,
    lang,
    kind: 'word-gloss',
    note: GLOSS_NOTE,
    fields: { title: glossText(need.title, { to: lang }), description: glossText(need.description, { to: lang }) },
  };
}

/** The word gloss of a company's description and offerings in `lang`. */
export function glossCompany(company: Company, lang: 'en' | 'sv'): RecordGloss {
  return {
    id: company.id,
    lang,
    kind: 'word-gloss',
    note: GLOSS_NOTE,
    fields: {
      description: glossText(company.description, { to: lang }),
      offerings: glossText((company.offerings ?? []).join('. '), { to: lang }),
    },
  };
}

/** `GET /needs/{id}/gloss` and `GET /companies/{id}/gloss`: key-term word glosses for readers. */
export function registerGlossRoutes(app: App, deps: RouteDeps): void {
  const { catalog } = deps;
  const answer = { 200: { description: 'The word gloss (not a translation)', content: { 'application/json': { schema: RecordGlossSchema } } }, ...problems(400, 401, 403, 404) };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/needs/{id}/gloss',
      tags: ['needs'],
      operationId: 'glossNeed',
      summary: "A key-term word gloss of a need in the reader's language",
      description:
        "The need's title and description as key terms, each with its meaning in `lang` (sv or en) and its source (`glossary` or `lexicon`). A word gloss, not a translation: it tells a coordinator who does not read the need's language what it is about.",
      ...guard(deps, 'reader'),
      request: { params: IdParams, query: GlossQuery },
      responses: answer,
    }),
    (c) => c.json(glossNeed(catalog.records.get('need', c.req.valid('param').id) as PartnerNeed, c.req.valid('query').lang), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/companies/{id}/gloss',
      tags: ['companies'],
      operationId: 'glossCompany',
      summary: "A key-term word gloss of a company in the reader's language",
      description:
        "The company's description and offerings as key terms, each with its meaning in `lang` (sv or en) and its source. A word gloss, not a translation; a field already in `lang` has none.",
      ...guard(deps, 'reader'),
      request: { params: IdParams, query: GlossQuery },
      responses: answer,
    }),
    (c) => c.json(glossCompany(catalog.records.get('company', c.req.valid('param').id) as Company, c.req.valid('query').lang), 200),
  );
}
