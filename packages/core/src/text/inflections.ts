/**
 * Irregular inflections that the Porter stemmers cannot reach. The stemmers strip
 * suffixes: `gick` (went) never meets `gå` (go), `böcker` never meets `bok`, `bought`
 * never meets `buy`. Everyday sentences are full of such forms (a past-tense
 * story, a plural), and the lexicon's entries are base forms: without these, `tog` (took)
 * met `toga`, `skrev` (wrote) `crevice`, `bönder` (farmers) `prayer` and `möss` (mice) `cap`.
 *
 * Written for partnermatch from the standard paradigms of Swedish strong and irregular
 * verbs and umlaut plurals, and of English irregular verbs and plurals (and the regular
 * comparison of common English adjectives, which Porter keeps apart too). A form that is as
 * common as another word is left out, so no ordinary word is turned into another: Swedish
 * `låg` (low), `såg` (saw), `drog` (drug), `bar`, `band`, `bad`, `steg` (step), `får`
 * (sheep), `satt` (sat and set), `kör` (choir), `händer` (also "happens"); English `left`,
 * `saw`, `felt`, `led` (LED), `lay`, `fell`, `rose`, `bound`, `ground`, `wound`, `spoke`,
 * `leaves`, `lives`, and forms whose stem is another word's (`found`, as `founded` stems;
 * `lit`, as `lita` does; `ate`, as `at`). So is a Swedish verb whose base form stems as
 * another word the lexicon holds (`heta` as `het`, hot; `låta` as `låt`, tune; `vika` as
 * `vik`, bay): its forms would reach that word. Both languages' entries are lower-case and
 * NFKC-normalised, as the analyzer's words are.
 */

/** Swedish strong and irregular verbs, form → infinitive; the infinitive's stem is then the word's. */
const SWEDISH_VERBS: Readonly<Record<string, string>> = {
  // infinitive: forms (past, supine, present where the stemmer leaves it apart)
  gå: 'gick gått går',
  komma: 'kom kommit',
  se: 'sett ser',
  ta: 'tog tagit tar',
  ge: 'gav gett givit ger',
  göra: 'gjorde gjort',
  äta: 'åt ätit äter',
  dricka: 'drack druckit',
  sova: 'sovit sover',
  skriva: 'skrev skrivit',
  bryta: 'bröt brutit',
  falla: 'föll fallit',
  stjäla: 'stal stulit stjäl',
  sälja: 'sålde sålt säljer',
  flyga: 'flög flugit',
  hålla: 'höll hållit',
  springa: 'sprang sprungit',
  vinna: 'vann vunnit',
  sitta: 'suttit sitter',
  stå: 'stod stått står',
  välja: 'valde valt väljer',
  lägga: 'lade lagt lägger',
  sätta: 'satte sätter',
  gråta: 'grät gråtit',
  frysa: 'frös frusit',
  sjunga: 'sjöng sjungit',
  dra: 'dragit drar',
  slå: 'slog slagit slår',
  veta: 'visste vetat',
  säga: 'sade sagt säger',
  driva: 'drev drivit',
  ligga: 'legat ligger',
  dö: 'dog dött dör',
  finna: 'fann funnit',
  glömma: 'glömde glömt glömmer',
  skjuta: 'sköt skjutit',
  bjuda: 'bjöd bjudit',
  bära: 'burit',
  binda: 'bundit',
  // Past forms the stemmer cut to another word: `lät` was a sound (now, at least, a tune), `rev`
  // a reef, `mätte` full, `höjde` a height, `nådde` grace, `sydde` south.
  låta: 'lät låtit låter',
  riva: 'rev rivit river',
  växa: 'växte vuxit växer',
  mäta: 'mätte mäter mättes',
  höja: 'höjde höjt höjer',
  nå: 'nådde nått når',
  sy: 'sydde sytt syr sydd sydda syddes',
  anta: 'antog antogs antagit antagen antagna antar antas',
  godkänna: 'godkände godkänt godkänd godkända godkänner godkänns',
  avslå: 'avslog avslogs avslagit avslår avslagen avslagna',
  ansluta: 'anslöt anslöts anslutit ansluter',
  byta: 'bytte bytt bytts byttes byter byts',
  koka: 'kokt kokta',
  släppa: 'släppte släppt släppts släpptes släpper',
  stödja: 'stödde stöder',
  leda: 'ledde lett',
  bestämma: 'bestämde bestämt bestämmer',
  hjälpa: 'hjälpte hjälpt',
  köpa: 'köpte köpt köper',
  läsa: 'läste läst läser',
  bo: 'bodde bott bor',
  tro: 'trodde trott tror',
  vilja: 'vill ville velat',
  lära: 'lärde lärt lär',
  höra: 'hörde hört hör',
  köra: 'körde kört',
  tänka: 'tänkte tänkt',
  förstå: 'förstod förstått förstår',
  försvinna: 'försvann försvunnit',
  bygga: 'byggde byggt',
  följa: 'följde följt',
  känna: 'kände känt känner',
  bränna: 'brände bränt bränner',
  hänga: 'hängde hängt',
  tända: 'tände tänt',
  // A past in -te the stemmer leaves with its t, which another word's key then held:
  // `mötte` read as mö (maiden), `lekte` as lektor, `fick` as ficka (pocket).
  få: 'fick fått',
  söka: 'sökte sökt',
  åka: 'åkte åkt',
  leka: 'lekte lekt',
  möta: 'mötte mött',
  sända: 'sände sänt',
  vända: 'vände vänt',
  använda: 'använde använt',
  bita: 'bitit',
  rida: 'ridit',
  ljuga: 'ljög ljugit',
  flyta: 'flöt flutit',
  njuta: 'njöt njutit',
  skina: 'sken skinit',
  slita: 'slet slitit',
  spricka: 'sprack spruckit',
  sticka: 'stack stuckit',
  hinna: 'hann hunnit',
  brinna: 'brann brunnit',
  rinna: 'rann runnit',
  sjunka: 'sjönk sjunkit',
  svära: 'svor svurit',
  hugga: 'högg huggit',
  tiga: 'teg tigit',
  kliva: 'klev klivit',
};

