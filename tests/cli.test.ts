import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMatcher, evaluateRankings, type Company, type PartnerNeed } from '@partnermatch/core';
import { hasSciFact, partnermatch, repoRoot, sampleDir, scifactDir, tempDir } from './helpers.js';

/** The labelled development set, shipped in the repository (fixtures/dev/README.md). */
const devSetDir = join(repoRoot, 'fixtures', 'dev');

const companiesFile = join(sampleDir, 'companies.json');
const needsFile = join(sampleDir, 'needs.json');
const sampleNeeds = JSON.parse(readFileSync(needsFile, 'utf8')) as { id: string; status?: string }[];
const sampleCompanies = JSON.parse(readFileSync(companiesFile, 'utf8')) as Record<string, unknown>[];
const openNeedIds = sampleNeeds.filter((n) => n.status !== 'closed').map((n) => n.id);

interface RankEntry {
  needId: string;
  matches: { companyId: string; rank: number; score: number; explanation?: { summary: string } }[];
}

describe('partnermatch rank', () => {
  it('ranks companies for every open need in input order, stdout carrying only the JSON', async () => {
    const result = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--top', '5']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const entries = JSON.parse(result.stdout) as RankEntry[];
    expect(entries.map((e) => e.needId)).toEqual(openNeedIds);
    for (const entry of entries) {
      expect(entry.matches.length).toBeLessThanOrEqual(5);
      expect(entry.matches.map((m) => m.rank)).toEqual(entry.matches.map((_, i) => i + 1));
      for (const match of entry.matches) {
        expect(Object.keys(match).sort()).toEqual(['companyId', 'rank', 'score']);
        expect(match.score).toBeGreaterThan(0);
        expect(match.score).toBeLessThanOrEqual(1);
      }
    }
  });

  it('explains matches with --explain and honours --min-score', async () => {
    const result = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--explain', '--min-score', '0.3']);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as RankEntry[];
    const matches = entries.flatMap((e) => e.matches);
    expect(matches.length).toBeGreaterThan(0);
    for (const match of matches) {
      expect(match.score).toBeGreaterThanOrEqual(0.3);
      expect(match.explanation?.summary.length).toBeGreaterThan(0);
    }
  });

  it('writes ndjson and csv, and --out through a rename', async () => {
    const ndjson = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--format', 'ndjson']);
    const lines = ndjson.stdout.trim().split('\n').map((line) => JSON.parse(line) as RankEntry);
    expect(lines.map((l) => l.needId)).toEqual(openNeedIds);

    const dir = await tempDir();
    const out = join(dir, 'ranked.csv');
    const csv = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--format', 'csv', '--top', '3', '--out', out]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('');
    const text = await readFile(out, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = text.slice(1).trim().split('\n');
    expect(rows[0]).toBe('needId,needTitle,rank,companyId,companyName,municipality,score,tags,text,cooperation,asOf');
    expect(rows[1]).toMatch(/,\d{4}-\d{2}-\d{2}$/); // the day deadlines were judged against
    expect(rows.length - 1).toBeLessThanOrEqual(3 * openNeedIds.length);
    const firstNeed = sampleNeeds.find((n) => n.id === openNeedIds[0]) as { title: string } | undefined;
    expect(rows[1]!.startsWith(`${openNeedIds[0]},${firstNeed?.title},1,`)).toBe(true);
  });

  it('writes spreadsheet-ready CSV: ";" on request, names beside ids, evidence once with --explain, formulas escaped', async () => {
    const dir = await tempDir();
    const companies = sampleCompanies.map((c, i) => (i === 0 ? { ...c, name: '=HYPERLINK("http://example.invalid")' } : c));
    const companiesFile2 = join(dir, 'companies.json');
    await writeFile(companiesFile2, JSON.stringify(companies));
    const result = await partnermatch(['rank', '--companies', companiesFile2, '--needs', needsFile, '--format', 'csv', '--csv-delimiter', ';', '--explain', '--top', '48']);
    expect(result.code).toBe(0);
    const lines = result.stdout.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('needId;needTitle;rank;companyId;companyName;municipality;score;tags;text;cooperation;sharedSectors;matchedPhrases;partnershipTypes;asOf');
    expect(lines.some((line) => line.includes(`;'=HYPERLINK(`) || line.includes(`;"'=HYPERLINK(`))).toBe(true);
    expect(lines.some((line) => /;=HYPERLINK/.test(line))).toBe(false);
    for (const line of lines.slice(1)) {
      const phrases = /↔/.test(line) ? line.split('; ').filter((p) => p.includes('↔')) : [];
      expect(new Set(phrases).size).toBe(phrases.length);
    }
    const bad = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--csv-delimiter', '|']);
    expect(bad.code).toBe(2);
  });

  it('reads CSV and NDJSON input to the same rankings as JSON', async () => {
    const dir = await tempDir();
    const columns = ['id', 'name', 'municipality', 'description', 'offerings', 'sectors', 'partnershipTypes', 'employees'];
    const quote = (value: unknown) => `"${String(value ?? '').replaceAll('"', '""')}"`;
    const csvRows = sampleCompanies.map((c) =>
      columns.map((col) => quote(Array.isArray(c[col]) ? (c[col] as string[]).join(';') : c[col])).join(','),
    );
    const companiesCsv = join(dir, 'companies.csv');
    await writeFile(companiesCsv, [columns.join(','), ...csvRows].join('\n'));
    const needsNdjson = join(dir, 'needs.ndjson');
    await writeFile(needsNdjson, sampleNeeds.map((n) => JSON.stringify(n)).join('\n'));

    const fromJson = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile]);
    const fromOthers = await partnermatch(['rank', '--companies', companiesCsv, '--needs', needsNdjson]);
    expect(fromOthers.code).toBe(0);
    expect(JSON.parse(fromOthers.stdout)).toEqual(JSON.parse(fromJson.stdout));

    // One rule for unknown CSV columns, as in the service: rejected by name, nothing dropped silently.
    const misspelt = join(dir, 'misspelt.csv');
    await writeFile(misspelt, 'id,name,description,sektors\nc1,A,B,energy.solar\n');
    const rejected = await partnermatch(['validate', misspelt]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain(`${misspelt}: header[3]: unknown column "sektors"`);
  });

  it('rejects ids that cannot be a path segment or file name (lone surrogate, "..", "/")', async () => {
    const dir = await tempDir();
    const needs = join(dir, 'needs.ndjson');
    const base = { title: 't', organization: 'o', description: 'd' };
    await writeFile(needs, [{ id: 'x\ud800', ...base }, { id: '..', ...base }, { id: 'a/b', ...base }].map((n) => JSON.stringify(n)).join('\n'));
    const result = await partnermatch(['rank', '--companies', companiesFile, '--needs', needs]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${needs}: needs[0].id: must be well-formed Unicode`);
    expect(result.stderr).toContain(`${needs}: needs[1].id: must not be ".."`);
    expect(result.stderr).toContain(`${needs}: needs[2].id: must not contain "/"`);
  });

  it('rejects bad input with exit 2, every problem by file, record and field, and writes nothing', async () => {
    const dir = await tempDir();
    const bad = sampleCompanies.map((c) => ({ ...c }));
    bad[3] = { ...bad[3], sectors: ['energy.nuclear'] };
    bad[5] = { ...bad[5], orgNumber: '556036-0794' };
    delete bad[7]!['description'];
    const badFile = join(dir, 'companies.json');
    await writeFile(badFile, JSON.stringify(bad));
    const out = join(dir, 'out.json');
    await writeFile(out, 'previous results');

    const result = await partnermatch(['rank', '--companies', badFile, '--needs', needsFile, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${badFile}: companies[3].sectors[0]: unknown sector tag "energy.nuclear"`);
    expect(result.stderr).toContain(`${badFile}: companies[5].orgNumber: check digit does not match`);
    expect(result.stderr).toContain(`${badFile}: companies[7].description: is required`);
    expect(result.stdout).toBe('');
    expect(await readFile(out, 'utf8')).toBe('previous results');
  });

  it('answers usage errors with exit 2 and the usage text', async () => {
    const missing = await partnermatch(['rank', '--companies', companiesFile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--needs is required');
    expect(missing.stderr).toContain('Usage:');
    const unknown = await partnermatch(['rank', '--bogus']);
    expect(unknown.code).toBe(2);
    const top = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--top', 'ten']);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain('--top must be a whole number');
    const none = await partnermatch([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('a command is required');
    const badOptions = join(await tempDir(), 'options.json');
    await writeFile(badOptions, JSON.stringify({ bm25: { k1: '2' }, wieghts: {} }));
    const options = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--options', badOptions]);
    expect(options.code).toBe(2);
    expect(options.stderr).toContain(`${badOptions}: options.bm25.k1: must be a number`);
    expect(options.stderr).toContain(`${badOptions}: options: unknown field(s) wieghts`);
    const noFolder = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--out', '/nonexistent/dir/out.json']);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('cannot write here');
    const help = await partnermatch(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('partnermatch rank-needs');
  });
});

describe('partnermatch rank-needs', () => {
  it('ranks open needs for every company, never a closed one', async () => {
    const result = await partnermatch(['rank-needs', '--companies', companiesFile, '--needs', needsFile, '--top', '48']);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as { companyId: string; matches: { needId: string }[] }[];
    expect(entries.map((e) => e.companyId)).toEqual(sampleCompanies.map((c) => c.id));
    const closed = new Set(sampleNeeds.filter((n) => n.status === 'closed').map((n) => n.id));
    expect(closed.size).toBeGreaterThan(0);
    for (const entry of entries) for (const match of entry.matches) expect(closed.has(match.needId)).toBe(false);
  });
});

describe('partnermatch validate', () => {
  it('accepts the sample files', async () => {
    const result = await partnermatch(['validate', companiesFile, needsFile, join(sampleDir, 'qrels.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok (48 companies)');
  });

  it('lists every problem of every file', async () => {
    const dir = await tempDir();
    const needs = join(dir, 'needs.json');
    await writeFile(needs, JSON.stringify([{ id: 'n1', title: 't', organization: 'o', description: 'd' }, { id: 'n1', title: 't', organization: 'o', description: 'd', status: 'paused' }]));
    const broken = join(dir, 'companies.json');
    await writeFile(broken, '[{"id": "c1",');
    const result = await partnermatch(['validate', needs, broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${needs}: needs[1].status: must be "open" or "closed", got "paused"`);
    expect(result.stderr).toContain(`${broken}: not valid JSON`);
  });
});

describe('partnermatch eval', () => {
  it('prints nDCG@10 and MRR as JSON for the sample set', async () => {
    const result = await partnermatch(['eval', '--set', sampleDir, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ndcg10: number; mrr: number; needs: number };
    expect(report.needs).toBe(Object.keys(JSON.parse(readFileSync(join(sampleDir, 'qrels.json'), 'utf8'))).length);
    expect(report.ndcg10).toBeGreaterThan(0.8);
    expect(report.mrr).toBeGreaterThan(0.85);
  });

  it('meets the targets on the dev set (nDCG@10 ≥ 0.85, MRR ≥ 0.90)', async () => {
    const result = await partnermatch(['eval', '--set', devSetDir, '--json', '--verbose']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ndcg10: number; mrr: number; needs: number; perNeed: unknown[] };
    const judged = Object.values(JSON.parse(readFileSync(join(devSetDir, 'qrels.json'), 'utf8')) as Record<string, object>);
    expect(report.needs).toBe(judged.filter((j) => Object.keys(j).length > 0).length);
    expect(report.perNeed).toHaveLength(report.needs);
    expect(report.ndcg10).toBeGreaterThanOrEqual(0.85);
    expect(report.mrr).toBeGreaterThanOrEqual(0.9);
  });
});

describe('partnermatch eval --direction needs', () => {
  it('ranks needs for every company the labels grade, judged by the same grades read the other way', async () => {
    const result = await partnermatch(['eval', '--set', sampleDir, '--json', '--verbose', '--direction', 'needs']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ndcg10: number; mrr: number; companies: number; direction: string; perCompany: { companyId: string; top: { id: string; grade: number }[] }[] };
    const qrels = JSON.parse(readFileSync(join(sampleDir, 'qrels.json'), 'utf8')) as Record<string, Record<string, number>>;
    const inverted: Record<string, Record<string, number>> = {};
    for (const [needId, graded] of Object.entries(qrels)) for (const [companyId, grade] of Object.entries(graded)) if (grade > 0) (inverted[companyId] ??= {})[needId] = grade;
    expect(report.direction).toBe('needs');
    expect(report.companies).toBe(Object.keys(inverted).length);
    // The same figure from the library: every company's needs, ranked and judged.
    const matcher = createMatcher({ companies: sampleCompanies as unknown as Company[], needs: sampleNeeds as unknown as PartnerNeed[] });
    const rankings = new Map(Object.keys(inverted).map((id) => [id, matcher.rankNeeds(id, { limit: matcher.needCount, includeExpired: true, explain: false }).map((m) => m.id)]));
    const expected = evaluateRankings(rankings, inverted, { k: 10 });
    expect(report.ndcg10).toBeCloseTo(expected.ndcg, 4);
    expect(report.mrr).toBeCloseTo(expected.mrr, 4);
    expect(report.perCompany.map((c) => c.companyId).sort()).toEqual(Object.keys(inverted).sort());
    // A need's grade is the grade it gave the company.
    for (const company of report.perCompany) for (const { id, grade } of company.top) expect(grade).toBe(inverted[company.companyId]![id] ?? 0);
    const bad = await partnermatch(['eval', '--set', sampleDir, '--direction', 'sideways']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--direction must be companies or needs');
  });
});

describe('partnermatch eval with and without the lexicon', () => {
  it('reports both figures, and --options no-lexicon.json swaps them', async () => {
    const on = await partnermatch(['eval', '--set', sampleDir, '--json']);
    expect(on.code).toBe(0);
    const withLexicon = JSON.parse(on.stdout) as { ndcg10: number; mrr: number; lexicon: boolean; withoutLexicon: { ndcg10: number; mrr: number } };
    expect(withLexicon.lexicon).toBe(true);
    const noLexicon = join(sampleDir, '..', 'options', 'no-lexicon.json');
    const off = await partnermatch(['eval', '--set', sampleDir, '--json', '--options', noLexicon]);
    expect(off.code).toBe(0);
    const withoutLexicon = JSON.parse(off.stdout) as { ndcg10: number; mrr: number; lexicon: boolean; withLexicon: { ndcg10: number; mrr: number } };
    expect(withoutLexicon.lexicon).toBe(false);
    expect(withoutLexicon.ndcg10).toBe(withLexicon.withoutLexicon.ndcg10);
    expect(withoutLexicon.withLexicon).toEqual({ ndcg10: withLexicon.ndcg10, mrr: withLexicon.mrr });

    const text = await partnermatch(['eval', '--set', sampleDir]);
    expect(text.stdout).toContain(`nDCG@10  ${withLexicon.ndcg10.toFixed(4)} (without lexicon ${withLexicon.withoutLexicon.ndcg10.toFixed(4)})`);
  });

  // Labelled sets written apart from the engine, each measured once before any change it led
  // to (their READMEs): a floor under that figure, and what the lexicon layer must add (the
  // energy set lies in the glossary's own domain, where it may add little and must cost little).
  it.each([
    // Session 34 cost it 0.009 with the lexicon (0.961 → 0.952; 0.857 → 0.855 without): its other sets gained.
    ['everyday trades', 'trades-check', { floor: 0.9, overNoLexicon: 0.08, mrr: 1 }], // 0.952; 0.855 without
    ['energy and environment needs', 'energy-check', { floor: 0.93, overNoLexicon: -0.01, mrr: 1 }], // 0.963; 0.964 without
    ['services and crafts', 'services-check', { floor: 0.92, overNoLexicon: 0.2, mrr: 1 }], // 0.966; 0.695 without
    // Harder sets, with near-misses that share the right firms' words and sectors.
    ['Yunnan trades with near-misses', 'yunnan-check', { floor: 0.8, overNoLexicon: 0.1, mrr: 0.85 }], // 0.876 (0.735 first); 0.675 without
    ['energy firms told apart from their neighbours', 'energy-hard', { floor: 0.89, overNoLexicon: 0, mrr: 0.95 }], // 0.925 (0.891 first); 0.892 without
    ['the rest of the economy, with near-misses', 'economy-hard', { floor: 0.92, overNoLexicon: 0.15, mrr: 0.95 }], // 0.961 (0.929 first); 0.730 without
    ['environmental technology beyond power, with near-misses', 'environment-hard', { floor: 0.82, overNoLexicon: 0.05, mrr: 0.85 }], // 0.875 (0.790 first); 0.758 without
    // Written in session 31; the lexicon still costs on the first (its README says why).
    ['colloquial energy and environment needs from Yunnan', 'plateau-hard', { floor: 0.76, overNoLexicon: -0.05, mrr: 0.8 }], // 0.808 (0.792 first); 0.807 without
    ['trades of the Yunnan market, with near-misses', 'market-hard', { floor: 0.8, overNoLexicon: 0.28, mrr: 0.85 }], // 0.885 (0.806 first); 0.473 without; 0.914 and 0.614 without in session 47, whose glossary terms lifted both
    // Written in session 32.
    ['energy and environment in Yunnan industry, with near-misses', 'industry-hard', { floor: 0.78, overNoLexicon: 0.12, mrr: 0.85 }], // 0.860 (0.821 first); 0.627 without
    ['the rest of the economy in Yunnan towns, with near-misses', 'city-hard', { floor: 0.8, overNoLexicon: 0.1, mrr: 0.85 }], // 0.865 (0.815 first); 0.694 without
    // Written in session 33.
    ['infrastructure and networks in Yunnan, with near-misses', 'infrastructure-hard', { floor: 0.75, overNoLexicon: 0.1, mrr: 0.8 }], // 0.801 (0.773 first); 0.615 without
    ['energy and environment in Yunnan counties and villages, with near-misses', 'county-hard', { floor: 0.72, overNoLexicon: 0.1, mrr: 0.75 }], // 0.786 (0.779 first); 0.638 without
    // Written in session 34.
    ['energy and environment of Yunnan enterprises, with near-misses', 'factory-hard', { floor: 0.79, overNoLexicon: 0.12, mrr: 0.88 }], // 0.854 (0.829 first); 0.669 without
    ['consumer goods, food, crafts and services of Yunnan, with near-misses', 'livelihood-hard', { floor: 0.8, overNoLexicon: 0.05, mrr: 0.9 }], // 0.872 (0.841 first); 0.778 without
    ['farms, plantations and forests of Yunnan, with near-misses', 'farm-hard', { floor: 0.72, overNoLexicon: 0.12, mrr: 0.85 }], // 0.772 first (at the session's last ranking change); 0.568 without
    // Written in session 35, measured before any change of it; in the glossary's own domain the lexicon costs (README).
    ['energy and environmental utilities of Yunnan, with near-misses', 'utility-hard', { floor: 0.78, overNoLexicon: -0.06, mrr: 0.85 }], // 0.828 first; 0.863 without
    ['consumer goods and services of Yunnan, with near-misses', 'commerce-hard', { floor: 0.8, overNoLexicon: 0.05, mrr: 0.9 }], // 0.850 first; 0.753 without
    ['energy and environment around the waters of Yunnan, with near-misses', 'water-hard', { floor: 0.79, overNoLexicon: 0.04, mrr: 0.85 }], // 0.831 first, 0.843 with the translated concepts; 0.761 without
    // Written in session 36, each measured once, after the session's only engine change (explanations' cache, which moves no ranking).
    ['energy and environment in buildings in Yunnan, with near-misses', 'building-hard', { floor: 0.83, overNoLexicon: 0.05, mrr: 0.9 }], // 0.885 first; 0.784 without
    ['tourism, hospitality, culture and leisure in Yunnan, with near-misses', 'tourism-hard', { floor: 0.79, overNoLexicon: 0.05, mrr: 0.88 }], // 0.846 first; 0.727 without
    ['trade, logistics, packaging and retail in Yunnan, with near-misses', 'logistics-hard', { floor: 0.78, overNoLexicon: 0.15, mrr: 0.9 }], // 0.834 first, 0.840 without the calendar senses; 0.570 without
    // Written in session 37, measured once at 58c79de, then with query term frequencies saturated (chosen before they were seen).
    ['energy and environment in Yunnan transport and mobility, with near-misses', 'mobility-hard', { floor: 0.77, overNoLexicon: 0.08, mrr: 0.9 }], // 0.810 first, 0.827 saturated, 0.808 with sets saturated by occurrences, 0.820 with tags inferred from 0.35; 0.689 without
    ['care, health and education in Yunnan, with near-misses', 'care-hard', { floor: 0.69, overNoLexicon: 0.1, mrr: 0.8 }], // 0.746 first, 0.742 saturated, 0.757 with sets saturated by occurrences, 0.758 with tags inferred from 0.35; 0.584 without
    // Written in session 37 after its last ranking change, measured once.
    ['digital and professional services for Yunnan, with near-misses', 'digital-hard', { floor: 0.84, overNoLexicon: 0.15, mrr: 0.9 }], // 0.895 first, 0.898 with tags inferred from 0.35; 0.651 without
    // Written in session 38 after its ranking change, measured once.
    ['food and drink processing in Yunnan, with near-misses', 'food-hard', { floor: 0.78, overNoLexicon: 0.08, mrr: 0.85 }], // 0.831 first; 0.689 without
    ['mining, metals, chemicals and building materials in Yunnan, with near-misses', 'materials-hard', { floor: 0.84, overNoLexicon: 0.05, mrr: 0.88 }], // 0.898 first; 0.788 without
    // Written in session 39 before its changes, measured once (the session's trade vocabulary was then written for its fields, not its text).
    ['consumer goods and services of Yunnan (furniture, garments, printing, games, cosmetics, silver, ceramics, pets, bicycles), with near-misses', 'consumer-hard', { floor: 0.82, overNoLexicon: 0.3, mrr: 0.93 }], // 0.868 first, 0.874 with the vocabulary; 0.463 without
    // Written in session 39 after its changes, measured once.
    ['energy and environment and the rest of the economy, as a fair collects them, with near-misses', 'mixed-hard', { floor: 0.88, overNoLexicon: 0.1, mrr: 0.9 }], // 0.939 first; 0.775 without
    // Written in session 40 before its changes, measured once; its misses then led to glossary 1.3.0 and the session's energy vocabulary.
    ['energy and environment away from the obvious fields (smelters, phosphogypsum, vinasse, icing, CBAM, forest carbon, line losses), with near-misses', 'green-hard', { floor: 0.88, overNoLexicon: 0, mrr: 0.93 }], // 0.906 first, 0.935 after (0.851, 0.912 without: the glossary's new concepts serve both)
    // Written in session 40 after the glossary commit, measured once (0.770); its misses then led to the e-commerce concepts and the notice frame as filler.
    ['the rest of the economy (flowers, coffee, herbal extracts, embroidery, e-commerce, care training, kayaks, pet food, cosmetics, e-bikes, animation, laundry, bamboo, dairy, cartons), with near-misses', 'trade-hard', { floor: 0.78, overNoLexicon: 0.15, mrr: 0.9 }], // 0.770 first, 0.843 after; 0.556, 0.611 without
    // Written in session 41, each measured once (guild-hard at 736070a, civic-hard and climate-hard after the session's neutral tag score and filler); their misses then led to glossary 1.3.1 and a few lexicon lines.
    ['crafts, trades and services (pottery kilns, silver, soundproofing, bakery ovens, riding, dentistry, marble, boats, mushrooms, yak wool, hearing, law, archives), with near-misses', 'guild-hard', { floor: 0.87, overNoLexicon: 0.25, mrr: 0.93 }], // 0.912 first, 0.936 after; 0.590 without
    ['public services and the rest of the economy (school kitchens, kindergartens, fire safety, museums, orchards, training, infection control, blood cold chain, pools, buses, toys), with near-misses', 'civic-hard', { floor: 0.85, overNoLexicon: 0.2, mrr: 0.93 }], // 0.904 first (0.881 at the session's start); 0.607 without
    ['energy, environment and climate away from the obvious (fish passage, landslides, refrigerants, biochar, mine water, noise, heat pumps, microgrids, a glacier), with near-misses', 'climate-hard', { floor: 0.87, overNoLexicon: 0.03, mrr: 0.93 }], // 0.921 first, 0.929 after (0.915 at the session's start); 0.838 without
    ['Yunnan firms selling into Sweden (importers, labelling, CE, organic, EUDR, customs, VAT, fairs, EU fulfilment), with near-misses', 'export-hard', { floor: 0.78, overNoLexicon: 0.15, mrr: 0.9 }], // 0.786 first (0.787 at the session's start), 0.830 after the place names, kept-apart stems and VAT words; 0.608 without
    ['medical technology, diagnostics and health IT (CT service, sterile supply, clean rooms, dialysis water, gases, MDR, orthoses, biobanks), with near-misses', 'medtech-hard', { floor: 0.88, overNoLexicon: 0.12, mrr: 0.93 }], // 0.917 first (0.906 at the session's start), 0.953 with the ECG concept; 0.721 without
    // Written in session 41 after export-hard's changes, measured once and left as it was measured.
    ['Yunnan firms doing business in Sweden (agents, importers, subsidiaries, co-development, tour operators, localisation, consumer tests, last mile, liability), with near-misses', 'entry-hard', { floor: 0.8, overNoLexicon: 0.1, mrr: 0.9 }], // 0.855 first (0.830 at the session's start); 0.679 without
    // Written in session 42 and measured once each (at dcf4e46); home, leisure and power then became dev data, goods and office are held out.
    ['furniture, interiors, home textiles, kitchenware, packaging, pets and beauty, with near-misses', 'home-hard', { floor: 0.8, overNoLexicon: 0.3, mrr: 0.85 }], // 0.844 first, 0.861 with text weighted 0.55; 0.490 without
    ['hotels, catering, events, sport, games, schools, museums, tea and coffee houses, with near-misses', 'leisure-hard', { floor: 0.8, overNoLexicon: 0.12, mrr: 0.9 }], // 0.841 first, 0.872 with text weighted 0.55; 0.696 without
    ['energy and environment of utilities, parks, counties and factories, with near-misses', 'power-hard', { floor: 0.88, overNoLexicon: 0.02, mrr: 0.93 }], // 0.925 first, 0.941 with text weighted 0.55; 0.907 without
    ['Yunnan makers of consumer goods (garments, jade, tea, spirits, flowers, toys, crafts, cosmetics ingredients, bicycles), with near-misses', 'goods-hard', { floor: 0.72, overNoLexicon: 0.1, mrr: 0.85 }], // 0.786 first, 0.788 now; 0.624 without
    ['business and public services (banks, insurance, law, property, guards, IT security, HR, advertising, translation, e-government), with near-misses', 'office-hard', { floor: 0.8, overNoLexicon: 0.15, mrr: 0.93 }], // 0.852 first, 0.859 now; 0.635 without
    // Written at the end of session 42 and measured once, at its last engine (dac2ed4); held out.
    ['a Kunming fair outside energy (furniture, bees, workwear, hotels, tea, food, medical devices, animation, warehousing), with near-misses', 'fair-hard', { floor: 0.82, overNoLexicon: 0.25, mrr: 0.9 }], // 0.876 first (0.860 at the session's start); 0.530 without
    ['energy and environment of towns, parks, mines, farms and utilities, with near-misses', 'enviro-hard', { floor: 0.8, overNoLexicon: 0.05, mrr: 0.9 }], // 0.851 first (0.851 at the session's start); 0.743 without
    // Written in session 43 and measured first at its start (26e36f7); wood and herbal then became dev data, school is held out.
    ['forestry and wood (sawmills, pellets, bamboo charcoal, tissue paper, panels, forest fire, nurseries), with near-misses', 'wood-hard', { floor: 0.75, overNoLexicon: 0.1, mrr: 0.8 }], // 0.802 first, 0.803 after; 0.623 without
    ['Yunnan herbs and health products (notoginseng, gastrodia, dendrobium, extraction, GMP, EU registration, cold chain), with near-misses', 'herbal-hard', { floor: 0.76, overNoLexicon: 0.1, mrr: 0.85 }], // 0.774 first, 0.811 after; 0.623 without
    ['education and training (vocational schools, languages, e-learning, labs, kindergartens, study tours), with near-misses', 'school-hard', { floor: 0.76, overNoLexicon: 0.1, mrr: 0.83 }], // 0.808 first, 0.818 after; 0.623 without
    // Written at the end of session 43 and measured once, at its last engine (4255cb7); held out.
    ['the rest of the economy as a matchmaking day collects it (furniture, honey, workwear, hotel supplies, tea, food, medical devices, games, logistics), with near-misses', 'expo-hard', { floor: 0.85, overNoLexicon: 0.12, mrr: 0.9 }], // 0.909 first (0.907 at the session's start); 0.699 without
    ['energy and environment of Yunnan firms outside power (solar drying, biogas, mill wastewater, cold stores, hotels, e-buses, village water, mine sites), with near-misses', 'eco-hard', { floor: 0.83, overNoLexicon: 0.06, mrr: 0.93 }], // 0.880 first (0.875 at the session's start); 0.738 without
    // Written in session 44 and measured once, at its start (139b47f; the session's one engine change moves no analysis); held out.
    ['the rest of the economy (cut flowers and bulbs, wild mushrooms, silver and jade, embroidery, plant cosmetics, outdoor gear, printing, pet food, instruments, animation), with near-misses', 'bloom-hard', { floor: 0.85, overNoLexicon: 0.2, mrr: 0.93 }], // 0.904 first; 0.602 without
    ['circular economy and waste (batteries, e-waste, demolition waste, textiles, plastics, kitchen waste, sludge, symbiosis, tyres, glass, landfill gas, deposit return), with near-misses', 'cycle-hard', { floor: 0.83, overNoLexicon: 0.1, mrr: 0.9 }], // 0.885 first; 0.720 without
    // Written at the end of session 44 and measured once, at its last engine (cd7a517); held out.
    ['small businesses of Yunnan towns (car repair, salons, weddings, gyms, clinics, property, kitchens, second-hand, bakeries, scooters, print shops, pet clinics), with near-misses', 'street-hard', { floor: 0.82, overNoLexicon: 0.2, mrr: 0.9 }], // 0.877 first; 0.561 without
    ['energy and environment of heavy industry (silicon furnaces, aluminium, cement, ferroalloys, phosphorus, paper, waste heat, compressed air, dust, audits, demand response, carbon), with near-misses', 'heavy-hard', { floor: 0.75, overNoLexicon: 0.1, mrr: 0.88 }], // 0.808 first; 0.617 without
    // Written in session 46 and measured once at its start (be89d3e); dev data since.
    ['energy and environment of mines (tailings, mine water, dust, fans, electric haulage, positioning, blasting, ore sorting, conveyors, rehabilitation, soil), with near-misses', 'mine-hard', { floor: 0.8, overNoLexicon: 0.1, mrr: 0.85 }], // 0.851 first; 0.691 without
    ['the creative economy and consumer services (crafts, museum, coffee, festival, games, books, film, design, kindergarten, photos, pet food, elderly care, ice hockey), with near-misses', 'culture-hard', { floor: 0.85, overNoLexicon: 0.12, mrr: 0.9 }], // 0.909 first; 0.708 without
    // Written in session 47 and measured once at its start (beb0b3f); dev data since.
    ['energy and environment (small hydro, lake runoff, village sewage, kilns, cold stores, off-grid solar, coffee wastewater, food waste, solvents, cadmium, elephants, waterlogging, electric boats), with near-misses', 'horizon-hard', { floor: 0.84, overNoLexicon: 0.03, mrr: 0.9 }], // 0.894 first; 0.824 without
    ['the rest of the economy (hotel furniture, honey, workwear, staff training, coffee, bakery, elderly care, games, warehousing, tie-dye, toys, boats, tea packaging, a festival, skincare), with near-misses', 'bazaar-hard', { floor: 0.88, overNoLexicon: 0.15, mrr: 0.93 }], // 0.934 first; 0.694 without
    // Written in session 47 and measured once at beb0b3f and again at 00ab61a, the same; harbor-hard is dev data since, delta-hard held out.
    ['the rest of the economy (furniture, bees, workwear, guesthouses, tea, elderly care, games, flowers, cosmetics, outdoor gear, kindergartens, boats, coffee, tourism, a sales office in Sweden), with near-misses', 'harbor-hard', { floor: 0.8, overNoLexicon: 0.12, mrr: 0.85 }], // 0.858 first; 0.654 without
    ['energy and environment of industrial parks, farms, public buildings and transport (boilers, plating, heat recovery, drying, manure, biogas, lighting, electric vans, forest fire, rivers), with near-misses', 'delta-hard', { floor: 0.84, overNoLexicon: 0.06, mrr: 0.93 }], // 0.890 first; 0.762 without
    // Written in session 47 and measured once at ce36a55 (the same at beb0b3f: 0.889 and 0.893); anvil-hard is dev data since, ridge-hard held out.
    ['business-to-business trades (presses, welding robots, wrapping machines, noodle lines, tools, looms, testing, CE, MES, design, warehouses, dressings, farm machines, fairs, boats), with near-misses', 'anvil-hard', { floor: 0.84, overNoLexicon: 0.2, mrr: 0.93 }], // 0.892 first; 0.628 without
    ['energy and environment of towns, scenic areas, mountains and farms (toilets, fire safety, hot water, small hydro, curing barns, boilers, landslides, garbage, e-buses, carbon), with near-misses', 'ridge-hard', { floor: 0.84, overNoLexicon: 0.06, mrr: 0.93 }], // 0.894 first; 0.773 without
    // Written in session 48 and measured once, at b704fca (and at the session's start, c341fe2); both held out.
    ['energy and environment of cities, industrial parks and transport (hospital energy, compressed air, steam, rooftop solar, pipe leaks, quarry dust, VOCs, dairy effluent, EV depots, demolition waste, landfill gas, power quality, district cooling, cold stores), with near-misses', 'summit-hard', { floor: 0.86, overNoLexicon: 0.1, mrr: 0.93 }], // 0.910 first (0.891 at the session's start); 0.764 without
    ['everyday small businesses (kindergartens, bakeries, coffee, hotel laundry, elderly care, dentists, silver, flower packaging, web-shop returns, software, a festival, furniture, mushroom labels, wedding photos, floorball), with near-misses', 'canopy-hard', { floor: 0.84, overNoLexicon: 0.13, mrr: 0.93 }], // 0.888 first (the same at the session's start); 0.705 without
    // Written in session 49 and measured once, at c3c437b (the session's changes read only traditional Chinese: the same at its start); both held out.
    ['energy and environment (manure biogas, small hydro, a grid battery, rooftop solar, highland district heating, cement and steel audits, leachate, lake restoration, slag and tailings, air sensors, waste sorting, e-buses, retrofits, drip irrigation, coffee wastewater), with near-misses', 'lantern-hard', { floor: 0.9, overNoLexicon: 0.01, mrr: 0.93 }], // 0.946 first; 0.916 without
    ['the rest of the economy (coffee, roses, walnut oil, an inn, trekking, tie-dye, cheese, a game studio, rehabilitation, a vocational college, fruit exports, a mushroom web shop, elderly care, instruments, a bilingual kindergarten), with near-misses', 'meadow-hard', { floor: 0.87, overNoLexicon: 0.08, mrr: 0.93 }], // 0.921 first; 0.806 without
  ] as const)('ranks %s it was not tuned on (fixtures/%s)', async (_what, set, expected) => {
    const result = await partnermatch(['eval', '--set', join(repoRoot, 'fixtures', set), '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ndcg10: number; mrr: number; withoutLexicon: { ndcg10: number; mrr: number } };
    expect(report.ndcg10).toBeGreaterThanOrEqual(expected.floor);
    expect(report.mrr).toBeGreaterThanOrEqual(expected.mrr);
    expect(report.ndcg10 - report.withoutLexicon.ndcg10).toBeGreaterThanOrEqual(expected.overNoLexicon);
  });
});

describe('partnermatch eval-beir', () => {
  // fixtures/options/scifact.json holds the settings chosen on the train split (README).
  it.skipIf(!hasSciFact)('beats published BM25 (0.684, PyTerrier) on SciFact test with settings chosen on train', async () => {
    const options = join(sampleDir, '..', 'options', 'scifact.json');
    const result = await partnermatch(['eval-beir', '--dir', scifactDir, '--split', 'test', '--json', '--options', options]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ndcg10: number; queries: number; split: string };
    expect(report).toMatchObject({ queries: 300, split: 'test', lexicon: true });
    expect(report.ndcg10).toBeGreaterThan(0.684);
    expect((report as { withoutLexicon?: { ndcg10: number } }).withoutLexicon?.ndcg10).toBeGreaterThan(0.6);
  });

  it('reports a missing folder as bad input', async () => {
    const result = await partnermatch(['eval-beir', '--dir', join(sampleDir, 'nope')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read file');
  });
});
