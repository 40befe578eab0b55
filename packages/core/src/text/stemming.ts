import { WordEndings } from './endings.js';
import { americanSpelling } from './english-spelling.js';
import {
  SWEDISH_BASE_FORMS,
  SWEDISH_NEUTER_DEFINITES,
  SWEDISH_OR_NOUN_FORMS,
  SWEDISH_PLURAL_TAILS,
  SWEDISH_TAIL_NOT_AFTER,
  SWEDISH_TAIL_NOT_ENDING,
  SWEDISH_TAIL_NOUN_FORMS,
} from './inflections.js';
import { detached, evictOldestHalf } from './memo.js';
import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import swedishStemmer from 'natural/lib/natural/stemmers/porter_stemmer_sv.js';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords.js';
import { words as swedishStopwords } from 'natural/lib/natural/util/stopwords_sv.js';
import { words as chineseStopwords } from 'natural/lib/natural/util/stopwords_zh.js';

export type LatinLanguage = 'sv' | 'en';

// Vocabulary is Zipfian, so a bounded memo removes almost all stemming work from indexing.
const STEM_CACHE_LIMIT = 20_000;
const stemCaches: Record<LatinLanguage, Map<string, string>> = { sv: new Map(), en: new Map() };

export function stem(word: string, language: LatinLanguage): string {
  const cache = stemCaches[language];
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    // A Swedish noun in `-or`, and a short noun closing a compound, is its own stem in every
    // form (the stemmer would cut `motor` to `mot`, `biogas` to `biog`); a short neuter's
    // definite form stems as the noun (`taket` as `tak`). Swedish irregular forms are stemmed
    // as their base form (`gick` as `gå`, `böcker` as `bok`, `verkstäder` as `verkstad`);
    // English ones are reached through the lexicon only (`ENGLISH_UNSTEMMED_FORMS`). British
    // spellings are stemmed as American ones (`centre` as `center`): CC-CEDICT glosses in
    // American, partners often write British.
    if (language === 'sv') {
      const neuter = SWEDISH_NEUTER_DEFINITES.get(word);
      stemmed =
        KEPT_APART_TAILS.first(word, 0, (kept, start) => word.slice(0, start) + kept) ??
        (neuter !== undefined ? stem(neuter, 'sv') : (swedishNoun(word) ?? stemSwedishBase(word, swedishBaseForm(word))));
    } else {
      const spelled = americanSpelling(word);
      const base = englishActivityOf(spelled);
      stemmed = ENGLISH_KEPT_APART.get(spelled) ?? (/\p{L}/u.test(base) ? englishStemmer.stem(base) : base);
    }
    if (cache.size >= STEM_CACHE_LIMIT) evictOldestHalf(cache);
    stemmed = detached(stemmed);
    cache.set(detached(word), stemmed);
  }
  return stemmed;
}

/**
 * English words Porter cuts to the stem of a word of another meaning (`community` and
 * `communication` to `commun`, `organic` and `organization` to `organ`, `generator` and
 * `general` to `gener`, `animation` and `animal` to `anim`, `news` to `new`), with the stem
 * each keeps instead. In one language such a stem only blurs a rare pair; as a lexicon pivot
 * it bridges every word translated to either across languages: 小区 (a residential estate,
 * `community`) met `kommunikation`, 有机 (organic) met `organisation`, 发电机 (generator) met
 * `generell`. Glossary terms among them (`transformer`, `economizer`, `escalator`,
 * `elevator`, `composites`, `inverter`, `renewables`) matched every English text with the
 * other word (`digital transformation`, `economic growth`, `escalate`, `elevation`), and a
 * translation that is the term names its concept in a Chinese query
 * (`TRANSLATED_CONCEPT_WEIGHT`): 改造 (transformation) met transformers. Only pairs of
 * unrelated meaning whose stems no inflection of the other reaches. Of the later ones,
 * fourteen measured neutral on twenty-two labelled sets (−0.0002); `remediation` (from
 * `remedy`, 治理) and `localization` (from `local`, 当地) then gained 0.002 with the
 * translated concepts. Session 41: `important` and `import` (重要 met every importer, and an
 * importer's explanation read `import (lexicon: important)`), `business` and `busy`,
 * `international` and `internal`, `engineering` and `engine` (a need for engine maintenance met
 * every engineering consultancy). Then 39 more, found by a helper that read the stems of every
 * English word in CC-CEDICT's glosses and kept the pairs of unrelated meaning both common in
 * trade and public texts: goods (good), customer and customs (custom), container (contain),
 * hospitality (hospital), bearing (bear), fabricate (fabric), conversion (conversation), tired
 * (tire), department (depart). `training` was left with `train`: the verb is the same sense.
 * Session 42: `added` and `adding`, which Porter cuts to `ad` (value added met advertising).
 */
