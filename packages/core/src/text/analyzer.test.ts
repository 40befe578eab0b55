import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conceptTerm, createAnalyzer, detectLanguage, isConceptTerm } from './analyzer.js';
import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { taxonomy } from '../taxonomy/taxonomy.js';
import { americanSpelling } from './english-spelling.js';
import { stem } from './stemming.js';
import { normalizeText, segmentWords } from './tokens.js';

const analyzer = createAnalyzer();

function sharedConcepts(a: string, b: string): string[] {
  const left = analyzer.analyze(a).terms;
  const right = analyzer.analyze(b).terms;
  return [...left.keys()].filter((t) => t.startsWith('§') && right.has(t));
}

describe('detectLanguage', () => {
  it('tells Chinese by script and Swedish from English by function words', () => {
    expect(detectLanguage('我公司负责昆明主城区的供水')).toBe('zh');
    expect(detectLanguage('Vi bygger avloppsreningsverk och levererar slamhantering till kommuner')).toBe('sv');
    expect(detectLanguage('We design and build wastewater treatment plants for the municipal market')).toBe('en');
    expect(detectLanguage('Projektering av solcellsparker')).toBe('sv');
  });

  it('reads `in`, `is`, `by` and `be` as no sign of English: they are Swedish words too', () => {
    // Were they English function words, each of these Swedish sentences would be read as English.
    for (const text of ['Min mormor bor i en liten by.', 'Bilen kom in i garaget.']) expect(detectLanguage(text), text).toBe('sv');
    for (const text of ['Tom is tall.', 'Tom is in Paris by now.', 'Be nice.']) expect(detectLanguage(text), text).toBe('en');
  });

  it('tells a short Swedish sentence without function words or å/ä/ö by the words only the Swedish lexicon knows', () => {
    for (const text of ['Barnen spelar fotboll i parken.', 'Min morfar var fiskare.', 'Vargarna lever djupt inne i skogen.']) {
      expect(detectLanguage(text), text).toBe('sv');
      expect(analyzer.analyze(text).language, text).toBe('sv');
    }
    for (const text of ['The children are playing football in the park.', 'Solar panels', 'Karlshamn Energi', 'EN 1090 certified steel fabrication']) {
      expect(detectLanguage(text), text).toBe('en');
    }
    // Without the lexicon, a text with no signal stays English, as before the lexicon.
    expect(createAnalyzer({ lexicon: false }).analyze('Barnen spelar fotboll i parken.').language).toBe('en');
  });
});

