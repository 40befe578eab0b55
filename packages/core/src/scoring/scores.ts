import type { PartnershipType } from '../schema/records.js';
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
 * measure seen from the company's tags, so a narrow specialist edges out a generalist.
 */
export function scoreTags(
  needTags: readonly AssignedTag[],
  companyTags: readonly AssignedTag[],
  rarity: (tag: string) => number,
  weights: TagRelationWeights,
  companySideShare: number,
): TagScore {
  if (needTags.length === 0 || companyTags.length === 0) return { score: 0, pairs: [] };
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

/** Partnership types that are close enough to count for part. */
const RELATED_TYPES: ReadonlyMap<string, number> = new Map([
  ['joint-venture|investment', 0.5],
  ['technology-transfer|training', 0.5],
  ['technology-transfer|research', 0.5],
  ['export|distribution', 0.5],
  ['sourcing|distribution', 0.3],
]);

function typeCredit(a: PartnershipType, b: PartnershipType): number {
  if (a === b) return 1;
  return RELATED_TYPES.get(`${a}|${b}`) ?? RELATED_TYPES.get(`${b}|${a}`) ?? 0;
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
