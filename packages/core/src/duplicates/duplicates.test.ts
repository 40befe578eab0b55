import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Company } from '../schema/records.js';
import { createMatcher } from '../matcher.js';
import { restoreMatcherById, snapshotMatcher } from '../snapshot/snapshot.js';
import { cosineOf, createDuplicateIndex, createMatcherWithDuplicates, DEFAULT_DUPLICATE_THRESHOLD, duplicateSeed, findDuplicates, normalizeOrgNumber, type DuplicateWarning } from './duplicates.js';

const fixture = <T>(path: string): T => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../fixtures/${path}`, import.meta.url)), 'utf8')) as T;
const sample = fixture<Company[]>('sample/companies.json');
const incoming = fixture<Company[]>('duplicates/incoming.json');
const sampleNeeds = fixture<unknown[]>('sample/needs.json');
const labels = fixture<{ id: string; duplicateOf: string; kind: string }[]>('duplicates/labels.json');

const company = (id: string, name: string, description: string, extra: Partial<Company> = {}): Company => ({ id, name, description, ...extra });

describe('normalizeOrgNumber', () => {
  it('reads the dashed, bare and 12-digit forms as one number and refuses other lengths', () => {
    expect(normalizeOrgNumber('556796-3896')).toBe('5567963896');
    expect(normalizeOrgNumber('5567963896')).toBe('5567963896');
    expect(normalizeOrgNumber('16556796-3896')).toBe('5567963896');
    expect(normalizeOrgNumber('556796-389')).toBeUndefined();
  });
});

describe('cosineOf', () => {
  it('is 1 for proportional vectors, 0 for disjoint ones, and 0 (never NaN) for empty or zero vectors', () => {
    expect(cosineOf(new Map([['a', 1], ['b', 2]]), new Map([['a', 2], ['b', 4]]))).toBeCloseTo(1, 12);
    expect(cosineOf(new Map([['a', 1]]), new Map([['b', 1]]))).toBe(0);
    expect(cosineOf(new Map(), new Map([['b', 1]]))).toBe(0);
    expect(cosineOf(new Map([['a', 0]]), new Map([['a', 0]]))).toBe(0);
  });

  it('lays both vectors on the union of their terms', () => {
    // a·b = 1·3 = 3; |a| = √2, |b| = √10.
    expect(cosineOf(new Map([['x', 1], ['y', 1]]), new Map([['y', 3], ['z', 1]]))).toBeCloseTo(3 / Math.sqrt(20), 12);
  });
});

describe('findDuplicates', () => {
  const register = [
    company('c1', 'Vämö Kraftkabel AB', 'Vämö Kraftkabel tillverkar högspänningskablar och kabelskarvar för elnätsbolag och vindkraftsparker.', { orgNumber: '556796-3896' }),
    company('c2', 'Brunnsviks Vattenteknik AB', 'Vi bygger kompakta vattenverk med UV-desinfektion och filtrering och utför läcksökning på dricksvattenledningar.'),
    company('c3', 'Ronneby Brunn Källvatten AB', 'Vi tappar naturligt mineralvatten från en källa i Ronneby och säljer det på flaska till hotell och restauranger.'),
  ];

  it('answers in the contract shape: the same organisation number, in any written form', () => {
    const warnings = findDuplicates(register, [company('n1', 'Vamo Kabel', 'Kabelfabrik.', { orgNumber: '5567963896' })]);
    expect(warnings).toEqual([{ code: 'possible-duplicate', id: 'n1', duplicateOf: 'c1', reason: 'orgNumber', similarity: 1 }]);
  });

  it('finds an English text of a Swedish firm through the glossary concepts, and not its neighbour', () => {
    const english = company('n2', 'Brunnsviks Water Technology AB', 'We build compact waterworks with UV disinfection and filtration and find leaks in drinking-water mains.');
    const warnings = findDuplicates(register, [english]);
    expect(warnings.map((w) => [w.duplicateOf, w.reason])).toEqual([['c2', 'similar-text']]);
    expect(warnings[0]!.similarity).toBeGreaterThanOrEqual(DEFAULT_DUPLICATE_THRESHOLD);
    expect(warnings[0]!.similarity).toBeLessThanOrEqual(1);
  });

  it('names an earlier record of the same import, and never a record as its own duplicate', () => {
    const first = company('n3', 'Blekinge Vätgas AB', 'Blekinge Vätgas bygger elektrolysörer och tankstationer för grön vätgas till tunga fordon.');
    const second = company('n4', 'Blekinge Vätgas AB', 'Blekinge Vätgas bygger elektrolysörer och tankstationer för grön vätgas till tunga fordon och industri.');
    const warnings = findDuplicates(register, [first, second]);
    expect(warnings.map((w) => `${w.id}>${w.duplicateOf}`)).toEqual(['n4>n3']);
    // An update of c2 with its own text is not a duplicate of itself.
    expect(findDuplicates(register, [register[1]!])).toEqual([]);
  });

  it('never lets a name of legal forms alone or an empty analysis produce NaN', () => {
    const warnings = findDuplicates([company('x1', 'AB', 'och')], [company('x2', 'Ltd', 'the'), company('x3', 'AB', 'och')]);
    for (const w of warnings) expect(Number.isFinite(w.similarity)).toBe(true);
  });

  it('rejects bad options naming the option', () => {
    expect(() => findDuplicates([], [], { threshold: 0 })).toThrow(/options\.threshold/);
    expect(() => findDuplicates([], [], { maxPerRecord: 0.5 })).toThrow(/options\.maxPerRecord/);
  });
});

describe('createDuplicateIndex', () => {
  it('follows adds and removes', () => {
    const index = createDuplicateIndex([company('a', 'Solkraft Blekinge AB', 'Vi bygger solcellsparker och agrivoltaiska anläggningar med egen driftcentral.')]);
    const twin = company('b', 'Blekinge Solpark AB', 'Vi bygger solcellsparker och agrivoltaiska anläggningar med en egen driftcentral.');
    expect(index.check(twin).map((w) => w.duplicateOf)).toEqual(['a']);
    expect(index.size).toBe(1);
    expect(index.remove('a')).toBe(true);
    expect(index.remove('a')).toBe(false);
    expect(index.check(twin)).toEqual([]);
  });

  it('gives the same warnings with candidate pruning as when every record is compared', () => {
    const pruned = findDuplicates(sample, incoming);
    const exhaustive = findDuplicates(sample, incoming, { candidates: 10_000 });
    expect(pruned).toEqual(exhaustive);
  });
});

describe('createMatcherWithDuplicates', () => {
  it('builds the matcher createMatcher builds and reports what findDuplicates reports, in one pass', () => {
    const companies = [...sample, ...incoming];
    const { matcher, duplicates, warnings } = createMatcherWithDuplicates({ companies, needs: sampleNeeds });
    expect(warnings).toEqual(findDuplicates([], companies));
    expect(warnings.length).toBeGreaterThan(0);
    const plain = createMatcher({ companies, needs: sampleNeeds });
    expect(matcher.rankAll({ limit: 5 })).toEqual(plain.rankAll({ limit: 5 }));
    // The index it hands back knows every company: a later record is checked against them.
    expect(duplicates.size).toBe(companies.length);
    expect(duplicates.check({ ...incoming[0]!, id: 'later' }).map((w) => w.duplicateOf)).toContain(incoming[0]!.id);
  });
});

/** Precision and recall of the warnings against the labelled pairs (see fixtures/duplicates/README.md). */
function score(warnings: readonly DuplicateWarning[]) {
  const truth = new Set(labels.map((l) => `${l.id}>${l.duplicateOf}`));
  const found = new Set(warnings.map((w) => `${w.id}>${w.duplicateOf}`));
  const hits = [...found].filter((pair) => truth.has(pair)).length;
  return { precision: hits / found.size, recall: hits / truth.size };
}

describe('the labelled duplicates set (fixtures/duplicates)', () => {
  it('reaches precision ≥ 0.9 and recall ≥ 0.8 at the default threshold', () => {
    const { precision, recall } = score(findDuplicates(sample, incoming));
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.8);
  });

  it('reaches them too with field weights that make term frequencies fractional (kept as weights, not bytes)', () => {
    const { precision, recall } = score(findDuplicates(sample, incoming, { fieldWeights: { name: 2.5, offerings: 0.5 } }));
    expect(precision).toBeGreaterThanOrEqual(0.85);
    expect(recall).toBeGreaterThanOrEqual(0.8);
  });

  it('finds most translated firms, across sv, en and zh', () => {
    const translated = labels.filter((l) => l.kind.startsWith('translated'));
    const found = new Set(findDuplicates(sample, incoming).map((w) => `${w.id}>${w.duplicateOf}`));
    expect(translated.filter((l) => found.has(`${l.id}>${l.duplicateOf}`)).length / translated.length).toBeGreaterThanOrEqual(0.8);
    expect(found.has('d-29>s-c48')).toBe(true);
  });

  it('reports nothing among the 48 distinct firms of fixtures/sample', () => {
    expect(findDuplicates([], sample)).toEqual([]);
    expect(createDuplicateIndex(sample).pairs()).toEqual([]);
  });

  it('lists the pairs of a standing register as the import reported them, each pair once', () => {
    const pairs = createDuplicateIndex([...sample, ...incoming]).pairs();
    const keys = pairs.map((p) => `${p.id}>${p.duplicateOf}`);
    expect(new Set(keys).size).toBe(keys.length);
    const { precision, recall } = score(pairs);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.8);
    // Every pair names the earlier record as duplicateOf, and comes strongest first.
    const order = new Map([...sample, ...incoming].map((c, i) => [c.id, i]));
    for (const p of pairs) expect(order.get(p.duplicateOf)! < order.get(p.id)!).toBe(true);
    for (let i = 1; i < pairs.length; i += 1) {
      const [a, b] = [pairs[i - 1]!, pairs[i]!];
      expect(a.reason === b.reason ? a.similarity >= b.similarity : a.reason === 'orgNumber').toBe(true);
    }
  });

  it('orders warnings deterministically: by incoming record, then best first', () => {
    const warnings = findDuplicates(sample, incoming, { threshold: 0.3 });
    const order = new Map(incoming.map((c, i) => [c.id, i]));
    for (let i = 1; i < warnings.length; i += 1) {
      const [a, b] = [warnings[i - 1]!, warnings[i]!];
      expect(order.get(a.id)! <= order.get(b.id)!).toBe(true);
      if (a.id === b.id && a.reason === b.reason) expect(a.similarity >= b.similarity).toBe(true);
    }
    expect(findDuplicates(sample, incoming, { threshold: 0.3 })).toEqual(warnings);
  });
});

describe('the index under many writes', () => {
  it('reports what an index over the final records reports after every record was rewritten many times', () => {
    const register = [...sample, ...incoming];
    // Every candidate compared, so the order terms were first numbered in cannot matter.
    const options = { candidates: 100_000 };
    const churned = createDuplicateIndex(register, options);
    let final = register;
    for (let round = 0; round < 6; round += 1) {
      final = register.map((c) => ({ ...c, description: `${c.description ?? ''} ${round % 2 === 0 ? 'honung' : 'biodling'} ${round}` }));
      for (const c of final) churned.add(c);
      churned.remove(register[round]!.id);
      final = final.filter((c) => c.id !== register[round]!.id);
    }
    const fresh = createDuplicateIndex(final, options);
    expect(churned.size).toBe(final.length);
    expect(churned.pairs()).toEqual(fresh.pairs());
    for (const c of incoming.slice(0, 10)) expect(churned.check({ ...c, id: `probe-${c.id}` })).toEqual(fresh.check({ ...c, id: `probe-${c.id}` }));
  });

  it('finds a twin through words too common to be listed once removals make them rare again', () => {
    // 1,100 records share the twin's whole description: more records than the index lists a word
    // for. After 1,000 of them go, those words are the only ones a probe can read.
    const text = 'Vi tillverkar kvarnstenar och slipstenar för vattenkvarnar i Skåne sedan 1890.';
    const twin = company('twin', 'Skånes Kvarnstenar AB', text);
    const fillers = Array.from({ length: 1_100 }, (_, i) => company(`filler-${i}`, `Fyllnad ${i} AB`, `${text} Fyllnadsord${i}.`));
    const index = createDuplicateIndex([twin, ...fillers]);
    for (const filler of fillers.slice(100)) index.remove(filler.id);
    const checked = company('checked', 'Kvarnstenar från Skåne AB', text);
    const found = index.check(checked);
    expect(found.map((w) => w.duplicateOf)).toContain('twin');
    expect(found).toEqual(createDuplicateIndex([twin, ...fillers.slice(0, 100)]).check(checked));
  });
});

describe('duplicateSeed', () => {
  const register = [...sample, ...incoming];
  const fresh = [
    company('new-1', `${incoming[0]!.name} AB`, incoming[0]!.description ?? ''),
    { ...incoming[3]!, id: 'new-2' },
    company('new-3', 'Nordic Honey AB', 'Biodling och honung från Blekinge.'),
  ];

  it('starts an index that reports what one built from the records reports, without analysing their texts', () => {
    const fromRecords = createDuplicateIndex(register);
    const fromSeed = createDuplicateIndex(duplicateSeed(createMatcher({ companies: register }), register));
    expect(fromSeed.size).toBe(register.length);
    expect(fromSeed.pairs()).toEqual(fromRecords.pairs());
    expect(fromSeed.pairs().length).toBeGreaterThan(10);
    for (const c of fresh) expect(fromSeed.check(c)).toEqual(fromRecords.check(c));
  });

  it('follows the matcher through updates and removals, and after a restore from a snapshot by id', () => {
    const matcher = createMatcher({ companies: register });
    const renamed = { ...register[5]!, name: 'Helt Annat Namn AB', description: 'Tillverkar möbler av ek.' };
    matcher.update('company', renamed);
    matcher.remove('company', register[7]!.id);
    const now = register.filter((c) => c.id !== register[7]!.id).map((c) => (c.id === renamed.id ? renamed : c));
    const expected = createDuplicateIndex(now).pairs();
    expect(createDuplicateIndex(duplicateSeed(matcher, now)).pairs()).toEqual(expected);

    const byId = new Map(now.map((c) => [c.id, c]));
    let loads = 0;
    const restored = restoreMatcherById(
      snapshotMatcher(matcher, { generation: 1 }),
      { companyIds: now.map((c) => c.id), needIds: [], loadCompany: (id) => (loads += 1, byId.get(id)!), loadNeed: () => { throw new Error('no needs'); } },
      { generation: 1 },
    );
    // Names and numbers come with the list; a restored matcher reads no record for the seed.
    const seed = duplicateSeed(restored, now.map(({ id, name, orgNumber }) => ({ id, name, orgNumber })));
    expect(loads).toBe(0);
    expect(createDuplicateIndex(seed).pairs()).toEqual(expected);
  });

  it('refuses a company the matcher does not hold, naming it', () => {
    expect(() => duplicateSeed(createMatcher({ companies: sample }), [{ id: 'nowhere', name: 'X' }])).toThrow('no company "nowhere" in the matcher');
  });
});
