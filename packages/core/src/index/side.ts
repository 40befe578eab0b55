import type { PartnershipType } from '../schema/records.js';
import type { AssignedTag } from '../scoring/inference.js';
import type { TagVector } from '../scoring/scores.js';
import { taxonomy } from '../taxonomy/taxonomy.js';
import type { Language } from '../text/language.js';
import { TermIndex, type Bm25Params, type SharedStatistics } from './term-index.js';

// The record side of the index: each kind's records, their term index, their groups and
// their tag statistics. Scoring reads it; it knows nothing of scores.

/**
 * Records that carry the same tags and partnership types, and are equally eligible,
 * score the same on everything but text: records without text evidence are taken from a
 * group in id order, and its tag set and type list have one score each per query.
 */
export class Group {
  /** Ids in ascending order, the tie-break order. */
  readonly ids: string[] = [];
  /** The index slot of each id, in the same order. */
  readonly slots: number[] = [];

  constructor(
    readonly types: readonly PartnershipType[] | undefined,
    /** Position of `tags` among the side's distinct tag sets: one tag score each per query. */
    readonly tagSetIndex: number,
    /** Position of `types` among the side's distinct type lists: one cooperation score each per query. */
    readonly typesIndex: number,
    readonly eligible: boolean,
  ) {}

  insert(id: string, slot: number): void {
    if (this.unsorted || (this.ids.length > 0 && this.ids[this.ids.length - 1]! > id && this.bulk)) {
      this.unsorted = true;
      this.ids.push(id);
      this.slots.push(slot);
      return;
    }
    const at = lowerBound(this.ids, id);
    this.ids.splice(at, 0, id);
    this.slots.splice(at, 0, slot);
  }

  /** While true, inserts append and `sort()` orders them once (a bulk build). */
  bulk = false;
  private unsorted = false;

  sort(): void {
    if (!this.unsorted) return;
    const order = this.ids.map((_, i) => i).sort((a, b) => (this.ids[a]! < this.ids[b]! ? -1 : 1));
    const ids = order.map((i) => this.ids[i]!);
    const slots = order.map((i) => this.slots[i]!);
    this.ids.splice(0, ids.length, ...ids);
    this.slots.splice(0, slots.length, ...slots);
    this.unsorted = false;
  }

