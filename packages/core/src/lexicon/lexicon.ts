import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The everyday-word lexicon (`data/lexicon.tsv`, built by `scripts/build-lexicon.mjs`):
 * Swedish stems and Chinese words mapped to English pivot stems, so the three languages
 * meet on English. Kept as three strings (one per section) and typed arrays of line
 * offsets, searched by binary search: a few MB for ~260k entries, loaded once per
 * process on first use.
 */

/** One English pivot term of an entry, with the share of the entry's senses it stands in. */
export interface Pivot {
  /** The English stem, as the pipeline stems English words. */
  readonly term: string;
  /** (Senses holding the term) / (senses of the entry): all translations of a word sum to about 1. */
  readonly weight: number;
}

export interface LexiconEntry {
  /** The headword: a Swedish lemma or a Chinese word. */
  readonly lemma: string;
  /** Pivot terms, highest weight first. */
  readonly pivots: readonly Pivot[];
  /** The senses as pivot terms, most common first (a sense may take several words: `raise bee`). */
  readonly senses: readonly (readonly string[])[];
}

export interface LexiconInfo {
  readonly format: number;
  readonly built: string;
  readonly sources: readonly string[];
  readonly counts: { readonly en: number; readonly sv: number; readonly zh: number };
  /** The longest Chinese headword, in UTF-16 units. */
  readonly maxChinese: number;
}

export interface Lexicon {
  readonly info: LexiconInfo;
  /** The entry for a Swedish stem (inflections the stemmer misses are keys of their own). */
  swedish(stem: string): LexiconEntry | undefined;
  /** The entry for a Chinese word (simplified, as normalised). */
  chinese(word: string): LexiconEntry | undefined;
  /** The longest Chinese headword, in UTF-16 units: the window of longest-match. */
  readonly maxChineseLength: number;
  /** A pivot stem as an English word (`beekeep` → `beekeeping`). */
  englishWord(pivot: string): string;
  /** The Swedish lemma that translates a pivot most directly, if any (for glosses in Swedish). */
  swedishWord(pivot: string): string | undefined;
}

const FORMAT = 1;

/**
 * A section of sorted `key\t…` lines, searched by binary search over character offsets
 * (each probe backs up to its line start), so loading needs no pass over the lines.
 */
interface Section {
  readonly text: string;
}

function lineEnd(s: Section, start: number): number {
  const end = s.text.indexOf('\n', start);
  return end === -1 ? s.text.length : end;
}

/** Offset of the line whose key is `key`, or -1. */
function find(s: Section, key: string): number {
  const { text } = s;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const start = text.lastIndexOf('\n', mid - 1) + 1;
    const at = text.slice(start, text.indexOf('\t', start));
    if (at === key) return start;
    if (at < key) low = lineEnd(s, start) + 1;
    else high = start;
  }
  return -1;
}

function fieldsAt(s: Section, start: number): string[] {
  return s.text.slice(start, lineEnd(s, start)).split('\t');
}

/** Parses a lexicon file's text. Exposed for tests; `lexicon()` loads the shipped one. */
export function parseLexicon(buffer: Buffer): Lexicon {
  // Sections are decoded separately so the Latin ones stay one-byte strings.
  const marker = (name: string): number => {
    const at = buffer.indexOf(`\n@${name}\n`);
    if (at === -1) throw new Error(`lexicon: section @${name} missing`);
    return at;
  };
  const headerEnd = buffer.indexOf('\n');
  const header = buffer.toString('utf8', 0, headerEnd).split('\t');
  if (header[0] !== '#partnermatch-lexicon') throw new Error('lexicon: not a partnermatch lexicon file');
  const info = JSON.parse(header[1]!) as LexiconInfo;
  if (info.format !== FORMAT) throw new Error(`lexicon: format ${info.format}, expected ${FORMAT}: rebuild with npm run lexicon`);
  const [en, sv, zh] = [marker('en'), marker('sv'), marker('zh')];
  const body = (from: number, name: string, to: number): Section => ({
    text: buffer.toString('utf8', from + name.length + 3, to).replace(/\n$/, ''),
  });
  const english = body(en, 'en', sv);
  const swedish = body(sv, 'sv', zh);
  const chinese = body(zh, 'zh', buffer.length);
  const maxChineseLength = info.maxChinese;
  // Pivot ids are line numbers of the English section: its line starts, once (37k lines).
  const englishStarts: number[] = [0];
  for (let i = english.text.indexOf('\n'); i !== -1; i = english.text.indexOf('\n', i + 1)) englishStarts.push(i + 1);
  const pivotStarts = Uint32Array.from(englishStarts);

  const pivotStem = (id: number): string => {
    const start = pivotStarts[id]!;
    return english.text.slice(start, english.text.indexOf('\t', start));
  };
  const entryOf = (lemma: string, senseText: string): LexiconEntry => {
    const senses = senseText.split(';').map((sense) => [...new Set(sense.split(','))].map((id) => pivotStem(parseInt(id, 36))));
    const counts = new Map<string, number>();
    for (const sense of senses) for (const term of sense) counts.set(term, (counts.get(term) ?? 0) + 1);
    const pivots = [...counts].map(([term, count]) => ({ term, weight: count / senses.length }));
    // Stable: equal weights keep the sources' order, most common sense first.
    pivots.sort((a, b) => b.weight - a.weight);
    return { lemma, pivots, senses };
  };

  let reverse: Map<string, string> | undefined;

  return {
    info,
    maxChineseLength,
    swedish(stem) {
      let line = find(swedish, stem);
      if (line === -1) return undefined;
      let fields = fieldsAt(swedish, line);
      if (fields[1]!.startsWith('=')) {
        line = find(swedish, fields[1]!.slice(1));
        if (line === -1) return undefined;
        fields = fieldsAt(swedish, line);
      }
      return entryOf(fields[1]!, fields[2]!);
    },
    chinese(word) {
      const line = find(chinese, word);
      if (line === -1) return undefined;
      const fields = fieldsAt(chinese, line);
      return entryOf(fields[0]!, fields[1]!);
    },
    englishWord(pivot) {
      const line = find(english, pivot);
      return line === -1 ? pivot : fieldsAt(english, line)[1]!;
    },
    swedishWord(pivot) {
      if (reverse === undefined) {
        // Built on first use only (glosses in Swedish): the lemma that names the pivot
        // earliest and most exactly (a one-word sense of a word with few senses), then
        // the shortest.
        reverse = new Map();
        const rank = new Map<string, number>();
        for (let line = 0; line < swedish.text.length; line = lineEnd(swedish, line) + 1) {
          const fields = fieldsAt(swedish, line);
          if (fields[1]!.startsWith('=')) continue;
          const senses = fields[2]!.split(';');
          senses.forEach((sense, position) => {
            for (const id of sense.split(',')) {
              const term = pivotStem(parseInt(id, 36));
              const score = (sense.includes(',') ? 100_000 : 0) + position * 1000 + senses.length * 20 + fields[1]!.length;
              if (score < (rank.get(term) ?? Infinity)) {
                rank.set(term, score);
                reverse!.set(term, fields[1]!);
              }
            }
          });
        }
      }
      return reverse.get(pivot);
    },
  };
}

let shared: Lexicon | undefined;

/** The lexicon shipped with the package, loaded on first use and kept for the process. */
export function lexicon(): Lexicon {
  shared ??= parseLexicon(readFileSync(fileURLToPath(new URL('../../data/lexicon.tsv', import.meta.url))));
  return shared;
}
