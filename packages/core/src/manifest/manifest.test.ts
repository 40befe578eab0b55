import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PartnermatchError } from '../errors.js';
import { resolveMatcherOptions, validateInput } from '../matcher.js';
import type { Company, PartnerNeedInput } from '../schema/records.js';
import { lexicon } from '../lexicon/lexicon.js';
import { taxonomy } from '../taxonomy/taxonomy.js';
import { canonicalJson, compareManifest, createManifest, createManifestAsync } from './manifest.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../fixtures/sample/${name}`, import.meta.url)), 'utf8')) as T;
const companies = fixture<Company[]>('companies.json');
const needs = fixture<PartnerNeedInput[]>('needs.json');
const version = (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
const asOf = '2026-03-01T09:00:00.000Z';

describe('canonicalJson', () => {
  it('writes one string per value whatever the key order, leaving out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('createManifest', () => {
  const manifest = createManifest({ companies, needs, options: { conceptWeight: 2 }, asOf, run: { top: 10, explain: true } });

  it('names the engine, data and runtime versions, the resolved options, asOf and the input digests', () => {
    expect(manifest.engine).toEqual({ name: '@partnermatch/core', version });
    expect(manifest.versions).toEqual({ taxonomy: taxonomy.version, glossary: taxonomy.version, lexicon: `${lexicon().info.built}+${lexicon().digest}` });
    expect(createManifest({ companies, needs, options: { analyzer: { lexicon: false } }, asOf }).versions.lexicon).toBeNull();
    expect(manifest.runtime.node).toBe(process.version);
    expect(manifest.runtime.icu).toBe(process.versions.icu);
    expect(manifest.runtime.natural).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.options).toEqual(resolveMatcherOptions({ conceptWeight: 2 }));
    expect(manifest.run).toEqual({ explain: true, top: 10 });
    expect(manifest.asOf).toBe(asOf);
    expect(manifest.input.companies.count).toBe(companies.length);
    expect(manifest.input.needs.records.map(([id]) => id)).toEqual(needs.map((n) => n.id));
    expect(manifest.input.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the validated records: key order and a written default do not change the digest', () => {
    const reordered = companies.map((c) => Object.fromEntries(Object.entries(c).reverse()));
    const withStatus = needs.map((n) => ({ ...n, status: n.status ?? 'open' }));
    const again = createManifest({ companies: reordered, needs: withStatus, options: { conceptWeight: 2 }, asOf: new Date(asOf), run: { explain: true, top: 10 } });
    expect(canonicalJson(again)).toBe(canonicalJson(manifest));
  });

  it('digests the canonical JSON of the records as written out whole, per kind and per record', () => {
    const { companies: valid, needs: validNeeds } = validateInput({ companies, needs });
    const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    expect(manifest.input.sha256).toBe(sha(canonicalJson({ companies: valid, needs: validNeeds })));
    expect(manifest.input.companies.sha256).toBe(sha(canonicalJson(valid)));
    expect(manifest.input.needs.sha256).toBe(sha(canonicalJson(validNeeds)));
    expect(manifest.input.needs.records[0]).toEqual([validNeeds[0]!.id, sha(canonicalJson(validNeeds[0])).slice(0, 16)]);
    const empty = createManifest({ asOf });
    expect(empty.input.sha256).toBe(sha('{"companies":[],"needs":[]}'));
    expect(empty.input.companies.sha256).toBe(sha('[]'));
  });

  it('hashes records already validated as given, to the same manifest', () => {
    const { companies: valid, needs: validNeeds } = validateInput({ companies, needs });
    const trusted = createManifest({ companies: valid, needs: validNeeds, validated: true, options: { conceptWeight: 2 }, asOf, run: { top: 10, explain: true } });
    expect(trusted).toEqual(manifest);
  });

  it('builds the same bytes in slices, letting other work run between them', async () => {
    const { companies: valid, needs: validNeeds } = validateInput({ companies, needs });
    // Each record a slice (sliceMs 0): work queued before it runs before the manifest is done;
    // built in one piece, the manifest would be done first.
    let ranBetween = false;
    setImmediate(() => (ranBetween = true));
    const sliced = await createManifestAsync({ companies: valid, needs: validNeeds, validated: true, options: { conceptWeight: 2 }, asOf, run: { top: 10, explain: true } }, { sliceMs: 0 });
    expect(ranBetween).toBe(true);
    expect(canonicalJson(sliced)).toBe(canonicalJson(manifest));
    // Unvalidated input and the default slice give the same manifest too.
    expect(canonicalJson(await createManifestAsync({ companies, needs, options: { conceptWeight: 2 }, asOf, run: { top: 10, explain: true } }))).toBe(canonicalJson(manifest));
    await expect(createManifestAsync({ companies, needs, asOf: 'soon' })).rejects.toThrow(/asOf/);
  });

  it('rejects a bad asOf and bad records, naming the field', () => {
    expect(() => createManifest({ companies, needs, asOf: 'soon' })).toThrow(/asOf/);
    try {
      createManifest({ companies: [{ id: 'x', name: 'X' }], asOf });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PartnermatchError);
      expect((error as PartnermatchError).issues.map((i) => i.path)).toContain('companies[0].description');
    }
  });

  it('gives the same bytes in two separate processes', () => {
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    expect(existsSync(dist), 'build @partnermatch/core first (npm test does)').toBe(true);
    const script = `
      import { readFileSync } from 'node:fs';
      import { createManifest, canonicalJson } from ${JSON.stringify(dist)};
      const read = (f) => JSON.parse(readFileSync(${JSON.stringify(fileURLToPath(new URL('../../../../fixtures/sample/', import.meta.url)))} + f, 'utf8'));
      process.stdout.write(canonicalJson(createManifest({ companies: read('companies.json'), needs: read('needs.json'), options: { conceptWeight: 2 }, asOf: ${JSON.stringify(asOf)}, run: { top: 10, explain: true } })));
    `;
    const run = () => execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const first = run();
    expect(run()).toBe(first);
    expect(first).toBe(canonicalJson(manifest));
  }, 60_000);
});

describe('compareManifest', () => {
  const base = createManifest({ companies, needs, asOf });

  it('finds nothing between two manifests of one run', () => {
    expect(compareManifest(base, createManifest({ companies, needs, asOf }))).toEqual({ same: true, differences: [] });
  });

  it('names each changed option, setting and moment by its path', () => {
    const other = createManifest({ companies, needs, options: { bm25: { k1: 1.5 } }, asOf: '2026-04-01', run: { top: 5 } });
    const { same, differences } = compareManifest(base, other);
    expect(same).toBe(false);
    expect(differences.map((d) => d.path)).toEqual(['asOf', 'options.bm25.k1', 'run.top']);
    expect(differences.find((d) => d.path === 'options.bm25.k1')).toMatchObject({ expected: 1.2, actual: 1.5, message: 'options.bm25.k1: 1.2 → 1.5' });
  });

  it('names the records that changed, went missing, are new or moved', () => {
    const changed = companies.map((c) => (c.id === 's-c05' ? { ...c, employees: (c.employees ?? 0) + 1 } : c));
    const fewer = changed.filter((c) => c.id !== 's-c07');
    const more = [...fewer, { id: 's-c99', name: 'Ny Firma AB', description: 'Vi bygger solcellsparker.' }];
    const messages = compareManifest(base, createManifest({ companies: more, needs, asOf })).differences.map((d) => d.message);
    expect(messages).toEqual([
      'input.companies: record "s-c05" has changed',
      'input.companies: record "s-c07" is missing',
      'input.companies: record "s-c99" is new',
    ]);
    const swapped = [companies[1]!, companies[0]!, ...companies.slice(2)];
    expect(compareManifest(base, createManifest({ companies: swapped, needs, asOf })).differences.map((d) => d.message)).toEqual([
      'input.companies: the records are in another order (results follow input order)',
    ]);
  });

  it('tells a different engine or runtime apart', () => {
    const older = { ...base, engine: { ...base.engine, version: '0.0.9' }, runtime: { ...base.runtime, icu: '70.1' } };
    expect(compareManifest(older, base).differences.map((d) => d.path)).toEqual(['engine.version', 'runtime.icu']);
  });
});
