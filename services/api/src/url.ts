/** A lone surrogate: `encodeURIComponent` throws a URIError on one. */
const LONE_SURROGATE = /[\ud800-\udfff]/gu;

/**
 * `encodeURIComponent` that never throws: a lone surrogate (which no URL can hold) becomes
 * U+FFFD first. Every link and `Location` built from an id goes through it, so a record with
 * such an id can never turn a page into a 500.
 */
export function encodePathSegment(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\ufffd'));
}