describe('analyzer', () => {
  it('stems inflected Swedish and English forms to the same term', () => {
    const sv = analyzer.analyze('Vi levererar reningsverken och reningsverk');
    expect(sv.terms.get(stem('reningsverk', 'sv'))).toBeGreaterThanOrEqual(2);
    const en = analyzer.analyze('treatment plants and a treatment plant');
    expect(en.terms.get(stem('plant', 'en'))).toBe(2);
  });

  it('stems Swedish irregular forms as their base form, and leaves English forms as written', () => {
    expect(stem('gick', 'sv')).toBe(stem('gå', 'sv'));
    expect(stem('drack', 'sv')).toBe(stem('dricka', 'sv'));
    expect(stem('skrev', 'sv')).toBe(stem('skriva', 'sv'));
    expect(stem('sålde', 'sv')).toBe(stem('sälja', 'sv'));
    expect(stem('böckerna', 'sv')).toBe(stem('bok', 'sv'));
    expect(stem('bönder', 'sv')).toBe(stem('bonde', 'sv'));
    // A past in -te the stemmer leaves with its t: `mötte` was mö (maiden), `fick` ficka (pocket).
    expect(stem('mötte', 'sv')).toBe(stem('möta', 'sv'));
    expect(stem('fick', 'sv')).toBe(stem('få', 'sv'));
    // Past forms the stemmer cut to another word (`rev` a reef, `växte` a plant).
    for (const [form, verb] of [['lät', 'låta'], ['rev', 'riva'], ['växte', 'växa'], ['höjde', 'höja'], ['bestämde', 'bestämma']] as const) {
      expect(stem(form, 'sv'), form).toBe(stem(verb, 'sv'));
    }
    // Forms as common as another word are left alone: `låg` is also "low", `såg` a saw.
    expect(stem('låg', 'sv')).not.toBe(stem('ligga', 'sv'));
    expect(stem('såg', 'sv')).not.toBe(stem('se', 'sv'));
    // English retrieval keeps its forms apart (the lexicon bridges them, see lexicon.test.ts).
    expect(stem('children', 'en')).not.toBe(stem('child', 'en'));
  });

  it('stems British spellings as American ones, and only words that have both', () => {
    for (const [british, american] of [
      ['centre', 'center'], ['neighbours', 'neighbors'], ['organisation', 'organization'], ['fibre', 'fiber'],
      ['kilometres', 'kilometers'], ['analysed', 'analyzed'], ['travelled', 'traveled'], ['programme', 'program'],
      ['haemoglobin', 'hemoglobin'], ['biofertiliser', 'biofertilizer'], ['licence', 'license'],
    ]) {
      expect(stem(british!, 'en')).toBe(stem(american!, 'en'));
    }
    for (const [word, other] of [['four', 'for'], ['hour', 'hor'], ['promise', 'promize'], ['exercise', 'exercize'], ['acre', 'acer']]) {
      expect(stem(word!, 'en')).not.toBe(stem(other!, 'en'));
    }
    // Words that name Object's own properties are words like any other.
    expect(analyzer.analyze('The constructor builds a toString method').terms.has(stem('constructor', 'en'))).toBe(true);
    // CC-CEDICT glosses 邻居 as `neighbor`: an English text writing `neighbours` now meets it.
    const english = analyzer.analyze('Our neighbours have three cats.').terms;
    expect(english.has(stem('neighbor', 'en'))).toBe(true);
  });

  it('stems English names of machines and trades for what they do as the verb, and no glossary term', () => {
    for (const [noun, verb] of [
      ['freezers', 'freezing'], ['dryer', 'drying'], ['suppliers', 'supply'], ['heaters', 'heating'], ['roasters', 'roasting'],
      ['inspectors', 'inspect'], ['shredders', 'shredding'],
    ]) {
      expect(stem(noun!, 'en')).toBe(stem(verb!, 'en'));
    }
    // Nouns that only end like an agent stay apart.
    for (const [noun, other] of [['flower', 'flow'], ['tower', 'tow'], ['corner', 'corn']]) expect(stem(noun!, 'en')).not.toBe(stem(other!, 'en'));
    // Glossary terms are matched on stems: no one-word English term may move (`farmer` would
    // have met every wind farm, `boiler` anything boiled), but those kept apart from a word of
    // another meaning, with their inflections (`transformer` from `transformation`).
    const moved = taxonomy.concepts
      .flatMap((concept) => [...concept.en].filter((term) => /^\p{L}+$/u.test(term)))
      .filter((term) => stem(term, 'en') !== englishStemmer.stem(americanSpelling(term)));
    expect(new Set(moved)).toEqual(
      new Set(['renewables', 'inverter', 'digester', 'transformer', 'arsenic', 'analyser', 'analyzer', 'composite', 'composites', 'economiser', 'economizer', 'accelerator', 'elevator', 'escalator', 'beneficiation', 'localisation', 'localization', 'remediation'].filter((term) => moved.includes(term))),
    );
    expect(stem('farmers', 'en')).not.toBe(stem('farm', 'en'));
    expect(stem('boiler', 'en')).not.toBe(stem('boil', 'en'));
  });

  it('keeps apart English words Porter cuts to the stem of another meaning, and their own inflections together', () => {
    for (const [word, other] of [
      ['community', 'communication'], ['organic', 'organization'], ['organism', 'organ'], ['organised', 'organic'],
      ['generator', 'general'], ['generation', 'generous'], ['animation', 'animal'], ['news', 'new'], ['university', 'universe'],
      ['experiment', 'experience'], ['authority', 'author'],
      ['transformer', 'transformation'], ['economizer', 'economic'], ['economiser', 'economics'], ['elevator', 'elevation'], ['escalator', 'escalate'],
      ['composites', 'composition'], ['inverter', 'inverted'], ['renewables', 'renewal'], ['accelerator', 'acceleration'], ['analyser', 'analyze'],
      ['digester', 'digestive'], ['installments', 'installation'], ['arsenic', 'arsenal'], ['fertility', 'fertilizer'], ['beneficiation', 'beneficial'],
      ['remediation', 'remedy'], ['localisation', 'local'],
      ['important', 'import'], ['business', 'busy'], ['international', 'internal'], ['engineering', 'engine'],
      ['goods', 'good'], ['customers', 'customs'], ['customs', 'custom'], ['container', 'contain'], ['hospitality', 'hospital'],
      ['bearings', 'bear'], ['fabrication', 'fabric'], ['conversion', 'conversation'], ['tired', 'tires'], ['department', 'depart'],
      ['added', 'ads'], ['adding', 'ad'],
    ]) {
      expect(stem(word!, 'en')).not.toBe(stem(other!, 'en'));
    }
    for (const [word, form] of [
      ['communities', 'community'], ['organisation', 'organizations'], ['generators', 'generating'], ['experimental', 'experiments'],
      ['transformers', 'transformer'], ['escalators', 'escalator'], ['economisers', 'economizer'], ['composite', 'composites'], ['renewable', 'renewables'],
      ['importance', 'important'], ['businesses', 'business'], ['engineers', 'engineering'], ['customer', 'customers'], ['containers', 'container'],
      ['added', 'add'], ['adding', 'adds'],
    ]) {
      expect(stem(word!, 'en')).toBe(stem(form!, 'en'));
    }
    // As a lexicon pivot the shared stem bridged across languages: 小区 (a residential estate) met `kommunikation`.
    const estate = analyzer.analyze('小区').terms;
    const telecom = analyzer.analyze('kommunikation').terms;
    expect([...estate.keys()].filter((term) => telecom.has(term))).toEqual([]);
  });

  it('stems a compound ending in an umlaut plural as its singular, and nothing that only ends like one', () => {
    expect(stem('bostäder', 'sv')).toBe(stem('bostad', 'sv'));
    expect(stem('skogsbränderna', 'sv')).toBe(stem('skogsbrand', 'sv'));
    expect(stem('utvecklingsländer', 'sv')).toBe(stem('utvecklingsland', 'sv'));
    // Verb forms are not tails: `höstack` (haystack) ends in `stack`, the past of `sticka`.
    expect(stem('höstack', 'sv')).not.toBe(stem('höstick', 'sv'));
  });

  it('keeps Swedish adjectives in -ig and -lig apart from a word of another meaning, and their readings with them', () => {
    for (const [adjective, other] of [['farliga', 'far'], ['billigare', 'bilar'], ['viktigaste', 'vikten'], ['färdigheter', 'färden'], ['smidiga', 'smide']]) {
      expect(stem(adjective!, 'sv')).not.toBe(stem(other!, 'sv'));
    }
    for (const form of ['farligt', 'farliga', 'farligare', 'farligaste']) expect(stem(form, 'sv')).toBe(stem('farlig', 'sv'));
    // At the end of a compound too, and the noun in -het has a stem of its own.
    expect(stem('miljöfarligt', 'sv')).toBe(`miljö${stem('farlig', 'sv')}`);
    expect(stem('orimliga', 'sv')).toBe(`o${stem('rimlig', 'sv')}`);
    expect(stem('färdigheterna', 'sv')).toBe(stem('färdighet', 'sv'));
    expect(stem('färdighet', 'sv')).not.toBe(stem('färdig', 'sv'));
    // Adjectives of their base's sense still meet it.
    expect(stem('kraftiga', 'sv')).toBe(stem('kraft', 'sv'));
    // `liten` (small) and its irregular forms apart from `lita` (to trust), but `kvalitet` and
    // `eliten` keep their stems; `fastigheter` (properties) apart from `fast`; `lägre` is `låg`'s.
    for (const form of ['lilla', 'litet', 'mindre']) expect(stem(form, 'sv')).toBe(stem('liten', 'sv'));
    expect(stem('liten', 'sv')).not.toBe(stem('lita', 'sv'));
    expect(stem('kvalitet', 'sv')).toBe(stem('kvaliteten', 'sv'));
    expect(stem('kvalitet', 'sv')).not.toContain('liten');
    expect(stem('eliten', 'sv')).toBe(stem('elit', 'sv'));
    expect(stem('hyresfastigheter', 'sv')).toBe(`hyres${stem('fastighet', 'sv')}`);
    expect(stem('fastigheter', 'sv')).not.toBe(stem('fast', 'sv'));
    expect(stem('lägre', 'sv')).toBe(stem('låg', 'sv'));
    // The lexicon keys by stem: `billiga` (cheap) bridged to car, `farliga` to father.
    const bridgesOf = (text: string) => [...analyzer.analyze(text).bridges.values()];
    expect(bridgesOf('Vi säljer billiga reservdelar.')).not.toContain('car');
    expect(bridgesOf('Vi hanterar farliga ämnen.')).not.toContain('father');
    expect(bridgesOf('Vi hanterar farliga ämnen.')).toContain('danger');
  });

  it('keeps the -or of Swedish nouns whose singular ends in it, in every form and compound', () => {
    for (const form of ['motorn', 'motorer', 'motorerna', 'motors']) expect(stem(form, 'sv')).toBe(stem('motor', 'sv'));
    expect(stem('motor', 'sv')).not.toBe(stem('mot', 'sv'));
    expect(stem('datorer', 'sv')).toBe(stem('dator', 'sv'));
    expect(stem('dator', 'sv')).not.toBe(stem('data', 'sv'));
    expect(stem('kontoret', 'sv')).toBe(stem('kontor', 'sv'));
    expect(stem('persondatorerna', 'sv')).toBe(stem('persondator', 'sv'));
    // Plurals of `-a` nouns still lose it: `flickor` is `flicka`, `gator` `gata`.
    expect(stem('flickor', 'sv')).toBe(stem('flicka', 'sv'));
    expect(stem('gator', 'sv')).toBe(stem('gata', 'sv'));
  });

  it('stems a short noun closing a compound, and a short neuter\'s definite form, as the noun in every form', () => {
    // The stemmer cut the short last part of a compound (`biogas` → `biog`, `skolmat` → `skolm`)
    // but not its inflected forms (`biogasen` → `biogas`), and kept `taket`, `barnet`, `året` whole.
    const formsOf: Record<string, readonly string[]> = {
      biogas: ['biogasen', 'biogaser'],
      vätgas: ['vätgasen'],
      skolmat: ['skolmaten'],
      rotorblad: ['rotorbladen', 'rotorbladet'],
      utland: ['utlandet'],
      samband: ['sambandet'],
      vatten: ['vattnet'],
      dricksvatten: ['dricksvattnet'],
      kurs: ['kurser', 'kursen'],
      verkstad: ['verkstaden', 'verkstäder'],
      tak: ['taket', 'takets'],
      barn: ['barnet'],
      år: ['året'],
      ämne: ['ämnet'],
      rum: ['rummet'],
      kylrum: ['kylrummet'],
      program: ['programmet'],
      spel: ['spelet'],
      // An `-el` noun drops its `e` before an ending.
      kabel: ['kabeln', 'kablar', 'kablarna'],
      möbel: ['möbler'],
      partikel: ['partiklar'],
      exempel: ['exemplet'],
      laboratorium: ['laboratorier'],
      cykelstig: ['cykelstigar', 'cykelstigen', 'cykelstigarna'],
      // `filter` was cut to `filt` (felt) alone and in compounds.
      filter: ['filtret', 'filtren'],
      kolfilter: ['kolfiltret'],
      // Neuters in -er kept apart from their definite forms, or cut to another word.
      hinder: ['hindret', 'hindren'],
      papper: ['pappret'],
      fönster: ['fönstret', 'fönstren'],
      kvarter: ['kvarteret'],
      lager: ['lagret', 'lagren'],
      order: ['ordern', 'orderna'],
      liter: ['litern', 'litrarna'],
      mönster: ['mönstret'],
      nummer: ['numret'],
      timmer: ['timret'],
      vete: ['vetet'],
      målare: ['målaren', 'målarna'],
      kvarn: ['kvarnarna'],
      mutter: ['muttrar'],
    };
    for (const [base, forms] of Object.entries(formsOf)) for (const form of forms) expect(stem(form, 'sv'), form).toBe(stem(base, 'sv'));
    // Each kept apart from the word the stemmer cut it to (a warehouse is no law, an order no
    // word, a litre not small, a driver no preposition, timber no hour, wheat no knowing).
    const apart = [
      ['biogas', 'bio'], ['kurs', 'kur'], ['filter', 'filt'], ['papper', 'pappa'], ['hinder', 'hind'], ['kvarter', 'kvart'],
      ['lager', 'lag'], ['order', 'ord'], ['liter', 'liten'], ['förare', 'för'], ['timmer', 'timme'], ['vete', 'veta'],
      ['målare', 'mål'], ['ägare', 'äga'], ['galler', 'galla'], ['ledare', 'leda'], ['mutter', 'muttra'], ['kvarn', 'kvar'],
      ['parkett', 'park'], ['krans', 'kran'], ['domare', 'dom'], ['besökare', 'besök'], ['köpare', 'köp'], ['talare', 'tal'],
      ['börs', 'bör'], ['gravad', 'grav'], ['bullar', 'buller'], ['bulle', 'buller'],
    ] as const;
    for (const [noun, other] of apart) expect(stem(noun, 'sv'), noun).not.toBe(stem(other, 'sv'));
    // Buns stay buns in every form and at the end of a compound; noise stays noise.
    for (const form of ['bullen', 'bulles', 'bullar', 'bullarna', 'bullarnas']) expect(stem(form, 'sv'), form).toBe(stem('bulle', 'sv'));
    for (const form of ['bulles', 'bullarnas', 'kanelbullarnas']) expect(stem(form, 'sv'), form).not.toBe(stem('buller', 'sv'));
    expect(stem('kanelbullar', 'sv')).toBe(stem('kanelbulle', 'sv'));
    expect(analyzer.analyze('Vi bakar kanelbullar och bullar.').concepts).toEqual([]);
    expect(analyzer.analyze('Bullerskydd mot buller.').concepts.map((hit) => hit.concept)).toContain('noise-control');
    // Adjectives in -stig are no path: `lustig`, `rostig` stay with their -a forms.
    expect(stem('lustig', 'sv')).toBe(stem('lustiga', 'sv'));
    expect(stem('rostig', 'sv')).toBe(stem('rostiga', 'sv'));
    expect(stem('konstig', 'sv')).toBe(stem('konstiga', 'sv'));
    expect(stem('spänstig', 'sv')).toBe(stem('spänstigt', 'sv'));
    expect(stem('naturstig', 'sv')).toBe(stem('naturstigar', 'sv'));
    // Passive verbs in -gas are no gas: `byggas` stays `bygga`'s.
    expect(stem('byggas', 'sv')).toBe(stem('bygga', 'sv'));
    expect(stem('sägas', 'sv')).toBe(stem('säga', 'sv'));
  });

  it('leaves out the characters ICU cuts from a Chinese glossary term, and keeps a lone character elsewhere', () => {
    // ICU: 建设|热|泵 and 分布|式|光|伏|电站 (else this test says nothing).
    const text = '建设热泵，分布式光伏电站';
    expect(segmentWords(normalizeText(text)).map((w) => w.text)).toEqual(expect.arrayContaining(['热', '泵', '光', '伏']));
    const terms = analyzer.analyze(text).terms;
    for (const fragment of ['热', '泵', '光', '伏']) expect(terms.has(fragment)).toBe(false);
    expect(terms.has(conceptTerm('heat-pump'))).toBe(true);
    expect(terms.has('建设')).toBe(true);
    expect(analyzer.analyze('今天很热').terms.has('热')).toBe(true);
  });

  it('counts a Chinese glossary term as its concept only, not also as the words inside it', () => {
    // ICU: 农村|生活|污水 (else this test says nothing): as words they met Chinese texts only.
    const text = '农村生活污水治理';
    expect(segmentWords(normalizeText(text)).map((w) => w.text)).toEqual(expect.arrayContaining(['生活', '污水']));
    const terms = analyzer.analyze(text).terms;
    for (const word of ['生活', '污水']) expect(terms.has(word)).toBe(false);
    expect([...terms.keys()].some(isConceptTerm)).toBe(true);
    // The same word outside a glossary term is a word of the text.
    expect(analyzer.analyze('他们的生活').terms.has('生活')).toBe(true);
  });

  it('lets a Swedish compound meet its parts', () => {
    const compound = analyzer.analyze('Vi bygger avloppsreningsverk i Blekinge.').terms;
    const parts = analyzer.analyze('Vi bygger reningsverk för avlopp.').terms;
    const common = [...compound.keys()].filter((t) => parts.has(t));
    expect(common).toContain(stem('reningsverk', 'sv'));
    expect(common).toContain(stem('avlopp', 'sv'));
  });

  it('maps glossary phrases in sv, en and zh to the same concept', () => {
    expect(sharedConcepts('昆明第七污水处理厂提标改造', 'Vi bygger avloppsreningsverk.').length).toBeGreaterThan(0);
    expect(sharedConcepts('分布式光伏电站', 'Vi projekterar solcellsparker.').length).toBeGreaterThan(0);
    expect(sharedConcepts('Sewage treatment plant upgrade', '污水处理厂').length).toBeGreaterThan(0);
    expect(sharedConcepts('储能系统', 'battery energy storage').length).toBeGreaterThan(0);
    // Plant protection: spraying, its biological replacement, pest counts and residues.
    expect(sharedConcepts('有机茶园不能打药，想了解天敌和生物防治', 'Vi föder upp nyttodjur för biologisk bekämpning i stället för kemiska bekämpningsmedel.')).toEqual(expect.arrayContaining(['§plant-protection', '§biological-control']));
    expect(sharedConcepts('挂了黄板和太阳能杀虫灯', 'Camera traps that count pests on sticky traps.')).toContain('§pest-monitoring');
    expect(sharedConcepts('欧盟客户查农残查得很严', 'Ackrediterat laboratorium som analyserar bekämpningsmedelsrester.')).toContain('§pesticide-residues');
    expect(sharedConcepts('我们是一家生猪养殖场', 'Rådgivning till svinproduktion och djurhållning.')).toContain('§livestock');
    expect(sharedConcepts('中央厨房和餐饮门店', 'Vi inreder storkök och restauranger.')).toContain('§catering');
    expect(sharedConcepts('寻找包装印刷合作伙伴', 'Tryckeri med digitaltryck och förpackningar.')).toContain('§printing');
    // `buller` alone, and in compounds (`trafikbuller`, `bullerskärmar`).
    expect(sharedConcepts('Vi mäter trafikbuller och bygger bullerskärmar.', '高速公路声屏障').length).toBeGreaterThan(0);
    // `svamp` alone and as a compound's last part (`karljohansvamp`, `skogssvamp`).
    expect(sharedConcepts('Vi köper kantareller och karljohansvamp; svampen torkas.', '野生菌收购').length).toBeGreaterThan(0);
    // Specific trade terms on every side: phosphogypsum, blade icing, explosion protection, voluntary carbon credits.
    expect(sharedConcepts('磷石膏综合利用', 'Vi har kört fosforgips i pilotskala.')).toContain('§industrial-solid-waste');
    expect(sharedConcepts('风机叶片覆冰严重', 'Vi levererar isdetektering och bladvärme.')).toContain('§blade-icing');
    expect(sharedConcepts('explosion-proof zone division', 'ATEX hazardous-area classification')).toContain('§explosion-protection');
    expect(sharedConcepts('走CCER还是国际上的自愿减排标准', 'Vi certifierar skogsprojekt enligt Verra.')).toContain('§carbon-trading');
    // Selling online across the border: live shopping, the warehouse abroad.
    expect(sharedConcepts('开展直播带货，设立海外仓', 'We run live shopping shows and overseas warehouse fulfilment.')).toEqual(expect.arrayContaining(['§live-commerce', '§ecommerce-fulfilment']));
    expect(sharedConcepts('跨境电商合作', 'Vi hjälper företag med e-handel.')).toContain('§e-commerce');
    expect(analyzer.analyze('Vi bedriver handel med trävaror.').concepts.map((hit) => hit.concept)).not.toContain('e-commerce');
    // De-icing a turbine's blades is no winter road maintenance.
    expect(sharedConcepts('anti-icing and de-icing of blades', 'Vinterväghållning och snöröjning.')).toEqual([]);
  });

  it("finds a glossary word closing a compound only where the compound's last part stems as that word", () => {
    const conceptsOf = (text: string) => analyzer.analyze(text).concepts.map((hit) => hit.concept);
    // `kosttillskott` (dietary supplements) ends in the stem of `skotare` (a forwarder) only as
    // the stemmer cuts the whole word; its part `skott` is no forest machine.
    expect(conceptsOf('Vi tillverkar kosttillskott och proteinpulver.')).not.toContain('forest-machinery');
    expect(conceptsOf('Vi säljer begagnade skogsskotare.')).toContain('forest-machinery');
    expect(conceptsOf('Vi bygger om avloppsreningsverken.')).toContain('wastewater-treatment-plant');
    // A short neuter's definite form keeps its -et alone (`labbet`), not closing a compound.
    expect(conceptsOf('Vi driver miljölabbet i Karlskrona.')).toContain('key-laboratory');
    expect(conceptsOf('Besök stadsmuseet.')).toContain('museum');
  });

  it('matches Chinese glossary terms on the text, not on segmenter words', () => {
    // ICU segments these as 光|伏 and 储|能; the glossary still finds both terms.
    const analysis = analyzer.analyze('建设光伏和储能');
    const phrases = analysis.concepts.map((c) => c.phrase);
    expect(phrases).toContain('光伏');
    expect(phrases).toContain('储能');
  });

  it('meets the definite form of Swedish neuter nouns, alone and in compounds', () => {
    expect(stem('reningsverket', 'sv')).toBe(stem('reningsverk', 'sv'));
    expect(stem('universitetet', 'sv')).toBe(stem('universitet', 'sv'));
    const terms = analyzer.analyze('Vi bygger om avloppsreningsverket.').terms;
    expect(terms.has(stem('reningsverk', 'sv'))).toBe(true);
  });

  it('matches Swedish compound parts only in Swedish text', () => {
    const english = analyzer.analyze('The replacement and placement of staff at the agency.');
    expect(english.concepts).toEqual([]);
  });

  it('detects short Swedish texts by their compounds', () => {
    expect(detectLanguage('Slamhantering, avloppsrening')).toBe('sv');
    expect(detectLanguage('IT-konsult inom energi')).toBe('sv');
  });

  it('keeps concept hits out of unrelated text', () => {
    expect(analyzer.analyze('Vi säljer kaffe och bakverk i vårt kafé.').concepts.filter((c) => c.concept.includes('wastewater'))).toEqual([]);
  });

  it('reaches a one-word glossary term through inflection, not through a shorter word sharing its root', () => {
    const concepts = (text: string) => analyzer.analyze(text).concepts.map((c) => c.concept);
    // Porter's stem of `localization`, `standardization` and `ozonation` is that of `local`, `standard` and `ozone`.
    expect(concepts('We need local partners with a high standard')).toEqual([]);
    expect(concepts('Sensors for nitrogen dioxide and ozone')).not.toContain('advanced-treatment');
    expect(concepts('Localization and translation services')).toContain('localisation');
    expect(concepts('Ozonation removes pharmaceuticals')).toContain('advanced-treatment');
    // Inflections still reach the term: `batteries` its `battery`, `installing` its `installation`'s stem.
    expect(concepts('We recycle batteries')).toContain('battery-generic');
    expect(concepts('Vi säljer solfångare och ackumulatortankar')).not.toEqual([]);
  });

  it('offers CJK bigrams as an alternative to words', () => {
    const bigrams = createAnalyzer({ chinese: 'bigrams', lexicon: false }).analyze('超滤膜');
    expect([...bigrams.terms.keys()].filter((t) => !t.startsWith('§')).sort()).toEqual(['¦滤膜', '¦超滤']);
    // Beside words, a two-character word and the same bigram stay apart.
    // (Not a glossary term: its concept would stand for the word.)
    const both = createAnalyzer({ chinese: 'both' }).analyze('生活');
    expect(both.terms.get('生活')).toBe(1);
    expect(both.terms.get('¦生活')).toBe(1);
  });

  it('is stable under normalisation (property)', () => {
    // Of the written case only capitals mean something (an acronym, `UV`): text in lower case
    // analyses as its normalised form does.
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }).map((text) => text.toLowerCase()), (text) => {
        const a = analyzer.analyze(text);
        const b = analyzer.analyze(normalizeText(text));
        expect([...b.terms]).toEqual([...a.terms]);
        expect(b.length).toBe(a.length);
      }),
      { numRuns: 300 },
    );
  });

  it('emits concept terms with the § prefix', () => {
    const analysis = analyzer.analyze('污水处理厂');
    expect(analysis.concepts.length).toBeGreaterThan(0);
    expect(analysis.terms.has(conceptTerm(analysis.concepts[0]!.concept))).toBe(true);
  });
});

