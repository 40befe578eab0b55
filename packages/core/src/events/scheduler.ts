import { z } from 'zod';
import { PartnermatchError, type ValidationResult } from '../errors.js';
import { zodIssues } from '../schema/validate.js';
import type { Matcher } from '../matcher.js';
import type { PartnerNeed } from '../schema/records.js';
import { highs, solvePackingLp } from './lp.js';
import { eventDirectory, slotInstant, validateEvent, type Event, type EventDirectory } from './schema.js';

/** One meeting of the programme: the CLI contract's fields, then extensions. */
export interface Meeting {
  readonly slot: string;
  /** 1-based table number. */
  readonly table: number;
  readonly companyId: string;
  readonly needId: string;
  readonly organization: string;
  /** The matcher's score of the company for the need, in [0, 1]. */
  readonly score: number;
  /** True when the two sides share no working language. */
  readonly interpreter: boolean;
  /** ISO 8601 instants (UTC) of the slot. */
  readonly start: string;
  readonly end: string;
  /** The request behind the meeting, if any. */
  readonly request?: 'accepted' | 'pending';
  /** Set by a coordinator's pin. */
  readonly pinned?: boolean;
}

/** A meeting of an earlier programme, as repair mode takes it back. */
export interface PreviousMeeting {
  readonly slot: string;
  readonly table?: number;
  readonly companyId: string;
  readonly needId: string;
}

/** What repair mode reads of an earlier programme (any extra fields, such as a whole CLI output's, are ignored). */
export const previousProgrammeSchema = z.object({
  meetings: z.array(
    z.object({
      slot: z.string().min(1),
      table: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).optional(),
      companyId: z.string().min(1),
      needId: z.string().min(1),
    }),
  ),
});

export function validatePreviousProgramme(input: unknown, label = 'previous'): ValidationResult<{ meetings: PreviousMeeting[] }> {
  const parsed = previousProgrammeSchema.safeParse(input, { reportInput: true });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(label, parsed.error.issues) };
}

export interface UnscheduledRequest {
  readonly companyId: string;
  readonly needId: string;
  readonly status: 'accepted' | 'pending';
  /** `no-common-slot`, `max-meetings` (a side is full), `capacity` (tables, interpreters or better meetings took its slots), `forbidden`, `no-score`. */
  readonly reason: string;
}

export interface UnscheduledPin {
  readonly companyId: string;
  readonly needId: string;
  readonly slot?: string;
  readonly reason: string;
}

export type ScheduleMethod = 'auto' | 'lp' | 'heuristic' | 'greedy';

export interface ScheduleProgress {
  readonly phase: 'scores' | 'solve' | 'assign' | 'fill';
  readonly done: number;
  readonly total: number;
}

export interface ScheduleOptions {
  /** Seconds the LP solver may take; past it the heuristic's programme and bound are used. Default 30. */
  readonly timeLimit?: number;
  /**
   * `lp` (HiGHS selects the pairs, then slots are assigned), `heuristic` (weight order with
   * slot repairs, for events too big for the LP), `greedy` (weight order, first free slot:
   * the baseline), `auto` (LP up to {@link LP_MAX_CANDIDATES} candidate pairs). Default `auto`.
   */
  readonly method?: ScheduleMethod;
  /** Added to the score of a pair with an accepted request. Default 1 (above any score). */
  readonly acceptedBonus?: number;
  /** Pairs scoring below this are not proposed unless requested or pinned. Default 0 (any evidence). */
  readonly minScore?: number;
  /** Every need the matcher holds, to find each organisation's open needs without asking the matcher for them. */
  readonly needs?: readonly PartnerNeed[];
  /** Repair mode: keep every meeting of this programme that is still valid, add only around them. */
  readonly previous?: { readonly meetings: readonly PreviousMeeting[] };
  readonly onProgress?: (progress: ScheduleProgress) => void;
}

export interface ProgrammeChanges {
  readonly kept: number;
  readonly removed: readonly PreviousMeeting[];
  readonly added: readonly Meeting[];
}

/** The scheduled programme: plain JSON. */
export interface Programme {
  readonly eventId: string;
  /** By slot (time order), then table. */
  readonly meetings: readonly Meeting[];
  /** Summed weight of the meetings: score, plus the accepted-request bonus. */
  readonly objective: number;
  /** An upper bound on any programme's objective (LP relaxation of the pair selection, or a combinatorial bound). */
  readonly bound: number;
  /** `(bound − objective) / bound`, 0 when the bound is 0. */
  readonly gap: number;
  readonly unscheduledRequests: readonly UnscheduledRequest[];
  readonly unscheduledPins: readonly UnscheduledPin[];
  readonly method: Exclude<ScheduleMethod, 'auto'>;
  /** Where the bound came from. */
  readonly boundSource: 'lp' | 'combinatorial';
  /** Candidate pairs; columns of the last LP and LP solves (column generation), when the LP ran. */
  readonly stats: { readonly candidates: number; readonly lpColumns?: number; readonly lpSolves?: number; readonly milliseconds: number };
  /** Repair mode only. */
  readonly changes?: ProgrammeChanges;
}

