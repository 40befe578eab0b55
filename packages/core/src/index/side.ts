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
  constructor(
    /** The tag list every member carries (one array per distinct list). */
    readonly tags: readonly AssignedTag[],
    readonly types: readonly PartnershipType[] | undefined,
    /** Position of `tags` among the side's distinct tag sets: one tag score each per query. */
    readonly tagSetIndex: number,
    /** Position of `types` among the side's distinct type lists: one cooperation score each per query. */
    readonly typesIndex: number,
    readonly eligible: boolean,
    /** Ids in ascending order, the tie-break order. */
    public ids: string[] = [],
    /** The index slot of each id, in the same order. */
    public slots: number[] = [],
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

  /**
   * Ends a bulk build: orders what inserts appended, and leaves both arrays exactly as long
   * as the group. An array grown by pushes keeps room for ~17 entries, and most groups
   * have one to three members: at 100k companies (43k groups) the spare room was ~10 MB.
   */
  finishBulk(): void {
    this.bulk = false;
    if (!this.unsorted) {
      this.ids = this.ids.slice();
      this.slots = this.slots.slice();
      return;
    }
    const order = this.ids.map((_, i) => i).sort((a, b) => (this.ids[a]! < this.ids[b]! ? -1 : 1));
    this.ids = order.map((i) => this.ids[i]!);
    this.slots = order.map((i) => this.slots[i]!);
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

/**
 * A record of a side with what the index derived from it. Its tags and partnership types
 * are its group's: four fields per record, at 100k records 2.3 MB less than an entry that
 * held them (and the reader of a restored record) itself.
 */
export class Entry<T> {
  constructor(
    readonly id: string,
    protected held: T | undefined,
    readonly language: Language,
    readonly group: Group,
  ) {}

  get record(): T {
    return this.held!;
  }

  get tags(): readonly AssignedTag[] {
    return this.group.tags;
  }
}

/** An entry of a record restored by id alone (see `Side.addRestored`): read on first use, and held from then on. */
class LazyEntry<T> extends Entry<T> {
  constructor(
    id: string,
    held: T | undefined,
    private readonly load: (id: string) => T,
    language: Language,
    group: Group,
  ) {
    super(id, held, language, group);
  }

  override get record(): T {
    return (this.held ??= this.load(this.id));
  }
}

function entryOf<T>(id: string, record: T | undefined, load: ((id: string) => T) | undefined, language: Language, group: Group): Entry<T> {
  return record === undefined && load !== undefined ? new LazyEntry(id, record, load, language, group) : new Entry(id, record, language, group);
}

/** What a restore holds of the records in the term index, by slot: enough to make each one's entry. */
export interface RestoredSlots<T> {
  readonly groups: readonly Group[];
  readonly languages: readonly Language[];
  /** The records when the restore was given them, else `load` reads each on first use. */
  readonly records: readonly (T | undefined)[] | undefined;
  readonly load: ((id: string) => T) | undefined;
}

/** A record of a restore that is not in the term index (ineligible): its entry is made at once. */
export interface RestoredUnindexed<T> {
  readonly id: string;
  readonly record: T | undefined;
  readonly language: Language;
  readonly group: Group;
}

/** The records of one kind, their inverted index, groups and tag statistics. */
export class Side<T extends { id: string }> {
  readonly index: TermIndex;
  /** Ids in insertion order; an update keeps a record's place. */
  readonly order: string[] = [];
  private bulk = false;
  /**
   * The entry in each index slot (`entryAt`); a restored one is made when first asked for,
   * from `restored`: at 100k records a start made 100k entries few of which it touched.
   */
  private readonly entryBySlot: (Entry<T> | undefined)[] = [];
  /** Records not in the term index (ineligible: closed needs), by id. */
  private readonly unindexed = new Map<string, Entry<T>>();
  /** What a restore knows of the records in its slots, until each one's entry is made. */
  private restored: RestoredSlots<T> | undefined;
  readonly groups: Group[] = [];
  /** Groups by the sector roots of their tags: only these can have a tag score. */
  readonly groupsByRoot = new Map<string, Group[]>();
  /**
   * Groups, tag sets and type lists by key, for adding records one at a time; a bulk build
   * or a restore leaves them to be made from the groups on the first such add (`keyed()`):
   * their keys were a sixth of a start at 100k records, and ~5 MB held after a build.
   */
  private groupByKey = new Map<string, Group>();
  /** The distinct partnership type lists of the groups (few: there are seven types). */
  readonly typeLists: (readonly PartnershipType[] | undefined)[] = [];
  private typeListByKey = new Map<string, number>();
  /** The tag list of each distinct tag set, as the records that carry it hold it. */
  private readonly tagArrays: (readonly AssignedTag[] | undefined)[] = [];
  /** The distinct tag sets of the groups, as vectors for the compiled tag scorer. */
  readonly tagSets: TagVector[] = [];
  private tagSetByKey = new Map<string, number>();
  /** False after a bulk build or a restore until `keyed()` has made the key maps. */
  private hasKeys = true;
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
    group.insert(record.id, slot);
    this.place(record.id, record, undefined, language, group, slot);
  }

  /**
   * Adds a group of a restore (a snapshot), with its members already in id order and their
   * slots (-1: not indexed): one group at a time, so a group's keys, tag vector and lineage
   * are worked out once and not once per record. `tags` and `types` are arrays shared by
   * every call with the same list; the group keeps `ids` and `slots` (handed over). Each
   * member is then added with `addRestored`.
   */
  restoreGroup(tags: readonly AssignedTag[], types: readonly PartnershipType[] | undefined, eligible: boolean, ids: string[], slots: number[]): Group {
    this.hasKeys = false;
    let tagSet = this.restoredTagSets.get(tags);
    if (tagSet === undefined) {
      tagSet = { index: this.tagSets.length, roots: rootsOf(tags), records: 0 };
      this.tagSets.push(this.tagVector(tags));
      this.tagArrays[tagSet.index] = tags;
      this.restoredTagSets.set(tags, tagSet);
    }
    tagSet.records += ids.length;
    let typesIndex = this.restoredTypeLists.get(types);
    if (typesIndex === undefined) {
      typesIndex = this.typeLists.length;
      this.typeLists.push(types);
      this.restoredTypeLists.set(types, typesIndex);
    }
    const group = new Group(tags, types, tagSet.index, typesIndex, eligible, ids, slots);
    this.placeGroup(group, tagSet.roots);
    return group;
  }

  /**
   * Adds the members of the groups `restoreGroup` made: those in the term index by slot,
   * their entries made when first asked for; the others (ineligible) at once. A record may
   * be left to `load` on first use.
   */
  addRestored(restored: RestoredSlots<T>, unindexed: readonly RestoredUnindexed<T>[]): void {
    const count = restored.groups.length;
    if (count > this.tagSetBySlot.length) {
      this.tagSetBySlot = grownTo(this.tagSetBySlot, count);
      this.typesBySlot = grownTo(this.typesBySlot, count);
    }
    for (let slot = 0; slot < count; slot += 1) {
      const group = restored.groups[slot]!;
      this.tagSetBySlot[slot] = group.tagSetIndex;
      this.typesBySlot[slot] = group.typesIndex;
    }
    if (this.entryBySlot.length < count) this.entryBySlot.length = count;
    this.restored = restored;
    for (const { id, record, language, group } of unindexed) this.place(id, record, restored.load, language, group, -1);
  }

  /** Records of the side: in the term index, and not. */
  get size(): number {
    return this.index.size + this.unindexed.size;
  }

  has(id: string): boolean {
    return this.index.has(id) || this.unindexed.has(id);
  }

  /** The record's entry, or undefined when the side has no such record. */
  entry(id: string): Entry<T> | undefined {
    const slot = this.index.slotOf(id);
    return slot === undefined ? this.unindexed.get(id) : this.entryAt(slot);
  }

  /** The entry of the record in index slot `slot`, or undefined for a slot no record holds now. */
  entryAt(slot: number): Entry<T> | undefined {
    const entry = this.entryBySlot[slot];
    if (entry !== undefined) return entry;
    const restored = this.restored;
    const id = this.index.idAt(slot);
    if (restored === undefined || slot >= restored.groups.length || id === undefined) return undefined;
    const group = restored.groups[slot]!;
    const made = entryOf<T>(id, restored.records?.[slot], restored.load, restored.languages[slot]!, group);
    this.entryBySlot[slot] = made;
    return made;
  }

  /** The language of the record in slot `slot`, without making a restored record's entry. */
  languageAt(slot: number): Language | undefined {
    const entry = this.entryBySlot[slot];
    if (entry !== undefined) return entry.language;
    const restored = this.restored;
    if (restored === undefined || slot >= restored.groups.length || this.index.idAt(slot) === undefined) return undefined;
    return restored.languages[slot];
  }

  /** Tag set index, roots and record count of the tag arrays of a restore, and type list index of its type arrays; emptied at `endBulk()`. */
  private restoredTagSets = new Map<readonly AssignedTag[], { readonly index: number; readonly roots: readonly string[]; records: number }>();
  private restoredTypeLists = new Map<readonly PartnershipType[] | undefined, number>();

  private place(id: string, record: T | undefined, load: ((id: string) => T) | undefined, language: Language, group: Group, slot: number): void {
    const entry = entryOf<T>(id, record, load, language, group);
    if (slot < 0) this.unindexed.set(id, entry);
    else {
      this.entryBySlot[slot] = entry;
      if (slot >= this.tagSetBySlot.length) {
        this.tagSetBySlot = grownTo(this.tagSetBySlot, slot + 1);
        this.typesBySlot = grownTo(this.typesBySlot, slot + 1);
      }
      this.tagSetBySlot[slot] = group.tagSetIndex;
      this.typesBySlot[slot] = group.typesIndex;
    }
  }

  /** `terms` are the record's indexed terms (re-derived by analysing it again). */
  remove(id: string, terms: Iterable<string>): boolean {
    const entry = this.entry(id);
    if (entry === undefined) return false;
    for (const tag of lineageOf(entry.tags)) {
      const count = (this.tagCounts.get(tag) ?? 1) - 1;
      if (count === 0) this.tagCounts.delete(tag);
      else this.tagCounts.set(tag, count);
    }
    entry.group.delete(id);
    this.unindexed.delete(id);
    const slot = this.index.slotOf(id);
    if (slot !== undefined) this.entryBySlot[slot] = undefined;
    this.index.remove(id, terms);
    return true;
  }

  /** Starts a bulk build: group ids are sorted once at `endBulk()` instead of per insert. */
  beginBulk(): void {
    this.bulk = true;
    this.index.beginBulk();
    for (const group of this.groups) group.bulk = true;
  }

  endBulk(): void {
    this.bulk = false;
    // Each restored tag set's records counted for its lineage once, at the end.
    for (const [tags, { records }] of this.restoredTagSets) {
      for (const tag of lineageOf(tags)) this.tagCounts.set(tag, (this.tagCounts.get(tag) ?? 0) + records);
    }
    this.restoredTagSets = new Map();
    this.restoredTypeLists = new Map();
    for (const group of this.groups) group.finishBulk();
    this.index.trim();
    // As after a restore: at 100k records the key maps and their keys are ~5 MB that a
    // matcher which is only asked for rankings never reads; the first add makes them again.
    this.dropKeys();
  }

  /** IDF-style rarity of a tag among this side's records (ancestors included), or among a whole collection's (a shard). */
  rarity(tag: string): number {
    const shared = this.sharedTags;
    const df = (shared === undefined ? this.tagCounts.get(tag) : shared.counts.get(tag)) ?? 0;
    return Math.log(1 + ((shared === undefined ? this.size : shared.records) + 1) / (df + 1));
  }

  private sharedTags: { readonly records: number; readonly counts: ReadonlyMap<string, number> } | undefined;

  /** Records per tag (ancestors included) and the record count of this side alone: what `rarity` reads. */
  ownTagStatistics(): { records: number; tagCounts: Map<string, number> } {
    return { records: this.size, tagCounts: new Map(this.tagCounts) };
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
    this.keyed();
    // A new tag set or type list always makes a new group, so they are numbered in the order groups are made.
    let tagSetIndex = this.tagSetByKey.get(tagsKey);
    if (tagSetIndex === undefined) {
      tagSetIndex = this.tagSets.length;
      this.tagSets.push(this.tagVector(tags));
      // Equal keys are equal tag lists: one array per distinct list, not one per record
      // (100k records carry a few tens of thousands of lists).
      this.tagArrays[tagSetIndex] = tags;
      this.tagSetByKey.set(tagsKey, tagSetIndex);
    }
    const typesKey = typesKeyOf(types);
    let typesIndex = this.typeListByKey.get(typesKey);
    if (typesIndex === undefined) {
      typesIndex = this.typeLists.length;
      this.typeLists.push(types);
      this.typeListByKey.set(typesKey, typesIndex);
    }
    const key = groupKeyOf(tagSetIndex, typesIndex, eligible);
    let group = this.groupByKey.get(key);
    if (group === undefined) {
      group = new Group(this.tagArrays[tagSetIndex]!, types, tagSetIndex, typesIndex, eligible);
      this.placeGroup(group, rootsOf(tags));
      this.groupByKey.set(key, group);
    }
    return group;
  }

  /** Adds a new group to the side's lists; `roots` are the sector roots of its tags. */
  private placeGroup(group: Group, roots: readonly string[]): void {
    group.bulk = this.bulk;
    this.groups.push(group);
    for (const root of roots) {
      const list = this.groupsByRoot.get(root);
      if (list === undefined) this.groupsByRoot.set(root, [group]);
      else list.push(group);
    }
  }

  private dropKeys(): void {
    this.hasKeys = false;
    this.groupByKey = new Map();
    this.tagSetByKey = new Map();
    this.typeListByKey = new Map();
  }

  /** Makes the key maps from the groups, once, after a bulk build or a restore. */
  private keyed(): void {
    if (this.hasKeys) return;
    this.hasKeys = true;
    this.tagArrays.forEach((tags, index) => {
      if (tags !== undefined) this.tagSetByKey.set(tagsKeyOf(tags), index);
    });
    this.typeLists.forEach((types, index) => this.typeListByKey.set(typesKeyOf(types), index));
    for (const group of this.groups) this.groupByKey.set(groupKeyOf(group.tagSetIndex, group.typesIndex, group.eligible), group);
  }
}

/**
 * The numbers of the group's tag set and type list, not their keys: at 100k records the 43k
 * group keys made of tag and type keys were ~5 MB of strings.
 */
function groupKeyOf(tagSetIndex: number, typesIndex: number, eligible: boolean): string {
  return `${tagSetIndex}.${typesIndex}${eligible ? 'y' : 'n'}`;
}

function typesKeyOf(types: readonly PartnershipType[] | undefined): string {
  return types === undefined ? '-' : types.length === 1 ? types[0]! : [...types].sort().join(',');
}

function tagsKeyOf(tags: readonly AssignedTag[]): string {
  return tags.map((t) => `${t.tag}:${t.source}:${t.confidence}`).join(',');
}

function grownTo(array: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** The distinct sector roots of a tag list. */
export function rootsOf(tags: readonly AssignedTag[]): string[] {
  return [...new Set(tags.map((t) => taxonomy.lineage(t.tag).at(-1)!))];
}

export function lineageOf(tags: readonly AssignedTag[]): Set<string> {
  const out = new Set<string>();
  for (const { tag } of tags) for (const t of taxonomy.lineage(tag)) out.add(t);
  return out;
}

