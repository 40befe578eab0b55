import { CONCEPTS, GLOSSARY_VERSION, SECTOR_TAGS } from './glossary-data.js';
import type { ConceptEntry, SectorTagEntry, SectorTagId, TagLabels } from './glossary-types.js';

/** How two sector tags relate in the hierarchy, from the first tag's point of view. */
export type TagRelation = 'exact' | 'parent' | 'child' | 'sibling' | 'unrelated';

export interface SectorTag {
  readonly id: SectorTagId;
  /** The root id for a leaf (`energy` for `energy.solar`); undefined for a root. */
  readonly parent: SectorTagId | undefined;
  readonly children: readonly SectorTagId[];
  readonly labels: TagLabels;
}

/**
 * The versioned sector taxonomy and its sv/en/zh concept glossary, loaded once.
 * Tag ids are hierarchical: a tag's parent is the part before the last dot.
 */
export interface Taxonomy {
  readonly version: string;
  readonly tags: readonly SectorTag[];
  readonly concepts: readonly ConceptEntry[];
  has(id: string): boolean;
  get(id: string): SectorTag | undefined;
  concept(id: string): ConceptEntry | undefined;
  /** The tag and its ancestors, nearest first (`energy.solar`, `energy`). */
  lineage(id: SectorTagId): readonly SectorTagId[];
  relation(a: SectorTagId, b: SectorTagId): TagRelation;
  /** `id` plus every descendant: what a filter on `id` should include. */
  expand(id: SectorTagId): readonly SectorTagId[];
}

export function parentOf(id: SectorTagId): SectorTagId | undefined {
  const dot = id.lastIndexOf('.');
  return dot < 0 ? undefined : id.slice(0, dot);
}

function buildTaxonomy(entries: readonly SectorTagEntry[], concepts: readonly ConceptEntry[]): Taxonomy {
  const byId = new Map<string, SectorTag>();
  const childrenOf = new Map<string, SectorTagId[]>();
  for (const entry of entries) {
    const parent = parentOf(entry.id);
    if (parent !== undefined) {
      const siblings = childrenOf.get(parent) ?? [];
      siblings.push(entry.id);
      childrenOf.set(parent, siblings);
    }
  }
  const tags = entries.map((entry) => {
    const tag: SectorTag = Object.freeze({
      id: entry.id,
      parent: parentOf(entry.id),
      children: Object.freeze(childrenOf.get(entry.id) ?? []),
      labels: entry.labels,
    });
    byId.set(entry.id, tag);
    return tag;
  });
  const conceptById = new Map(concepts.map((c) => [c.id, c]));
  const relationOf = (a: SectorTagId, b: SectorTagId): TagRelation => {
    if (a === b) return 'exact';
    if (b.startsWith(`${a}.`)) return 'parent';
    if (a.startsWith(`${b}.`)) return 'child';
    const pa = parentOf(a);
    if (pa !== undefined && pa === parentOf(b)) return 'sibling';
    return 'unrelated';
  };
  // Scoring asks for relations millions of times; the taxonomy has ~50 tags, so a
  // precomputed table replaces string slicing with two map lookups.
  const relations = new Map(entries.map((a) => [a.id, new Map(entries.map((b) => [b.id, relationOf(a.id, b.id)]))]));

  const lineageOf = (id: SectorTagId): readonly SectorTagId[] => {
    const out: SectorTagId[] = [];
    for (let current: SectorTagId | undefined = id; current !== undefined; current = parentOf(current)) {
      out.push(current);
    }
    return Object.freeze(out);
  };
  // Asked for per record and per tag set (tens of thousands at a restore): made once per tag.
  const lineages = new Map(entries.map((entry) => [entry.id, lineageOf(entry.id)]));
  const lineage = (id: SectorTagId): readonly SectorTagId[] => lineages.get(id) ?? lineageOf(id);

  return Object.freeze({
    version: GLOSSARY_VERSION,
    tags: Object.freeze(tags),
    concepts,
    has: (id: string) => byId.has(id),
    get: (id: string) => byId.get(id),
    concept: (id: string) => conceptById.get(id),
    lineage,
    relation: (a: SectorTagId, b: SectorTagId): TagRelation => relations.get(a)?.get(b) ?? relationOf(a, b),
    expand(id: SectorTagId): SectorTagId[] {
      return [id, ...(childrenOf.get(id) ?? []).flatMap((child) => [child, ...(childrenOf.get(child) ?? [])])];
    },
  });
}

/** The built-in taxonomy: every tag id of FORMAT.md with labels and its glossary. */
export const taxonomy: Taxonomy = buildTaxonomy(SECTOR_TAGS, CONCEPTS);