/** Swedish nouns with an umlaut or other irregular plural, singular → plural forms (indefinite and definite). */
const SWEDISH_NOUNS: Readonly<Record<string, string>> = {
  bok: 'böcker böckerna',
  hand: 'händerna',
  fot: 'fötter fötterna',
  man: 'män männen',
  tand: 'tänderna',
  stad: 'städer städerna',
  land: 'länder länderna',
  textil: 'textilier textilierna',
  laboratorium: 'laboratorier laboratorierna',
  kriterium: 'kriterier kriterierna',
  akvarium: 'akvarier akvarierna',
  gymnasium: 'gymnasier gymnasierna',
  bonde: 'bönder bönderna',
  son: 'söner sönerna',
  dotter: 'döttrar döttrarna',
  bror: 'bröder bröderna',
  mor: 'mödrar mödrarna',
  far: 'fäder fäderna',
  mus: 'möss mössen',
  gås: 'gäss gässen',
  natt: 'nätter nätterna',
  rot: 'rötter rötterna',
  strand: 'stränder stränderna',
  ko: 'kor korna',
  get: 'getter getterna',
  nöt: 'nötter nötterna',
  brand: 'bränder bränderna',
  tång: 'tänger',
};

/**
 * Swedish adjectives whose forms the stemmer cannot reach: a stem vowel that drops
 * (`gammal`, `gamla`) and suppletive or umlaut comparison (`liten`, `små`; `stor`, `större`).
 */
const SWEDISH_ADJECTIVES: Readonly<Record<string, string>> = {
  gammal: 'gamla gammalt äldre äldst äldsta',
  liten: 'lilla litet små smått mindre minst minsta',
  god: 'goda gott bättre bäst bästa',
  dålig: 'dåliga dåligt sämre sämst sämsta värre värst värsta',
  stor: 'stora stort större störst största',
  ung: 'unga ungt yngre yngst yngsta',
  lång: 'långa långt längre längst längsta',
  hög: 'höga högt högre högst högsta',
  // Not `låga` and `lågt`, which the stemmer already brings to `låg`: `lägre` stemmed as `läger` (a camp).
  låg: 'lägre lägst lägsta',
  tung: 'tunga tungt tyngre tyngst tyngsta',
  trång: 'trånga trångt trängre trängst',
  // `nytt` (new) stemmed as `nytta` (use, benefit), `öppet` (open) met nothing (`öppna` is the verb's too).
  ny: 'nytt nya nyare nyast nyaste',
  öppen: 'öppet',
  // `närmast` (nearest) stemmed as `närm`, which the dictionaries give as next of kin.
  nära: 'närmare närmast närmaste',
};

