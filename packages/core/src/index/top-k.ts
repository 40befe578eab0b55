/** A scored item; equal scores rank by id, ascending, so results never depend on input order. */
export interface Ranked {
  readonly id: string;
  readonly score: number;
}

/** True when `a` ranks above `b`. */
export function ranksAbove(a: Ranked, b: Ranked): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}

/**
 * Keeps the best `k` items seen in a binary min-heap whose root is the worst kept item,
 * so each offer is O(log k) and nothing is fully sorted until `sorted()`.
 */
export class TopK<T extends Ranked> {
  private readonly heap: T[] = [];

  constructor(private readonly k: number) {}

  get size(): number {
    return this.heap.length;
  }

  /** The worst kept item once the heap is full; anything not above it is refused. */
  get threshold(): T | undefined {
    return this.heap.length < this.k ? undefined : this.heap[0];
  }

  offer(item: T): void {
    if (this.k <= 0) return;
    if (this.heap.length < this.k) {
      this.heap.push(item);
      this.siftUp(this.heap.length - 1);
    } else if (ranksAbove(item, this.heap[0]!)) {
      this.heap[0] = item;
      this.siftDown(0);
    }
  }

  /** Best first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => (ranksAbove(a, b) ? -1 : ranksAbove(b, a) ? 1 : 0));
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!ranksAbove(heap[parent]!, heap[i]!)) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && ranksAbove(heap[worst]!, heap[left]!)) worst = left;
      if (right < heap.length && ranksAbove(heap[worst]!, heap[right]!)) worst = right;
      if (worst === i) return;
      [heap[worst], heap[i]] = [heap[i]!, heap[worst]!];
      i = worst;
    }
  }
}
