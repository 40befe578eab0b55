import Database from 'better-sqlite3';
import { companyText, needText, words } from '../text.js';
import type { Engine } from './engine.js';

/** An FTS5 query that ORs every distinct query word, each quoted. */
export function fts5Query(text: string): string {
  return [...new Set(words(text))].map((word) => `"${word}"`).join(' OR ');
}

/** SQLite FTS5 (unicode61 tokenizer) ranked by its built-in bm25(), in an in-memory database. */
export const sqliteFts5: Engine = {
  name: 'SQLite FTS5',
  setup: 'better-sqlite3 12, in-memory FTS5 table, unicode61, ORDER BY rank (bm25) LIMIT k',
  role: 'peer',
  build(companies) {
    const db = new Database(':memory:');
    db.exec('CREATE VIRTUAL TABLE docs USING fts5(text)');
    const ids: string[] = [];
    const rowOf = new Map<string, number>();
    const insert = db.prepare<[number, string]>('INSERT INTO docs(rowid, text) VALUES (?, ?)');
    const replace = db.prepare<[string, number]>('UPDATE docs SET text = ? WHERE rowid = ?');
    const query = db.prepare<[string, number], { rowid: number }>('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?');
    const add = (company: (typeof companies)[number]) => {
      const row = ids.length + 1;
      ids.push(company.id);
      rowOf.set(company.id, row);
      insert.run(row, companyText(company));
    };
    db.transaction(() => companies.forEach(add))();
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return {
      search(need, k) {
        const match = fts5Query(needText(need));
        return match === '' ? [] : query.all(match, k).map(({ rowid }) => ids[rowid - 1]!);
      },
      add,
      update(company) {
        const row = rowOf.get(company.id);
        if (row === undefined) throw new Error(`no company ${company.id}`);
        replace.run(companyText(company), row);
      },
      nativeBytes: () => (db.pragma('page_count', { simple: true }) as number) * pageSize,
      close: () => void db.close(),
    };
  },
};
