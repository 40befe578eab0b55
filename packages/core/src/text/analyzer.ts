import { taxonomy } from '../taxonomy/taxonomy.js';
import { compileConcepts, type BoundaryTest, type ConceptHit, type ConceptMatcher } from './concepts.js';
import { createDecompounder, SWEDISH_COMPOUND_PARTS, type Decompounder } from './decompound.js';
import { LanguageTally, wordSignal, type Language, type WordSignal } from './language.js';
import { isAcronymEntry, lexicon, type LexiconEntry, type Pivot } from '../lexicon/lexicon.js';
import { CHINESE_FILLER, chineseWords, compoundStem, MAX_PIVOTS, translateSwedish, type SwedishTranslation } from './lexical.js';
import { detached, evictOldestHalf, RecurrenceMemo, SizedMemo } from './memo.js';
import { ENGLISH_UNSTEMMED_FORMS } from './inflections.js';
import { BLEKINGE_LOCALITIES, SWEDISH_PLACE_NAMES } from './place-names.js';
import { CHINESE_STOPWORDS, STOPWORDS, SWEDISH_LEXICON_STOPWORDS, stem, type LatinLanguage } from './stemming.js';
import { normalizeText, segmentWords, textsWithTraditional, type PhraseStart, type WordFacts, type WordToken, type WrittenText } from './tokens.js';

/** Concept tokens share the term space with words; this prefix cannot occur in a word. */
export const CONCEPT_PREFIX = '§';

/** Chinese character bigrams get their own term space, apart from two-character words. */
const BIGRAM_PREFIX = '¦';

export function conceptTerm(conceptId: string): string {
  return CONCEPT_PREFIX + conceptId;
}

export function isConceptTerm(term: string): boolean {
  return term.startsWith(CONCEPT_PREFIX);
}

/** A word or bigram term as written, where no written form was recorded (Chinese words are their own). */
export function writtenForm(term: string): string {
  return term.startsWith(BIGRAM_PREFIX) ? term.slice(BIGRAM_PREFIX.length) : term;
}

/**
 * How Chinese text becomes terms. `words`: the ICU word segmenter's words. `bigrams`:
 * overlapping character pairs of each Han run. `both`: the two together.
 */
export type ChineseTokens = 'words' | 'bigrams' | 'both';

export interface AnalyzerOptions {
  /** Defaults to `words`: measured on the labelled sets, see DESIGN.md. */
  readonly chinese?: ChineseTokens;
  /** Split Swedish compounds into known parts as extra terms. Defaults to true. */
  readonly decompound?: boolean;
  /** Map glossary phrases to concept terms. Defaults to true. */
  readonly concepts?: boolean;
  /** Stem sv/en words. Defaults to true. */
  readonly stemming?: boolean;
  /**
   * Bridge everyday Swedish and Chinese words to English through the open lexicon
   * (`data/lexicon.tsv`), and leave Chinese function words and filler out. Defaults to
   * true; false is the glossary-only pipeline.
   */
  readonly lexicon?: boolean;
}

/**
 * Query weight of a word's synonym set (all its lexicon translations as one term),
 * relative to a word (as a glossary concept counts 1.5×): among 0.75–2 on
 * fixtures/bitext-dev, economy-dev and the dev and sample sets, 1.5 was best on bitext-dev
 * and dev (1 keeps sample 0.006 higher but costs dev 0.007 and bitext sv→en 0.015).
 */
export const LEXICON_QUERY_WEIGHT = 1.5;

/**
 * How much of its query weight a Chinese word's synonym set keeps, by the word's IDF in a
 * general Chinese corpus (`LexiconEntry.generalIdf`): (idf − `CHINESE_PRIOR_ZERO_IDF`) /
 * (`CHINESE_PRIOR_FULL_IDF` − `CHINESE_PRIOR_ZERO_IDF`), never below `CHINESE_PRIOR_FLOOR`
 * (so 0.4 up to an IDF of 6) nor above 1 (from 9). A register of
 * seventy companies cannot tell a generic word from a specific one by its own IDF: the
 * translations of 经常 (often), 简单 (simple), 建设 (build), 系统 (system) are as rare there
 * as those of 柴油 (diesel) or 停电 (power cut), and a colloquial Chinese need's everyday
 * words outweighed its concepts. Chosen on every labelled set at once (full 8–10, zero 3–5,
 * floor 0.1–0.5): 9, 4 and 0.4 gained on nine of twelve (sum +0.13 nDCG@10; dev −0.004).
 * Everyday sentences are made of such words: when the floor was chosen, bitext-dev zh→en
 * went 0.992 → 0.985 at it (0.977 at 0.2), sv→en unchanged. Single characters have a value
 * too since session 37, estimated from jieba's word frequencies (`scripts/build-lexicon.mjs`);
 * without one, a spoken need's 人 (person), 用 (use) and 去 (go) weighed fully and led its
 * ranking (`building-n05`): the 25 labelled sets 22.33 → 22.43 summed, and bitext-dev zh→en,
 * 0.977 by then, back to 0.985.
 */
export const CHINESE_PRIOR_FULL_IDF = 9;
export const CHINESE_PRIOR_ZERO_IDF = 4;
export const CHINESE_PRIOR_FLOOR = 0.4;

/** The share of its query weight a Chinese word keeps (see `CHINESE_PRIOR_FULL_IDF`). */
export function chineseWordPrior(entry: Pick<LexiconEntry, 'generalIdf'>): number {
  const idf = entry.generalIdf;
  if (idf === undefined) return 1;
  const share = (idf - CHINESE_PRIOR_ZERO_IDF) / (CHINESE_PRIOR_FULL_IDF - CHINESE_PRIOR_ZERO_IDF);
  return Math.min(1, Math.max(CHINESE_PRIOR_FLOOR, share));
}

/**
 * A synonym set's members, each counting its term frequency in full (Pirkola's structured
 * query): scaling each by its share of the senses (a probabilistic structured query)
 * changed no figure on the dev, sample, economy-dev or bitext-dev sets, as the kept
 * pivots of a word nearly always share its senses evenly.
 */
function synonymMembers(pivots: readonly Pivot[]): Pivot[] {
  return pivots.map(({ term }) => ({ term, weight: 1 }));
}

// Pivot stem → the stems of its English forms Porter does not reach (`child` → `children`).
let unstemmedStems: Map<string, readonly string[]> | undefined;

/**
 * The stems of a pivot's English forms Porter does not reach: irregular ones (`bui` →
 * `bought`) and an adjective's comparison (`slow` → `slower`), as English text writes them.
 */
function unstemmedFormsOf(pivot: string): readonly string[] {
  if (unstemmedStems === undefined) {
    unstemmedStems = new Map();
    for (const [base, forms] of ENGLISH_UNSTEMMED_FORMS) {
      const baseStem = stem(base, 'en');
      // English text drops its stop words (`got`, `did`, `said`): no document holds them.
      const indexed = forms.filter((form) => !STOPWORDS.en.has(form)).map((form) => stem(form, 'en'));
      const stems = new Set([...(unstemmedStems.get(baseStem) ?? []), ...indexed]);
      stems.delete(baseStem);
      unstemmedStems.set(baseStem, [...stems]);
    }
  }
  return unstemmedStems.get(pivot) ?? NO_FORMS;
}

const NO_FORMS: readonly string[] = Object.freeze([]);