// Each row: the stem kept, then the words that keep it.
const ENGLISH_KEPT_APART: ReadonlyMap<string, string> = new Map(
  keptStems([
    ['communiti', 'community', 'communities'],
    ['organic', 'organic', 'organically'],
    ['organism', 'organism', 'organisms'],
    ['organiz', 'organization', 'organizations', 'organizational', 'organize', 'organized', 'organizes', 'organizing', 'organizer', 'organizers'],
    ['universiti', 'university', 'universities'],
    ['generat', 'generate', 'generates', 'generated', 'generating', 'generation', 'generations', 'generator', 'generators'],
    ['experiment', 'experiment', 'experiments', 'experimental', 'experimentation'],
    ['animat', 'animation', 'animations', 'animated', 'animate', 'animator', 'animators'],
    ['news', 'news'],
    ['authoriti', 'authority', 'authorities'],
    ['transformer', 'transformer', 'transformers'],
    ['inverter', 'inverter', 'inverters'],
    ['escalator', 'escalator', 'escalators'],
    ['elevator', 'elevator', 'elevators'],
    ['composite', 'composite', 'composites'],
    ['economizer', 'economizer', 'economizers'],
    ['renewable', 'renewable', 'renewables'],
    ['accelerator', 'accelerator', 'accelerators'],
    ['analyzer', 'analyzer', 'analyzers'],
    ['digester', 'digester', 'digesters'],
    ['installment', 'installment', 'installments'],
    ['remediat', 'remediation', 'remediate', 'remediated', 'remediating'],
    ['localiz', 'localization', 'localizations', 'localize', 'localized', 'localizing'],
    ['arsenic', 'arsenic'],
    ['fertiliti', 'fertility'],
    ['beneficiation', 'beneficiation'],
    ['importan', 'important', 'importance', 'importantly'],
    ['business', 'business', 'businesses'],
    ['internation', 'international', 'internationally'],
    ['engineer', 'engineer', 'engineers', 'engineering', 'engineered'],
    ['customer', 'customer', 'customers'],
    ['customs', 'customs'],
    ['goods', 'goods'],
    ['polite', 'polite', 'politely', 'politeness', 'politer', 'politest'],
    ['unite', 'united', 'unite', 'unites', 'uniting', 'unitedly'],
    ['informal', 'informal', 'informally', 'informality', 'informalities'],
    ['department', 'department', 'departments', 'departmental', 'departmentally'],
    ['founded', 'founded', 'founding', 'founds'],
    ['container', 'container', 'containers', 'containerized', 'containerization', 'containerize'],
    ['positiv', 'positive', 'positively', 'positives', 'positivity', 'positiveness'],
    ['responsib', 'responsible', 'responsibly', 'responsibility', 'responsibilities'],
    ['authoriz', 'authorize', 'authorized', 'authorizes', 'authorizing', 'authorization', 'authorizations'],
    ['designat', 'designate', 'designated', 'designates', 'designating', 'designation', 'designations'],
    ['integrity', 'integrity'],
    ['emergenc', 'emergency', 'emergencies'],
    ['hospitalit', 'hospitality', 'hospitalities'],
    ['executiv', 'executive', 'executives'],
    ['generous', 'generous', 'generously', 'generosity'],
    ['corporal', 'corporal', 'corporals', 'corporally'],
    ['successi', 'succession', 'successions', 'successive', 'successively', 'successor', 'successors'],
    ['bearing', 'bearing', 'bearings'],
    ['competen', 'competent', 'competently', 'competence', 'competences', 'competency', 'competencies'],
    ['securities', 'securities'],
    ['paste', 'paste', 'pastes', 'pasted', 'pasting'],
    ['tired', 'tired', 'tiredness', 'tiredly'],
    ['apartment', 'apartment', 'apartments'],
    ['expression', 'expression', 'expressions', 'expressive', 'expressively', 'expressiveness'],
    ['numerous', 'numerous', 'numerously'],
    ['several', 'several'],
    ['severe', 'severe', 'severely', 'severity', 'severer', 'severest'],
    ['generic', 'generic', 'generics', 'generically'],
    ['objectiv', 'objective', 'objectives', 'objectively', 'objectivity'],
    ['initiativ', 'initiative', 'initiatives'],
    ['conversion', 'conversion', 'conversions'],
    ['oriental', 'oriental', 'orientals'],
    ['candidat', 'candidate', 'candidates', 'candidacy'],
    ['conditioning', 'conditioning', 'conditioner', 'conditioners'],
    ['statue', 'statue', 'statues', 'statuette', 'statuettes'],
    ['add', 'added', 'adding'],
    ['fabricat', 'fabricate', 'fabricated', 'fabricates', 'fabricating', 'fabrication', 'fabrications', 'fabricator', 'fabricators'],
  ]),
);