/** Above this many candidate pairs `auto` skips the LP (its time grows faster than the heuristic's). */
export const LP_MAX_CANDIDATES = 60_000;
const DEFAULT_TIME_LIMIT = 30;

interface Candidate {
  readonly company: number;
  readonly org: number;
  readonly need: PartnerNeed;
  readonly score: number;
  readonly weight: number;
  readonly interpreter: boolean;
  readonly request: 'accepted' | 'pending' | undefined;
  readonly pinned: boolean;
  /** A pin or a kept meeting (repair mode): placed first, never moved. */
  readonly fixed: boolean;
  /** Slot index a pin or a kept meeting fixes, else -1. */
  readonly fixedSlot: number;
  readonly fixedTable: number;
}

const pairKey = (companyId: string, needId: string) => `${companyId}\u0000${needId}`;
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/** Open needs by organisation: from `options.needs`, else by asking the matcher for every open need once. */
function directoryFromMatcher(matcher: Matcher, needs: readonly PartnerNeed[] | undefined): EventDirectory {
  let records = needs;
  if (records === undefined) {
    const found: PartnerNeed[] = [];
    for (const result of matcher.rankEach({ direction: 'companies', limit: 1, explain: false })) {
      const need = matcher.getNeed(result.queryId);
      if (need !== undefined) found.push(need);
    }
    records = found;
  }
  const base = eventDirectory({ companies: [], needs: records });
  return {
    hasCompany: (id) => matcher.getCompany(id) !== undefined,
    need: (id) => matcher.getNeed(id) ?? base.need(id),
    openNeedsOf: base.openNeedsOf,
    // A closed need's organisation is unknown to the matcher's open-need listing; accept any the directory or a stored need knows.
    hasOrganization: (name) => base.hasOrganization(name),
  };
}

/** Languages a participant can hold a meeting in. */
function languagesOf(matcher: Matcher, kind: 'company' | 'need', ids: readonly string[], given: readonly string[] | undefined, recorded: readonly string[] | undefined): Set<string> {
  if (given !== undefined) return new Set(given);
  if (recorded !== undefined && recorded.length > 0) return new Set(recorded);
  const out = new Set<string>();
  for (const id of ids) {
    const profile = matcher.profile(kind, id);
    if (profile !== undefined) out.add(profile.language);
  }
  return out;
}

class SlotState {
  readonly compBusy: Int32Array;
  readonly orgBusy: Int32Array;
  readonly slotCount: Int32Array;
  readonly slotInterp: Int32Array;
  readonly members: number[][];
  /** Slot of each meeting, -1 when not placed. */
  readonly slotOf: number[] = [];
  readonly cand: Candidate[] = [];
  readonly fixed: boolean[] = [];
  placedCount = 0;

  constructor(
    readonly slots: number,
    companies: number,
    orgs: number,
    readonly tables: number,
    readonly interpreters: number,
    readonly compAvail: Uint8Array,
    readonly orgAvail: Uint8Array,
  ) {
    this.compBusy = new Int32Array(companies * slots).fill(-1);
    this.orgBusy = new Int32Array(orgs * slots).fill(-1);
    this.slotCount = new Int32Array(slots);
    this.slotInterp = new Int32Array(slots);
    this.members = Array.from({ length: slots }, () => []);
  }

  available(c: Candidate, s: number): boolean {
    return this.compAvail[c.company * this.slots + s] === 1 && this.orgAvail[c.org * this.slots + s] === 1;
  }

  free(c: Candidate, s: number): boolean {
    return (
      this.available(c, s) &&
      this.compBusy[c.company * this.slots + s] === -1 &&
      this.orgBusy[c.org * this.slots + s] === -1 &&
      this.slotCount[s]! < this.tables &&
      (!c.interpreter || this.slotInterp[s]! < this.interpreters)
    );
  }

  add(c: Candidate, fixed: boolean): number {
    this.cand.push(c);
    this.fixed.push(fixed);
    this.slotOf.push(-1);
    return this.cand.length - 1;
  }

  assign(m: number, s: number): void {
    const c = this.cand[m]!;
    this.slotOf[m] = s;
    this.compBusy[c.company * this.slots + s] = m;
    this.orgBusy[c.org * this.slots + s] = m;
    this.slotCount[s]! += 1;
    if (c.interpreter) this.slotInterp[s]! += 1;
    this.members[s]!.push(m);
    this.placedCount += 1;
  }

