import type { ValidationIssue } from '../errors.js';

/** At most this many problems are reported for one input; the rest are only counted. */
export const MAX_REPORTED_ISSUES = 100;

/**
 * Problems of one input, bounded: after `limit` it only counts, so a hostile input of a
 * million bad rows costs a counter, not a million messages (and never a huge error body).
 */
export class IssueCollector {
  readonly #issues: ValidationIssue[] = [];
  #omitted = 0;
  #unchecked = 0;

  constructor(readonly limit: number = MAX_REPORTED_ISSUES) {}

  add(issue: ValidationIssue): void {
    if (this.#issues.length < this.limit) this.#issues.push(issue);
    else this.#omitted += 1;
  }

  addAll(issues: Iterable<ValidationIssue>): void {
    for (const issue of issues) this.add(issue);
  }

  /** True once no further problem would be reported (callers may stop looking). */
  get full(): boolean {
    return this.#issues.length >= this.limit;
  }

  get count(): number {
    return this.#issues.length + this.#omitted;
  }

  get omitted(): number {
    return this.#omitted;
  }

  /** Counts a record that was not checked because the list is {@link full}. */
  skip(records = 1): void {
    this.#unchecked += records;
  }

  get unchecked(): number {
    return this.#unchecked;
  }

  /** The reported problems, ending with one `too_many_problems` issue when some were left out. */
  list(path = ''): ValidationIssue[] {
    if (this.#omitted === 0 && this.#unchecked === 0) return [...this.#issues];
    const parts = [
      ...(this.#omitted > 0 ? [`${this.#omitted} more problem(s) not listed`] : []),
      ...(this.#unchecked > 0 ? [`${this.#unchecked} more record(s) not checked`] : []),
    ];
    const message = `${parts.join('; ')} (checking stops after the first ${this.limit} problems)`;
    return [...this.#issues, { path, message, code: 'too_many_problems' }];
  }
}
