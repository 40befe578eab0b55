import type { ConceptEntry } from '../taxonomy/glossary-types.js';
import { stem, type LatinLanguage } from './stemming.js';
import { normalizeText, segmentWords, type PhraseStart, type WordFacts, type WordToken } from './tokens.js';

/** A glossary concept found in a text, with the phrase that expressed it. */
export interface ConceptHit {
  readonly concept: string;
  /** The phrase as it stands in the normalised text, e.g. `avloppsreningsverk` or `污水处理厂`. */
  readonly phrase: string;
}


export interface ConceptMatcher {
  /**
   * Concepts expressed in `normalized`, in text order. `latin` are its Latin-script words
   * and `facts` what is known of each (same order); `compounds` gives the concepts of the
   * Latin word at an index as a compound part (`compoundConcepts`, memoised by the caller),
   * and is left out where compound parts do not count: they count only in Swedish text
   * (English `placement` is no `cement`).
   */
  match(
    normalized: string,
    latin: readonly WordToken[],
    facts: readonly WordFacts[],
    compounds: ((index: number) => readonly string[]) | undefined,
    /** Where the text's Han words begin and end; undefined when it has none (no term can begin anywhere). */
    hanBoundaries: BoundaryTest | undefined,
    /** Look for these concepts only (all when left out). */
    only?: ReadonlySet<string>,
    /** Receives the start and end offset of every hit, flat: where the glossary has spoken. */
    covered?: number[],
  ): ConceptHit[];
  /**
   * Concepts whose single Swedish term stands inside `word` as a compound part, given the
   * word's Swedish stem. Depends on the word alone, so callers memoise it per word. With
   * `isWord` (whether a first part is a word), a term is not found where its first letters
   * end a word before it: `dieselbil` is diesel + bil, no `elbil` (an electric car), and
   * `cykelhandel` no `elhandel`.
   */
  compoundConcepts(word: string, swedishStem: string, isWord?: (head: string) => boolean): readonly string[];
  /** Phrases whose first word has these stems. Depends on the word alone: memoise it. */
  phraseStarts(swedishStem: string, englishStem: string): readonly PhraseStart[];
  /** Single-word Swedish terms, the decompounder's extra lexicon. */
  readonly swedishWords: readonly string[];
}

/** Whether an offset of the normalised text starts or ends a segmenter word. */
export interface BoundaryTest {
  has(offset: number): boolean;
}

const LANGUAGES: readonly LatinLanguage[] = ['sv', 'en'];
const MIN_COMPOUND_REST = 3;
/**
 * How many letters of a compound part's start may close the word before it: `el` of
 * `diesel`, `möbel` and `partikel` (before `elbil`, `elhandel`, `elfilter`), `rid` of `hybrid`.
 */
const MAX_WORD_OVERLAP = 3;
/**
 * How much shorter than a one-word glossary term a word reaching it by stem may be: the
 * inflections dropped from a term (`-ing`, `-ies`, `-ar`, `-en`) are at most this long.
 */
const INFLECTION_SLACK = 3;
const HAN_RUN = /\p{Script=Han}+/gu;

/**
 * Compiles the glossary once into lookup tables:
 * - sv/en phrases by the stem of their first word (per language, so each phrase is
 *   compared with stems made by its own language's stemmer);
 * - Swedish single words by stem suffix and by written prefix, so they are found inside
 *   compounds (`avloppsreningsverken` ends with the stem `reningsverk`);
 * - Chinese terms by their first two characters, matched on the text itself because the
 *   word segmenter splits domain terms (光伏 → 光|伏).
 */