  unassign(m: number): void {
    const s = this.slotOf[m]!;
    const c = this.cand[m]!;
    this.slotOf[m] = -1;
    this.compBusy[c.company * this.slots + s] = -1;
    this.orgBusy[c.org * this.slots + s] = -1;
    this.slotCount[s]! -= 1;
    if (c.interpreter) this.slotInterp[s]! -= 1;
    const list = this.members[s]!;
    list.splice(list.indexOf(m), 1);
    this.placedCount -= 1;
  }

  /** The free slot with the fewest meetings (earliest on ties), spreading load so later pairs still fit; -1 if none. */
  bestFreeSlot(c: Candidate, avoid = -1, firstFit = false): number {
    let best = -1;
    for (let s = 0; s < this.slots; s += 1) {
      if (s === avoid || !this.free(c, s)) continue;
      if (firstFit) return s;
      if (best === -1 || this.slotCount[s]! < this.slotCount[best]!) best = s;
    }
    return best;
  }
}

/**
 * Places a meeting, moving at most a few unfixed meetings one slot each (an ejection
 * chain of depth one) when no slot is free for both sides. Every move keeps every
 * constraint; a failed attempt is undone.
 */
function place(state: SlotState, m: number, greedy: boolean): boolean {
  const c = state.cand[m]!;
  const direct = state.bestFreeSlot(c, -1, greedy);
  if (direct !== -1) {
    state.assign(m, direct);
    return true;
  }
  if (greedy) return false;
  // Evicting from a full slot only helps when another slot has a free table (or interpreter).
  let slotsWithTable = 0;
  let slotsWithInterpreter = 0;
  for (let s = 0; s < state.slots; s += 1) {
    if (state.slotCount[s]! < state.tables) slotsWithTable += 1;
    if (state.slotInterp[s]! < state.interpreters) slotsWithInterpreter += 1;
  }
  for (let s = 0; s < state.slots; s += 1) {
    if (!state.available(c, s)) continue;
    const log: { m: number; from: number }[] = [];
    const relocate = (b: number): boolean => {
      if (state.fixed[b]) return false;
      const from = state.slotOf[b]!;
      state.unassign(b);
      const to = state.bestFreeSlot(state.cand[b]!, s);
      if (to === -1) {
        state.assign(b, from);
        return false;
      }
      state.assign(b, to);
      log.push({ m: b, from });
      return true;
    };
    const clearOne = (pick: (b: number) => boolean): boolean => {
      for (const b of [...state.members[s]!].sort((x, y) => x - y)) if (pick(b) && relocate(b)) return true;
      return false;
    };
    let ok = true;
    const byCompany = state.compBusy[c.company * state.slots + s]!;
    if (byCompany !== -1) ok = relocate(byCompany);
    const byOrg = state.orgBusy[c.org * state.slots + s]!;
    if (ok && byOrg !== -1) ok = relocate(byOrg);
    if (ok && state.slotCount[s]! >= state.tables) ok = slotsWithTable > 0 && clearOne(() => true);
    if (ok && c.interpreter && state.slotInterp[s]! >= state.interpreters) ok = slotsWithInterpreter > 0 && clearOne((b) => state.cand[b]!.interpreter);
    if (ok && state.free(c, s)) {
      state.assign(m, s);
      return true;
    }
    for (const step of log.reverse()) {
      state.unassign(step.m);
      state.assign(step.m, step.from);
    }
  }
  return false;
}

const byWeight = (a: Candidate, b: Candidate, companyIds: readonly string[]) =>
  b.weight - a.weight || (companyIds[a.company]! < companyIds[b.company]! ? -1 : companyIds[a.company]! > companyIds[b.company]! ? 1 : a.need.id < b.need.id ? -1 : a.need.id > b.need.id ? 1 : 0);

/** Σ of each side's best weights up to its capacity, and of the best weights up to the event's capacity: the smallest is a bound. */
function combinatorialBound(candidates: readonly Candidate[], capC: Int32Array, capO: Int32Array, totalCap: number): number {
  const sumTop = (groups: Map<number, number[]>, cap: (key: number) => number) => {
    let sum = 0;
    for (const [key, weights] of groups) {
      weights.sort((a, b) => b - a);
      for (let i = 0; i < Math.min(cap(key), weights.length); i += 1) sum += weights[i]!;
    }
    return sum;
  };
  const byCompany = new Map<number, number[]>();
  const byOrg = new Map<number, number[]>();
  for (const c of candidates) {
    (byCompany.get(c.company) ?? byCompany.set(c.company, []).get(c.company)!).push(c.weight);
    (byOrg.get(c.org) ?? byOrg.set(c.org, []).get(c.org)!).push(c.weight);
  }
  const all = candidates.map((c) => c.weight).sort((a, b) => b - a);
  let top = 0;
  for (let i = 0; i < Math.min(totalCap, all.length); i += 1) top += all[i]!;
  return Math.min(sumTop(byCompany, (k) => capC[k]!), sumTop(byOrg, (k) => capO[k]!), top);
}