/** Each word of rows `[stem kept, ...words]` → the stem it keeps. */
function keptStems(rows: readonly (readonly string[])[]): [string, string][] {
  return rows.flatMap(([kept, ...words]) => words.map((word): [string, string] => [word, kept!]));
}

/**
 * Swedish adjectives in `-ig` and `-lig` that the stemmer cuts to a noun or verb of another
 * meaning: `farlig` (dangerous) to `far` (father), `billig` (cheap) to `bil` (a car),
 * `viktig` (important) to `vikt` (weight), `verklig` (real) to `verk` (works, an agency),
 * `hemlig` (secret) to `hem` (home), `rimlig` (reasonable) to `rim` (a rhyme), `tidig`
 * (early) to `tid` (time), `färdig` (finished) to `färd` (a journey), `giftig` (poisonous) to
 * `gift` (also married), `smidig` (flexible) to `smide` (forging). The lexicon keys its entries
 * by stem, so `farliga ämnen` bridged to father and `billiga` to car, and a firm's `viktiga`
 * met every need about weight. Each keeps its own stem in every inflected and compared form
 * and its adverb in `-en` (`verkligen`), its noun in `-het` one of its own (`färdigheter`,
 * skills, was a journey too), also at the end of a compound (`miljöfarligt`, `orimliga`,
 * `ovanlig`). Not those whose base is the same sense (`kraftig`, `daglig`, `vänlig`).
 */
const SWEDISH_ADJECTIVES_KEPT_APART: readonly string[] = [
  'farlig', 'billig', 'viktig', 'verklig', 'hemlig', 'rimlig', 'tidig', 'färdig', 'giftig', 'lustig',
  'ledig', 'rörlig', 'skicklig', 'fattig', 'stadig', 'vanlig', 'smidig',
];

/** A Swedish adjective's inflected and compared forms and its adverb (`farlig`, `farligt`, `farliga`, `farligare`, `farligaste`, `verkligen`). */
function adjectiveForms(adjective: string): string[] {
  return ['', 't', 'a', 'e', 'are', 'ast', 'aste', 'en'].map((ending) => adjective + ending);
}

/** The forms of an adjective's noun in `-het` (`färdighet`, `färdigheten`, `färdigheter`, `färdigheterna`, `färdigheters`). */
function qualityNounForms(adjective: string): string[] {
  return ['het', 'heten', 'heter', 'heterna', 'hets', 'hetens', 'heters'].map((ending) => adjective + ending);
}

