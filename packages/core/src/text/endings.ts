/**
 * Known word endings, looked up longest first. A word whose last three letters end no known
 * ending is passed over at once: most words are, and each first-seen word is asked.
 */
export class WordEndings<V> {
  private readonly longest: number;
  private readonly lastThree: ReadonlySet<string>;

  /** `endings` are three letters long at least. */
  constructor(private readonly endings: ReadonlyMap<string, V>) {
    this.longest = Math.max(0, ...[...endings.keys()].map((ending) => ending.length));
    this.lastThree = new Set([...endings.keys()].map((ending) => ending.slice(-3)));
  }

  /**
   * The first answer `pick` gives for an ending of `word` that starts at `minStart` or later,
   * the longest ending first; `pick` gets the ending's value and where in `word` it starts.
   */
  first<R>(word: string, minStart: number, pick: (value: V, start: number) => R | undefined): R | undefined {
    if (!this.lastThree.has(word.slice(-3))) return undefined;
    for (let start = Math.max(minStart, word.length - this.longest); start < word.length; start += 1) {
      const value = this.endings.get(word.slice(start));
      if (value === undefined) continue;
      const picked = pick(value, start);
      if (picked !== undefined) return picked;
    }
    return undefined;
  }
}
