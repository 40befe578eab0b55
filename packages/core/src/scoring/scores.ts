import { PARTNERSHIP_TYPES, type PartnershipType } from '../schema/records.js';
import { taxonomy, type TagRelation } from '../taxonomy/taxonomy.js';
import type { AssignedTag } from './inference.js';

/** Credit for a pair of tags by how they relate, need tag first. */
export interface TagRelationWeights {
  /** Same tag. Defaults to 1. */
  readonly exact: number;
  /** The need's tag is the parent of the company's (asks broadly, company is specific). Defaults to 0.7. */
  readonly parent: number;
  /** The need's tag is a child of the company's (asks specifically, company is broad). Defaults to 0.5. */
  readonly child: number;
  /** Leaves under the same root. Defaults to 0.25. */
  readonly sibling: number;
}

export const DEFAULT_TAG_RELATION_WEIGHTS: TagRelationWeights = Object.freeze({
  exact: 1,
  parent: 0.7,
  child: 0.5,
  sibling: 0.25,
});

export interface TagPair {
  readonly needTag: AssignedTag;
  readonly companyTag: AssignedTag;
  readonly relation: Exclude<TagRelation, 'unrelated'>;
  /** Credit of the pair: relation weight × the company tag's confidence. */
  readonly credit: number;
}

export interface TagScore {
  /** In [0, 1]. */
  readonly score: number;
  /** For each need tag, the best company tag it met, if any. */
  readonly pairs: readonly TagPair[];
}

function relationCredit(relation: TagRelation, weights: TagRelationWeights): number {
  return relation === 'unrelated' ? 0 : weights[relation];
}

/**
 * How well the tags of a need and a company fit, in [0, 1]: for each need tag, the best
 * credit among the company's tags, averaged with weights `rarity(tag) × confidence` so a
 * rare tag met counts more than a common one. `companySideShare` of the score is the same
 * measure seen from the company's tags, so a narrow specialist edges out a generalist. A side
 * with no tag at all has its sector unknown, not unrelated: it scores `neutral`, as
 * `scoreCooperation` scores a side that names no partnership type.
 */
export function scoreTags(
  needTags: readonly AssignedTag[],
  companyTags: readonly AssignedTag[],
  rarity: (tag: string) => number,
  weights: TagRelationWeights,
  companySideShare: number,
  neutral: number,
): TagScore {
  if (needTags.length === 0 || companyTags.length === 0) return { score: neutral, pairs: [] };
  const pairs: TagPair[] = [];
  let numerator = 0;
  let denominator = 0;
  for (const needTag of needTags) {
    let best: TagPair | undefined;
    for (const companyTag of companyTags) {
      const relation = taxonomy.relation(needTag.tag, companyTag.tag);
      const credit = relationCredit(relation, weights) * companyTag.confidence;
      if (relation !== 'unrelated' && credit > (best?.credit ?? 0)) {
        best = { needTag, companyTag, relation, credit };
      }
    }
    const w = rarity(needTag.tag) * needTag.confidence;
    numerator += w * (best?.credit ?? 0);
    denominator += w;
    if (best !== undefined) pairs.push(best);
  }
  const needSide = denominator > 0 ? numerator / denominator : 0;

  let companyNumerator = 0;
  let companyDenominator = 0;
  for (const companyTag of companyTags) {
    let best = 0;
    for (const needTag of needTags) {
      const relation = taxonomy.relation(needTag.tag, companyTag.tag);
      best = Math.max(best, relationCredit(relation, weights) * needTag.confidence);
    }
    companyNumerator += companyTag.confidence * best;
    companyDenominator += companyTag.confidence;
  }
  const companySide = companyDenominator > 0 ? companyNumerator / companyDenominator : 0;
  return { score: (1 - companySideShare) * needSide + companySideShare * companySide, pairs };
}

/** Partnership types that are close enough to count for part, in either order. */
const RELATED_TYPES: readonly (readonly [PartnershipType, PartnershipType, number])[] = [
  ['joint-venture', 'investment', 0.5],
  ['technology-transfer', 'training', 0.5],
  ['technology-transfer', 'research', 0.5],
  ['export', 'distribution', 0.5],
  ['sourcing', 'distribution', 0.3],
];

const TYPE_CREDIT: ReadonlyMap<PartnershipType, ReadonlyMap<PartnershipType, number>> = (() => {
  const table = new Map<PartnershipType, Map<PartnershipType, number>>(PARTNERSHIP_TYPES.map((t) => [t, new Map([[t, 1]])]));
  for (const [a, b, credit] of RELATED_TYPES) {
    table.get(a)!.set(b, credit);
    table.get(b)!.set(a, credit);
  }
  return table;
})();

function typeCredit(a: PartnershipType, b: PartnershipType): number {
  return TYPE_CREDIT.get(a)?.get(b) ?? 0;
}

export interface CooperationScore {
  /** In [0, 1]; `neutral` when either side names no partnership type. */
  readonly score: number;
  readonly shared: readonly PartnershipType[];
  readonly related: readonly { readonly need: PartnershipType; readonly company: PartnershipType }[];
  readonly known: boolean;
}