/**
 * Swedish words the stemmer cuts to the stem of a glossary term of another meaning, with the
 * stem each keeps instead: `bulle` (a bun: `bullar`, `kanelbullar`) and `buller` (noise) both
 * to `bull`, so a café's buns were evidence of noise control and inferred it an environment
 * tag. Also as the last part of a compound (`kanelbullar` stems as `kanelbulle`): the
 * glossary finds its single Swedish words at the end of a compound's stem. As
 * `ENGLISH_KEPT_APART`: only unrelated meanings, whose stems no inflection of the other
 * reaches. A compound of a loan in `-bull` reads as one of buns in its definite and plural
 * forms (`pitbullen` as `pitbulle`, its `pitbull` as `pitbull`): rare, and left so.
 */
const SWEDISH_KEPT_APART: ReadonlyMap<string, string> = new Map(
  keptStems([
    ['bulle', 'bulle', 'bullen', 'bulles', 'bullens', 'bullar', 'bullarna', 'bullars', 'bullarnas'],
    // `fastighet` (a property) lost `-het` and then `-ig` to `fast` (firm, fixed, solid).
    ['fastighet', ...qualityNounForms('fastig')],
    ...SWEDISH_ADJECTIVES_KEPT_APART.flatMap((adjective) => [
      [adjective, ...adjectiveForms(adjective)],
      [`${adjective}het`, ...qualityNounForms(adjective)],
    ]),
  ]),
);
const KEPT_APART_TAILS = new WordEndings(SWEDISH_KEPT_APART);

/**
 * English nouns for a machine or a trade named by what it does (`freezer`, `dryer`,
 * `roaster`, `supplier`, `inspector`), with their plurals, as the verb: Porter keeps
 * `freezer` and `freez` apart, so a company selling tunnel freezers and dryers never met a
 * need for quick-freezing and drying (速冻, 干燥: freeze, dry), nor one seeking suppliers a
 * company that supplies. Only nouns Porter keeps apart whose verb is the same activity and no
 * more general, and none a glossary term is (`farmer` would be any wind farm's, `boiler`
 * anything boiled, `distributor` any distribution grid's, `chiller` chilled meat; `packer`
 * meets a battery pack, `feeder` a feed-in tariff): the analyzer tests hold the glossary to it.
 */
const ENGLISH_ACTIVITY_NOUNS: ReadonlyMap<string, string> = new Map([
  ['freezer', 'freeze'], ['dryer', 'dry'], ['drier', 'dry'], ['heater', 'heat'], ['cooler', 'cool'], ['burner', 'burn'],
  ['mixer', 'mix'], ['grinder', 'grind'], ['roaster', 'roast'], ['shredder', 'shred'], ['crusher', 'crush'], ['sorter', 'sort'],
  ['sprayer', 'spray'], ['printer', 'print'], ['scanner', 'scan'], ['welder', 'weld'], ['compressor', 'compress'],
  ['detector', 'detect'], ['extractor', 'extract'], ['supplier', 'supply'], ['breeder', 'breed'], ['inspector', 'inspect'],
]);

/** `word` as the verb of its activity when it is one of `ENGLISH_ACTIVITY_NOUNS` (or a plural of one); else `word`. */
function englishActivityOf(word: string): string {
  return ENGLISH_ACTIVITY_NOUNS.get(word) ?? (word.endsWith('s') ? ENGLISH_ACTIVITY_NOUNS.get(word.slice(0, -1)) : undefined) ?? word;
}

/** A Swedish irregular form's base form, also as the last part of a compound (`bostäder` → `bostad`); else the word. */
function swedishBaseForm(word: string): string {
  const base = SWEDISH_BASE_FORMS.get(word);
  if (base !== undefined) return base;
  // Longest tail first; the head keeps two letters at least (`stänger` is no s|tänger).
  return PLURAL_TAILS.first(word, 2, (singular, cut) => word.slice(0, cut) + singular) ?? word;
}