  delete(id: string): void {
    const at = lowerBound(this.ids, id);
    if (this.ids[at] !== id) return;
    this.ids.splice(at, 1);
    this.slots.splice(at, 1);
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A record of a side with what the index derived from it. */
export class Entry<T> {
  #record: T | undefined;

  constructor(
    readonly id: string,
    record: T | undefined,
    /** Reads the record when it was restored by id alone (see `Side.addStored`). */
    private readonly load: ((id: string) => T) | undefined,
    readonly tags: readonly AssignedTag[],
    /** The record's own partnership types (a snapshot keeps them without reading the record). */
    readonly types: readonly PartnershipType[] | undefined,
    readonly language: Language,
    readonly group: Group,
  ) {
    this.#record = record;
  }

  /** The record; one restored by id alone is read on first use, and held from then on. */
  get record(): T {
    return (this.#record ??= this.load!(this.id));
  }
}

/** How a restore adds a record: what the snapshot holds of it, and how to read the record itself when first needed. */
export interface StoredRecord<T> {
  readonly id: string;
  /** The record when the caller has it at hand, else undefined and `load` reads it on first use. */
  readonly record: T | undefined;
  readonly load: ((id: string) => T) | undefined;
  readonly language: Language;
  /** One array per distinct tag list, shared by every record that has it. */
  readonly tags: readonly AssignedTag[];
  /** One array per distinct type list, shared likewise. */
  readonly types: readonly PartnershipType[] | undefined;
  readonly eligible: boolean;
}


/** The records of one kind, their inverted index, groups and tag statistics. */
export class Side<T extends { id: string }> {
  readonly index: TermIndex;
  readonly entries = new Map<string, Entry<T>>();
  /** Ids in insertion order; an update keeps a record's place. */
  readonly order: string[] = [];
  private bulk = false;
  /** The entry in each index slot, for the scoring loop. */
  readonly entryBySlot: (Entry<T> | undefined)[] = [];
  readonly groups: Group[] = [];
  /** Groups by the sector roots of their tags: only these can have a tag score. */
  readonly groupsByRoot = new Map<string, Group[]>();
  private readonly groupByKey = new Map<string, Group>();
  /** The distinct partnership type lists of the groups (few: there are seven types). */
  readonly typeLists: (readonly PartnershipType[] | undefined)[] = [];
  private readonly typeListByKey = new Map<string, number>();
  /** The tag list of each distinct tag set, as the records that carry it hold it. */
  private readonly tagArrays: (readonly AssignedTag[] | undefined)[] = [];
  /** The distinct tag sets of the groups, as vectors for the compiled tag scorer. */
  readonly tagSets: TagVector[] = [];
  private readonly tagSetByKey = new Map<string, number>();
  /** Per index slot, the tag set and type list of the record in it: the scoring loop reads these instead of the entry. */
  tagSetBySlot = new Int32Array(1024);
  typesBySlot = new Int32Array(1024);

  /** Records carrying each tag or one of its descendants. */
  private readonly tagCounts = new Map<string, number>();

  constructor(
    private readonly tagVector: (tags: readonly AssignedTag[]) => TagVector,
    bm25: Bm25Params,
  ) {
    this.index = new TermIndex(bm25);
  }

  /** `indexText` adds the record's terms to `index` and returns its slot. */
  add(
    record: T,
    language: Language,
    tags: readonly AssignedTag[],
    types: readonly PartnershipType[] | undefined,
    eligible: boolean,
    indexText: () => number,
  ): void {
    // Ineligible records (closed needs) are never ranked, so they stay out of the term
    // index and its statistics altogether.
    const slot = eligible ? indexText() : -1;
    const tagsKey = tagsKeyOf(tags);
    const group = this.groupFor(tags, tagsKey, types, eligible);
    for (const tag of lineageOf(tags)) this.tagCounts.set(tag, (this.tagCounts.get(tag) ?? 0) + 1);
    this.place(record.id, record, undefined, language, tags, types, group, slot);
  }

  /**
   * Adds a record from a snapshot, in a bulk restore: its tag and type lists are arrays
   * shared by every record with the same list, so keys and lineages are worked out once per
   * list, and the record object itself may be left to be read on first use. `slot` is the
   * one the record's terms were loaded under (-1 for an ineligible record).
   */
  addStored(stored: StoredRecord<T>, slot: number): void {
    const { tags, types, eligible } = stored;
    const tagSet = this.sharedTagSet(tags);
    let typesKeys = this.typesKeyMemo.get(types);
    if (typesKeys === undefined) {
      const key = typesKeyOf(types);
      typesKeys = [`${key}|y`, `${key}|n`];
      this.typesKeyMemo.set(types, typesKeys);
    }
    // Short keys among the few groups of one tag set, not the long key among all groups.
    const local = typesKeys[eligible ? 0 : 1];
    let group = tagSet.groups.get(local);
    if (group === undefined) {
      group = this.groupFor(tags, tagSet.key, types, eligible);
      tagSet.groups.set(local, group);
    }
    tagSet.records += 1;
    this.place(stored.id, stored.record, stored.load, stored.language, tags, types, group, slot);
  }

  private place(
    id: string,
    record: T | undefined,
    load: ((id: string) => T) | undefined,
    language: Language,
    tags: readonly AssignedTag[],
    types: readonly PartnershipType[] | undefined,
    group: Group,
    slot: number,
  ): void {
    group.insert(id, slot);
    // Equal keys are equal tag lists: one array per distinct list, not one per record (100k
    // records carry a few tens of thousands of lists).
    let held = this.tagArrays[group.tagSetIndex];
    if (held === undefined) {
      held = tags;
      this.tagArrays[group.tagSetIndex] = tags;
    }
    const entry = new Entry<T>(id, record, load, held, types, language, group);
    this.entries.set(id, entry);
    if (slot >= 0) {
      this.entryBySlot[slot] = entry;
      if (slot >= this.tagSetBySlot.length) {
        const grown = (array: Int32Array) => {
          const bigger = new Int32Array(Math.max(slot + 1, array.length * 2));
          bigger.set(array);
          return bigger;
        };
        this.tagSetBySlot = grown(this.tagSetBySlot);
        this.typesBySlot = grown(this.typesBySlot);
      }
      this.tagSetBySlot[slot] = group.tagSetIndex;
      this.typesBySlot[slot] = group.typesIndex;
    }
  }

  /** Key and lineage of shared tag arrays; emptied at `endBulk()`. */
  private tagSetMemo = new Map<readonly AssignedTag[], SharedTagSet>();
  /** Group key parts of shared type lists (eligible, ineligible); emptied at `endBulk()`. */
  private typesKeyMemo = new Map<readonly PartnershipType[] | undefined, readonly [string, string]>();

  private sharedTagSet(tags: readonly AssignedTag[]): SharedTagSet {
    let found = this.tagSetMemo.get(tags);
    if (found === undefined) {
      found = { key: tagsKeyOf(tags), lineage: lineageOf(tags), groups: new Map(), records: 0 };
      this.tagSetMemo.set(tags, found);
    }
    return found;
  }

  /** Adds the records of each shared tag set to its lineage's counts, and forgets them. */
  private countSharedTagSets(): void {
    for (const tagSet of this.tagSetMemo.values()) {
      for (const tag of tagSet.lineage) this.tagCounts.set(tag, (this.tagCounts.get(tag) ?? 0) + tagSet.records);
      tagSet.records = 0;
    }
  }

  /** `terms` are the record's indexed terms (re-derived by analysing it again). */
  remove(id: string, terms: Iterable<string>): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    for (const tag of lineageOf(entry.tags)) {
      const count = (this.tagCounts.get(tag) ?? 1) - 1;
      if (count === 0) this.tagCounts.delete(tag);
      else this.tagCounts.set(tag, count);
    }
    entry.group.delete(id);
    this.entries.delete(id);
    const slot = this.index.slotOf(id);
    if (slot !== undefined) this.entryBySlot[slot] = undefined;
    this.index.remove(id, terms);
    return true;
  }

  /** Starts a bulk build: group ids are sorted once at `endBulk()` instead of per insert. */
  beginBulk(): void {
    this.bulk = true;
    for (const group of this.groups) group.bulk = true;
  }

  endBulk(): void {
    this.bulk = false;
    this.countSharedTagSets();
    this.tagSetMemo = new Map();
    this.typesKeyMemo = new Map();
    for (const group of this.groups) {
      group.sort();
      group.bulk = false;
    }
    this.index.trim();
  }

  /** IDF-style rarity of a tag among this side's records (ancestors included), or among a whole collection's (a shard). */
  rarity(tag: string): number {
    const shared = this.sharedTags;
    const df = (shared === undefined ? this.tagCounts.get(tag) : shared.counts.get(tag)) ?? 0;
    return Math.log(1 + ((shared === undefined ? this.entries.size : shared.records) + 1) / (df + 1));
  }

  private sharedTags: { readonly records: number; readonly counts: ReadonlyMap<string, number> } | undefined;

  /** Records per tag (ancestors included) and the record count of this side alone: what `rarity` reads. */
  ownTagStatistics(): { records: number; tagCounts: Map<string, number> } {
    return { records: this.entries.size, tagCounts: new Map(this.tagCounts) };
  }

  /**
   * Makes `rarity` and the term index use the statistics of a whole collection this side
   * is a shard of (`undefined`: its own again); see `TermIndex.shareStatistics`.
   */
  shareStatistics(statistics: (SharedStatistics & { readonly records: number; readonly tagCounts: ReadonlyMap<string, number> }) | undefined): void {
    this.sharedTags = statistics === undefined ? undefined : { records: statistics.records, counts: new Map(statistics.tagCounts) };
    this.index.shareStatistics(statistics);
  }

  private groupFor(tags: readonly AssignedTag[], tagsKey: string, types: readonly PartnershipType[] | undefined, eligible: boolean): Group {
    const typesKey = typesKeyOf(types);
    const key = `${tagsKey}|${typesKey}|${eligible ? 'y' : 'n'}`;
    let group = this.groupByKey.get(key);
    if (group === undefined) {
      let tagSetIndex = this.tagSetByKey.get(tagsKey);
      if (tagSetIndex === undefined) {
        tagSetIndex = this.tagSets.length;
        this.tagSets.push(this.tagVector(tags));
        this.tagSetByKey.set(tagsKey, tagSetIndex);
      }
      let typesIndex = this.typeListByKey.get(typesKey);
      if (typesIndex === undefined) {
        typesIndex = this.typeLists.length;
        this.typeLists.push(types);
        this.typeListByKey.set(typesKey, typesIndex);
      }
      group = new Group(types, tagSetIndex, typesIndex, eligible);
      group.bulk = this.bulk;
      this.groups.push(group);
      this.groupByKey.set(key, group);
      for (const root of new Set(tags.map((t) => taxonomy.lineage(t.tag).at(-1)!))) {
        const list = this.groupsByRoot.get(root);
        if (list === undefined) this.groupsByRoot.set(root, [group]);
        else list.push(group);
      }
    }
    return group;
  }
}

/** A tag array shared by records (a restore): its group key, lineage, and its groups by type list and eligibility. */
interface SharedTagSet {
  readonly key: string;
  readonly lineage: ReadonlySet<string>;
  readonly groups: Map<string, Group>;
  /** Records added with it and not yet in `tagCounts`. */
  records: number;
}

function typesKeyOf(types: readonly PartnershipType[] | undefined): string {
  return types === undefined ? '-' : types.length === 1 ? types[0]! : [...types].sort().join(',');
}

function tagsKeyOf(tags: readonly AssignedTag[]): string {
  return tags.map((t) => `${t.tag}:${t.source}:${t.confidence}`).join(',');
}

export function lineageOf(tags: readonly AssignedTag[]): Set<string> {
  const out = new Set<string>();
  for (const { tag } of tags) for (const t of taxonomy.lineage(tag)) out.add(t);
  return out;
}

