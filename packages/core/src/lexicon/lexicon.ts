import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evictOldestHalf } from '../text/memo.js';

/**
 * The everyday-word lexicon (`data/lexicon.tsv`, built by `scripts/build-lexicon.mjs`):
 * Swedish stems and Chinese words mapped to English pivot stems, so the three languages
 * meet on English. Kept as three strings (one per section) with hash tables of line
 * offsets: a few MB for ~260k entries, loaded once per process on first use.
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
  /**
   * A Chinese word's IDF in a general corpus (cppjieba's), where it is a common word (below
   * 9): how generic it is in Chinese at large. A single character's is estimated from how
   * often it is a word of its own there (`scripts/build-lexicon.mjs`). Undefined for Swedish
   * entries and words specific enough.
   */
  readonly generalIdf?: number;
}

/** Whether an entry is an acronym's own: its lemma written in capitals (`VVS`, from the core vocabulary). */
export function isAcronymEntry(entry: LexiconEntry): boolean {
  return entry.lemma !== entry.lemma.toLowerCase();
}

export interface ChineseMatch {
  readonly end: number;
  readonly entry: LexiconEntry;
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
  /** A digest of the file's bytes: what an index built with this lexicon depends on. */
  readonly digest: string;
  /** The entry for a Swedish stem (inflections the stemmer misses are keys of their own). */
  swedish(stem: string): LexiconEntry | undefined;
  /** Whether a Swedish stem is a headword (or a form of one): no entry is built. */
  hasSwedish(stem: string): boolean;
  /** `hasSwedish(word.slice(from))`, probed in place: a compound split tries every cut, and most find nothing. */
  hasSwedishTail(word: string, from: number): boolean;
  /** Whether `pivot` is an English pivot stem (a word some entry translates to). */
  hasEnglish(pivot: string): boolean;
  /** The entry for a Chinese word (simplified, as normalised). */
  chinese(word: string): LexiconEntry | undefined;
  /**
   * The longest Chinese headword `text[start, end)` with `end` at most `limit` and, when
   * given, `boundary(end)` true: the step of longest-match, probed in place (no slice per
   * length tried).
   */
  longestChinese(text: string, start: number, limit: number, boundary?: (end: number) => boolean): ChineseMatch | undefined;
  /** The longest Chinese headword, in UTF-16 units: the window of longest-match. */
  readonly maxChineseLength: number;
  /** A pivot stem as an English word (`beekeep` → `beekeeping`). */
  englishWord(pivot: string): string;
  /** The Swedish lemma that translates a pivot most directly, if any (for glosses in Swedish). */
  swedishWord(pivot: string): string | undefined;
  /** The Swedish lemma with a sense of exactly these pivots (`bee keep` → `biodling`), if any. */
  swedishPhrase(sense: readonly string[]): string | undefined;
}

const FORMAT = 3;

/**
 * English words that, inside a gloss of several words, carry its grammar rather than its
 * meaning: particles and light verbs (`cut off`, `keep bees`, `raise bees`, `go up`), as
 * pivot stems. A gloss that is one of them alone keeps it (`保持` is `keep`).
 */
export const LIGHT_PIVOTS: ReadonlySet<string> = new Set([
  'off', 'down', 'back', 'awai', 'over', 'along', 'around', 'forth', 'onto', 'upon', 'toward', 'within',
  'go', 'come', 'get', 'put', 'take', 'give', 'make', 'set', 'keep', 'let', 'hold', 'bring', 'turn', 'rais', 'sb', 'sth',
  // `one` (its stem): the glosses' stand-in for a person (`according to one's wishes`).
  'on',
]);

/** Words that make a gloss mean the absence of its other words (`no contact`, `lack substance`): such a sense bridges nothing. */
export const NEGATING_PIVOTS: ReadonlySet<string> = new Set(['no', 'not', 'non', 'without', 'never', 'nor', 'lack', 'un']);

/**
 * Pivots come from this many first senses (the file keeps six): the sources list the
 * common senses first, and the last ones add rare or figurative meanings. Five was best
 * on the dev, sample and economy-dev sets among 3–6, and on fixtures/bitext-dev.
 */
export const PIVOT_SENSES = 5;

