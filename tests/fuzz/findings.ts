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
  {
    id: 'F3',
    title: 'a JSON body nested thousands of levels deep answers 500 (stack overflow)',
    explains: (r, v) => v.kind === 'status>=500' && r.tags.includes('deep'),
  },
  {
    id: 'F4',
    title: 'prototype names (constructor, __proto__, toString…) in /docs/assets and /ui/static paths answer 500',
    explains: (r, v) => v.kind === 'status>=500' && (r.tags.includes('proto-path') || /\/(docs\/assets|ui\/static)\//.test(r.path)),
  },
  {
    id: 'F7',
    title: 'errors from the node adapter are empty, not problem+json: a backslash or a malformed request target (400), >16 KB of headers (431)',
    // The adapter's signature: no content type and no body.
    explains: (_r, v, o) => v.kind === 'not-problem+json' && (o.status === 400 || o.status === 431) && o.contentType === '' && o.bodyBytes === 0,
  },
  {
    id: 'F1',
    title: 'ids with lone surrogates, control characters, "." or ".." are stored, then answer 500 and break list, ranked and batch pages',
    // Once such an id is stored every page that lists, ranks or links it answers 500; the findings above are matched first.
    explains: (r, v, o) => v.kind === 'accepted-unusable-id' || (v.kind === 'status>=500' && (r.tags.includes('bad-id') || o.unusableIdStored)),
  },
];

export function explainedBy(request: FuzzRequest, violation: Violation, observed: Observed): KnownFinding | undefined {
  return KNOWN_FINDINGS.find((f) => f.explains(request, violation, observed));
}