/** English irregular verbs, base → forms (past, past participle). */
const ENGLISH_VERBS: Readonly<Record<string, string>> = {
  // Regular, but Porter cuts `dyed` to `dy` and `tied` to `ti` and leaves `dye` and `tie` whole.
  dye: 'dyed',
  tie: 'tied',
  eat: 'eaten',
  sleep: 'slept',
  buy: 'bought',
  sell: 'sold',
  break: 'broke broken',
  go: 'went gone',
  teach: 'taught',
  catch: 'caught',
  think: 'thought',
  bring: 'brought',
  fight: 'fought',
  seek: 'sought',
  tell: 'told',
  drink: 'drank drunk',
  swim: 'swam swum',
  sing: 'sang sung',
  run: 'ran',
  win: 'won',
  begin: 'began begun',
  write: 'wrote written',
  ride: 'rode ridden',
  drive: 'drove driven',
  choose: 'chose chosen',
  freeze: 'froze frozen',
  steal: 'stole stolen',
  speak: 'spoken',
  wake: 'woke woken',
  forget: 'forgot forgotten',
  get: 'got gotten',
  give: 'gave given',
  take: 'took taken',
  shake: 'shook shaken',
  know: 'knew known',
  grow: 'grew grown',
  throw: 'threw thrown',
  fly: 'flew flown',
  draw: 'drew drawn',
  wear: 'wore worn',
  tear: 'tore torn',
  hide: 'hid hidden',
  bite: 'bitten',
  hold: 'held',
  keep: 'kept',
  sweep: 'swept',
  weep: 'wept',
  mean: 'meant',
  send: 'sent',
  spend: 'spent',
  build: 'built',
  lend: 'lent',
  bend: 'bent',
  lose: 'lost',
  pay: 'paid',
  lay: 'laid',
  sit: 'sat',
  stand: 'stood',
  understand: 'understood',
  meet: 'met',
  feed: 'fed',
  flee: 'fled',
  hear: 'heard',
  make: 'made',
  dig: 'dug',
  hang: 'hung',
  stick: 'stuck',
  strike: 'struck',
  swing: 'swung',
  spin: 'spun',
  shoot: 'shot',
  slide: 'slid',
  sink: 'sank sunk',
  blow: 'blew blown',
  do: 'did done',
  say: 'said',
  see: 'seen',
  come: 'came',
  become: 'became',
  deal: 'dealt',
  dream: 'dreamt',
  learn: 'learnt',
  burn: 'burnt',
  spill: 'spilt',
  kneel: 'knelt',
  creep: 'crept',
  speed: 'sped',
  breed: 'bred',
  bleed: 'bled',
  cling: 'clung',
  sting: 'stung',
  forbid: 'forbade forbidden',
  forgive: 'forgave forgiven',
  mistake: 'mistook mistaken',
  undertake: 'undertook undertaken',
  withdraw: 'withdrew withdrawn',
  arise: 'arose arisen',
  weave: 'wove woven',
  shine: 'shone',
  swear: 'swore sworn',
  uphold: 'upheld',
  withhold: 'withheld',
};

/** English irregular plurals, singular → plural. */
const ENGLISH_NOUNS: Readonly<Record<string, string>> = {
  child: 'children',
  man: 'men',
  woman: 'women',
  foot: 'feet',
  tooth: 'teeth',
  mouse: 'mice',
  goose: 'geese',
  wolf: 'wolves',
  knife: 'knives',
  wife: 'wives',
  half: 'halves',
  shelf: 'shelves',
  loaf: 'loaves',
  thief: 'thieves',
  calf: 'calves',
  scarf: 'scarves',
  hoof: 'hooves',
  wharf: 'wharves',
  sheaf: 'sheaves',
  ox: 'oxen',
};

/**
 * English adjectives whose comparison a translation should reach (`slow` → `slower`,
 * `slowest`): Porter keeps `-er` and `-est`, so `说慢一点` and `prata långsammare` (slow,
 * as the lexicon translates both) never met `speak slower`, nor `便宜` (cheap) `cheaper`.
 * The common adjectives of everyday speech, one or two syllables, whose compared forms are
 * no other word of their own: `clean`, `light`, `cool`, `fit`, `full`, `strange` and `numb`
 * make `cleaner`, `lighter`, `cooler`, `fitter`, `fuller`, `stranger` and `number`, and are
 * left out.
 */
