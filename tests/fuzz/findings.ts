import type { FuzzRequest } from './arbitraries.js';

/**
 * The findings of issue 14 that the service still fails. A fuzz failure that one of these
 * explains is counted under it instead of as a new failure, so the short run in `npm test`
 * stays green until it is fixed. Whoever fixes a finding deletes it here AND flips its
 * `it.fails(...)` in fuzz.test.ts (or hostile.ts / crash) to `it(...)`: from then on any
 * recurrence is a new failure again.
 */

export type ViolationKind =
  | 'status>=500'
  | 'not-problem+json'
  | 'no-request-id'
  | 'contact-leak'
  | 'accepted-unusable-id'
  | 'csrf-accepted'
  | 'timeout'
  | 'connection-error'
  | 'server-down';

export interface Violation {
  readonly kind: ViolationKind;
  readonly detail: string;
}

export interface Observed {
  readonly status?: number;
  readonly contentType?: string;
  readonly bodyBytes?: number;
  /** Whether the service has acknowledged a write of an id no URL can hold (F1 poisons pages from then on). */
  readonly unusableIdStored: boolean;
}

export interface KnownFinding {
  readonly id: string;
  readonly title: string;
  explains(request: FuzzRequest, violation: Violation, observed: Observed): boolean;
}

export const KNOWN_FINDINGS: readonly KnownFinding[] = [
  // F1, F3, F4 and F7 were fixed (issue 14): any recurrence is a new failure.
];

export function explainedBy(request: FuzzRequest, violation: Violation, observed: Observed): KnownFinding | undefined {
  return KNOWN_FINDINGS.find((f) => f.explains(request, violation, observed));
}