const PLURAL_TAILS = new WordEndings(SWEDISH_PLURAL_TAILS);
const NOUN_TAILS = new WordEndings(new Map([...SWEDISH_OR_NOUN_FORMS, ...SWEDISH_TAIL_NOUN_FORMS]));

/** The stem of `base`, the base form of `word` (`word` itself unless irregular). */
function stemSwedishBase(word: string, base: string): string {
  return SWEDISH_WHOLE_STEMS.get(base) ?? (base === word ? undefined : swedishNoun(base)) ?? (/\p{L}/u.test(base) ? withoutSyncopeE(stripDefiniteEt(swedishStemmer.stem(base))) : base);
}

/**
 * Base forms that are their own stem, where the stemmer would cut them to another word's and
 * a tail rule would catch longer words: `liten` (small; `lilla`, `litet`, `mindre` through its
 * irregular forms) to `lit`, the stem of `lita` (to trust), so a small firm trusted. As a tail
 * `litet` would take `kvalitet`, and `liten` `eliten`.
 */
const SWEDISH_WHOLE_STEMS: ReadonlyMap<string, string> = new Map([['liten', 'liten']]);

const SYNCOPE_E = /(?<=[^aeiouyåäö])eln?$/;

/**
 * A noun in `-el` drops its `e` before an ending (`kabel`, `kablar`; `möbel`, `möbler`;
 * `cykel`, `cykeln`, `cyklar`), and the stemmer keeps what it is given: `kabel`, `kabeln`
 * and `kabl` never met. Every form's stem drops the `e` (and the definite `-n`): `kabl`.
 */
function withoutSyncopeE(stemmed: string): string {
  return stemmed.length >= 5 ? stemmed.replace(SYNCOPE_E, 'l') : stemmed;
}

/**
 * The stem of a form of an `-or` noun or a tail noun (`SWEDISH_OR_NOUNS`,
 * `SWEDISH_TAIL_NOUN_FORMS`), also as a compound's last part: the noun itself
 * (`elmotorerna` → `elmotor`, `vätgasen` → `vätgas`).
 */
function swedishNoun(word: string): string | undefined {
  return NOUN_TAILS.first(word, 0, (noun, start) =>
    (start > 0 && SWEDISH_TAIL_NOT_AFTER.get(noun)?.includes(word[start - 1]!)) || SWEDISH_TAIL_NOT_ENDING.get(noun)?.some((ending) => word.endsWith(ending))
      ? undefined
      : word.slice(0, start) + noun,
  );
}

/**
 * natural's Swedish stemmer (like Snowball's) keeps the definite `-et` of neuter nouns, so
 * `reningsverket`, `elnätet` and `projektet` never meet their base forms. Stripping it
 * repeatedly from stems of seven letters or more keeps every form consistent:
 * `universitetet` and `universitet` both end as `universit`.
 */
function stripDefiniteEt(stemmed: string): string {
  let out = stemmed;
  while (out.length >= 7 && out.endsWith('et')) out = out.slice(0, -2);
  // A short vowel's doubled `m` belongs to the definite form only (`kylrummet`, `programmet`).
  return out !== stemmed && out.endsWith('mm') ? out.slice(0, -1) : out;
}

// Words that say nothing about a capability in these profiles, in either language.
const COMPANY_FORMS = ['ab', 'ltd', 'co', 'inc', 'etc', 'eg', 'ie'];

/**
 * Swedish function words natural's list lacks: prepositions and connectives of a company
 * profile (`hos`, `samt`, `både`, `kring`, `dessutom`, `respektive`). With the lexicon they read as
 * content: `hos` (at a customer's) as beside and near, `samt` (and) as equal, `både` as two,
 * `ovan` (above) as unusual, `längs` as length, `dessutom` as addition.
 */
const SWEDISH_FUNCTION_WORDS = ['hos', 'samt', 'både', 'kring', 'runt', 'längs', 'trots', 'ovan', 'nedan', 'inklusive', 'därmed', 'dessutom', 'exempelvis', 'respektive'];

