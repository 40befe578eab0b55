import { WordEndings } from './endings.js';

/**
 * British English spellings as American ones, so the two meet before stemming. CC-CEDICT
 * glosses in American (`neighbor`, `center`, `fiber`, `organization`), Swedish and Chinese
 * partners often write British (`neighbour`, `centre`, `fibre`, `organisation`), and Porter
 * keeps them apart (`neighbour` / `neighbor`, `centr` / `center`, `organis` / `organ`).
 *
 * Written for partnermatch from the regular correspondences (-our/-or, -re/-er, -ise/-ize,
 * -yse/-yze, a doubled l before a suffix, ae/oe in medical words) applied to listed word
 * stems only: the patterns alone would also change words that have no second spelling
 * (`four`, `hour`, `acre`, `genre`, `promise`, `exercise`, `compelled`).
 */

/** Words spelt differently as a whole (forms included). */
const WHOLE_WORDS: Readonly<Record<string, string>> = {
  programme: 'program',
  programmes: 'programs',
  catalogue: 'catalog',
  catalogues: 'catalogs',
  dialogue: 'dialog',
  dialogues: 'dialogs',
  analogue: 'analog',
  defence: 'defense',
  defences: 'defenses',
  offence: 'offense',
  offences: 'offenses',
  licence: 'license',
  licences: 'licenses',
  jewellery: 'jewelry',
  tyre: 'tire',
  tyres: 'tires',
  grey: 'gray',
  plough: 'plow',
  ploughs: 'plows',
  ploughing: 'plowing',
  cheque: 'check',
  cheques: 'checks',
  mould: 'mold',
  moulds: 'molds',
  mouldy: 'moldy',
  storey: 'story',
  storeys: 'stories',
  manoeuvre: 'maneuver',
  manoeuvres: 'maneuvers',
  aluminium: 'aluminum',
  sulphur: 'sulfur',
  sulphate: 'sulfate',
  sulphates: 'sulfates',
  ageing: 'aging',
  judgement: 'judgment',
  judgements: 'judgments',
  fulfil: 'fulfill',
  fulfils: 'fulfills',
  fulfilment: 'fulfillment',
  enrol: 'enroll',
  enrols: 'enrolls',
  enrolment: 'enrollment',
  skilful: 'skillful',
  woollen: 'woolen',
  kerb: 'curb',
  draught: 'draft',
  pyjamas: 'pajamas',
  moustache: 'mustache',
  practise: 'practice',
  practised: 'practiced',
  practising: 'practicing',
};

/** Stems ending in -our whose American form ends in -or (`colour`, `coloured`, `colourful`). */
const OUR_STEMS = [
  'colour', 'neighbour', 'favour', 'behaviour', 'harbour', 'labour', 'flavour', 'honour', 'humour',
  'rumour', 'odour', 'vapour', 'savour', 'endeavour', 'armour', 'parlour', 'valour', 'clamour', 'vigour',
  'rigour', 'tumour', 'saviour', 'splendour', 'candour', 'ardour', 'fervour', 'arbour',
];

/** Stems ending in -re whose American form ends in -er, alone or last in a compound (`kilometre`). */
const RE_STEMS = [
  'centre', 'theatre', 'metre', 'litre', 'fibre', 'calibre', 'sombre', 'spectre', 'lustre', 'meagre',
  'mitre', 'sabre', 'sceptre', 'ochre',
];

/** Verb stems in -is(e) spelt -iz(e) in American (`organise`, `organisation`, `organiser`). */
const ISE_STEMS = [
  'organis', 'recognis', 'realis', 'apologis', 'specialis', 'optimis', 'minimis', 'maximis',
  'criticis', 'emphasis', 'summaris', 'prioritis', 'modernis', 'mobilis', 'stabilis', 'utilis',
  'standardis', 'customis', 'authoris', 'finalis', 'centralis', 'localis', 'digitalis', 'digitis',
  'characteris', 'categoris', 'harmonis', 'normalis', 'visualis', 'memoris', 'sympathis', 'fertilis',
  'sterilis', 'pasteuris', 'vaporis', 'neutralis', 'commercialis', 'industrialis', 'urbanis',
  'globalis', 'privatis', 'legalis', 'civilis', 'colonis', 'economis', 'hospitalis', 'immunis',
  'monopolis', 'penalis', 'publicis', 'revolutionis', 'scrutinis', 'synchronis', 'capitalis',
  'containeris', 'oxidis', 'energis', 'incentivis', 'decarbonis', 'galvanis', 'carbonis',
  'crystallis', 'ionis', 'polymeris', 'hybridis', 'miniaturis', 'computeris', 'mechanis', 'motoris',
  'moisturis', 'sanitis', 'sensitis', 'subsidis', 'systematis', 'theoris', 'randomis', 'initialis',
  'personalis', 'rationalis', 'symbolis', 'familiaris', 'generalis', 'internationalis', 'materialis',
  'mesmeris', 'metabolis', 'mineralis', 'naturalis', 'proselytis', 'tokenis', 'vectoris',
  'weatheris', 'winteris',
];
const ISE_ENDINGS = ['e', 'ed', 'es', 'ing', 'ation', 'ations', 'er', 'ers', 'able'];