/**
 * The share of the need's partnership types the company offers (FORMAT.md: both sides
 * name the cooperation from the Blekinge side, so equal words fit), with part credit for
 * related kinds (technology transfer and training, joint venture and investment, …).
 */
export function scoreCooperation(
  needTypes: readonly PartnershipType[] | undefined,
  companyTypes: readonly PartnershipType[] | undefined,
  neutral: number,
): CooperationScore {
  if (needTypes === undefined || needTypes.length === 0 || companyTypes === undefined || companyTypes.length === 0) {
    return { score: neutral, shared: [], related: [], known: false };
  }
  const wanted = [...new Set(needTypes)];
  const shared: PartnershipType[] = [];
  const related: { need: PartnershipType; company: PartnershipType }[] = [];
  let total = 0;
  for (const need of wanted) {
    let best = 0;
    let bestCompany: PartnershipType | undefined;
    for (const company of companyTypes) {
      const credit = typeCredit(need, company);
      if (credit > best) {
        best = credit;
        bestCompany = company;
      }
    }
    total += best;
    if (best === 1) shared.push(need);
    else if (bestCompany !== undefined) related.push({ need, company: bestCompany });
  }
  return { score: total / wanted.length, shared, related, known: true };
}

/** Tags as parallel arrays of taxonomy positions and confidences, for the scoring loop. */
/** Taxonomy positions and confidences of a tag set: entries [start, start + count) of two shared slabs. */
export interface TagVector {
  readonly positions: Int32Array;
  readonly confidences: Float64Array;
  readonly start: number;
  readonly count: number;
}

/**
 * The same measure as {@link scoreTags}, over tag vectors and a precomputed credit table:
 * ranking scores one vector pair per record group and query, so this avoids every
 * lookup by string. `rarity` is by taxonomy position.
 */
export interface CompiledTagScorer {
  vector(tags: readonly AssignedTag[]): TagVector;
  score(need: TagVector, company: TagVector, rarity: Float64Array): number;
  /** Taxonomy tag ids by position. */
  readonly tagIds: readonly string[];
}

export function compileTagScorer(weights: TagRelationWeights, companySideShare: number, neutral: number): CompiledTagScorer {
  const tagIds = taxonomy.tags.map((t) => t.id);
  const positionOf = new Map(tagIds.map((id, i) => [id, i]));
  const size = tagIds.length;
  const credit = new Float64Array(size * size);
  for (let n = 0; n < size; n += 1) {
    for (let c = 0; c < size; c += 1) credit[n * size + c] = relationCredit(taxonomy.relation(tagIds[n]!, tagIds[c]!), weights);
  }
  // Tens of thousands of distinct tag sets at 100k records: ranges of shared slabs, not
  // two buffers of their own each, nor two views (a typed-array view is ~100 bytes, more
  // than the few numbers in it: 5 MB at 100k companies).
  let positionSlab = new Int32Array(0);
  let confidenceSlab = new Float64Array(0);
  let used = 0;
  return {
    tagIds,
    vector(tags) {
      const known = tags.filter((t) => positionOf.has(t.tag));
      if (used + known.length > positionSlab.length) {
        positionSlab = new Int32Array(Math.max(4096, known.length));
        confidenceSlab = new Float64Array(positionSlab.length);
        used = 0;
      }
      const start = used;
      known.forEach((t, i) => {
        positionSlab[start + i] = positionOf.get(t.tag)!;
        confidenceSlab[start + i] = t.confidence;
      });
      used += known.length;
      return { positions: positionSlab, confidences: confidenceSlab, start, count: known.length };
    },
    score(need, company, rarity) {
      const nCount = need.count;
      const cCount = company.count;
      if (nCount === 0 || cCount === 0) return neutral;
      const { positions: needPositions, confidences: needConfidences, start: n0 } = need;
      const { positions: companyPositions, confidences: companyConfidences, start: c0 } = company;
      let numerator = 0;
      let denominator = 0;
      for (let i = n0; i < n0 + nCount; i += 1) {
        const row = needPositions[i]! * size;
        let best = 0;
        for (let j = c0; j < c0 + cCount; j += 1) {
          const value = credit[row + companyPositions[j]!]! * companyConfidences[j]!;
          if (value > best) best = value;
        }
        const w = rarity[needPositions[i]!]! * needConfidences[i]!;
        numerator += w * best;
        denominator += w;
      }
      let companyNumerator = 0;
      let companyDenominator = 0;
      for (let j = c0; j < c0 + cCount; j += 1) {
        const column = companyPositions[j]!;
        let best = 0;
        for (let i = n0; i < n0 + nCount; i += 1) {
          const value = credit[needPositions[i]! * size + column]! * needConfidences[i]!;
          if (value > best) best = value;
        }
        companyNumerator += companyConfidences[j]! * best;
        companyDenominator += companyConfidences[j]!;
      }
      const needSide = denominator > 0 ? numerator / denominator : 0;
      const companySide = companyDenominator > 0 ? companyNumerator / companyDenominator : 0;
      return (1 - companySideShare) * needSide + companySideShare * companySide;
    },
  };
}