describe('Chinese glossary terms and word boundaries', () => {
  it('does not start a term inside a segmenter word', () => {
    const concepts = (text: string) => createAnalyzer().analyze(text).concepts.map((c) => c.phrase);
    expect(concepts('当地热门景点').some((p) => p.startsWith('地热'))).toBe(false);
    expect(concepts('地热能供暖').some((p) => p.startsWith('地热'))).toBe(true);
  });

  it('begins a term inside a segmenter word where it ends on a boundary, and drops the word it cuts', () => {
    // ICU segments 低能耗 as 低能|耗: 低能 is slow-witted, 能耗 energy consumption.
    expect(segmentWords(normalizeText('低能耗')).map((w) => w.text)).toEqual(['低能', '耗']);
    const lowEnergy = createAnalyzer().analyze('低能耗设计');
    expect(lowEnergy.concepts.map((c) => c.concept)).toContain('energy-consumption');
    expect([...lowEnergy.terms.keys()].some((term) => term.startsWith('incompet') || term.startsWith('stupid'))).toBe(false);
    // Without the lexicon the concept is found as well.
    expect(createAnalyzer({ lexicon: false }).analyze('低能耗设计').concepts.map((c) => c.concept)).toContain('energy-consumption');
  });
});

describe('traditional Chinese', () => {
  it('is read as the simplified text every word list holds, offset for offset', () => {
    const traditional = '我們開車去機場，這個蘋果很好吃。';
    const simplified = '我们开车去机场，这个苹果很好吃。';
    expect(normalizeText(traditional)).toBe(normalizeText(simplified));
    expect(normalizeText(traditional)).toHaveLength(traditional.length);
    for (const options of [{}, { lexicon: false }]) {
      const analyzer = createAnalyzer(options);
      expect([...analyzer.analyze(traditional).terms]).toEqual([...analyzer.analyze(simplified).terms]);
    }
    // Through the lexicon: 機場 is the airport, 蘋果 the apple (not 蘋|果, a fruit).
    const terms = createAnalyzer().analyze('他開車去機場買蘋果').terms;
    expect(terms.has(stem('airport', 'en'))).toBe(true);
    expect(terms.has(stem('apple', 'en'))).toBe(true);
    // Through the glossary: the same concepts as the simplified need.
    expect(sharedConcepts('污水處理廠與分散式光電', '污水处理厂')).toContain('§wastewater-treatment-plant');
  });

  it('keeps characters simplified text uses in its own right', () => {
    // 著 is 着 in traditional text but 著 in 著名 (famous), as OpenCC keeps it; 乾 is 干 (dry)
    // there, but the lexicon's 乾隆 and 乾坤 are written so in simplified text too: kept in
    // them, folded elsewhere (乾淨, clean; 餅乾, biscuits), so 乾淨 meets 干净.
    expect(normalizeText('著名的乾隆')).toBe('著名的乾隆');
    expect(normalizeText('乾隆年間的餅乾很乾淨，扭轉乾坤')).toBe('乾隆年间的饼干很干净,扭转乾坤');
    expect(normalizeText('特徵：摺疊')).toBe('特征:折叠');
    const clean = createAnalyzer().analyze('飯店很乾淨').terms;
    expect(clean.has(stem('clean', 'en'))).toBe(true);
    expect(clean.has(stem('heaven', 'en'))).toBe(false);
    // Yunnan's 孃孃 (auntie) and 二噁英 (dioxin) are words of the core vocabulary as written.
    expect(normalizeText('孃孃说二噁英')).toBe('孃孃说二噁英');
  });
});