/** Stems in -ys(e) spelt -yz(e) in American (`analyse`, `analysed`, `analyser`). */
const YSE_STEMS = ['analys', 'paralys', 'catalys', 'dialys', 'hydrolys', 'electrolys'];
const YSE_ENDINGS = ['e', 'ed', 'ing', 'er', 'ers'];

/** Words whose l is doubled before -ed, -ing, -er in British only (`travelled`, `modelling`). */
const DOUBLED_L = [
  'travel', 'cancel', 'model', 'label', 'fuel', 'signal', 'level', 'counsel', 'marvel', 'jewel', 'dial',
  'total', 'quarrel', 'channel', 'funnel', 'tunnel', 'panel', 'shovel', 'snorkel', 'pedal', 'rival',
  'barrel', 'bevel', 'chisel', 'duel', 'enamel', 'gravel', 'kennel', 'libel', 'marshal', 'parcel', 'revel',
  'spiral', 'swivel', 'towel', 'trowel', 'unravel', 'equal', 'initial', 'pencil', 'refuel', 'remodel',
];
const DOUBLED_L_ENDINGS = ['led', 'ling', 'ler', 'lers', 'lor', 'lors'];

/** Medical words in ae/oe, American e (`haemoglobin`, `oesophagus`, `paediatric`). */
const MEDICAL_PREFIXES: readonly (readonly [string, string])[] = [
  ['haem', 'hem'], ['paed', 'ped'], ['anaem', 'anem'], ['anaesth', 'anesth'], ['leukaem', 'leukem'],
  ['orthopaed', 'orthoped'], ['gynaec', 'gynec'], ['oesoph', 'esoph'], ['oedem', 'edem'], ['oestr', 'estr'],
  ['foet', 'fet'], ['diarrhoe', 'diarrhe'], ['haemorrh', 'hemorrh'], ['ischaem', 'ischem'],
  ['septicaem', 'septicem'], ['coeliac', 'celiac'],
];

interface SuffixRule {
  readonly british: string;
  readonly american: string;
  /** What may follow the stem ('' for the stem alone). */
  readonly endings: readonly string[];
  /** Whether the stem may end a longer word (`kilometre`, `biofertiliser`). */
  readonly inCompounds: boolean;
}

const RULES: readonly SuffixRule[] = [
  ...OUR_STEMS.map((stem) => ({ british: stem, american: `${stem.slice(0, -3)}or`, endings: ['', 's', 'ed', 'ing', 'ite', 'ites', 'able', 'ably', 'ful', 'less', 'er', 'ers', 'ous', 'al', 'ally'], inCompounds: false })),
  ...RE_STEMS.map((stem) => ({ british: stem, american: `${stem.slice(0, -2)}er`, endings: ['', 's'], inCompounds: true })),
  ...RE_STEMS.map((stem) => ({ british: `${stem.slice(0, -1)}ed`, american: `${stem.slice(0, -2)}ered`, endings: [''], inCompounds: false })),
  ...ISE_STEMS.map((stem) => ({ british: stem, american: `${stem.slice(0, -1)}z`, endings: ISE_ENDINGS, inCompounds: true })),
  ...YSE_STEMS.map((stem) => ({ british: stem, american: `${stem.slice(0, -1)}z`, endings: YSE_ENDINGS, inCompounds: true })),
  ...DOUBLED_L.map((stem) => ({ british: `${stem}l`, american: stem, endings: DOUBLED_L_ENDINGS.map((ending) => ending.slice(1)), inCompounds: false })),
];

/** Rules by the word ending each can produce, for one look-up per candidate ending. */
const byWordEnd = new Map<string, { rule: SuffixRule; ending: string }[]>();
for (const rule of RULES) {
  for (const ending of rule.endings) {
    const key = rule.british + ending;
    const list = byWordEnd.get(key) ?? [];
    list.push({ rule, ending });
    byWordEnd.set(key, list);
  }
}
const BY_WORD_END = new WordEndings(byWordEnd);

/** `word` (lower-case) in American spelling where it has a British one; else `word` itself. */
export function americanSpelling(word: string): string {
  // Own properties only: `constructor` or `toString` must not find Object's.
  if (Object.hasOwn(WHOLE_WORDS, word)) return WHOLE_WORDS[word]!;
  for (const [british, american] of MEDICAL_PREFIXES) {
    if (word.startsWith(british)) return american + word.slice(british.length);
  }
  // The whole word first, then shorter tails of a compound (only where a rule allows it).
  const american = BY_WORD_END.first(word, 0, (found, start) => {
    const match = found.find(({ rule }) => start === 0 || rule.inCompounds);
    return match === undefined ? undefined : word.slice(0, start) + match.rule.american + match.ending;
  });
  return american ?? word;
}