/**
 * The English adverb an adjective makes (`quiet` → `quietly`, `easy` → `easily`, `simple` →
 * `simply`, `basic` → `basically`, `full` → `fully`), for words of four letters or more.
 * Swedish writes its adverbs as the neuter adjective (`tyst`, `lätt`, `tydligt`), which the
 * lexicon translates as the adjective, and the Porter stemmer keeps English `-ly` (`quietli`),
 * so `Prata tyst` never met `speak quietly`. Callers keep only adverbs the lexicon knows as
 * that very English word. A word of three letters or fewer is left alone (`ear` is no
 * `early`). `-le` makes `-ly` only after `b` (`possible`, `comfortable`) and in a few
 * adjectives (`simple`, `gentle`), and `-ll` only in `full`: `apple` is no `apply`, `bell` no
 * `belly`. Adverbs whose sense moved off the adjective are left out (`hardly`, `lately`).
 */
export function adverbOf(word: string): string | undefined {
  if (word.length < 4 || !/^[a-z]+$/.test(word) || word.endsWith('ly') || DRIFTED_ADVERBS.has(word)) return undefined;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ily`;
  if (word.endsWith('le')) return word.endsWith('ble') || LE_ADJECTIVES.has(word) ? `${word.slice(0, -1)}y` : undefined;
  if (word.endsWith('ic')) return `${word}ally`;
  if (word.endsWith('ll')) return word === 'full' ? 'fully' : undefined;
  return `${word}ly`;
}

const LE_ADJECTIVES: ReadonlySet<string> = new Set(['simple', 'gentle', 'subtle', 'single', 'idle', 'ample', 'feeble', 'nimble']);
const DRIFTED_ADVERBS: ReadonlySet<string> = new Set(['hard', 'late', 'short', 'near', 'like', 'most', 'high', 'bare', 'scarce', 'even', 'present', 'part', 'fair', 'just', 'dead', 'live', 'love', 'order', 'time', 'home', 'kind', 'cost']);

// Pivot stem → the stems of the English forms a translation reaches beyond itself.
const englishForms = new Map<string, readonly string[]>();

/**
 * The stems of a pivot's other English forms: its irregular and compared forms (`children`,
 * `bought`, `slower`) and its adverb (`quietli`), as English text writes them. English text keeps them apart; these
 * serve the lexicon, whose translations are base forms.
 */
function englishFormsOf(pivot: string): readonly string[] {
  let forms = englishForms.get(pivot);
  if (forms === undefined) {
    const lex = lexicon();
    const adverb = adverbOf(lex.englishWord(pivot));
    const adverbStem = adverb === undefined ? undefined : stem(adverb, 'en');
    const unstemmed = unstemmedFormsOf(pivot);
    // Only an adverb the lexicon's English side knows as that word: a verb makes none
    // (`playly`), and a stem the lexicon writes as another word is not it (`willi`, Willis).
    // `englishWord` gives an unknown stem back as it is, never as a word in -ly.
    const known = adverbStem !== undefined && adverbStem !== pivot && !unstemmed.includes(adverbStem) && !STOPWORDS.en.has(adverb!) && lex.englishWord(adverbStem) === adverb;
    forms = known ? [...unstemmed, adverbStem] : unstemmed;
    // Pivots are a closed set (the lexicon's English side), so this stays bounded.
    englishForms.set(pivot, forms);
  }
  return forms;
}

/**
 * A word's translations as a synonym set: the key that merges words with the same
 * translations, and its members: the translations, then their other English forms
 * (a translation is a base form; English text also writes `bought`, `children`, `quietly`).
 */
interface SynonymShape {
  readonly key: string;
  readonly members: readonly Pivot[];
}

// A word's pivots are one array for as long as its lexicon entry or stem memo keeps it,
// so the key and members are made once per word, not per query that holds it. Members are
// never changed once made: sets share them.
const synonymShapes = new WeakMap<readonly Pivot[], SynonymShape>();

function synonymShape(pivots: readonly Pivot[]): SynonymShape {
  let shape = synonymShapes.get(pivots);
  if (shape === undefined) {
    const members = synonymMembers(pivots);
    const forms = new Set(pivots.flatMap((pivot) => englishFormsOf(pivot.term)));
    for (const member of members) forms.delete(member.term);
    for (const form of forms) members.push({ term: form, weight: 1 });
    // Shared by every query that holds the word: frozen, so none can change another's.
    shape = { key: pivots.map((pivot) => pivot.term).join(' '), members: Object.freeze(members) };
    synonymShapes.set(pivots, shape);
  }
  return shape;
}

// The first `MAX_PIVOTS` of an entry's pivots (a Chinese word's, an acronym's), one array per entry (see `synonymShapes`).
const cappedPivots = new WeakMap<LexiconEntry, readonly Pivot[]>();

function firstPivots(entry: LexiconEntry): readonly Pivot[] {
  if (entry.pivots.length <= MAX_PIVOTS) return entry.pivots;
  let capped = cappedPivots.get(entry);
  if (capped === undefined) {
    capped = Object.freeze(entry.pivots.slice(0, MAX_PIVOTS));
    cappedPivots.set(entry, capped);
  }
  return capped;
}

/**
 * Pivots a word adds to a document, of its `MAX_PIVOTS` (a query's synonym set keeps them
 * all, so a word still meets a document's word through any shared translation): the
 * fourth sense is mostly a rare or figurative one, and cost 7 % of a Swedish company's
 * postings. On the dev, sample, economy-dev sets 3 ranked as 4 did (dev +0.0006); 2 cost
 * 0.007 on each.
 */
export const DOCUMENT_PIVOTS = 3;

/**
 * Pivots a lone Han character (a one-character word of the segmenter and lexicon) adds to a
 * document: its first sense only. Summed over fourteen labelled sets (companies ranked for
 * needs): all three 12.905, one 12.940, none 12.950 — but none lost needs to the companies
 * searching them: a metal trader's `tenn` no longer met 锡 (tin), nor `koppar` 铜 (copper).
 */
export const SINGLE_HAN_PIVOTS = 1;

/**
 * How much a word inside a glossary phrase counts as each of its translations (in a document
 * as a term, and a Swedish word in a query as its synonym set): the phrase's concept stands for it, and
 * the concept's Chinese and English phrases are few, so a need that names the thing in words
 * the glossary lacks (a company's `solfångare` is the concept of solar thermal, a need writes
 * collectors) met the company through neither. Companies ranked for needs, summed over
 * eighteen labelled sets: none (before) 16.198, 0.25 16.267, 0.35 16.316, half 16.354, 0.7
 * 16.331, whole 16.280; the four sets written last, one never looked at before
 * (livelihood-hard), gained 0.011–0.037 each at half. Needs ranked for companies (the
 * labels inverted, seventeen sets): 15.809 with Swedish documents alone, 15.884 with Swedish
 * queries too, 15.948 with Chinese documents too (the needs: companies for needs moved by
 * 0.002). A Chinese word's set in a query measured worse (−0.07 at 0.3) and is left out.
 */
export const COVERED_TRANSLATION_SHARE = 0.5;

/**
 * How much a Chinese query word counts as a glossary concept one of its translations names
 * by the concept's one-word English term, by stem (响, to sound → `noise`; 粪 → `manure`;
 * 电瓶 → `battery`), times the word's share and general-corpus prior, where the text names
 * the concept by no glossary phrase: the glossary's Chinese holds the officials' and
 * engineers' terms (噪声, 降噪), and a spoken need says what it hears. The concept then meets
 * what the company says of it in any language (`lågfrekvent buller`), not only the pivot's
 * word. Twenty-two labelled sets 19.699 → 19.756: the energy and environment sets gain
 * (utility-hard +0.037, where the idea came from; water-hard +0.012, written after the idea
 * and measured before it was tried; factory-hard +0.013, infrastructure-hard +0.009,
 * county-hard and energy-hard +0.008, farm-hard +0.004), the consumer ones lose a little
 * (market-hard −0.017: 割胶, rubber tapping, also names the rubber concept of a gasket maker;
 * livelihood-hard and industry-hard −0.006). Only where the translation is the term's
 * written word +0.032; without single characters +0.016; only for concepts of weight 0.7 and
 * more −0.007; half the weight gained less. Swedish query words are left out (needs ranked
 * for companies −0.04), and documents too: the concept would stand in a company's index for
 * a word the lexicon already bridges. A generated Chinese need at 100k companies names 4.4
 * such concepts and takes ~8 % longer.
 */
export const TRANSLATED_CONCEPT_WEIGHT = 1;

// Pivot → the concept it names (`conceptOfPivot`), asked of the shared glossary matcher once per pivot.
const conceptOfPivotMemo = new Map<string, string | undefined>();

/**
 * The concept whose one-word English term has the pivot's stem, if exactly one has: the
 * shared glossary matcher's English phrases by their first stem, as an English text meets
 * them. Callers with the glossary's concepts off do not ask.
 */
function conceptOfPivot(pivot: string): string | undefined {
  if (conceptOfPivotMemo.has(pivot)) return conceptOfPivotMemo.get(pivot);
  const named = new Set<string>();
  for (const phrase of glossaryMatcher().phraseStarts('', pivot)) if (phrase.language === 'en' && phrase.stems.length === 1) named.add(phrase.concept);
  const concept = named.size === 1 ? [...named][0] : undefined;
  conceptOfPivotMemo.set(pivot, concept);
  return concept;
}

export const DEFAULT_ANALYZER_OPTIONS: Required<AnalyzerOptions> = Object.freeze({
  chinese: 'words',
  decompound: true,
  concepts: true,
  stemming: true,
  lexicon: true,
});

/** What the pipeline makes of one text. */
export interface Analysis {
  /** The text's main language. */
  readonly language: Language;
  /** Term frequencies: stemmed words, Chinese words and `§concept` terms. */
  readonly terms: Map<string, number>;
  /** Word count, the BM25 document length. */
  readonly length: number;
  /**
   * Glossary concepts in text order, with the phrase that expressed each (the tags are
   * inferred from them); not those only a Chinese word's translation named
   * (`TRANSLATED_CONCEPT_WEIGHT`), which are query terms with a surface and a bridge.
   */
  readonly concepts: readonly ConceptHit[];
  /** For each term, the first written form it came from (for explanations); empty when not asked for. */
  readonly surfaces: Map<string, string>;
  /**
   * Query weights, before the ranking saturates them, of the terms that lexicon translations
   * added to, as plain query terms: what the text's own words give them (0 for a term only
   * the lexicon brought). The translations count in a query through `synonyms`, while as
   * document terms each counts like a word. Filled, like `surfaces`, `bridges` and
   * `synonyms`, only when surfaces are asked for (queries and explanations); indexing needs
   * term frequencies only.
   */
  readonly queryWeights: Map<string, number>;
  /**
   * Terms whose written form came through the lexicon, with the English word that bridges
   * them (`honei` → `honey`, written `honung`); empty when surfaces are not asked for.
   */
  readonly bridges: Map<string, string>;
  /**
   * Terms only the lexicon brought (no word of the text is one): what a query may leave
   * out when a term is too common to be worth its postings. Empty when surfaces are not
   * asked for.
   */
  readonly translated: ReadonlySet<string>;
  /**
   * The lexicon translations of each word as one synonym set (structured query
   * translation): a query scores a set as one term over its members, so a word with
   * twelve senses does not outweigh a word with one. Words with the same translations
   * share a set (its weight summed). Empty when surfaces are not asked for.
   */
  readonly synonyms: readonly SynonymSet[];
  /**
   * The fields' texts, normalised and as written, when one holds traditional Chinese
   * characters and surfaces were asked for: written forms and phrases are of the normalised
   * (simplified) text, and an explanation quotes them as written through `asWritten`.
   */
  readonly written?: readonly WrittenText[];
}

/**
 * The translations of a word in a query: members with term-frequency multipliers (≤ 1),
 * the set's query weight before saturation (`LEXICON_QUERY_WEIGHT` × each occurrence's
 * share and Chinese-word prior, summed), and those occurrences themselves (each counted as
 * its field weight and share), which the ranking saturates (`QUERY_TF_SATURATION`).
 */
export interface SynonymSet {
  readonly members: readonly Pivot[];
  readonly weight: number;
  readonly occurrences: number;
}

/** A piece of a record's text and how much its terms count (a title counts more). */
export interface TextField {
  readonly text: string;
  /** Multiplies the field's term frequencies and length, as if written `weight` times. Defaults to 1. */
  readonly weight?: number;
}

export interface Analyzer {
  readonly options: Required<AnalyzerOptions>;
  /**
   * Analyses one text, or several fields as one document with per-field weights.
   * `surfaces` (default true) records the written form of each term, for explanations;
   * indexing leaves it off.
   */
  analyze(input: string | readonly TextField[], options?: { readonly surfaces?: boolean }): Analysis;
}

/** Written forms and concept phrases of some terms of a text: what an explanation shows. */
export interface Evidence {
  /**
   * Term → the first written form it came from, for the terms asked for that are words, and
   * for a concept no glossary phrase names, the Chinese word whose translation named it.
   */
  readonly surfaces: Map<string, string>;
  /** Hits of the concepts asked for, in text order. */
  readonly concepts: readonly ConceptHit[];
  /** Terms asked for that came through the lexicon (words and such concepts), with their English bridge word. */
  readonly bridges: Map<string, string>;
  /** As `Analysis.written`. */
  readonly written?: readonly WrittenText[];
}

/** The analyzer with what the matcher needs beyond the public interface. */
export interface InternalAnalyzer extends Analyzer {
  /**
   * The evidence for `terms` in a text analysed before: as `analyze` would find it, but
   * without Chinese word terms (a Chinese word is its own written form), so ICU runs
   * only where a concept's Chinese term needs its word boundary checked.
   */
  evidence(input: readonly TextField[], terms: ReadonlySet<string>): Evidence;
}

interface HanRun {
  readonly start: number;
  readonly end: number;
  boundaries?: Set<number>;
}

// The records explained most are the best matches, and they recur from query to query:
// their Han runs are segmented once, not per explanation. Keyed by the text itself, so an
// edited record is never answered from its old text; only texts with Han get in.
const HAN_RUN_CACHE_LIMIT = 2048;
const hanRunCache = new Map<string, HanRun[]>();

/** Han word boundaries of a text, found by segmenting a run only when asked about it. */
class LazyHanBoundaries implements BoundaryTest {
  private runs: HanRun[] | undefined;

  constructor(private readonly normalized: string) {}

  has(offset: number): boolean {
    if (this.runs === undefined) {
      this.runs = hanRunCache.get(this.normalized);
      if (this.runs === undefined) {
        this.runs = [...this.normalized.matchAll(HAN_RUNS)].map((run) => ({ start: run.index, end: run.index + run[0].length }));
        if (hanRunCache.size >= HAN_RUN_CACHE_LIMIT) evictOldestHalf(hanRunCache);
        hanRunCache.set(this.normalized, this.runs);
      }
    }
    const run = this.runs.find((r) => r.start <= offset && offset <= r.end);
    if (run === undefined) return false;
    // A run's ends are word boundaries without asking ICU.
    if (offset === run.start || offset === run.end) return true;
    if (run.boundaries === undefined) {
      run.boundaries = new Set<number>();
      for (const word of wordsOfHanRun(this.normalized.slice(run.start, run.end))) run.boundaries.add(run.start + word.start).add(run.start + word.start + word.text.length);
    }
    return run.boundaries.has(offset);
  }
}

// A Han run's ICU words, for an explanation's two readers of a candidate's text: the word
// boundaries of its glossary phrases and its lexicon words' bridges each segmented the same
// runs, a third of a first explanation's time for a Chinese need at 100k companies.
const HAN_RUN_WORDS_BYTES = 4 * 2 ** 20;
// The key's UTF-16 code units, and per word a token object and its text.
const hanRunWords = new SizedMemo<string, readonly WordToken[]>(HAN_RUN_WORDS_BYTES, (run, words) => 64 + 2 * run.length + 72 * words.length);

/** The ICU words of a run of Han text (offsets within the run), segmented once while kept. */
function wordsOfHanRun(run: string): readonly WordToken[] {
  let words = hanRunWords.get(run);
  if (words === undefined) {
    words = segmentWords(run).map((word) => ({ ...word, text: detached(word.text) }));
    hanRunWords.set(detached(run), words);
  }
  return words;
}

let sharedConcepts: ConceptMatcher | undefined;
let sharedDecompounder: Decompounder | undefined;

function glossaryMatcher(): ConceptMatcher {
  sharedConcepts ??= compileConcepts(taxonomy.concepts);
  return sharedConcepts;
}

function decompounder(): Decompounder {
  sharedDecompounder ??= createDecompounder([...SWEDISH_COMPOUND_PARTS, ...glossaryMatcher().swedishWords]);
  return sharedDecompounder;
}

const HAN_RUNS = /\p{Script=Han}+/gu;
const HAS_HAN = /\p{Script=Han}/u;

/** What the pipeline derives from a Latin-script word alone; memoised per distinct word. */
interface WordInfo extends WordFacts {
  /** Too short, or a stop word of that language (Swedish as read with and without the lexicon layer). */
  readonly stop: StopFlags;
  /** Swedish stems of the compound's parts (empty when it is not a compound we split). */
  readonly parts: readonly string[];
  /** The Swedish stem a compound is split on for the lexicon (`compoundStem`; mostly `sv` itself). */
  readonly svSplit: string;
  /** True when the Swedish stemmer leaves the word whole (`mary`, `lyckeby`; not `utbildar`). */
  readonly svWhole: boolean;
  readonly signal: WordSignal;
  /**
   * The word's lexicon pivots as Swedish, looked up on first need (null: none; undefined:
   * not looked up). Present from the start, so every word's facts keep one object shape.
   */
  svLexicon: SwedishTranslation['pivots'] | null | undefined;
  /** `knownBy`'s answer, looked up on first need (undefined: not yet). */
  known: number | undefined;
  /** The glossary concepts of its compound parts as the glossary alone finds them (`compoundConceptsOf`; undefined: not yet). */
  glossaryCompound: readonly string[] | undefined;
  /** The same as the lexicon layer reads them (undefined: not yet). */
  lexicalCompound: readonly string[] | undefined;
}

// The word memos live as long as the process: bounded, and keeping only words that
// recur (a word's facts take ~0.5 kB). A Zipfian vocabulary is mostly covered by its most
// frequent 50k words; words seen once pass through probation. At 100k companies this
// keeps ~17 MB instead of the ~60 MB a plain memo of every word seen held.
const WORD_MEMO_KEPT = 50_000;
const WORD_MEMO_PROBATION = 16_384;

// Inflections share a stem (`arbetar`, `arbetade`, `arbeta`): the lexicon is asked once
// per stem, not per written form — for a compound that is a probe per cut. Bounded like
// the word memo it serves.
const pivotsByStem = new RecurrenceMemo<string, SwedishTranslation['pivots'] | null>(WORD_MEMO_KEPT, WORD_MEMO_PROBATION);

/**
 * Whether a compound's first part (as written, with any linking `s`) is a word: one the
 * lexicon knows, or a Swedish stop word (`med` of `medinvesterare`).
 */
function isSwedishWord(head: string): boolean {
  if (head.length < 3) return false;
  if (STOPWORDS.sv.has(head)) return true;
  const lex = lexicon();
  return lex.hasSwedish(head) || lex.hasSwedish(stem(head, 'sv'));
}

/**
 * The glossary concepts of a word's compound parts: with the lexicon layer, not a part
 * whose first letters end a word before it (`dieselbussar` is no `elbuss`, `möbelhandlare`
 * no `elhandel`); without it, as the glossary alone finds them, so that behaviour stays
 * as it was and needs no lexicon.
 */
function compoundConceptsOf(word: string, info: WordInfo, useLexicon: boolean): readonly string[] {
  if (!useLexicon) return (info.glossaryCompound ??= glossaryMatcher().compoundConcepts(word, info.sv));
  return (info.lexicalCompound ??= glossaryMatcher().compoundConcepts(word, info.sv, isSwedishWord));
}

/** What `ConceptMatcher.match` asks of each Latin word's compound parts: nothing outside Swedish text. */
function compoundsOfWords(words: readonly WordToken[], facts: readonly WordInfo[], language: LatinLanguage, useLexicon: boolean) {
  return language === 'sv' ? (i: number): readonly string[] => compoundConceptsOf(words[i]!.text, facts[i]!, useLexicon) : undefined;
}

function swedishPivots(info: WordInfo): SwedishTranslation['pivots'] | undefined {
  if (info.svLexicon === undefined) {
    const key = info.svSplit === info.sv ? info.sv : `${info.sv}\u0000${info.svSplit}`;
    let pivots = pivotsByStem.get(key);
    if (pivots === undefined) {
      const translation = translateSwedish(info.sv, lexicon(), info.svSplit);
      pivots = translation?.pivots ?? null;
      if (translation?.split === true) splitPivots.add(pivots!);
      pivotsByStem.set(detached(key), pivots);
    }
    // Split into Swedish parts, a place name or an English word reads as nonsense.
    const asWritten = pivots !== null && splitPivots.has(pivots) && (placeNameStems().has(info.sv) || lexicon().hasEnglish(info.en));
    info.svLexicon = asWritten ? readingAsWritten(info) : (pivots ?? englishReading(info));
  }
  return info.svLexicon ?? undefined;
}

/**
 * The pivot of a Swedish word that no source translates, read as English: such a word is
 * mostly a name or a loan (`Mary`, `Lyckeby`, `party`), written the same in English text,
 * where Porter's English stem is the term (`mari`, `lyckebi`, `parti`) and the Swedish one
 * (`mary`) met nothing. Only a word the Swedish stemmer leaves whole: one it cut is Swedish
 * (`utbildar`, `bostäder`, words the sources lack), and its English reading would be a term
 * no English text has, one more synonym set in a query, with a rare term's IDF to win a
 * place among those kept (`LEXICON_QUERY_SETS`). Only where the two stems differ; never an
 * English stop word.
 */
function englishReading(info: WordInfo): SwedishTranslation['pivots'] | null {
  return info.svWhole ? readingAsWritten(info) : null;
}

/**
 * The pivot of a word in Swedish text that no Swedish entry holds and that is no compound
 * of Swedish parts, though it splits into some: an English word the lexicon's English side
 * holds (`planning` is no plan|ingen, nobody) or a Swedish place name (`Karlshamn` is no
 * karl|hamn, fellow and harbour). Its English stem is the term, as English text indexes
 * it (`karlskrona` for the Swedish `karlskron`); none where that is its Swedish stem too
 * (already the indexed term).
 */
function readingAsWritten(info: WordInfo): SwedishTranslation['pivots'] | null {
  if (info.en === info.sv || info.en.length < 3 || info.stop.en) return null;
  const pivots: SwedishTranslation['pivots'] = Object.freeze([Object.freeze({ term: info.en, weight: 1 })]);
  readAsEnglish.add(pivots);
  return pivots;
}

let placeNames: ReadonlySet<string> | undefined;

/** Swedish stems of the one-word place names (`karlshamn` for `Karlshamn` and `Karlshamns`). */
function placeNameStems(): ReadonlySet<string> {
  placeNames ??= new Set(
    [...SWEDISH_PLACE_NAMES, ...BLEKINGE_LOCALITIES].filter((name) => !/[\s-]/.test(name)).map((name) => stem(normalizeText(name), 'sv')),
  );
  return placeNames;
}

/** Pivots a compound's parts gave (`SwedishTranslation.split`). */
const splitPivots = new WeakSet<SwedishTranslation['pivots']>();

/** Pivots that are a word read as English (`englishReading`): the word is its own bridge, so none is shown. */
const readAsEnglish = new WeakSet<SwedishTranslation['pivots']>();

/** Whether [start, end) lies inside a span the glossary matched (flat start/end pairs). */
function isCovered(covered: readonly number[], start: number, end: number): boolean {
  for (let k = 0; k < covered.length; k += 2) if (covered[k]! <= start && end <= covered[k + 1]!) return true;
  return false;
}

/** Whether [start, end) ends inside a glossary span (flat start/end pairs) that begins inside it: the segmenter cut a term's first characters off. */
export function endsInsideSpan(covered: readonly number[], start: number, end: number): boolean {
  for (let k = 0; k < covered.length; k += 2) {
    const from = covered[k]!;
    const to = covered[k + 1]!;
    if (start < from && from < end && end < to) return true;
  }
  return false;
}

/**
 * Han runs of a field as lexicon words: consecutive segmenter words are grouped into
 * runs, and each run is matched as `chineseWords` does. Calls `visit` with the word and
 * its offsets in the normalised text.
 */
export function forEachChineseWord(
  normalized: string,
  words: readonly WordToken[],
  visit: (word: string, start: number, end: number, pivots: SwedishTranslation['pivots'], entry: LexiconEntry) => void,
): void {
  let runStart = -1;
  let ends: number[] = [];
  const flush = (): void => {
    if (runStart < 0) return;
    const run = detached(normalized.slice(runStart, runStart + ends.at(-1)!));
    for (const hit of chineseWords(run, ends)) {
      const word = run.slice(hit.start, hit.end);
      if (CHINESE_STOPWORDS.has(word) || CHINESE_FILLER.has(word)) continue;
      visit(word, runStart + hit.start, runStart + hit.end, firstPivots(hit.entry), hit.entry);
    }
    runStart = -1;
    ends = [];
  };
  for (const word of words) {
    if (!word.han) continue;
    if (runStart >= 0 && word.start !== runStart + ends.at(-1)!) flush();
    if (runStart < 0) runStart = word.start;
    ends.push(word.start + word.text.length - runStart);
  }
  flush();
}

/** A lexicon word of a Han run with its translations, as `forEachChineseWord` reports it. */
interface ChineseHit {
  readonly word: string;
  readonly pivots: SwedishTranslation['pivots'];
}

// Explanations look up the bridges of the best matches, and those recur from query to
// query: the lexicon words of a Han run are found once (ICU segmentation and longest
// match, ~0.3 ms for a field of 240 characters), not per explanation. Keyed by the run
// (each run is segmented and matched on its own, in analysis too), so records that share
// a sentence share its entry. Sized in bytes: 1,024 texts thrashed at 100k companies.
const CHINESE_HITS_BYTES = 8 * 2 ** 20;
// The key's UTF-16 code units, and per hit an object, its word and the shared pivots' reference.
const chineseRunHits = new SizedMemo<string, readonly ChineseHit[]>(CHINESE_HITS_BYTES, (run, hits) => 64 + 2 * run.length + 56 * hits.length);

function chineseHitsOfRun(run: string): readonly ChineseHit[] {
  let hits = chineseRunHits.get(run);
  if (hits === undefined) {
    const found: ChineseHit[] = [];
    forEachChineseWord(run, wordsOfHanRun(run), (word, _start, _end, pivots) => found.push({ word: detached(word), pivots }));
    hits = found;
    chineseRunHits.set(detached(run), hits);
  }
  return hits;
}

/**
 * Whether a word is a stop word in each language: `sv` without the lexicon layer, `svLexicon`
 * with it (which keeps the content words of natural's Swedish list: `SWEDISH_CONTENT_WORDS`).
 * Shared flag objects: the memo holds one per distinct word, so small savings multiply.
 */
interface StopFlags {
  readonly sv: boolean;
  readonly en: boolean;
  readonly svLexicon: boolean;
}
const STOP_FLAGS: readonly StopFlags[] = Array.from({ length: 8 }, (_, i) => Object.freeze({ sv: (i & 1) !== 0, en: (i & 2) !== 0, svLexicon: (i & 4) !== 0 }));

function stopFlagsOf(word: string): StopFlags {
  const short = word.length < 2;
  return STOP_FLAGS[(short || STOPWORDS.sv.has(word) ? 1 : 0) + (short || STOPWORDS.en.has(word) ? 2 : 0) + (short || SWEDISH_LEXICON_STOPWORDS.has(word) ? 4 : 0)]!;
}

/** Which of a word's stop flags an analysis reads: its Latin language's, Swedish as the lexicon layer has it. */
function stopKey(language: LatinLanguage, useLexicon: boolean): keyof StopFlags {
  return language === 'sv' && useLexicon ? 'svLexicon' : language;
}

/**
 * Whether only the Swedish lexicon knows a word (1), only the English one (-1), or both or
 * neither (0): by its Swedish stem among the Swedish entries, its English stem among the
 * pivots. Function words, stop words and words of two letters say nothing. Looked up on
 * first need and kept with the word's facts; never with the lexicon off, which then is
 * not read at all.
 */
function knownBy(word: string, info: WordInfo): number {
  if (info.known === undefined) {
    const { signal, stop } = info;
    if (signal.swedish + signal.english > 0 || stop.svLexicon || stop.en || word.length < 3) info.known = 0;
    else {
      const lex = lexicon();
      const swedish = lex.hasSwedish(info.sv);
      info.known = swedish === lex.hasEnglish(info.en) ? 0 : swedish ? 1 : -1;
    }
  }
  return info.known;
}

/** A word that splits into known Swedish parts is a little Swedish evidence on its own. */
function swedishEvidence(signal: WordSignal, parts: number): WordSignal {
  return parts === 0 ? signal : { ...signal, swedish: signal.swedish + 0.5 };
}

const wordInfos = new RecurrenceMemo<string, WordInfo>(WORD_MEMO_KEPT, WORD_MEMO_PROBATION);
const NO_PARTS: readonly string[] = Object.freeze([]);

// Vocabulary is Zipfian: after the first few thousand records almost every word is a
// memo hit, which makes indexing a map lookup per word instead of stemming twice,
// decompounding and probing the glossary.
function wordInfo(word: string): WordInfo {
  let info = wordInfos.get(word);
  if (info === undefined) {
    const sv = stem(word, 'sv');
    const en = stem(word, 'en');
    const parts = decompounder().split(word);
    info = {
      sv,
      en,
      phrases: glossaryMatcher().phraseStarts(sv, en),
      signal: swedishEvidence(wordSignal(word), parts.length),
      stop: stopFlagsOf(word),
      parts: parts.length === 0 ? NO_PARTS : parts.map((part) => stem(part, 'sv')),
      svSplit: compoundStem(sv, word),
      svWhole: sv === word,
      // Set here, not added on first lookup: adding it would give looked-up words a second
      // hidden class, and the indexing and glossary loops that read every word's facts
      // would then meet two shapes.
      svLexicon: undefined,
      known: undefined,
      glossaryCompound: undefined,
      lexicalCompound: undefined,
    };
    wordInfos.set(detached(word), info);
  }
  return info;
}

/**
 * Each field normalised and split into words, with the facts of each Latin word
 * (undefined for Han words) counted into `tally`; `han: false` leaves Han runs out.
 */
function prepareFields(fields: readonly TextField[], tally: LanguageTally, han: boolean, useLexicon: boolean) {
  return fields.map((field) => {
    const normalized = normalizeText(field.text);
    const words = segmentWords(normalized, { han });
    const acronyms = acronymsOf(field.text, normalized);
    const infos = words.map((word) => {
      if (word.han) {
        tally.addHan(word.text.length);
        return undefined;
      }
      const info = wordInfo(word.text);
      tally.addLatin(word.text.length, info.signal);
      if (useLexicon) tally.addKnown(knownBy(word.text, info));
      return info;
    });
    return { normalized, weight: field.weight ?? 1, words, infos, acronyms };
  });
}

// Two to five capitals standing alone (`UV`, `LED`, `RAS`, `IT`), as written before case folding.
const ACRONYM = /(?<![\p{L}\p{N}])\p{Lu}{2,5}(?![\p{L}\p{N}])/gu;
const TWO_CAPITALS = /\p{Lu}\p{Lu}/u;
// Legal forms name what kind of firm it is, in nearly every name (`AB`): they stay stop words.
const LEGAL_FORMS: ReadonlySet<string> = new Set(['ab', 'hb', 'kb', 'ek', 'oy', 'as', 'aps', 'asa', 'ltd', 'inc', 'plc', 'llc', 'gmbh', 'co', 'corp']);

/** Which words of a field were written as acronyms (see `acronymsOf`). */
export interface Acronyms {
  has(word: WordToken): boolean;
}

/**
 * The words of a text written as acronyms (`UV`, `LED`, `IT`), or undefined for none. Written
 * in capitals, a word is a name of its own, not the word it folds to: `UV` is no `uv` (eagle
 * owl), `LED` no `led` (to lead), `RAS` (recirculating aquaculture) no `ras` (breed), `IT` no
 * stop word. Read off the written text at each word's offset where normalising kept the text's
 * length (so `it` beside `IT` stays a stop word): a look at one character for most words,
 * where a scan of every field for capitals cost 6 % of the analysis. Else by the folded word.
 * A text without a small letter is shouting, not acronyms.
 */
export function acronymsOf(text: string, normalized: string): Acronyms | undefined {
  return normalized.length === text.length ? new WrittenCase(text) : acronymsByWord(text);
}

/** Acronyms read off the written text at a word's offset, the first time one is asked about. */
class WrittenCase implements Acronyms {
  private shouting: boolean | undefined;

  constructor(private readonly text: string) {}

  has(word: WordToken): boolean {
    const length = word.text.length;
    if (length < 2 || length > 5) return false;
    const text = this.text;
    for (let i = word.start, end = word.start + length; i < end; i += 1) {
      const code = text.charCodeAt(i);
      if (code >= 65 && code <= 90) continue;
      // A small letter, a digit; beyond ASCII, a letter that is its own small form (`å`, `é`).
      if (code < 128 || text[i]!.toLowerCase() === text[i]) return false;
    }
    if (LEGAL_FORMS.has(word.text)) return false;
    this.shouting ??= isShouting(text);
    return !this.shouting;
  }
}

/**
 * No small letter anywhere (a Chinese character counts as one): a text in capitals throughout,
 * whose words are words. A count of capitals against small letters misread acronym-dense short
 * fields (`QAL2 och AST enligt SS-EN 14181`) and the initials of short names (`Art-DNA Sydost
 * AB`, whose DNA became a word again).
 */
function isShouting(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code >= 97 && code <= 122) || (code >= 0x4e00 && code <= 0x9fff)) return false;
    if (code > 127 && text[i]!.toUpperCase() !== text[i]) return false;
  }
  return true;
}

/** `acronymsOf` where normalising changed the text's length: by the folded words written in capitals. */
function acronymsByWord(text: string): Acronyms | undefined {
  if (!TWO_CAPITALS.test(text) || isShouting(text)) return undefined;
  let words: Set<string> | undefined;
  for (const match of text.matchAll(ACRONYM)) {
    const word = match[0].normalize('NFKC').toLowerCase();
    if (!LEGAL_FORMS.has(word)) (words ??= new Set()).add(word);
  }
  return words === undefined ? undefined : { has: (word) => words.has(word.text) };
}

/**
 * The translations of an acronym in Swedish text: only an entry written as an acronym in the
 * lexicon (its lemma in capitals, `VVS`), never a word it folds to (`uv`, eagle owl).
 */
function acronymPivots(info: WordInfo): SwedishTranslation['pivots'] | undefined {
  const entry = lexicon().swedish(info.sv);
  return entry !== undefined && isAcronymEntry(entry) ? firstPivots(entry) : undefined;
}

/**
 * A Latin word's own term: its stem in the text's language, or the word as written where it is
 * an acronym or stemming is off. Indexing and the explanations' evidence both ask here, so the
 * term an explanation looks up is the term indexed.
 */
function wordTerm(text: string, info: WordInfo, language: LatinLanguage, stemming: boolean, acronym: boolean): string {
  return acronym || !stemming ? text : info[language];
}

/**
 * The language of a text, decided as an analyzer with the same `lexicon` option decides it
 * (see `LanguageTally`; default on, as the analyzer's). With `lexicon: false` no lexicon
 * file is read.
 */
export function detectLanguage(text: string, options: { readonly lexicon?: boolean } = {}): Language {
  const tally = new LanguageTally();
  prepareFields([{ text }], tally, true, options.lexicon ?? DEFAULT_ANALYZER_OPTIONS.lexicon);
  return tally.result().language;
}

/** Whether written forms or phrases quote Chinese: only then may they need `asWritten`. */
function quotesHan(surfaces: ReadonlyMap<string, string>, hits: readonly ConceptHit[]): boolean {
  for (const surface of surfaces.values()) if (HAS_HAN.test(surface)) return true;
  return hits.some((hit) => HAS_HAN.test(hit.phrase));
}

/**
 * The text pipeline: NFKC and case folding; language detection; word segmentation (ICU
 * for Chinese); stop words, Porter stemming (sv or en) and Swedish decompounding for
 * Latin script; words and/or bigrams for Han; glossary phrases mapped to
 * language-independent concept terms. The language is decided once over all fields, so
 * a short Swedish offering is stemmed as Swedish.
 */
export function createAnalyzer(options: AnalyzerOptions = {}): InternalAnalyzer {
  const settings: Required<AnalyzerOptions> = { ...DEFAULT_ANALYZER_OPTIONS, ...options };
  const analyzer = createUncachedAnalyzer(settings);
  const key = JSON.stringify(settings);
  const analyze = analyzer.analyze.bind(analyzer);
  analyzer.analyze = (input, analyzeOptions = {}) => {
    if (typeof input === 'string' || (analyzeOptions.surfaces ?? true)) return analyze(input, analyzeOptions);
    const last = lastIndexed;
    if (last !== undefined && last.key === key && sameFields(last.fields, input)) return last.analysis;
    const analysis = analyze(input, analyzeOptions);
    lastIndexed = { key, fields: input, analysis };
    return analysis;
  };
  return analyzer;
}

/**
 * The last indexing analysis (surfaces off) of any analyzer with the same settings. The
 * service indexes a company and then checks it for duplicates on the same fields: the second
 * analysis is then a comparison of the field texts. Analyses are never changed once made.
 */
let lastIndexed: { readonly key: string; readonly fields: readonly TextField[]; readonly analysis: Analysis } | undefined;

function sameFields(a: readonly TextField[], b: readonly TextField[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    if (a[i]!.text !== b[i]!.text || (a[i]!.weight ?? 1) !== (b[i]!.weight ?? 1)) return false;
  }
  return true;
}

function createUncachedAnalyzer(settings: Required<AnalyzerOptions>): InternalAnalyzer {
  const concepts = settings.concepts ? glossaryMatcher() : undefined;
  const compounds = settings.decompound;
  const useLexicon = settings.lexicon;
  const chineseStop = (word: string): boolean => CHINESE_STOPWORDS.has(word) || (useLexicon && CHINESE_FILLER.has(word));

  return {
    options: settings,
    analyze(input: string | readonly TextField[], analyzeOptions: { readonly surfaces?: boolean } = {}): Analysis {
      const keepSurfaces = analyzeOptions.surfaces ?? true;
      const fields = typeof input === 'string' ? [{ text: input, weight: 1 }] : input;
      const tally = new LanguageTally();
      const prepared = prepareFields(fields, tally, true, useLexicon);
      const { language, latin: latinLanguage } = tally.result();
      const terms = new Map<string, number>();
      const surfaces = new Map<string, string>();
      const hits: ConceptHit[] = [];
      const lexiconTf = new Map<string, number>();
      const synonymSets = new Map<string, { members: readonly Pivot[]; weight: number; occurrences: number }>();
      const bridges = new Map<string, string>();
      // The text's own terms, by how much of their weight their words' synonym sets carry.
      const inSets = new Map<string, number>();
      // Concepts a Chinese word's translations name (`TRANSLATED_CONCEPT_WEIGHT`): weight, word, English word.
      const translatedConcepts = new Map<string, { weight: number; surface: string; english: string }>();
      let length = 0;

      for (const { normalized, weight, words, infos, acronyms } of prepared) {
        const add = (term: string, surface: string, amount = weight): void => {
          terms.set(term, (terms.get(term) ?? 0) + amount);
          if (keepSurfaces && !surfaces.has(term)) surfaces.set(term, surface);
        };
        const latinWords: WordToken[] = [];
        const latinFacts: WordFacts[] = [];
        const hanWords: WordToken[] = [];
        const hanBoundaries = new Set<number>();
        for (let w = 0; w < words.length; w += 1) {
          const word = words[w]!;
          const info = infos[w];
          if (info === undefined) {
            hanBoundaries.add(word.start).add(word.start + word.text.length);
            if (settings.chinese !== 'bigrams' && !chineseStop(word.text)) hanWords.push(word);
            continue;
          }
          if (concepts !== undefined || useLexicon) {
            latinWords.push(word);
            latinFacts.push(info);
          }
          const acronym = acronyms?.has(word) === true;
          if (info.stop[stopKey(latinLanguage, useLexicon)] && !acronym) continue;
          length += weight;
          add(wordTerm(word.text, info, latinLanguage, settings.stemming, acronym), word.text);
          if (compounds && latinLanguage === 'sv' && !acronym) {
            for (const part of info.parts) add(part, part);
          }
        }
        if (settings.chinese !== 'words') {
          for (const run of normalized.matchAll(HAN_RUNS)) {
            const han = run[0];
            if (han.length === 1) {
              add(BIGRAM_PREFIX + han, han);
              length += weight;
            }
            for (let i = 0; i + 1 < han.length; i += 1) {
              add(BIGRAM_PREFIX + han.slice(i, i + 2), han.slice(i, i + 2));
              length += weight;
            }
          }
        }
        const covered: number[] = [];
        const compoundsOf = compoundsOfWords(latinWords, latinFacts as WordInfo[], latinLanguage, useLexicon);
        for (const hit of concepts?.match(normalized, latinWords, latinFacts, compoundsOf, hanBoundaries.size === 0 ? undefined : hanBoundaries, undefined, covered) ?? []) {
          hits.push(hit);
          add(conceptTerm(hit.concept), hit.phrase);
        }
        // The Han words added as terms, start → end: a lexicon word joins its set as a word of
        // the text only where the segmenter found it whole (not inside 管理局).
        const hanAdded = new Map<number, number>();
        for (const word of hanWords) {
          // A word inside a glossary term (热|泵 of 热泵, 生活|污水 of 生活污水) is no word of
          // the text: the term's concept stands for it. As words, they met only texts in
          // Chinese, where they are rare and weigh much: a Chinese profile on landfill leachate
          // led a village-sewage need on 污水 beside the concept every language shares.
          if (isCovered(covered, word.start, word.start + word.text.length)) continue;
          add(word.text, word.text);
          length += weight;
          hanAdded.set(word.start, word.start + word.text.length);
        }
        if (useLexicon) {
          // The glossary is the precise layer: where it matched, a word keeps only a share of
          // its translations (`COVERED_TRANSLATION_SHARE`), and a Chinese word in a query none.
          // `entry`: a Chinese word's, whose general-corpus prior weighs its query set.
          const translate = (surface: string, start: number, end: number, pivots: SwedishTranslation['pivots'], own?: string, entry?: LexiconEntry): void => {
            // A Chinese word the segmenter ended inside a glossary term (低能|耗 read 低能, slow-
            // witted, where the glossary reads 能耗, energy consumption) is no word of the text.
            if (entry !== undefined && endsInsideSpan(covered, start, end)) return;
            const inPhrase = isCovered(covered, start, end);
            // A query's Chinese word there stays the concept's: its set would take one of the
            // query's places (`LEXICON_QUERY_SETS`) for what the concept already says.
            if (inPhrase && entry !== undefined && keepSurfaces) return;
            const share = inPhrase ? weight * COVERED_TRANSLATION_SHARE : weight;
            // A Han character that is a word alone indexes only its first translation: mostly a
            // measure word, a verb of the spoken register or part of a name (座 a base, 发 to
            // send, 寨 a stronghold), whose further senses met other characters' (堡) and Swedish
            // words; its first is what a company searching needs looks for (锡 tin, 铜 copper).
            const limit = keepSurfaces ? pivots.length : Math.min(pivots.length, entry !== undefined && surface.length === 1 ? SINGLE_HAN_PIVOTS : DOCUMENT_PIVOTS);
            if (keepSurfaces && entry !== undefined && concepts !== undefined) {
              const amount = share * TRANSLATED_CONCEPT_WEIGHT * chineseWordPrior(entry);
              for (let p = 0; p < limit; p += 1) {
                const concept = conceptOfPivot(pivots[p]!.term);
                if (concept === undefined) continue;
                const known = translatedConcepts.get(concept);
                if (known === undefined) translatedConcepts.set(concept, { weight: amount, surface, english: lexicon().englishWord(pivots[p]!.term) });
                else known.weight += amount;
              }
            }
            for (let p = 0; p < limit; p += 1) {
              const term = pivots[p]!.term;
              // Synonym sets and bridges serve queries and explanations, which ask for
              // surfaces; indexing does not, and is spared the bookkeeping.
              if (keepSurfaces) {
                if (!surfaces.has(term) && !readAsEnglish.has(pivots)) bridges.set(term, lexicon().englishWord(term));
                lexiconTf.set(term, (lexiconTf.get(term) ?? 0) + share);
                // A form reached through its base form (`children` through `child`) is
                // explained like the base form: this word, bridged by the translation.
                for (const form of englishFormsOf(term)) {
                  if (surfaces.has(form)) continue;
                  surfaces.set(form, surface);
                  bridges.set(form, lexicon().englishWord(term));
                }
              }
              add(term, surface, share);
            }
            if (keepSurfaces && pivots.length > 0) {
              const { key, members } = synonymShape(pivots);
              // The word itself is one of its meanings: a document in its language meets the
              // set through it, and the word counts once there, as in any other language. Not
              // where a translation is that very term (`film`): it keeps its weight as a word.
              const ownMember = own !== undefined && !members.some((member) => member.term === own) ? own : undefined;
              const set = synonymSets.get(key) ?? { members, weight: 0, occurrences: 0 };
              set.weight += share * LEXICON_QUERY_WEIGHT * (entry === undefined ? 1 : chineseWordPrior(entry));
              set.occurrences += share;
              // Copied, never pushed: `members` is the shape's, shared by every query.
              if (ownMember !== undefined && !set.members.some((member) => member.term === ownMember)) set.members = [...set.members, { term: ownMember, weight: 1 }];
              synonymSets.set(key, set);
              if (ownMember !== undefined) inSets.set(ownMember, (inSets.get(ownMember) ?? 0) + share);
            }
          };
          if (latinLanguage === 'sv') {
            for (let w = 0; w < latinWords.length; w += 1) {
              const info = latinFacts[w] as WordInfo;
              const word = latinWords[w]!;
              const acronym = acronyms?.has(word) === true;
              if (info.stop.svLexicon && !acronym) continue;
              const pivots = acronym ? acronymPivots(info) : swedishPivots(info);
              if (pivots !== undefined) translate(word.text, word.start, word.start + word.text.length, pivots, wordTerm(word.text, info, 'sv', settings.stemming, acronym));
            }
          }
          if (hanBoundaries.size > 0) {
            // A lexicon word is a term of the text's own where the segmenter found it whole.
            forEachChineseWord(normalized, words, (word, start, end, pivots, entry) =>
              translate(word, start, end, pivots, hanAdded.get(start) === end ? word : undefined, entry),
            );
          }
        }
      }
      if (translatedConcepts.size > 0) {
        const named = new Set(hits.map((hit) => hit.concept));
        for (const [concept, { weight, surface, english }] of translatedConcepts) {
          if (named.has(concept)) continue;
          const term = conceptTerm(concept);
          terms.set(term, (terms.get(term) ?? 0) + weight);
          surfaces.set(term, surface);
          bridges.set(term, english);
        }
      }
      const queryWeights = new Map<string, number>();
      const translated = new Set<string>();
      for (const [term, tf] of lexiconTf) {
        const total = terms.get(term)!;
        queryWeights.set(term, total - tf);
        if (total === tf) translated.add(term);
      }
      for (const [term, tf] of inSets) queryWeights.set(term, (queryWeights.get(term) ?? terms.get(term) ?? 0) - tf);
      const written = keepSurfaces ? textsWithTraditional(fields.map((field) => field.text)) : undefined;
      const analysis: Analysis = { language, terms, length, concepts: hits, surfaces, queryWeights, bridges, translated, synonyms: [...synonymSets.values()] };
      // The usual shape stays the one object literal: a traditional text's analysis is the rare other.
      return written === undefined ? analysis : { ...analysis, written };
    },

    evidence(input: readonly TextField[], wanted: ReadonlySet<string>): Evidence {
      const tally = new LanguageTally();
      const prepared = prepareFields(input, tally, false, useLexicon);
      const latinLanguage = tally.result().latin;
      const surfaces = new Map<string, string>();
      const wantedConcepts = new Set<string>();
      for (const term of wanted) if (isConceptTerm(term)) wantedConcepts.add(term.slice(CONCEPT_PREFIX.length));
      const hits: ConceptHit[] = [];
      const bridges = new Map<string, string>();
      const note = (term: string, surface: string): void => {
        if (wanted.has(term) && !surfaces.has(term)) surfaces.set(term, surface);
      };
      /** Notes the wanted translations of a word; how many had no written form yet. */
      const noteBridge = (surface: string, pivots: SwedishTranslation['pivots']): number => {
        let noted = 0;
        for (const { term } of pivots) {
          if (!wanted.has(term) || surfaces.has(term)) continue;
          surfaces.set(term, surface);
          if (!readAsEnglish.has(pivots)) bridges.set(term, lexicon().englishWord(term));
          noted += 1;
        }
        return noted;
      };
      for (const { normalized, words, infos, acronyms } of prepared) {
        for (let w = 0; w < words.length; w += 1) {
          const info = infos[w]!;
          const acronym = acronyms?.has(words[w]!) === true;
          if (info.stop[stopKey(latinLanguage, useLexicon)] && !acronym) continue;
          note(wordTerm(words[w]!.text, info, latinLanguage, settings.stemming, acronym), words[w]!.text);
          if (compounds && latinLanguage === 'sv' && !acronym) for (const part of info.parts) note(part, part);
        }
        if (useLexicon) {
          if (latinLanguage === 'sv') {
            for (let w = 0; w < words.length; w += 1) {
              const info = infos[w]!;
              const acronym = acronyms?.has(words[w]!) === true;
              if (info.stop.svLexicon && !acronym) continue;
              const pivots = acronym ? acronymPivots(info) : swedishPivots(info);
              if (pivots !== undefined) noteBridge(words[w]!.text, pivots);
            }
          }
          // Han runs are segmented here only while a wanted English pivot is unexplained
          // (Chinese word terms are their own written form): in text order, as written
          // forms are the first, so once every one has its form, later runs add nothing.
          if (HAS_HAN.test(normalized)) {
            let unexplained = 0;
            for (const term of wanted) if (!isConceptTerm(term) && !HAS_HAN.test(term) && !surfaces.has(term)) unexplained += 1;
            if (unexplained > 0) {
              for (const run of normalized.matchAll(HAN_RUNS)) {
                for (const hit of chineseHitsOfRun(run[0])) unexplained -= noteBridge(hit.word, hit.pivots);
                if (unexplained === 0) break;
              }
            }
          }
        }
        if (concepts !== undefined && wantedConcepts.size > 0) {
          // Without Han words every word has its facts.
          const compoundsOf = compoundsOfWords(words, infos as WordInfo[], latinLanguage, useLexicon);
          hits.push(...concepts.match(normalized, words, infos as WordInfo[], compoundsOf, new LazyHanBoundaries(normalized), wantedConcepts));
        }
      }
      // A wanted concept no glossary phrase named came from a Chinese word's translation
      // (`TRANSLATED_CONCEPT_WEIGHT`): the word is its written form, the English word its bridge.
      const unnamed = new Set(wantedConcepts);
      for (const hit of hits) unnamed.delete(hit.concept);
      if (useLexicon && concepts !== undefined && unnamed.size > 0) {
        for (const { normalized } of prepared) {
          if (unnamed.size === 0 || !HAS_HAN.test(normalized)) continue;
          for (const run of normalized.matchAll(HAN_RUNS)) {
            for (const hit of chineseHitsOfRun(run[0])) {
              for (const { term } of hit.pivots) {
                const concept = conceptOfPivot(term);
                if (concept === undefined || !unnamed.has(concept)) continue;
                unnamed.delete(concept);
                surfaces.set(conceptTerm(concept), hit.word);
                bridges.set(conceptTerm(concept), lexicon().englishWord(term));
              }
            }
          }
        }
      }
      const written = quotesHan(surfaces, hits) ? textsWithTraditional(input.map((field) => field.text)) : undefined;
      const evidence: Evidence = { surfaces, concepts: hits, bridges };
      return written === undefined ? evidence : { ...evidence, written };
    },
  };
}
