import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { taxonomy } from './taxonomy.js';

const formatPath = fileURLToPath(new URL('../../../../docs/FORMAT.md', import.meta.url));

describe('taxonomy', () => {
  it.skipIf(!existsSync(formatPath))('has exactly the tag ids of FORMAT.md', () => {
    const format = readFileSync(formatPath, 'utf8');
    const section = format.slice(format.indexOf('## Sector tag ids'), format.indexOf('## Partnership types'));
    const ids = new Set<string>();
    for (const line of section.split('\n')) {
      const match = /^- ([a-z-]+): (.+)$/.exec(line);
      if (match === null) continue;
      ids.add(match[1]!);
      for (const leaf of match[2]!.split(',')) ids.add(leaf.trim());
    }
    expect(ids.size).toBeGreaterThan(40);
    expect(new Set(taxonomy.tags.map((t) => t.id))).toEqual(ids);
  });

  it('labels every tag in sv, en and zh', () => {
    for (const tag of taxonomy.tags) {
      expect(tag.labels.sv.length, tag.id).toBeGreaterThan(0);
      expect(tag.labels.en.length, tag.id).toBeGreaterThan(0);
      expect(tag.labels.zh.length, tag.id).toBeGreaterThan(0);
    }
  });

  it('relates tags through the hierarchy', () => {
    expect(taxonomy.relation('energy.solar', 'energy.solar')).toBe('exact');
    expect(taxonomy.relation('energy', 'energy.solar')).toBe('parent');
    expect(taxonomy.relation('energy.solar', 'energy')).toBe('child');
    expect(taxonomy.relation('energy.solar', 'energy.wind')).toBe('sibling');
    expect(taxonomy.relation('energy.solar', 'environment.water')).toBe('unrelated');
    expect(taxonomy.lineage('environment.wastewater')).toEqual(['environment.wastewater', 'environment']);
    expect(taxonomy.expand('forestry')).toEqual(['forestry', 'forestry.wood']);
  });

  it('has a glossary of concepts with terms in all three languages and valid tags', () => {
    const ids = new Set<string>();
    for (const concept of taxonomy.concepts) {
      expect(ids.has(concept.id), concept.id).toBe(false);
      ids.add(concept.id);
      if (concept.tag !== undefined) expect(taxonomy.has(concept.tag), concept.id).toBe(true);
      expect(concept.sv.length * concept.en.length * concept.zh.length, concept.id).toBeGreaterThan(0);
    }
    const perLeaf = (prefix: string) =>
      taxonomy.tags
        .filter((t) => t.parent === prefix)
        .map((t) => taxonomy.concepts.filter((c) => c.tag === t.id).length);
    // The energy and environment focus has deep coverage on every leaf.
    for (const count of [...perLeaf('energy'), ...perLeaf('environment')]) expect(count).toBeGreaterThanOrEqual(6);
  });

  it('gives each phrase to one concept: a phrase in two counted its text twice', () => {
    const owner = new Map<string, string>();
    const shared: string[] = [];
    for (const concept of taxonomy.concepts) {
      for (const language of ['sv', 'en', 'zh'] as const) {
        for (const phrase of concept[language]) {
          const key = `${language}:${phrase.toLowerCase()}`;
          const first = owner.get(key);
          if (first !== undefined && first !== concept.id) shared.push(`${key} (${first}, ${concept.id})`);
          owner.set(key, concept.id);
        }
      }
    }
    expect(shared).toEqual([]);
  });
});