const ENGLISH_COMPARED_ADJECTIVES: readonly string[] = [
  'big', 'small', 'large', 'tall', 'short', 'long', 'high', 'low', 'old', 'young', 'new', 'fast',
  'quick', 'slow', 'early', 'late', 'hot', 'cold', 'warm', 'wet', 'dry', 'cheap', 'near', 'easy',
  'hard', 'heavy', 'strong', 'weak', 'rich', 'poor', 'happy', 'sad', 'busy', 'nice', 'fine',
  'safe', 'close', 'deep', 'wide', 'narrow', 'thin', 'thick', 'fat', 'soft', 'loud', 'quiet',
  'dirty', 'pretty', 'ugly', 'lucky', 'funny', 'healthy', 'hungry', 'angry', 'bright', 'dark',
  'sweet', 'fresh', 'great', 'simple', 'clever', 'calm', 'brave', 'kind', 'proud', 'rare', 'sharp',
  'smooth', 'tight', 'tiny', 'wise', 'noisy', 'sunny', 'windy', 'cloudy', 'rainy', 'salty',
  'spicy', 'tasty', 'lazy', 'crazy', 'friendly', 'lovely', 'silly', 'gentle', 'pure', 'rough',
  'steep', 'flat', 'brief', 'plain', 'dense', 'mild', 'neat', 'shallow', 'tough', 'clear', 'loose',
  'cute', 'fair', 'firm', 'smart', 'wild', 'bold', 'dull', 'sick', 'tidy', 'scary', 'cosy', 'cozy',
  'dusty', 'muddy', 'icy', 'snowy', 'foggy',
];

/** Irregular comparison, base → forms. */
const ENGLISH_IRREGULAR_COMPARISON: Readonly<Record<string, string>> = {
  good: 'better best',
  bad: 'worse worst',
  far: 'farther farthest further furthest',
};

/** `-er` and `-est` of a one- or two-syllable adjective, spelled as English spells them. */
function comparisonOf(adjective: string): string {
  if (/[^aeiou]y$/.test(adjective)) return `${adjective.slice(0, -1)}ier ${adjective.slice(0, -1)}iest`;
  if (adjective.endsWith('e')) return `${adjective}r ${adjective}st`;
  // One vowel before one final consonant doubles it (`big`, `hot`, `thin`; not `cheap`, `slow`, `new`).
  const stem = /^[^aeiou]*[aeiou][bdgmnpt]$/.test(adjective) ? adjective + adjective.at(-1)! : adjective;
  return `${stem}er ${stem}est`;
}

const ENGLISH_ADJECTIVES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(ENGLISH_COMPARED_ADJECTIVES.map((adjective) => [adjective, comparisonOf(adjective)])),
  ...ENGLISH_IRREGULAR_COMPARISON,
};

function formsToBase(...tables: Readonly<Record<string, string>>[]): ReadonlyMap<string, string> {
  const bases = new Map<string, string>();
  for (const table of tables) {
    for (const [base, forms] of Object.entries(table)) {
      for (const form of forms.split(' ')) if (form !== '' && form !== base) bases.set(form, base);
    }
  }
  return bases;
}

/** Swedish irregular forms → base form (infinitive, singular or positive): the stemmer stems them as that. */
export const SWEDISH_BASE_FORMS: ReadonlyMap<string, string> = formsToBase(SWEDISH_VERBS, SWEDISH_NOUNS, SWEDISH_ADJECTIVES);

/**
 * The umlaut plurals of six letters or more (`städer`, `bränder`) → singular: the tails by
 * which a compound's plural reaches its singular (`bostäder` → `bostad`, `skogsbränder` →
 * `skogsbrand`). Verb and adjective forms are no such tails: inside longer words they are
 * mostly chance (`kvalitet` ends in `litet`, `höstack` in `stack`, `förstora` in `stora`).
 */
export const SWEDISH_PLURAL_TAILS: ReadonlyMap<string, string> = new Map([...formsToBase(SWEDISH_NOUNS)].filter(([form]) => form.length >= 6));

/**
 * English forms by base form that Porter does not reduce to it: irregular verbs and plurals
 * (`child` → `children`) and adjectives' comparison (`slow` → `slower`, `slowest`). English
 * text keeps its forms apart, as written: conflating them in English retrieval moved SciFact
 * (one query of 300, on `one-child` against `children`). They serve the lexicon, whose
 * translations are base forms: a translation reaches the forms too (`孩子` and `barn` meet
 * `children`).
 */
