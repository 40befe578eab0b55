/**
 * A seeded generator of Blekinge company profiles and Yunnan partner needs that look like
 * the fixtures to every engine: the same languages in the same shares, the same record
 * shapes (tags given, missing or empty), documents of ~80 words, and text built from the
 * fixtures' own vocabulary (word frequencies kept, so term statistics follow theirs) and
 * the glossary's sv/en/zh concept terms for the record's sector.
 *
 * Record `i` depends only on the seed and `i`, so the 1k corpus is the first 1k
 * companies of the 100k one and every size sees the same needs.
 */
import { readFileSync } from 'node:fs';
import {
  detectLanguage,
  MUNICIPALITIES,
  PARTNERSHIP_TYPES,
  taxonomy,
  type Company,
  type ConceptEntry,
  type Language,
  type PartnerNeed,
  type PartnershipType,
} from '@partnermatch/core';
import { paths } from './paths.js';
import { STOP_WORDS } from './text.js';

export const DEFAULT_SEED = 20_240_604;

/** A pseudo-random source: `next()` in [0, 1). mulberry32, one per record. */
export interface Random {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    chance: (p: number) => next() < p,
  };
}

/** One record's stream: independent of every other record's. */
function recordRandom(seed: number, stream: number, index: number): Random {
  return createRandom(Math.imul(seed ^ Math.imul(stream, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

/** Words drawn with the frequencies they have in the fixtures. */
class WordBag {
  readonly #words: string[] = [];
  readonly #cumulative: number[] = [];

  constructor(counts: ReadonlyMap<string, number>) {
    let total = 0;
    for (const [word, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
      total += count;
      this.#words.push(word);
      this.#cumulative.push(total);
    }
  }

  get size(): number {
    return this.#words.length;
  }

  draw(random: Random): string {
    const target = random.next() * this.#cumulative.at(-1)!;
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cumulative[mid]! <= target) lo = mid + 1;
      else hi = mid;
    }
    return this.#words[lo]!;
  }
}

interface Vocabulary {
  /** Content words (5+ letters, no stop words) of the Swedish and English fixture texts; Chinese words (2+ Han). */
  readonly words: Record<Language, WordBag>;
  /** Glossary terms per sector tag (a root also gets its leaves' terms), per language. */
  readonly concepts: ReadonlyMap<string, Record<Language, readonly string[]>>;
  /** Leaf tags, each listed as often as it should be drawn (the project's focus sectors twice). */
  readonly leafTags: readonly string[];
}

const LATIN_WORD = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
const HAN_WORD = /^\p{Script=Han}{2,}$/u;
const zhSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function count(bag: Map<string, number>, word: string): void {
  bag.set(word, (bag.get(word) ?? 0) + 1);
}

/** Mines the sample fixtures (never the held-out dev set) and the glossary. */
function loadVocabulary(): Vocabulary {
  const companies = JSON.parse(readFileSync(paths.sampleCompanies, 'utf8')) as Company[];
  const needs = JSON.parse(readFileSync(paths.sampleNeeds, 'utf8')) as PartnerNeed[];
  const counts: Record<Language, Map<string, number>> = { sv: new Map(), en: new Map(), zh: new Map() };
  const texts = [
    ...companies.map((c) => [c.description, ...(c.offerings ?? [])].join('\n')),
    ...needs.map((n) => `${n.title}\n${n.description}`),
  ];
  for (const text of texts) {
    const language = detectLanguage(text);
    if (language !== 'zh') {
      for (const [match] of text.matchAll(LATIN_WORD)) {
        const word = match.toLowerCase();
        if (word.length >= 5 && !/\d/.test(word) && !STOP_WORDS.has(word)) count(counts[language], word);
      }
    }
    for (const { segment } of zhSegmenter.segment(text)) if (HAN_WORD.test(segment)) count(counts.zh, segment);
  }

  const concepts = new Map<string, { sv: string[]; en: string[]; zh: string[] }>();
  const termsOf = (tag: string) => {
    let entry = concepts.get(tag);
    if (entry === undefined) {
      entry = { sv: [], en: [], zh: [] };
      concepts.set(tag, entry);
    }
    return entry;
  };
  const addTerms = (tag: string, concept: ConceptEntry) => {
    const entry = termsOf(tag);
    entry.sv.push(...concept.sv);
    entry.en.push(...concept.en);
    entry.zh.push(...concept.zh);
  };
  for (const concept of taxonomy.concepts) {
    for (const tag of concept.tag === undefined ? ['*'] : taxonomy.lineage(concept.tag)) addTerms(tag, concept);
  }
  const leafTags: string[] = [];
  for (const tag of taxonomy.tags) {
    if (tag.children.length > 0 || tag.parent === undefined || !concepts.has(tag.id)) continue;
    const focus = tag.id.startsWith('energy.') || tag.id.startsWith('environment.');
    leafTags.push(tag.id, ...(focus ? [tag.id] : []));
  }
  return {
    words: { sv: new WordBag(counts.sv), en: new WordBag(counts.en), zh: new WordBag(counts.zh) },
    concepts,
    leafTags,
  };
}

let vocabulary: Vocabulary | undefined;
function vocab(): Vocabulary {
  vocabulary ??= loadVocabulary();
  return vocabulary;
}

// ── sentence material ────────────────────────────────────────────────────────

const PLACES = [
  'Karlskrona', 'Ronneby', 'Karlshamn', 'Sölvesborg', 'Olofström', 'Lyckeby', 'Nättraby', 'Rödeby', 'Kallinge',
  'Bräkne-Hoby', 'Asarum', 'Mörrum', 'Jämshög', 'Hanö', 'Sturkö', 'Tjurkö', 'Hasslö', 'Vämö', 'Listerlandet', 'Tving',
  'Trensum', 'Jämjö', 'Torhamn', 'Fridlevstad', 'Kristianopel', 'Järnavik', 'Hällevik', 'Pukavik', 'Halahult', 'Eringsboda',
];
const TRADES_SV = ['Teknik', 'Service', 'System', 'Konsult', 'Produkter', 'Innovation', 'Lösningar', 'Partner', 'Verkstad', 'Gruppen'];
const TRADES_EN = ['Technology', 'Systems', 'Solutions', 'Engineering', 'Group', 'Labs', 'Industries', 'Partners'];
const CUSTOMERS_SV = ['kommuner', 'industrin', 'energibolag', 'fastighetsägare', 'hamnar', 'lantbrukare', 'regioner', 'byggföretag', 'sjukhus', 'vattenbolag'];
const CUSTOMERS_EN = ['municipalities', 'industry', 'utilities', 'property owners', 'ports', 'farmers', 'regions', 'contractors', 'hospitals', 'water companies'];
const COUNTRIES_SV = ['Polen', 'Baltikum', 'Tyskland', 'Danmark', 'Finland', 'Norge', 'Kina', 'Vietnam', 'Kenya', 'Indien'];
const COUNTRIES_EN = ['Poland', 'the Baltics', 'Germany', 'Denmark', 'Finland', 'Norway', 'China', 'Vietnam', 'Kenya', 'India'];
const CITIES: readonly (readonly [string, string])[] = [
  ['Kunming', '昆明'], ['Dali', '大理'], ['Lijiang', '丽江'], ["Pu'er", '普洱'], ['Yuxi', '玉溪'], ['Qujing', '曲靖'],
  ['Xishuangbanna', '西双版纳'], ['Honghe', '红河'], ['Chuxiong', '楚雄'], ['Zhaotong', '昭通'], ['Baoshan', '保山'],
];
const ORG_SUFFIX_ZH = ['有限公司', '发展有限公司', '科技中心', '服务中心', '合作联社', '工程中心', '集团有限公司', '管理委员会'];
const ORG_SUFFIX_EN = ['Co.', 'Development Co.', 'Service Centre', 'Cooperative', 'Technology Co.', 'Authority'];
const COOPERATION: Record<PartnershipType, Record<Language, string>> = {
  export: { sv: 'export', en: 'export', zh: '设备供货' },
  sourcing: { sv: 'inköp', en: 'sourcing', zh: '产品采购' },
  'joint-venture': { sv: 'samriskbolag', en: 'a joint venture', zh: '合资' },
  'technology-transfer': { sv: 'tekniköverföring', en: 'technology transfer', zh: '技术转让' },
  investment: { sv: 'investeringar', en: 'investment', zh: '投资' },
  research: { sv: 'gemensam forskning', en: 'joint research', zh: '联合研发' },
  distribution: { sv: 'distribution', en: 'distribution', zh: '代理分销' },
  training: { sv: 'utbildning', en: 'training', zh: '人才培训' },
};

type Slots = { name: string; place: string; concept: () => string; word: () => string; cooperation: string; random: Random };
type Template = (s: Slots) => string;

const COMPANY_SENTENCES: Record<Language, readonly Template[]> = {
  sv: [
    (s) => `${s.name} utvecklar och levererar ${s.concept()} och ${s.concept()} för ${s.random.pick(CUSTOMERS_SV)} i Sverige och Europa.`,
    (s) => `Företaget grundades ${1950 + s.random.int(74)} i ${s.place} och arbetar med ${s.word()}, ${s.word()} och ${s.concept()}.`,
    (s) => `Vi har ${5 + s.random.int(400)} anställda och erbjuder ${s.word()} samt ${s.concept()} med egen ${s.word()}.`,
    (s) => `Vi hjälper ${s.random.pick(CUSTOMERS_SV)} att minska ${s.word()} genom ${s.concept()} och bättre ${s.word()}.`,
    (s) => `Tillsammans med ${s.word()} och ${s.word()} utvecklar vi ${s.concept()} med fokus på ${s.word()}.`,
    (s) => `Projekt har genomförts i ${s.random.pick(COUNTRIES_SV)} och ${s.random.pick(COUNTRIES_SV)}, bland annat ${s.concept()} och ${s.word()}.`,
    (s) => `Vår ${s.word()} omfattar ${s.concept()}, ${s.word()}, ${s.word()} och ${s.word()}.`,
    (s) => `Vi söker partner för ${s.cooperation} inom ${s.concept()} och ${s.word()} på nya marknader.`,
  ],
  en: [
    (s) => `${s.name} designs and delivers ${s.concept()} and ${s.concept()} for ${s.random.pick(CUSTOMERS_EN)} across Europe.`,
    (s) => `Founded in ${s.place} in ${1950 + s.random.int(74)}, the company works with ${s.word()}, ${s.word()} and ${s.concept()}.`,
    (s) => `Our ${5 + s.random.int(400)} employees supply ${s.word()} as well as ${s.concept()} and in-house ${s.word()}.`,
    (s) => `We help ${s.random.pick(CUSTOMERS_EN)} reduce ${s.word()} through ${s.concept()} and better ${s.word()}.`,
    (s) => `Together with ${s.word()} partners we develop ${s.concept()} with a focus on ${s.word()} and ${s.word()}.`,
    (s) => `We have delivered projects in ${s.random.pick(COUNTRIES_EN)} and ${s.random.pick(COUNTRIES_EN)}, including ${s.concept()} and ${s.word()}.`,
    (s) => `The range covers ${s.concept()}, ${s.word()}, ${s.word()} and ${s.word()}.`,
    (s) => `We are looking for partners for ${s.cooperation} in ${s.concept()} and ${s.word()}.`,
  ],
  zh: [
    (s) => `本公司位于瑞典布莱金厄${s.place}，专业从事${s.concept()}和${s.concept()}。`,
    (s) => `我们为${s.word()}和${s.word()}提供${s.concept()}及${s.word()}服务。`,
    (s) => `公司拥有${5 + s.random.int(400)}名员工，在${s.word()}和${s.concept()}方面经验丰富。`,
    (s) => `希望在云南开展${s.cooperation}合作，推广${s.concept()}技术。`,
  ],
};

const NEED_SENTENCES: Record<Language, readonly Template[]> = {
  zh: [
    (s) => `本单位位于${s.place}，主要负责${s.concept()}和${s.word()}${s.word()}工作。`,
    (s) => `我们计划引进${s.concept()}技术，提升${s.word()}和${s.word()}水平。`,
    (s) => `目前存在${s.word()}、${s.word()}等问题，急需${s.concept()}方面的经验和设备。`,
    (s) => `项目总投资约${100 + s.random.int(9900)}万元，计划在${2026 + s.random.int(3)}年底前完成${s.concept()}建设。`,
    (s) => `希望与瑞典企业开展${s.cooperation}合作，共同推进${s.concept()}和${s.word()}。`,
    (s) => `同时希望引进${s.word()}${s.word()}技术，并对当地${s.word()}人员进行培训。`,
    (s) => `欢迎具有${s.concept()}或${s.concept()}经验的企业参与。`,
  ],
  en: [
    (s) => `Our organisation in ${s.place} is responsible for ${s.concept()} and ${s.word()} in the region.`,
    (s) => `We plan to introduce ${s.concept()} to improve ${s.word()} and reduce ${s.word()}.`,
    (s) => `Current problems include ${s.word()}, ${s.word()} and a lack of experience with ${s.concept()}.`,
    (s) => `The project budget is about ${1 + s.random.int(90)} million yuan and ${s.concept()} should be in operation by ${2026 + s.random.int(3)}.`,
    (s) => `We seek a Swedish partner for ${s.cooperation} in ${s.concept()} and ${s.word()}.`,
    (s) => `Training of local ${s.word()} staff and support with ${s.word()} are also of interest.`,
    (s) => `Companies with experience of ${s.concept()} or ${s.concept()} are welcome to apply.`,
  ],
  sv: [
    (s) => `Vår organisation i ${s.place} ansvarar för ${s.concept()} och ${s.word()} i regionen.`,
    (s) => `Vi planerar att införa ${s.concept()} för att förbättra ${s.word()} och minska ${s.word()}.`,
    (s) => `Vi söker en svensk partner för ${s.cooperation} inom ${s.concept()} och ${s.word()}.`,
    (s) => `Företag med erfarenhet av ${s.concept()} eller ${s.concept()} är välkomna.`,
  ],
};

const NEED_TITLES: Record<Language, readonly ((concept: string, word: string) => string)[]> = {
  zh: [(c) => `${c}技术合作`, (c, w) => `${c}与${w}项目`, (c) => `引进${c}设备`, (c) => `${c}示范项目`, (c, w) => `${w}${c}升级改造`],
  en: [(c) => `Partner for ${c}`, (c, w) => `${c} and ${w} project`, (c) => `${c} technology cooperation`, (c) => `Upgrading ${c}`],
  sv: [(c) => `Partner för ${c}`, (c, w) => `${c} och ${w}`],
};

// ── records ──────────────────────────────────────────────────────────────────

const COMPANY_STREAM = 1;
const NEED_STREAM = 2;

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A Swedish compound of two fixture words now and then, as Swedish text grows its vocabulary. */
function wordSource(random: Random, language: Language): () => string {
  const bag = vocab().words[language];
  return () => {
    const word = bag.draw(random);
    return language === 'sv' && random.chance(0.12) ? `${word}${bag.draw(random)}` : word;
  };
}

function conceptSource(random: Random, tags: readonly string[], language: Language): () => string {
  const pools = tags.map((tag) => vocab().concepts.get(tag)?.[language] ?? []).filter((pool) => pool.length > 0);
  const general = vocab().concepts.get('*')?.[language] ?? [];
  return () => {
    // Mostly the record's own sectors; sometimes a cross-sector or another sector's term.
    if (random.chance(0.08) && general.length > 0) return random.pick(general);
    if (random.chance(0.07) || pools.length === 0) {
      const other = vocab().concepts.get(random.pick(vocab().leafTags))?.[language] ?? general;
      return random.pick(other);
    }
    return random.pick(random.pick(pools));
  };
}

function shuffled<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function sentences(templates: readonly Template[], slots: Slots, wordsWanted: number, language: Language): string {
  const out: string[] = [];
  let size = 0;
  // Chinese is measured in characters: ~3.2 characters for a word.
  const measure = (text: string) => (language === 'zh' ? text.length / 3.2 : text.split(' ').length);
  const order = shuffled([...templates.keys()], slots.random);
  for (let i = 0; size < wordsWanted; i += 1) {
    const sentence = templates[order[i % order.length]!]!(slots);
    out.push(sentence);
    size += measure(sentence);
  }
  return out.join(language === 'zh' ? '' : ' ');
}

function pickTags(random: Random): string[] {
  const leaf = random.pick(vocab().leafTags);
  if (!random.chance(0.2)) return [leaf];
  const root = taxonomy.lineage(leaf).at(-1)!;
  const sibling = random.chance(0.6) ? taxonomy.get(root)?.children : undefined;
  const second = sibling !== undefined && sibling.length > 1 ? random.pick(sibling) : random.pick(vocab().leafTags);
  return second === leaf ? [leaf] : [leaf, second];
}

function pickTypes(random: Random): PartnershipType[] {
  const types = new Set<PartnershipType>();
  const wanted = 1 + random.int(3);
  while (types.size < wanted) types.add(random.pick(PARTNERSHIP_TYPES));
  return [...types];
}

/** Given (share `given`), missing (`missing`) or an empty list: the shapes the fixtures have. */
function sectorsField(random: Random, tags: string[], given: number, missing: number): { sectors?: string[] } {
  const roll = random.next();
  if (roll < given) return { sectors: tags };
  if (roll < given + missing) return {};
  return { sectors: [] };
}

/** Company `index` (0-based) of the seeded corpus; ids `c-000001` …. */
export function generateCompany(index: number, seed = DEFAULT_SEED): Company {
  const random = recordRandom(seed, COMPANY_STREAM, index);
  const roll = random.next();
  // The sample: 30 of 48 descriptions Swedish, 18 English (3 with a Chinese sentence).
  const language: Language = roll < 0.6 ? 'sv' : roll < 0.98 ? 'en' : 'zh';
  const trailingChinese = language === 'en' && random.chance(0.07);
  const tags = pickTags(random);
  const types = pickTypes(random);
  const place = random.pick(PLACES);
  const tagLabel = taxonomy.get(tags[0]!)?.labels;
  const trade = language === 'sv' ? random.pick(TRADES_SV) : random.pick(TRADES_EN);
  const shortName = `${place} ${(language === 'sv' ? tagLabel?.sv : tagLabel?.en)?.split(' ')[0] ?? ''} ${trade}`.replace(/\s+/g, ' ');
  const concept = conceptSource(random, tags, language);
  const slots: Slots = {
    name: shortName,
    place,
    concept,
    word: wordSource(random, language),
    cooperation: COOPERATION[random.pick(types)][language],
    random,
  };
  let description = sentences(COMPANY_SENTENCES[language], slots, 55 + random.int(40), language);
  if (trailingChinese) {
    const zhSlots = { ...slots, concept: conceptSource(random, tags, 'zh'), word: wordSource(random, 'zh'), cooperation: COOPERATION[random.pick(types)].zh };
    description += ` ${random.pick(COMPANY_SENTENCES.zh)(zhSlots)}`;
  }
  const offerings = Array.from({ length: 2 + random.int(4) }, () => {
    const words = slots.word;
    const phrase = random.chance(0.6) ? concept() : language === 'sv' ? `${concept()} och ${words()}` : language === 'en' ? `${concept()} and ${words()}` : `${concept()}${words()}`;
    return capitalise(phrase);
  });
  return {
    id: `c-${String(index + 1).padStart(6, '0')}`,
    name: `${shortName} AB`,
    municipality: random.pick(MUNICIPALITIES),
    description,
    offerings,
    // The sample: 33 of 48 tagged, 12 missing, 3 empty.
    ...sectorsField(random, tags, 0.69, 0.25),
    partnershipTypes: types,
    employees: 3 + random.int(500),
    languages: language === 'zh' || trailingChinese ? ['sv', 'en', 'zh'] : ['sv', 'en'],
  };
}

/** Need `index` (0-based); ids `n-0001` …; every one open, so every one is ranked. */
export function generateNeed(index: number, seed = DEFAULT_SEED): PartnerNeed {
  const random = recordRandom(seed, NEED_STREAM, index);
  const roll = random.next();
  // The sample: 15 of 24 needs Chinese, 9 English; a few Swedish for good measure.
  const language: Language = roll < 0.62 ? 'zh' : roll < 0.96 ? 'en' : 'sv';
  const tags = pickTags(random);
  const types = pickTypes(random);
  const [cityEn, cityZh] = random.pick(CITIES);
  const concept = conceptSource(random, tags, language);
  const word = wordSource(random, language);
  const slots: Slots = { name: '', place: language === 'zh' ? cityZh : cityEn, concept, word, cooperation: COOPERATION[random.pick(types)][language], random };
  const title = capitalise(random.pick(NEED_TITLES[language])(concept(), word()));
  // The sample's Chinese descriptions average ~260 characters, the English ~70 words.
  const description = sentences(NEED_SENTENCES[language], slots, language === 'zh' ? 55 + random.int(30) : 55 + random.int(30), language);
  const organization =
    language === 'zh'
      ? `${cityZh}${wordSource(random, 'zh')()}${random.pick(ORG_SUFFIX_ZH)}`
      : `${cityEn} ${capitalise(wordSource(random, 'en')())} ${random.pick(ORG_SUFFIX_EN)}`;
  return {
    id: `n-${String(index + 1).padStart(4, '0')}`,
    title,
    organization,
    city: cityEn,
    description,
    // The sample: 14 of 24 tagged, 8 missing, 2 empty.
    ...sectorsField(random, tags, 0.6, 0.3),
    partnershipTypes: types,
    status: 'open',
    deadline: `${2026 + random.int(2)}-${String(1 + random.int(12)).padStart(2, '0')}-28`,
  };
}

export function generateCompanies(count: number, seed = DEFAULT_SEED, offset = 0): Company[] {
  return Array.from({ length: count }, (_, i) => generateCompany(offset + i, seed));
}

export function generateNeeds(count: number, seed = DEFAULT_SEED): PartnerNeed[] {
  return Array.from({ length: count }, (_, i) => generateNeed(i, seed));
}
