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

interface Section {
  readonly text: string;
  /** Start offset of each line; one extra entry for the end. */
  readonly starts: Uint32Array;
}

function section(text: string): Section {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  if (starts.at(-1) !== text.length) starts.push(text.length + 1);
  return { text, starts: Uint32Array.from(starts) };
}

const lineCount = (s: Section): number => s.starts.length - 1;

function keyAt(s: Section, line: number): string {
  const start = s.starts[line]!;
  const tab = s.text.indexOf('\t', start);
  return s.text.slice(start, tab);
}

function fieldsAt(s: Section, line: number): string[] {
  return s.text.slice(s.starts[line]!, s.starts[line + 1]! - 1).split('\t');
}

function find(s: Section, key: string): number {
  let low = 0;
  let high = lineCount(s) - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = keyAt(s, mid);
    if (at === key) return mid;
    if (at < key) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
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
  const body = (from: number, name: string, to: number): Section =>
    section(buffer.toString('utf8', from + name.length + 3, to).replace(/\n$/, ''));
  const english = body(en, 'en', sv);
  const swedish = body(sv, 'sv', zh);
  const chinese = body(zh, 'zh', buffer.length);

  let maxChineseLength = 1;
  for (let line = 0; line < lineCount(chinese); line += 1) {
    const start = chinese.starts[line]!;
    maxChineseLength = Math.max(maxChineseLength, chinese.text.indexOf('\t', start) - start);
  }

  const pivotStem = (id: number): string => keyAt(english, id);
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
        for (let line = 0; line < lineCount(swedish); line += 1) {
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