export const ENGLISH_UNSTEMMED_FORMS: ReadonlyMap<string, readonly string[]> = new Map(
  [...Object.entries(ENGLISH_VERBS), ...Object.entries(ENGLISH_NOUNS), ...Object.entries(ENGLISH_ADJECTIVES)].map(([base, forms]) => [base, forms.split(' ')]),
);

/**
 * Swedish nouns whose singular ends in `-or` (`motor`, `dator`, `sensor`, `kontor`). The
 * stemmer takes that `-or` for the plural of an `-a` noun (`flickor`, `gator`) and strips
 * it from the singular only: `motor` stemmed as `mot` (against), `motorer` as `motor`,
 * `motorn` stayed whole, so the three forms of one word never met, and the singular met
 * another word (`dator` data, `sektor` sekt, `rotor` rot, `junior` juni, `major` maj).
 * Longer compounds end in one of them (`elmotor`, `persondator`) and share its forms.
 */
export const SWEDISH_OR_NOUNS: readonly string[] = [
  'accelerator', 'ackumulator', 'administrator', 'aggressor', 'agitator', 'aktuator', 'alligator', 'arrendator', 'assessor',
  'censor', 'dator', 'debitor', 'detektor', 'diktator', 'doktor', 'donator', 'ekvator', 'elektor', 'emulgator', 'examinator',
  'faktor', 'fosfor', 'generator', 'gladiator', 'humor', 'indikator', 'informator', 'inhalator', 'inkvisitor', 'innovator',
  'inspektor', 'investor', 'isolator', 'junior', 'kalkylator', 'karburator', 'katalysator', 'kiropraktor', 'kollektor',
  'kommentator', 'kompressor', 'kondensator', 'konditor', 'konduktor', 'konnektor', 'kontor', 'koordinator', 'kopiator',
  'korridor', 'kreditor', 'kultivator', 'kurator', 'lektor', 'major', 'marmor', 'mentor', 'metafor', 'meteor', 'moderator',
  'modulator', 'monitor', 'motor', 'multiplikator', 'navigator', 'observator', 'operator', 'oscillator', 'pastor', 'processor',
  'professor', 'projektor', 'radiator', 'reaktor', 'receptor', 'reflektor', 'reformator', 'registrator', 'regulator', 'rektor',
  'resistor', 'respirator', 'revisor', 'rotor', 'rullator', 'sektor', 'senator', 'senior', 'sensor', 'separator', 'simulator',
  'sponsor', 'stabilisator', 'stator', 'tabulator', 'tenor', 'tensor', 'terminator', 'terror', 'traktor', 'transformator',
  'transistor', 'tutor', 'tyristor', 'uppror', 'vektor', 'ventilator', 'vibrator', 'villkor',
];

/** The inflections of an `-or` noun: common gender (`motorn`, `motorer`), neuter (`kontoret`, `kontoren`), genitives. */
const OR_NOUN_ENDINGS = ['', 's', 'n', 'ns', 'er', 'ers', 'erna', 'ernas', 'et', 'ets', 'en', 'ens'];

/** Each written form of an `SWEDISH_OR_NOUNS` noun → the noun (the stem all its forms share). */
export const SWEDISH_OR_NOUN_FORMS: ReadonlyMap<string, string> = new Map(SWEDISH_OR_NOUNS.flatMap((noun) => OR_NOUN_ENDINGS.map((ending) => [noun + ending, noun] as const)));

/**
 * Swedish nouns the stemmer leaves apart from their forms as the last part of a compound.
 * Its suffix region starts after the compound's first syllable, so a short last part loses
 * letters it keeps alone: `biogas` stemmed as `biog` but `biogasen` as `biogas`, `skolmat` as
 * `skolm`, `rotorblad` as `rotorbl`, `utlandet` as `utl`, `dricksvatten` as `dricksvatt`
 * and `vattnet` as `vattn`; `kurs` even alone (`kur`, cure, beside `kurser`, `kurs`). Each
 * form, alone or closing a compound, stems as the noun (`-gas` not after g, a, ä or å:
 * `byggas`, `sägas` are passive verbs; no genitive `glass`, which is ice cream). Chosen
 * among the lexicon's short nouns whose compounds stem apart, leaving out those that end
 * other words too (`sten`: `specialisten`; `stad`: `utrustad`; `rad`: `installerad`).
 */
