import { createRoute, z } from '@hono/zod-openapi';
import { glossText } from '@partnermatch/core';
import { guard, problems, type App, type RouteDeps } from '../routing.js';
import { IdParams } from '../schemas.js';
import type { RecordKind, RecordOf } from '../store.js';

/** What every gloss answer says about itself, so no client shows it as a translation. */
export const GLOSS_NOTE = 'word gloss, not a translation: the key terms of the text with their meanings, from the glossary and the lexicon';

const WordGlossSchema = z
  .object({
    term: z.string().openapi({ example: '养蜂', description: 'The term as the text writes it (Chinese in traditional characters where the text has them; Latin words lower-cased)' }),
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

type GlossLanguage = RecordGloss['lang'];

/** What differs between the two gloss routes; everything else is one route. */
const GLOSSED: { readonly [K in RecordKind]: {
  readonly path: string;
  readonly tag: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  /** The record's text fields to gloss, by name. */
  readonly fields: (record: RecordOf[K]) => Record<string, string>;
} } = {
  need: {
    path: '/needs/{id}/gloss',
    tag: 'needs',
    operationId: 'glossNeed',
    summary: "A key-term word gloss of a need in the reader's language",
    description:
      "The need's title and description as key terms, each with its meaning in `lang` (sv or en) and its source (`glossary` or `lexicon`). A word gloss, not a translation: it tells a coordinator who does not read the need's language what it is about.",
    fields: (need) => ({ title: need.title, description: need.description }),
  },
  company: {
    path: '/companies/{id}/gloss',
    tag: 'companies',
    operationId: 'glossCompany',
    summary: "A key-term word gloss of a company in the reader's language",
    description:
      "The company's description and offerings as key terms, each with its meaning in `lang` (sv or en) and its source. A word gloss, not a translation; a field already in `lang` has none.",
    fields: (company) => ({ description: company.description, offerings: (company.offerings ?? []).join('. ') }),
  },
};

/** The word gloss of a record's text fields (a need's title and description, a company's description and offerings) in `lang`. */
export function glossRecord<K extends RecordKind>(kind: K, record: RecordOf[K], lang: GlossLanguage): RecordGloss {
  const fields = Object.entries(GLOSSED[kind].fields(record)).map(([name, text]) => [name, glossText(text, { to: lang })] as const);
  return { id: record.id, lang, kind: 'word-gloss', note: GLOSS_NOTE, fields: Object.fromEntries(fields) };
}

/** `GET /needs/{id}/gloss` and `GET /companies/{id}/gloss`: key-term word glosses for readers. */
export function registerGlossRoutes(app: App, deps: RouteDeps): void {
  const { catalog } = deps;
  for (const kind of ['need', 'company'] as const) {
    const { path, tag, operationId, summary, description } = GLOSSED[kind];
    app.openapi(
      createRoute({
        method: 'get',
        path,
        tags: [tag],
        operationId,
        summary,
        description,
        ...guard(deps, 'reader'),
        request: { params: IdParams, query: GlossQuery },
        responses: { 200: { description: 'The word gloss (not a translation)', content: { 'application/json': { schema: RecordGlossSchema } } }, ...problems(400, 401, 403, 404) },
      }),
      (c) => c.json(glossRecord(kind, catalog.records.get(kind, c.req.valid('param').id), c.req.valid('query').lang), 200),
    );
  }
}