export function compileConcepts(concepts: readonly ConceptEntry[]): ConceptMatcher {
  const phrases: Record<LatinLanguage, Map<string, PhraseStart[]>> = { sv: new Map(), en: new Map() };
  const swedishSuffixes = new Map<string, string[]>();
  const swedishPrefixes = new Map<string, string[]>();
  // Keyed by the first two UTF-16 units as one number: the scan looks up every position
  // of every Han run, and a number key spares a two-character string each time.
  const chinese = new Map<number, { term: string; concept: string }[]>();
  const swedishWords: string[] = [];

  const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else if (!list.includes(value)) list.push(value);
  };

  for (const concept of concepts) {
    for (const language of LANGUAGES) {
      for (const term of concept[language]) {
        const words = segmentWords(normalizeText(term)).map((w) => w.text);
        if (words.length === 0) continue;
        const stems = words.map((w) => stem(w, language));
        const minLength = words.length === 1 ? words[0]!.length - INFLECTION_SLACK : 0;
        push(phrases[language], stems[0]!, { concept: concept.id, language, stems, minLength });
        if (language === 'sv' && words.length === 1 && words[0]!.length >= 4) {
          swedishWords.push(words[0]!);
          push(swedishSuffixes, stems[0]!, concept.id);
          push(swedishPrefixes, words[0]!, concept.id);
        }
      }
    }
    for (const term of concept.zh) {
      const normalized = normalizeText(term);
      if (normalized.length < 2) continue;
      const key = pairKey(normalized, 0);
      const list = chinese.get(key) ?? [];
      list.push({ term: normalized, concept: concept.id });
      chinese.set(key, list);
    }
  }
  // Longest first, so a containing term claims its span before the shorter one inside it.
  for (const list of chinese.values()) list.sort((a, b) => b.term.length - a.term.length);
  for (const table of Object.values(phrases)) for (const list of table.values()) list.sort((a, b) => b.stems.length - a.stems.length);

  return {
    swedishWords,
    compoundConcepts,
    phraseStarts(swedishStem, englishStem) {
      const sv = phrases.sv.get(swedishStem);
      const en = phrases.en.get(englishStem);
      if (sv === undefined) return en ?? NONE_PHRASES;
      return en === undefined ? sv : [...sv, ...en];
    },
    match(normalized, latin, facts, compounds, hanBoundaries, only, covered) {
      const hits: ConceptHit[] = [];
      const spans = new Map<string, [number, number][]>();
      const record = (concept: string, start: number, end: number): void => {
        const taken = spans.get(concept);
        if (taken?.some(([s, e]) => s <= start && end <= e)) return;
        if (taken === undefined) spans.set(concept, [[start, end]]);
        else taken.push([start, end]);
        hits.push({ concept, phrase: normalized.slice(start, end) });
        covered?.push(start, end);
      };

      for (let i = 0; i < latin.length; i += 1) {
        const word = latin[i]!;
        const fact = facts[i]!;
        const starts = fact.phrases;
        for (let p = 0; p < starts.length; p += 1) {
          const pattern = starts[p]!;
          if (only !== undefined && !only.has(pattern.concept)) continue;
          const length = pattern.stems.length;
          if (i + length > latin.length || word.text.length < pattern.minLength) continue;
          let k = 1;
          while (k < length && facts[i + k]![pattern.language] === pattern.stems[k]) k += 1;
          if (k === length) {
            const last = latin[i + k - 1]!;
            record(pattern.concept, word.start, last.start + last.text.length);
          }
        }
        const compound = compounds === undefined ? NONE : compounds(i);
        for (let c = 0; c < compound.length; c += 1) {
          if (only === undefined || only.has(compound[c]!)) record(compound[c]!, word.start, word.start + word.text.length);
        }
      }

      // A term must begin on a segmenter word's boundary: with no Han word there is none,
      // and a Latin text is spared the scan for Han runs.
      if (hanBoundaries === undefined) return hits;
      for (const run of normalized.matchAll(HAN_RUN)) {
        const text = run[0];
        for (let i = 0; i + 1 < text.length; i += 1) {
          const candidates = chinese.get(pairKey(text, i));
          if (candidates === undefined) continue;
          const start = run.index + i;
          // Asked only once a term is there: a lazy test may segment the run to answer.
          let boundary: boolean | undefined;
          for (const { term, concept } of candidates) {
            if (only !== undefined && !only.has(concept)) continue;
            // A term may span several segmenter words (光|伏) and end inside one (饮用|水源
            // holds 饮用水), or begin inside one where it ends on a boundary (低能|耗 holds
            // 能耗, 加工|厂 工厂), but not both (当地|热门 is no 地热).
            if (!text.startsWith(term, i)) continue;
            boundary ??= hanBoundaries.has(start);
            if (!boundary && !hanBoundaries.has(start + term.length)) continue;
            record(concept, start, start + term.length);
          }
        }
      }
      return hits;
    },
  };

  /** Whether the part beginning at `cut` begins inside a word: the head is none, the head and up to three letters more are one. */
  function beginsInsideWord(text: string, cut: number, isWord: (head: string) => boolean): boolean {
    if (isWord(text.slice(0, cut))) return false;
    for (let more = 1; more <= MAX_WORD_OVERLAP && cut + more <= text.length - MIN_COMPOUND_REST; more += 1) {
      if (isWord(text.slice(0, cut + more))) return true;
    }
    return false;
  }

  function compoundConcepts(text: string, stemmed: string, isWord?: (head: string) => boolean): readonly string[] {
    if (text.length < 4 + MIN_COMPOUND_REST) return NONE;
    let found: string[] | undefined;
    const add = (concepts: readonly string[] | undefined): void => {
      for (const concept of concepts ?? []) {
        found ??= [];
        if (!found.includes(concept)) found.push(concept);
      }
    };
    for (let cut = MIN_COMPOUND_REST; cut <= stemmed.length - 4; cut += 1) {
      const tail = stemmed.slice(cut);
      const concepts = swedishSuffixes.get(tail);
      // The compound's last part, stemmed as a word of its own, must be the term's stem: the
      // stemmer cuts a compound's end as it cuts the whole word, and `kosttillskott` (dietary
      // supplements) stems to `…skot`, the stem of `skotare` (a forest machine), though its
      // part `skott` stems to itself. A short neuter's definite form keeps its `-et` alone
      // (`labbet`) and loses it closing a compound (`miljölabbet`).
      if (concepts === undefined || !isStemOfPart(stem(text.slice(cut), 'sv'), tail)) continue;
      if (isWord === undefined || !beginsInsideWord(text, cut, isWord)) add(concepts);
    }
    for (let cut = 4; cut <= text.length - MIN_COMPOUND_REST; cut += 1) add(swedishPrefixes.get(text.slice(0, cut)));
    // Exactly as long as found: the word memo keeps this, and a pushed-to array has room for ~17.
    return found === undefined ? NONE : found.slice();
  }
}

/** Whether a compound's last part, stemmed alone (`alone`), is the part the compound's stem ends in (`tail`). */
function isStemOfPart(alone: string, tail: string): boolean {
  return alone === tail || alone === `${tail}et`;
}

function pairKey(text: string, at: number): number {
  return text.charCodeAt(at) * 0x10000 + text.charCodeAt(at + 1);
}

const NONE: readonly string[] = Object.freeze([]);
const NONE_PHRASES: readonly PhraseStart[] = Object.freeze([]);