const SWEDISH_TAIL_NOUNS: Readonly<Record<string, string>> = {
  gas: 'en ens er erna ers s',
  bas: 'en ens er erna ers',
  glas: 'et ets en ens',
  mat: 'en ens',
  blad: 'et ets en ens s',
  plast: 'en ens er erna s',
  frakt: 'en ens er erna s',
  kött: 'et ets s',
  frukt: 'en ens er erna s',
  fett: 'et ets er erna s',
  skatt: 'en ens er erna s',
  paket: 'et ets en ens s',
  grad: 'en ens er erna s',
  krets: 'en ens ar arna',
  kurs: 'en ens er erna',
  stat: 'en ens er erna s',
  verkstad: 'en ens s',
  bostad: 'en ens s',
  land: 'et ets s',
  band: 'et ets en ens s',
  gods: 'et ets',
  stig: 'en ens ar arna ars',
};

/**
 * Forms that are no suffix of the noun as written (`vattnet` of `vatten`). Neuters in `-er`
 * lose it to the stemmer, and some then are another word: `filter` was `filt` (felt, a
 * blanket), `hinder` `hind` (a deer: `vandringshinder`, a barrier to migrating fish, read as
 * wandering deer), `papper` `papp` (of `pappa`, father), `kvarter` `kvart` (a quarter of an
 * hour); `fönster`, `socker` and `foder` kept apart from their definite forms (`fönst`,
 * `fönstr`). Each keeps its stem in every form, alone or closing a compound.
 */