/**
 * The negations natural's English list lacks (it has `never`): `no ICC profile, no G7` met
 * every `(EC) No 1935/2004` and Norwegian `no`, and a `not` met nothing but other negations.
 * Nitric oxide written `NO` is lost with them in English text (Swedish text keeps it); it is
 * mostly written beside `NOx` or `NO2`, which still meet. The lexicon build keeps negations in
 * glosses all the same: a sense they negate gives no pivot (`NEGATING_PIVOTS`).
 */
const ENGLISH_FUNCTION_WORDS = ['no', 'not', 'nor'];

/**
 * Content words in natural's Swedish stop list: numbers, days, directions, common adjectives
 * and a few nouns. Their English translations (`seven`, `day`, `left`, `big`, `good`,
 * `decision`) are no stop words in natural's English list, so a Swedish text lost what an
 * English one keeps, and an everyday Swedish sentence (`Sväng vänster vid nästa trafikljus`)
 * lost half its words. Left out: words the stemmer joins to another word (`höger` stems as
 * `hög`, high; `tidig` as `tid`, time; `sent` reaches `sena`, sinew). The lexicon layer keeps
 * them (its Swedish stop words are the rest, `SWEDISH_LEXICON_STOPWORDS`); without it they
 * stay stop words, as before the lexicon. Verbs and adverbs whose English translations
 * natural's English list keeps (`vill` want, `gå` go, `säger` say, `alltid` always, `snart`
 * soon) are kept too. Left out: words that read as another (`sitt` is mostly the possessive,
 * not `sit`; `får` also sheep; `ligger` locates, it is no `lie`; `han`, `hon`, `jag` meet
 * `hane`, `hona`, `jaga`), words whose English is a stop word there (`kan`, `måste`, `varje`),
 * `tillsammans` (together), which cost the dev set 0.002 (0.9525 → 0.9503), `länge`, which
 * stems with `längd` and `längta`, and `nödvändigtvis`, whose translations hold `ipso facto`.
 */
export const SWEDISH_CONTENT_WORDS: ReadonlySet<string> = new Set(
  (
    'noll två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton sjutton aderton artonn nitton tjugo ' +
    'tjugoen tjugoett tjugotvå tjugotre trettio fyrtio femtio sextio sjuttio åttio nittio hundra hundraen hundraett tvåhundra ettusen ' +
    'tredje fjärde femte sjätte sjunde åttonde nionde tionde elfte tolfte ' +
    'dag dagar dagarna dagen idag igår imorgon övermorgon vänster vänstra ' +
    'stor stora stort större störst liten lilla litet små smått god goda godare godast gott bra bättre bäst sämre sämst värre ' +
    'hög högre högst lätt lättare lättast långsam långsammare långsammast långsamt enkel enkelt enkla ' +
    'viktig viktigare viktigast viktigt beslut beslutat beslutit nummer tack ' +
    'alltid ofta oftast snart redan kanske behöva behövs behövde vill ville gå går gick gått ' +
    'säga säger sade sagt förlåt ursäkt möjlig möjligt möjligen nödvändig nödvändiga nödvändigt ' +
    'rätt sist sista siste längre längst långt'
  ).split(' '),
);

/**
 * Stop words per language: each list holds content words of the other (Swedish `beslut`,
 * `hög`; English `it`), so a text is filtered by its own language's list only.
 */
export const STOPWORDS: Readonly<Record<LatinLanguage, ReadonlySet<string>>> = {
  sv: new Set([...swedishStopwords, ...SWEDISH_FUNCTION_WORDS, ...COMPANY_FORMS]),
  en: new Set([...englishStopwords, ...ENGLISH_FUNCTION_WORDS, ...COMPANY_FORMS]),
};

export const CHINESE_STOPWORDS: ReadonlySet<string> = new Set(chineseStopwords);

/** Swedish stop words with the lexicon layer on: natural's list without its content words. */
export const SWEDISH_LEXICON_STOPWORDS: ReadonlySet<string> = new Set([...STOPWORDS.sv].filter((word) => !SWEDISH_CONTENT_WORDS.has(word)));