/**
 * An entry's pivot terms: each of its first senses counts 1 / (senses) for every word
 * in it, so all translations of a word sum to about one. Negated senses (`no contact`)
 * and the light words of longer glosses (`cut off`, `raise bees`) give none: as pivots
 * they bridge unrelated words (绝缘, insulation, met overhead lines through `contact`).
 * Highest weight first; equal weights keep the sources' order, most common sense first.
 */
export function pivotsOf(senses: readonly (readonly string[])[]): Pivot[] {
  const weights = new Map<string, number>();
  const share = 1 / senses.length;
  for (const sense of senses.slice(0, PIVOT_SENSES)) {
    if (sense.some((term) => NEGATING_PIVOTS.has(term))) continue;
    const words = sense.length === 1 ? sense : sense.filter((term) => !LIGHT_PIVOTS.has(term));
    for (const term of words) weights.set(term, (weights.get(term) ?? 0) + share);
  }
  const pivots = [...weights].map(([term, weight]) => ({ term, weight }));
  pivots.sort((a, b) => b.weight - a.weight);
  return pivots;
}

/**
 * A section of `key\t…` lines with an open-addressing hash table of line starts, so a
 * lookup hashes the key once and compares it in place: no slice per probe, which made
 * the longest-match of Chinese text and the compound splits of Swedish words the largest
 * cost of the layer. The table takes 4 bytes per slot, two slots per line (~2 MB in all).
 */
interface Section {
  readonly text: string;
  /** Line start + 1 per used slot, 0 for an empty one. */
  readonly table: Int32Array;
  readonly mask: number;
  /** How its keys are hashed: `hashOf`, or `hashBackward` (every tail of a word hashed in one pass). */
  readonly hash: (text: string, start: number, end: number) => number;
}