const SWEDISH_TAIL_NOUN_OTHER_FORMS: Readonly<Record<string, string>> = {
  vatten: 'vattens vattnet vattnets vattnen vattnens',
  filter: 'filters filtret filtrets filtren filtrens',
  hinder: 'hinders hindret hindrets hindren hindrens',
  papper: 'pappers pappret papprets pappren papprens',
  kvarter: 'kvarters kvarteret kvarterets kvarteren kvarterens',
  fönster: 'fönsters fönstret fönstrets fönstren fönstrens',
  socker: 'sockers sockret sockrets',
  foder: 'foders fodret fodrets fodren fodrens',
  // Cut to another word's stem: `lager` (a warehouse, stock) was `lag` (law, team), `order`
  // `ord` (a word), `liter` `lit` (of `liten`, small); `mönster`, `nummer` kept together.
  lager: 'lagers lagret lagrets lagren lagrens',
  order: 'orders ordern orderns orderna ordernas',
  liter: 'liters litern literns litrarna',
  mönster: 'mönsters mönstret mönstrets mönstren mönstrens',
  nummer: 'nummers numret numrets numren numrens',
  // `förare` (a driver) was `för`, the preposition's stem and many compounds' first part.
  förare: 'förares föraren förarens förarna förarnas',
  // An adjective cut to a noun's stem: `modern` was `mod` (courage, mood).
  modern: 'modernt moderna',
  // `timmer` (timber) was `timm`, of `timme` (an hour); `vete` (wheat) `vet`, of `veta` (know);
  // `målare` (a painter) `mål` (a goal).
  timmer: 'timmers timret timrets',
  vete: 'vetes vetet vetets',
  målare: 'målares målaren målarens målarna målarnas',
  // `tänder` (teeth) was `tänd`, of `tända` (to light).
  tand: 'tands tanden tandens tänder tänderna tändernas',
  // `ägare` (an owner) was `äg`, of `äga` (to own).
  ägare: 'ägares ägaren ägarens ägarna ägarnas',
  // Trade nouns cut to another word: `galler` (a grating) to `gall` (of `galla`, bile),
  // `ledare` (a conductor) to `led`, `mutter` (a nut) to `muttr` (to mutter), `kvarn` (a
  // mill) to `kvar` (left), `parkett` to `park`, `krans` (a wreath) to `kran` (a crane).
  galler: 'gallers gallret gallrets gallren gallrens',
  ledare: 'ledares ledaren ledarens ledarna ledarnas',
  mutter: 'mutterns muttern muttrar muttrarna',
  kvarn: 'kvarns kvarnen kvarnens kvarnar kvarnarna',
  parkett: 'parketts parketten parkettens',
  krans: 'kransen kransens kransar kransarna',
  // `domare` (a referee) was `dom` (a judgement), `besökare` (a visitor) `besök` (a visit).
  domare: 'domares domaren domarens domarna domarnas',
  besökare: 'besökares besökaren besökarens besökarna besökarnas',
  // `köpare` (a buyer) was `köp` (a purchase), `talare` (a speaker) `tal` (speech).
  köpare: 'köpares köparen köparens köparna köparnas',
  talare: 'talares talaren talarens talarna talarnas',
  // `börs` (a stock exchange) was `bör` (ought), `gravad` (cured) `grav` (a grave).
  börs: 'börsen börsens börser börserna',
  gravad: 'gravade gravat',
  // `sömnad` (sewing) was `sömn` (sleep).
  sömnad: 'sömnads sömnaden sömnadens',
  // `kassa` (a till, a fund) and `kasse` (a bag, a net cage: `kassar`) shared `kass`.
  kassa: 'kassas kassan kassans kassor kassorna kassornas',
  // `vite` (a penalty) was `vit` (white); `skadegörelse` (vandalism) `skadegör`, of
  // `skadegörare` (a pest); `havare` (a holder: `innehavare`, `bostadsrättshavare`) `hav`, the sea.
  vite: 'vites vitet vitets viten vitena',
  skadegörelse: 'skadegörelsen skadegörelsens',
  havare: 'havares havaren havarens havarna havarnas',
  // `ledamöter` (members) kept its umlaut apart from `ledamot`.
  ledamot: 'ledamots ledamoten ledamotens ledamöter ledamöterna ledamöternas',
  // `sändare` (a transmitter) was `sänd`, of `sända` (to send); `brytare` (a switch) `bryt`, of `bryta`.
  sändare: 'sändares sändaren sändarens sändarna sändarnas',
  brytare: 'brytares brytaren brytarens brytarna brytarnas',
  // `bakelse` (a pastry) was `bak`, of `baka` (to bake).
  bakelse: 'bakelsen bakelsens bakelser bakelserna bakelsernas',
  // A compound's `-spel` (a game: `mobilspel`, `kortspel`) lost its `e` as a syncope (`mobilspl`)
  // and met no part; `loggan` (the logo) stemmed apart from `logga`.
  spel: 'spels spelet spelets spelen spelens',
  logga: 'loggan loggans loggor loggorna',
  // `makare` (a maker: `skomakare`, `möbelmakare`, `kakelugnsmakare`) was `mak`, of `maka` (a spouse).
  makare: 'makares makaren makarens makarna makarnas',
  // Nouns that took a common verb's or adjective's key: `löpare` (a runner) and `löpande`
  // (ongoing) `löp`; `täcke` (a duvet) `täck`, of `täcka` (to cover); `blankett` (a form)
  // `blank`; `uppförande` (conduct) `uppför`; `matta` (a carpet) `matt` (matte).
  löpare: 'löpares löparen löparens löparna löparnas',
  löpande: 'löpandet',
  täcke: 'täckes täcket täckets täcken täckena',
  blankett: 'blanketts blanketten blankettens blanketter blanketterna',
  uppförande: 'uppförandet uppförandets',
  matta: 'mattan mattans mattor mattorna mattornas',
};

/**
 * Letters a tail noun must not follow: `byggas`, `sägas`, `frågas` are verbs; `lustig`,
 * `rostig`, `kvistig` adjectives.
 */
export const SWEDISH_TAIL_NOT_AFTER: ReadonlyMap<string, string> = new Map([
  ['gas', 'gaäå'],
  ['stig', 'aeiouyåäö'],
  // `aktivitet`, `kreativitet` end in `vitet` (`vite`'s definite form).
  ['vite', 'i'],
]);

/**
 * Endings of other words that a tail noun's form ends, after a consonant too: adjectives in
 * `-stig` (`konstig`, strange: its `konstiga` would read as art) and participles of `stiga`
 * (`uppstigen`, `ålderstigen`).
 */
export const SWEDISH_TAIL_NOT_ENDING: ReadonlyMap<string, readonly string[]> = new Map([
  ['stig', ['konstig', 'spänstig', 'törstig', 'borstig', 'dunstig', 'numstig', 'gunstig', 'uppstigen', 'nedstigen', 'avstigen', 'ålderstigen', 'påstigen', 'framstigen']],
]);

