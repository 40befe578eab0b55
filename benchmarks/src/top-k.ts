/**
 * The best `k` (id, score) pairs offered, as a min-heap on score: ties keep the earlier
 * offer (lower slot), so results are deterministic.
 */
export class TopK {
  readonly #k: number;
  readonly #slots: number[] = [];
  readonly #scores: number[] = [];

  constructor(k: number) {
    this.#k = k;
  }

  /** The score a new offer must beat once the heap is full; −∞ before. */
  get threshold(): number {
    return this.#slots.length < this.#k ? -Infinity : this.#scores[0]!;
  }

  offer(slot: number, score: number): void {
    if (this.#k === 0) return;
    if (this.#slots.length < this.#k) {
      this.#slots.push(slot);
      this.#scores.push(score);
      this.#up(this.#slots.length - 1);
    } else if (score > this.#scores[0]!) {
      this.#slots[0] = slot;
      this.#scores[0] = score;
      this.#down(0);
    }
  }

  /** Slots, best first. */
  sorted(): number[] {
    return this.#slots
      .map((slot, i) => ({ slot, score: this.#scores[i]! }))
      .sort((a, b) => b.score - a.score || a.slot - b.slot)
      .map(({ slot }) => slot);
  }

  #swap(i: number, j: number): void {
    [this.#slots[i], this.#slots[j]] = [this.#slots[j]!, this.#slots[i]!];
    [this.#scores[i], this.#scores[j]] = [this.#scores[j]!, this.#scores[i]!];
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#scores[parent]! <= this.#scores[i]!) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#slots.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < n && this.#scores[l]! < this.#scores[least]!) least = l;
      if (r < n && this.#scores[r]! < this.#scores[least]!) least = r;
      if (least === i) return;
      this.#swap(i, least);
      i = least;
    }
  }
}