const TAB = 9;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 units of text[start, end). */
function hashOf(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

/** FNV-1a over the UTF-16 units of text[start, end), last first. */
function hashBackward(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = end - 1; i >= start; i -= 1) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

/**
 * Indexes a section of about `lines` lines (the header's count: no pass to count them);
 * a section longer than its count is indexed again with room to spare.
 */
function indexSection(text: string, lines: number, hash: Section['hash']): Section {
  let size = 1024;
  while (size < (lines + 1) * 2) size *= 2;
  const table = new Int32Array(size);
  const mask = size - 1;
  let used = 0;
  for (let start = 0; start < text.length; ) {
    if (++used * 2 > size) return indexSection(text, size, hash);
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let keyEnd = text.indexOf('\t', start);
    if (keyEnd === -1 || keyEnd > end) keyEnd = end;
    let slot = hash(text, start, keyEnd) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = start + 1;
    start = end + 1;
  }
  return { text, table, mask, hash };
}

function lineEnd(s: Section, start: number): number {
  const end = s.text.indexOf('\n', start);
  return end === -1 ? s.text.length : end;
}

/** Offset of the line whose key is `key`, or -1. */
function find(s: Section, key: string): number {
  const { text, table, mask } = s;
  let slot = s.hash(key, 0, key.length) & mask;
  for (let at = table[slot]!; at !== 0; slot = (slot + 1) & mask, at = table[slot]!) {
    const start = at - 1;
    if (text.startsWith(key, start) && (text.charCodeAt(start + key.length) === TAB || start + key.length === text.length)) return start;
  }
  return -1;
}

/** Offset of the line whose key is `source[from, to)`, or -1, given the key's hash. */
function findRange(s: Section, hash: number, source: string, from: number, to: number): number {
  const { text, table, mask } = s;
  const length = to - from;
  let slot = hash & mask;
  probe: for (let at = table[slot]!; at !== 0; slot = (slot + 1) & mask, at = table[slot]!) {
    const start = at - 1;
    if (text.charCodeAt(start + length) !== TAB && start + length !== text.length) continue;
    for (let k = 0; k < length; k += 1) if (text.charCodeAt(start + k) !== source.charCodeAt(from + k)) continue probe;
    return start;
  }
  return -1;
}

/**
 * Parsed entries by line offset, so a word met again costs a map lookup. Bounded: the
 * cache lives as long as the process, and a Zipfian vocabulary repeats its first words.
 */
const ENTRY_CACHE_LIMIT = 20_000;

function fieldsAt(s: Section, start: number): string[] {
  return s.text.slice(start, lineEnd(s, start)).split('\t');
}

/**
 * The header and the three sections of a lexicon file, decoded. Apart from the closures
 * `parseLexicon` returns: a variable one of them reads would keep the whole file's buffer
 * (5 MB) alive beside the decoded text.
 */
function readSections(buffer: Buffer): { info: LexiconInfo; english: Section; swedish: Section; chinese: Section } {
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
  const body = (from: number, name: keyof LexiconInfo['counts'], to: number): Section =>
    // Swedish keys are hashed last unit first: a compound's split probes every tail of one word.
    indexSection(buffer.toString('utf8', from + name.length + 3, to).replace(/\n$/, ''), info.counts?.[name] ?? 0, name === 'sv' ? hashBackward : hashOf);
  return { info, english: body(en, 'en', sv), swedish: body(sv, 'sv', zh), chinese: body(zh, 'zh', buffer.length) };
}

/** Parses a lexicon file's text. Exposed for tests; `lexicon()` loads the shipped one. */
export function parseLexicon(buffer: Buffer): Lexicon {
  const { info, english, swedish, chinese } = readSections(buffer);
  const maxChineseLength = info.maxChinese;
  // Pivot ids are line numbers of the English section: its line starts, once (37k lines).
  const englishStarts: number[] = [0];
  for (let i = english.text.indexOf('\n'); i !== -1; i = english.text.indexOf('\n', i + 1)) englishStarts.push(i + 1);
  const pivotStarts = Uint32Array.from(englishStarts);

  const pivotStem = (id: number): string => {
    const start = pivotStarts[id]!;
    return english.text.slice(start, english.text.indexOf('\t', start));
  };
  const entryOf = (lemma: string, senseText: string, generalIdf?: string): LexiconEntry => {
    // No senses: a filler word, a headword only so that longest match finds it whole.
    const senses = senseText === '' ? [] : senseText.split(';').map((sense) => [...new Set(sense.split(','))].map((id) => pivotStem(parseInt(id, 36))));
    // No field (NaN), or a malformed one, is no IDF: the word then weighs in full.
    const idf = Number(generalIdf);
    return { lemma, pivots: pivotsOf(senses), senses, ...(Number.isFinite(idf) ? { generalIdf: idf } : {}) };
  };

  let reverse: Map<string, string> | undefined;
  const senseKey = (terms: readonly string[]): string => (terms.length === 1 ? terms[0]! : [...terms].sort().join(' '));
  // Built on first use only (glosses in Swedish): for each pivot, and each sense of several
  // pivots, the lemma that names it earliest and most exactly (a sense of its own of a word
  // with few senses), then the shortest.
  const swedishNames = (): Map<string, string> => {
    if (reverse !== undefined) return reverse;
    const names = new Map<string, string>();
    const rank = new Map<string, number>();
    const offer = (key: string, score: number, lemma: string): void => {
      if (score < (rank.get(key) ?? Infinity)) {
        rank.set(key, score);
        names.set(key, lemma);
      }
    };
    for (let line = 0; line < swedish.text.length; line = lineEnd(swedish, line) + 1) {
      const fields = fieldsAt(swedish, line);
      if (fields[1]!.startsWith('=')) continue;
      const lemma = fields[1]!;
      const senses = fields[2]!.split(';');
      senses.forEach((sense, position) => {
        const terms = sense.split(',').map((id) => pivotStem(parseInt(id, 36)));
        const score = position * 1000 + senses.length * 20 + lemma.length;
        if (terms.length > 1) offer(senseKey(terms), score, lemma);
        for (const term of terms) offer(term, (terms.length > 1 ? 100_000 : 0) + score, lemma);
      });
    }
    reverse = names;
    return names;
  };
  const cached = (cache: Map<number, LexiconEntry>, line: number, make: () => LexiconEntry): LexiconEntry => {
    let entry = cache.get(line);
    if (entry === undefined) {
      entry = make();
      if (cache.size >= ENTRY_CACHE_LIMIT) evictOldestHalf(cache);
      cache.set(line, entry);
    }
    return entry;
  };
  const swedishEntries = new Map<number, LexiconEntry>();
  const chineseEntries = new Map<number, LexiconEntry>();
  // Looked up by line before the line is read: a compound's split asks for the same few
  // heads and tails again and again. An alias line (an inflection's key) keeps its entry too.
  const swedishAt = (line: number): LexiconEntry | undefined => {
    const known = swedishEntries.get(line);
    if (known !== undefined) return known;
    let fields = fieldsAt(swedish, line);
    let at = line;
    if (fields[1]!.startsWith('=')) {
      at = find(swedish, fields[1]!.slice(1));
      if (at === -1) return undefined;
      fields = fieldsAt(swedish, at);
    }
    const entry = cached(swedishEntries, at, () => entryOf(fields[1]!, fields[2]!));
    return at === line ? entry : cached(swedishEntries, line, () => entry);
  };
  const chineseAt = (line: number): LexiconEntry =>
    cached(chineseEntries, line, () => {
      const fields = fieldsAt(chinese, line);
      return entryOf(fields[0]!, fields[1]!, fields[2]);
    });
  // Hashes of text[start, start + k) for k = 1…, extended one unit at a time.
  const prefixHashes = new Uint32Array(64);
  // Every query word's translations name their bridge words (`honei` → `honey`): a probe,
  // a slice and a split each time, for a few thousand pivots that recur.
  const englishWords = new Map<string, string>();
  // The hashes of every tail of the last word asked about, made in one pass from its end:
  // a compound's split asks about each of its tails in turn (`hasSwedishTail`), and hashing
  // each tail afresh made the split quadratic in the word's length.
  let tailsOf = '';
  let tailHashes = new Uint32Array(64);
  const tailHashesOf = (word: string): void => {
    if (tailHashes.length <= word.length) tailHashes = new Uint32Array(word.length * 2);
    let hash = FNV_OFFSET;
    for (let i = word.length - 1; i >= 0; i -= 1) {
      hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
      tailHashes[i] = hash >>> 0;
    }
    tailsOf = word;
  };

  return {
    info,
    digest: createHash('sha256').update(buffer).digest('hex').slice(0, 16),
    maxChineseLength,
    swedish(stem) {
      const line = find(swedish, stem);
      return line === -1 ? undefined : swedishAt(line);
    },
    hasSwedish(stem) {
      return find(swedish, stem) !== -1;
    },
    hasSwedishTail(word, from) {
      if (word !== tailsOf) tailHashesOf(word);
      return findRange(swedish, tailHashes[from]!, word, from, word.length) !== -1;
    },
    hasEnglish(pivot) {
      return find(english, pivot) !== -1;
    },
    chinese(word) {
      const line = find(chinese, word);
      return line === -1 ? undefined : chineseAt(line);
    },
    longestChinese(text, start, limit, boundary) {
      const longest = Math.min(limit - start, maxChineseLength, prefixHashes.length);
      let hash = FNV_OFFSET;
      for (let k = 0; k < longest; k += 1) {
        hash = Math.imul(hash ^ text.charCodeAt(start + k), FNV_PRIME);
        prefixHashes[k] = hash >>> 0;
      }
      for (let k = longest; k > 0; k -= 1) {
        if (boundary !== undefined && !boundary(start + k)) continue;
        const line = findRange(chinese, prefixHashes[k - 1]!, text, start, start + k);
        if (line !== -1) return { end: start + k, entry: chineseAt(line) };
      }
      return undefined;
    },
    englishWord(pivot) {
      let word = englishWords.get(pivot);
      if (word === undefined) {
        const line = find(english, pivot);
        word = line === -1 ? pivot : fieldsAt(english, line)[1]!;
        if (englishWords.size >= ENTRY_CACHE_LIMIT) evictOldestHalf(englishWords);
        englishWords.set(pivot, word);
      }
      return word;
    },
    swedishWord(pivot) {
      return swedishNames().get(pivot);
    },
    swedishPhrase(sense) {
      return swedishNames().get(senseKey(sense));
    },
  };
}

let shared: Lexicon | undefined;

/** Whether `lexicon()` has read the file (the lexicon-off pipeline must never: LICENSE-DATA). */
export function lexiconLoaded(): boolean {
  return shared !== undefined;
}

/** The lexicon shipped with the package, loaded on first use and kept for the process. */
export function lexicon(): Lexicon {
  shared ??= parseLexicon(readFileSync(fileURLToPath(new URL('../../data/lexicon.tsv', import.meta.url))));
  return shared;
}