/** Each written form of a `SWEDISH_TAIL_NOUNS` noun (and of `SWEDISH_TAIL_NOUN_OTHER_FORMS`'s) → the noun. */
export const SWEDISH_TAIL_NOUN_FORMS: ReadonlyMap<string, string> = new Map([
  ...Object.entries(SWEDISH_TAIL_NOUNS).flatMap(([noun, endings]) => ['', ...endings.split(' ')].map((ending) => [noun + ending, noun] as const)),
  ...Object.entries(SWEDISH_TAIL_NOUN_OTHER_FORMS).flatMap(([noun, forms]) => [noun, ...forms.split(' ')].map((form) => [form, noun] as const)),
]);

/**
 * Short neuter nouns whose definite form the stemmer keeps whole (`taket`, `barnet`,
 * `året`, `stödet`, `röret`): too short for `stripDefiniteEt`, they never met their base
 * form. From FreeDict's Swedish neuter nouns of two to five letters whose definite form stems
 * apart; left out are those whose definite form is also another word's (`taget` taken,
 * `modet` courage and fashion) and nouns in `-er`, `-el`, `-en`, `-um`, whose definite form
 * drops or keeps letters as the word has it (`vädret`, `medlet`, `albumet`), but for a few
 * checked by hand (`spel`, `fel`, `ben`, `rum:rummet`, `skum:skummet`). The definite form is
 * the noun with `-et` (`-t` after an unstressed `-a` or `-e`: `ämnet`, `ögat`), or as
 * written after a colon (`rummet`).
 */
const SWEDISH_SHORT_NEUTERS =
    'agg alias anus arv bad band barn beck ben berg bett bi blad blod bly bo bord brev bruk brus bryne ' +
    'bräde bråk bröd bud bygge bälte bär chips citat dike djup djur don dop dopp drev dråp dygn däck edikt ego ' +
    'ekfat eko epos etui fack fall fat fel fett fik fiske flak flor flyg flöde flöte fort foto frö fusk fynd fält ' +
    'fäste får föl följe gagn gap garde garn geni gift gille gips glas gods golv gram:grammet grus gryn gryt gräl ' +
    'guld gupp gym:gymmet gäng gärde hat hav hem:hemmet hjul hopp horn hot hyss häfte häkte hål håll hår hö hölje ' +
    'höns hörn jeans jobb jäkt järn kaffe kalas kaos kar karat kex kilo kiv kli kliv klot knyte knä kol korn kors ' +
    'kort krav krig krus krut krås krön kväve kärl kärr kök kön köp kött lamm:lammet land larm:larmet lass lik ' +
    'lim:limmet lin linne liv ljud ljus lod loft lok lopp lugn lynne lyte läge län lån lås löfte löv minne mjöd ' +
    'mjöl moln moras mord mygg mynt märke mål måste mått möte namn nav neon nyår näs näste nät nöje odon opus ord ' +
    'pack par patos prat prov psyke pund pynt rede regn relä rep rike rim:rimmet ris rop rov rum:rummet ryck rykte räcke råd ' +
    'rån rör rött salt sikte silke sim:simmet sinne skal skede skri skrå skum:skummet skäl skär skåp sköte slem:slemmet slut ' +
    'släp smide sms smör snor snus snår snöre solo spad spam:spammet spel spån spår spö spöke stag steg stim:stimmet ' +
    'sto stop strå stup styre stål stöd sund svar svek svin syfte syre säte såll sår tak tal te team:teamet tefat ' +
    'tenn ting tips torg torp trams trä träd tråg tycke tyg täcke tält törne uran valv varv vax veck verk vete ' +
    'veto vett vilt vin virke vrak vred värde värn väte våld ylle yrke zoo ägg ämne äpple ärr år åtal öde ' +
    'ödem:ödemet öga ölfat öra öre';

const VOWEL_GROUPS = /[aeiouyåäö]+/g;

/** The definite forms of `SWEDISH_SHORT_NEUTERS` and their genitives → the noun. */
export const SWEDISH_NEUTER_DEFINITES: ReadonlyMap<string, string> = new Map(
  SWEDISH_SHORT_NEUTERS.split(' ').flatMap((entry) => {
    const [noun, written] = entry.split(':') as [string, string | undefined];
    const unstressed = /[ae]$/.test(noun) && (noun.match(VOWEL_GROUPS)?.length ?? 0) > 1;
    const definite = written ?? (unstressed ? `${noun}t` : `${noun}et`);
    return [[definite, noun] as const, [`${definite}s`, noun] as const];
  }),
);
