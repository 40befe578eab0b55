import { taxonomy, type Matcher, type PartnerNeed } from '@partnermatch/core';
import { isExpired, today } from '../followup/deadlines.js';
import type { Subscription } from './schemas.js';

/** One subscription that a need fires. Sector-only subscriptions name no company and no score. */
export interface AlertMatch {
  readonly subscription: Subscription;
  readonly needId: string;
  readonly companyId: string | null;
  readonly score: number | null;
  readonly summary: string;
  /** For a sector subscription: the need's tags that fell under it. */
  readonly sectors?: readonly string[];
}

/** Active subscriptions arranged for matching: company ones by company, sector ones by tag. */
export class SubscriptionIndex {
  readonly byCompany = new Map<string, Subscription[]>();
  /** The lowest minScore of any company subscription: one ranking serves them all. */
  readonly lowestMinScore: number = 1;
  readonly sectorOnly: readonly Subscription[];

  constructor(subscriptions: readonly Subscription[]) {
    const sectorOnly: Subscription[] = [];
    let lowest = 1;
    for (const subscription of subscriptions) {
      if (subscription.companyId === undefined) {
        sectorOnly.push(subscription);
        continue;
      }
      let list = this.byCompany.get(subscription.companyId);
      if (list === undefined) this.byCompany.set(subscription.companyId, (list = []));
      list.push(subscription);
      lowest = Math.min(lowest, subscription.minScore ?? 0);
    }
    this.lowestMinScore = lowest;
    this.sectorOnly = sectorOnly;
  }
}

/**
 * The need's sector tags for sector subscriptions: its given tags, or the ones the matcher
 * inferred from its text when it has none (so call this with the need already added to the
 * matcher; a need the matcher does not know counts by its given tags alone).
 */
function needTags(need: PartnerNeed, matcher: Matcher): readonly string[] {
  if (need.sectors !== undefined && need.sectors.length > 0) return need.sectors;
  return matcher.profile('need', need.id)?.tags.map((t) => t.tag) ?? [];
}

/** Does any of the need's tags fall under (or equal) one of the subscribed tags? A parent includes its children. */
function inSectors(tags: readonly string[], subscribed: readonly string[]): string[] {
  return tags.filter((tag) => taxonomy.has(tag) && taxonomy.lineage(tag as never).some((t) => subscribed.includes(t)));
}

export interface MatchNeedOptions {
  /** Day that decides whether the need is past its deadline (default today, UTC); an expired need fires nothing. */
  readonly asOf?: string;
}

/**
 * Which subscriptions a new or changed need fires. A closed or expired need fires none.
 * Company subscriptions: the need ranks the company at or above the subscription's minScore
 * (and, if it names sectors, the need is in one of them) — on creation and on every change.
 * Sector subscriptions: a new need in one of the sectors. One ranking restricted to the
 * subscribed companies serves every company subscription; the order is deterministic
 * (score, then company id, then subscription creation).
 */
export function matchNeed(
  need: PartnerNeed,
  change: 'created' | 'updated',
  matcher: Matcher,
  index: SubscriptionIndex,
  options: MatchNeedOptions = {},
): AlertMatch[] {
  if (need.status === 'closed' || isExpired(need, options.asOf ?? today())) return [];
  const fired: AlertMatch[] = [];
  const tags = needTags(need, matcher);

  if (index.byCompany.size > 0) {
    const ranked = matcher.rankCompanies(need, {
      limit: index.byCompany.size,
      minScore: index.lowestMinScore,
      filter: (company) => index.byCompany.has(company.id),
      explain: true,
    });
    for (const match of ranked) {
      for (const subscription of index.byCompany.get(match.id) ?? []) {
        if (match.score < (subscription.minScore ?? 0)) continue;
        if (subscription.sectors !== undefined && inSectors(tags, subscription.sectors).length === 0) continue;
        fired.push({ subscription, needId: need.id, companyId: match.id, score: match.score, summary: match.explanation?.summary ?? '' });
      }
    }
  }

  if (change === 'created') {
    for (const subscription of index.sectorOnly) {
      const hits = inSectors(tags, subscription.sectors ?? []);
      if (hits.length === 0) continue;
      fired.push({ subscription, needId: need.id, companyId: null, score: null, summary: `sectors: ${hits.join(', ')}`, sectors: hits });
    }
  }
  return fired;
}
