import { bm25Typed } from './bm25-typed.js';
import type { Engine } from './engine.js';
import { flexsearch } from './flexsearch.js';
import { minisearch } from './minisearch.js';
import { naturalTfIdf } from './natural.js';
import { partnermatch, partnermatchWithoutLexicon } from './partnermatch.js';
import { sqliteFts5 } from './sqlite.js';

export type { BuildOptions, Engine, SearchIndex } from './engine.js';

/** Every engine, partnermatch first: the order of the table. */
export const ENGINES: readonly Engine[] = [partnermatch, partnermatchWithoutLexicon, bm25Typed, sqliteFts5, minisearch, naturalTfIdf, flexsearch];