/**
 * Schedules an event's meetings from the matcher's scores: which company meets which
 * organisation (about which of its open needs), in which slot, at which table, with or
 * without an interpreter. Maximises the summed weight (score, plus a bonus for accepted
 * requests) under: no company, organisation or table twice in a slot; availability;
 * maximum meetings; interpreters per slot. Deterministic: the same input gives the same
 * programme. Throws `PartnermatchError('INVALID_INPUT')` naming every bad field.
 */
export async function scheduleEvent(matcher: Matcher, eventInput: unknown, options: ScheduleOptions = {}): Promise<Programme> {
  const started = performance.now();
  const directory = directoryFromMatcher(matcher, options.needs);
  const validated = validateEvent(eventInput, directory);
  if (!validated.ok) throw new PartnermatchError('INVALID_INPUT', `invalid event: ${validated.issues.length} problem(s)`, { issues: validated.issues });
  const event: Event = validated.value;
  const progress = options.onProgress ?? (() => undefined);
  const bonus = options.acceptedBonus ?? 1;
  const minScore = options.minScore ?? 0;
  const timeLimit = options.timeLimit ?? DEFAULT_TIME_LIMIT;
  // Start loading the solver now: its compilation overlaps the scoring below.
  if (options.method !== 'greedy' && options.method !== 'heuristic') void highs().catch(() => undefined);

  const S = event.slots.length;
  const slotIndex = new Map(event.slots.map((slot, i) => [slot.id, i]));
  const slotStart = event.slots.map((slot) => new Date(slotInstant(slot.start, event.timeZone)).toISOString());
  const slotEnd = event.slots.map((slot) => new Date(slotInstant(slot.end, event.timeZone)).toISOString());
  // Slots in time order; ties cannot happen (overlaps are rejected), ids only break equal starts of zero-length gaps.
  const timeOrder = event.slots.map((_, i) => i).sort((a, b) => slotStart[a]!.localeCompare(slotStart[b]!) || a - b);

  const companyIds = event.companies.map((c) => c.id);
  const companyIndex = new Map(companyIds.map((id, i) => [id, i]));
  const orgNames = event.organizations.map((o) => o.name);
  const orgIndex = new Map(orgNames.map((name, k) => [name, k]));
  const nC = companyIds.length;
  const nO = orgNames.length;

  const compAvail = new Uint8Array(nC * S).fill(1);
  const orgAvail = new Uint8Array(nO * S).fill(1);
  const capC = new Int32Array(nC);
  const capO = new Int32Array(nO);
  event.companies.forEach((company, i) => {
    for (const slotId of company.unavailable) compAvail[i * S + slotIndex.get(slotId)!] = 0;
    capC[i] = Math.min(company.maxMeetings ?? S, S - new Set(company.unavailable).size);
  });
  event.organizations.forEach((organization, k) => {
    for (const slotId of organization.unavailable) orgAvail[k * S + slotIndex.get(slotId)!] = 0;
    capO[k] = Math.min(organization.maxMeetings ?? S, S - new Set(organization.unavailable).size);
  });

  // Topics: each organisation's open needs (or the listed ones), in id order so ties go to the smaller id.
  const topics = event.organizations.map((organization) => {
    const open = directory.openNeedsOf(organization.name);
    const listed = organization.needIds === undefined ? open : open.filter((n) => organization.needIds!.includes(n.id));
    return [...listed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  });
  const companyLanguages = event.companies.map((company) =>
    languagesOf(matcher, 'company', [company.id], company.languages, matcher.getCompany(company.id)?.languages),
  );
  const orgLanguages = event.organizations.map((organization, k) =>
    languagesOf(matcher, 'need', topics[k]!.map((n) => n.id), organization.languages, undefined),
  );
  // Languages as bit masks: one AND per pair instead of a set intersection.
  const languageBit = new Map<string, bigint>();
  const maskOf = (languages: Set<string>) => {
    let mask = 0n;
    for (const lang of languages) mask |= languageBit.get(lang) ?? languageBit.set(lang, 1n << BigInt(languageBit.size)).get(lang)!;
    return mask;
  };
  const companyMask = companyLanguages.map(maskOf);
  const orgMask = orgLanguages.map(maskOf);
  const sharesLanguage = (i: number, k: number) => (companyMask[i]! & orgMask[k]!) !== 0n;

  // Scores: every participating company for every topic, one ranking per need.
  const participants = new Set(companyIds);
  const totalNeeds = topics.reduce((sum, list) => sum + list.length, 0);
  const scores = new Map<string, Map<string, number>>();
  let ranked = 0;
  for (const list of topics) {
    for (const need of list) {
      const matches = matcher.rankCompanies(need.id, { limit: Math.max(1, nC), explain: false, filter: (c) => participants.has(c.id) });
      scores.set(need.id, new Map(matches.map((m) => [m.id, m.score])));
      ranked += 1;
      progress({ phase: 'scores', done: ranked, total: totalNeeds });
    }
  }

  const requests = new Map(event.requests.map((r) => [pairKey(r.companyId, r.needId), r.status]));
  const forbiddenNeeds = new Set(event.forbids.filter((f) => f.needId !== undefined).map((f) => pairKey(f.companyId, f.needId!)));
  const forbiddenOrgs = new Set(event.forbids.filter((f) => f.organization !== undefined).map((f) => pairKey(f.companyId, f.organization!)));
  const isForbidden = (companyId: string, need: PartnerNeed) =>
    forbiddenNeeds.has(pairKey(companyId, need.id)) || forbiddenOrgs.has(pairKey(companyId, need.organization));

  const unscheduledPins: UnscheduledPin[] = [];
  // Pairs fixed before the choice: kept meetings (repair mode) and pins, one per company and organisation.
  interface Fix { need: PartnerNeed; slot: number; table: number; pinned: boolean; previous?: PreviousMeeting }
  const fixes = new Map<number, Fix>();
  const removed: PreviousMeeting[] = [];
  const fixKey = (i: number, k: number) => i * nO + k;
  if (options.previous !== undefined) {
    const usedCompanySlot = new Set<string>();
    const usedOrgSlot = new Set<string>();
    const usedTable = new Set<string>();
    const perSlot = new Int32Array(S);
    const interpPerSlot = new Int32Array(S);
    const countC = new Int32Array(nC);
    const countO = new Int32Array(nO);
    for (const previous of options.previous.meetings) {
      const i = companyIndex.get(previous.companyId);
      const need = directory.need(previous.needId);
      const k = need === undefined ? undefined : orgIndex.get(need.organization);
      const s = slotIndex.get(previous.slot);
      const valid =
        i !== undefined && need !== undefined && k !== undefined && s !== undefined &&
        topics[k]!.some((n) => n.id === need.id) &&
        compAvail[i * S + s] === 1 && orgAvail[k * S + s] === 1 &&
        requests.get(pairKey(previous.companyId, need.id)) !== 'declined' && !isForbidden(previous.companyId, need) &&
        !fixes.has(fixKey(i, k)) &&
        !usedCompanySlot.has(`${i}:${s}`) && !usedOrgSlot.has(`${k}:${s}`) &&
        perSlot[s]! < event.tables && countC[i]! < capC[i]! && countO[k]! < capO[k]! &&
        (sharesLanguage(i, k) || interpPerSlot[s]! < event.interpreters) &&
        (previous.table === undefined || (previous.table >= 1 && previous.table <= event.tables && !usedTable.has(`${s}:${previous.table}`)));
      if (!valid) {
        removed.push(previous);
        continue;
      }
      usedCompanySlot.add(`${i}:${s}`);
      usedOrgSlot.add(`${k}:${s}`);
      if (previous.table !== undefined) usedTable.add(`${s}:${previous.table}`);
      perSlot[s]! += 1;
      if (!sharesLanguage(i, k)) interpPerSlot[s]! += 1;
      countC[i]! += 1;
      countO[k]! += 1;
      fixes.set(fixKey(i, k), { need, slot: s, table: previous.table ?? -1, pinned: false, previous });
    }
  }
  event.pins.forEach((pin) => {
    const i = companyIndex.get(pin.companyId)!;
    const need = directory.need(pin.needId)!;
    const k = orgIndex.get(need.organization)!;
    const existing = fixes.get(fixKey(i, k));
    if (existing !== undefined) {
      if (existing.need.id !== need.id || (pin.slot !== undefined && slotIndex.get(pin.slot) !== existing.slot)) {
        unscheduledPins.push({ companyId: pin.companyId, needId: pin.needId, ...(pin.slot ? { slot: pin.slot } : {}), reason: 'the pair already meets about another need or in another slot' });
      }
      return;
    }
    fixes.set(fixKey(i, k), { need, slot: pin.slot === undefined ? -1 : slotIndex.get(pin.slot)!, table: -1, pinned: true });
  });

  // Candidates: per (company, organisation) the best-weighted open need; declined and forbidden never.
  progress({ phase: 'solve', done: 0, total: 1 });
  const candidates: Candidate[] = [];
  for (let i = 0; i < nC; i += 1) {
    const companyId = companyIds[i]!;
    for (let k = 0; k < nO; k += 1) {
      let common = false;
      for (let s = 0; s < S && !common; s += 1) common = compAvail[i * S + s] === 1 && orgAvail[k * S + s] === 1;
      const fix = fixes.get(fixKey(i, k));
      const interpreter = !sharesLanguage(i, k);
      if (fix !== undefined) {
        const request = requests.get(pairKey(companyId, fix.need.id));
        const score = scores.get(fix.need.id)?.get(companyId) ?? 0;
        candidates.push({
          company: i, org: k, need: fix.need, score, interpreter, pinned: fix.pinned, fixed: true, fixedSlot: fix.slot, fixedTable: fix.table,
          weight: score + (request === 'accepted' ? bonus : 0), request: request === 'declined' ? undefined : request,
        });
        continue;
      }
      if (!common || capC[i] === 0 || capO[k] === 0) continue;
      let best: Candidate | undefined;
      for (const need of topics[k]!) {
        const request = requests.get(pairKey(companyId, need.id));
        if (request === 'declined' || isForbidden(companyId, need)) continue;
        const score = scores.get(need.id)?.get(companyId) ?? 0;
        if (request !== 'accepted' && (score <= 0 || score < minScore)) continue;
        const weight = score + (request === 'accepted' ? bonus : 0);
        if (best === undefined || weight > best.weight) {
          best = { company: i, org: k, need, score, weight, interpreter, request, pinned: false, fixed: false, fixedSlot: -1, fixedTable: -1 };
        }
      }
      if (best !== undefined) candidates.push(best);
    }
  }
  const isFixed = (c: Candidate) => c.fixed;

  let totalCap = 0;
  let interpCap = 0;
  for (let s = 0; s < S; s += 1) {
    let companiesFree = 0;
    let orgsFree = 0;
    for (let i = 0; i < nC; i += 1) companiesFree += compAvail[i * S + s]!;
    for (let k = 0; k < nO; k += 1) orgsFree += orgAvail[k * S + s]!;
    const fit = Math.min(event.tables, companiesFree, orgsFree);
    totalCap += fit;
    interpCap += Math.min(event.interpreters, fit);
  }

  const order = candidates.map((_, j) => j).sort((a, b) => byWeight(candidates[a]!, candidates[b]!, companyIds));
  const requested = options.method ?? 'auto';
  let method: Exclude<ScheduleMethod, 'auto'> =
    requested === 'auto' ? (candidates.length <= LP_MAX_CANDIDATES ? 'lp' : 'heuristic') : requested;
  let selection: number[] | undefined;
  let bound = combinatorialBound(candidates, capC, capO, totalCap);
  let boundSource: Programme['boundSource'] = 'combinatorial';

  const rowUpper = new Float64Array(nC + nO + 2);
  rowUpper.set(capC, 0);
  rowUpper.set(capO, nC);
  rowUpper[nC + nO] = totalCap;
  rowUpper[nC + nO + 1] = interpCap;
  /** Σ of the row duals a candidate's column meets: its weight minus this is its reduced cost. */
  const dualCost = (c: Candidate, y: Float64Array) => y[c.company]! + y[nC + c.org]! + y[nC + nO]! + (c.interpreter ? y[nC + nO + 1]! : 0);
  const buildLp = (columns: readonly number[], withLowerBounds: boolean) => {
    const starts = new Int32Array(columns.length + 1);
    const rows: number[] = [];
    const lower = new Float64Array(columns.length);
    columns.forEach((j, col) => {
      const c = candidates[j]!;
      starts[col] = rows.length;
      rows.push(c.company, nC + c.org, nC + nO);
      if (c.interpreter) rows.push(nC + nO + 1);
      if (withLowerBounds && c.fixed) lower[col] = 1;
    });
    starts[columns.length] = rows.length;
    return { cost: Float64Array.from(columns, (j) => candidates[j]!.weight), lower, starts, rows: Int32Array.from(rows), rowUpper };
  };
  /**
   * Column generation: the LP starts from each side's best candidates (twice its capacity,
   * plus fixed and accepted pairs) and adds every left-out pair whose reduced cost under the
   * current duals is positive, until none is. Whatever happens, the Lagrangian bound
   * b·y + Σ max(0, w − A·y) over all candidates (fixed ones counted as taken) is a valid
   * upper bound for any y ≥ 0; with no positive reduced cost left it is the LP optimum.
   */
  let lpStats: { lpColumns?: number; lpSolves?: number } = {};
  const solveSelection = async (withLowerBounds: boolean) => {
    const inLp = new Uint8Array(candidates.length);
    const take = (j: number) => (inLp[j] = 1);
    const perSide = (key: (c: Candidate) => number, cap: Int32Array) => {
      const taken = new Int32Array(cap.length);
      for (const j of order) {
        const side = key(candidates[j]!);
        if (taken[side]! < 2 * cap[side]! + 2) {
          taken[side]! += 1;
          take(j);
        }
      }
    };
    perSide((c) => c.company, capC);
    perSide((c) => c.org, capO);
    candidates.forEach((c, j) => (c.fixed || c.request === 'accepted') && take(j));
    for (let round = 0; round < 12; round += 1) {
      const columns = order.filter((j) => inLp[j] === 1);
      lpStats = { lpColumns: columns.length, lpSolves: (lpStats.lpSolves ?? 0) + 1 };
      const outcome = await solvePackingLp(buildLp(columns, withLowerBounds), timeLimit);
      if (outcome.status !== 'optimal') return outcome;
      const y = outcome.rowDual.map((v) => Math.max(0, v));
      let lagrangian = 0;
      for (let r = 0; r < rowUpper.length; r += 1) lagrangian += rowUpper[r]! * y[r]!;
      const entering: { j: number; reduced: number }[] = [];
      candidates.forEach((c, j) => {
        const reduced = c.weight - dualCost(c, y);
        lagrangian += withLowerBounds && c.fixed ? reduced : Math.max(0, reduced);
        if (inLp[j] === 0 && reduced > 1e-9) entering.push({ j, reduced });
      });
      const x = new Float64Array(candidates.length);
      columns.forEach((j, col) => (x[j] = outcome.x[col]!));
      if (entering.length === 0 || round === 11) {
        return { status: 'optimal' as const, bound: entering.length === 0 ? Math.min(outcome.objective, lagrangian) : lagrangian, x };
      }
      for (const { j } of entering) take(j);
    }
    return { status: 'failed' as const };
  };

  if (method === 'lp') {
    let outcome = await solveSelection(true);
    if (outcome.status === 'infeasible') outcome = await solveSelection(false);
    if (outcome.status === 'optimal') {
      bound = Math.min(bound, outcome.bound);
      boundSource = outcome.bound <= bound ? 'lp' : boundSource;
      const x = outcome.x;
      selection = candidates.map((_, j) => j).filter((j) => x[j]! > 0.5);
    } else {
      method = 'heuristic';
    }
  }
  progress({ phase: 'solve', done: 1, total: 1 });

  // Slots: fixed meetings first, then the selection (or every candidate) by weight.
  const state = new SlotState(S, nC, nO, event.tables, event.interpreters, compAvail, orgAvail);
  const scheduledPair = new Uint8Array(candidates.length);
  const countC = new Int32Array(nC);
  const countO = new Int32Array(nO);
  const meetingOf = new Map<number, number>();
  const commit = (j: number, fixed: boolean, slot: number): boolean => {
    const c = candidates[j]!;
    const m = state.add(c, fixed);
    if (slot >= 0) {
      if (!state.free(c, slot)) {
        state.cand.pop();
        state.fixed.pop();
        state.slotOf.pop();
        return false;
      }
      state.assign(m, slot);
    } else if (!place(state, m, method === 'greedy')) {
      state.cand.pop();
      state.fixed.pop();
      state.slotOf.pop();
      return false;
    }
    scheduledPair[j] = 1;
    countC[c.company]! += 1;
    countO[c.org]! += 1;
    meetingOf.set(m, j);
    return true;
  };
  const fixedOrder = order.filter((j) => isFixed(candidates[j]!));
  fixedOrder.sort((a, b) => Number(candidates[b]!.fixedSlot >= 0) - Number(candidates[a]!.fixedSlot >= 0));
  for (const j of fixedOrder) {
    const c = candidates[j]!;
    const withinCaps = countC[c.company]! < capC[c.company]! && countO[c.org]! < capO[c.org]!;
    if (withinCaps && commit(j, true, c.fixedSlot)) continue;
    if (c.pinned) {
      const pin = event.pins.find((p) => p.companyId === companyIds[c.company] && p.needId === c.need.id);
      unscheduledPins.push({
        companyId: companyIds[c.company]!, needId: c.need.id, ...(pin?.slot ? { slot: pin.slot } : {}),
        reason: withinCaps ? 'no slot free for both sides with a table (and an interpreter if needed)' : 'a side has reached its maximum meetings',
      });
    }
  }
  const selected = new Set(selection ?? []);
  const chosen = selection === undefined ? order : order.filter((j) => selected.has(j));
  const chosenSet = new Set(chosen);
  let assigned = 0;
  for (const j of chosen) {
    const c = candidates[j]!;
    assigned += 1;
    if (scheduledPair[j] === 1 || isFixed(c)) continue;
    if (countC[c.company]! >= capC[c.company]! || countO[c.org]! >= capO[c.org]!) continue;
    commit(j, false, -1);
    if (assigned % 256 === 0) progress({ phase: 'assign', done: assigned, total: chosen.length });
  }
  progress({ phase: 'assign', done: chosen.length, total: chosen.length });
  // Fill: what the selection left room for, best weight first.
  if (selection !== undefined) {
    let filled = 0;
    for (const j of order) {
      filled += 1;
      if (state.placedCount >= totalCap) break;
      const c = candidates[j]!;
      if (scheduledPair[j] === 1 || chosenSet.has(j) || isFixed(c)) continue;
      if (countC[c.company]! >= capC[c.company]! || countO[c.org]! >= capO[c.org]!) continue;
      commit(j, false, -1);
      if (filled % 1024 === 0) progress({ phase: 'fill', done: filled, total: order.length });
    }
  }
  progress({ phase: 'fill', done: order.length, total: order.length });

  // A pin that could not be honoured leaves the pinned LP's bound possibly below the programme: bound the unpinned problem.
  if (boundSource === 'lp' && unscheduledPins.length > 0 && event.pins.length > 0) {
    const relaxed = await solveSelection(false);
    if (relaxed.status === 'optimal') bound = relaxed.bound;
    else {
      bound = combinatorialBound(candidates, capC, capO, totalCap);
      boundSource = 'combinatorial';
    }
  }

  // Tables: fixed ones keep theirs; an organisation keeps its table from slot to slot where it can.
  const tableOf = new Map<number, number>();
  const lastTable = new Int32Array(nO).fill(-1);
  for (const s of timeOrder) {
    const members = [...state.members[s]!];
    const used = new Set<number>();
    for (const m of members) {
      const c = state.cand[m]!;
      if (c.fixedTable >= 1) {
        tableOf.set(m, c.fixedTable);
        used.add(c.fixedTable);
      }
    }
    members.sort((a, b) => {
      const ca = state.cand[a]!;
      const cb = state.cand[b]!;
      return orgNames[ca.org]! < orgNames[cb.org]! ? -1 : orgNames[ca.org]! > orgNames[cb.org]! ? 1 : companyIds[ca.company]! < companyIds[cb.company]! ? -1 : 1;
    });
    const rest: number[] = [];
    for (const m of members) {
      if (tableOf.has(m)) continue;
      const preferred = lastTable[state.cand[m]!.org]!;
      if (preferred >= 1 && !used.has(preferred)) {
        tableOf.set(m, preferred);
        used.add(preferred);
      } else rest.push(m);
    }
    let next = 1;
    for (const m of rest) {
      while (used.has(next)) next += 1;
      tableOf.set(m, next);
      used.add(next);
    }
    for (const m of members) lastTable[state.cand[m]!.org] = tableOf.get(m)!;
  }

  const slotRank = new Int32Array(S);
  timeOrder.forEach((s, rank) => (slotRank[s] = rank));
  const placed = state.cand.map((_, m) => m).filter((m) => state.slotOf[m]! >= 0);
  placed.sort((a, b) => slotRank[state.slotOf[a]!]! - slotRank[state.slotOf[b]!]! || tableOf.get(a)! - tableOf.get(b)!);
  let objective = 0;
  const meetings: Meeting[] = placed.map((m) => {
    const c = state.cand[m]!;
    const s = state.slotOf[m]!;
    objective += c.weight;
    return {
      slot: event.slots[s]!.id,
      table: tableOf.get(m)!,
      companyId: companyIds[c.company]!,
      needId: c.need.id,
      organization: orgNames[c.org]!,
      score: c.score,
      interpreter: c.interpreter,
      start: slotStart[s]!,
      end: slotEnd[s]!,
      ...(c.request !== undefined ? { request: c.request } : {}),
      ...(c.pinned ? { pinned: true } : {}),
    };
  });

  const scheduledKeys = new Set(meetings.map((m) => pairKey(m.companyId, m.needId)));
  const unscheduledRequests: UnscheduledRequest[] = [];
  for (const request of event.requests) {
    if (request.status === 'declined' || scheduledKeys.has(pairKey(request.companyId, request.needId))) continue;
    const i = companyIndex.get(request.companyId)!;
    const need = directory.need(request.needId)!;
    const k = orgIndex.get(need.organization)!;
    let reason = 'capacity';
    let common = false;
    for (let s = 0; s < S && !common; s += 1) common = compAvail[i * S + s] === 1 && orgAvail[k * S + s] === 1;
    if (need.status !== 'open' || !topics[k]!.some((n) => n.id === need.id)) reason = 'not-a-topic';
    else if (isForbidden(request.companyId, need)) reason = 'forbidden';
    else if (!common) reason = 'no-common-slot';
    else if (request.status === 'pending' && (scores.get(need.id)?.get(request.companyId) ?? 0) <= minScore) reason = 'no-score';
    else if (countC[i]! >= capC[i]! || countO[k]! >= capO[k]!) reason = 'max-meetings';
    unscheduledRequests.push({ companyId: request.companyId, needId: request.needId, status: request.status, reason });
  }

  objective = round6(objective);
  bound = round6(Math.max(bound, 0));
  const programme: Programme = {
    eventId: event.id,
    meetings,
    objective,
    bound,
    gap: bound > 0 ? round6((bound - objective) / bound) : 0,
    unscheduledRequests,
    unscheduledPins,
    method,
    boundSource,
    stats: { candidates: candidates.length, ...lpStats, milliseconds: Math.round(performance.now() - started) },
  };
  if (options.previous === undefined) return programme;
  const previousKeys = new Set(options.previous.meetings.map((m) => `${pairKey(m.companyId, m.needId)}\u0000${m.slot}`));
  const added = meetings.filter((m) => !previousKeys.has(`${pairKey(m.companyId, m.needId)}\u0000${m.slot}`));
  return { ...programme, changes: { kept: meetings.length - added.length, removed, added } };
}
