import { MAX_JSON_DEPTH, MAX_REPORTED_ISSUES, type ValidationIssue } from '@partnermatch/core';
import type { ParsedImport } from './formats.js';

/** Characters scanned between two yields to the event loop. */
const CHARS_PER_TURN = 64 * 1024;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A JSON array import parsed element by element, in turns: one `JSON.parse` of a 10 MB body
 * blocks the event loop for a second or more, so the top-level array is split at its commas
 * (outside strings, at depth 1) by a scan that yields every {@link CHARS_PER_TURN} characters,
 * and each element is parsed on its own. Nesting deeper than core's `MAX_JSON_DEPTH` refuses
 * the whole body; after `MAX_REPORTED_ISSUES` bad elements the rest are only counted (no slot,
 * no parse). The result is what `JSON.parse` would give for a valid body, one slot per element
 * up to the problem cap otherwise.
 */
export async function parseJsonArrayInTurns(body: string, label = 'records'): Promise<ParsedImport> {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const start = text.search(/\S/);
  if (start === -1 || text.charCodeAt(start) !== 0x5b) {
    return { records: [], issues: [{ path: 'body', message: 'must be a JSON array of records' }] };
  }
  const records: unknown[] = [];
  const issues: ValidationIssue[] = [];
  let unparsed = 0;
  const element = (from: number, to: number): void => {
    if (issues.length >= MAX_REPORTED_ISSUES) {
      // The import is refused anyway: past the cap, elements are counted, and get no slot.
      unparsed += 1;
      return;
    }
    const slice = text.slice(from, to);
    // A record is an object: anything else is a problem without parsing it (a body of millions
    // of numbers then costs a scan, not millions of parses).
    const first = /\S/.exec(slice)?.[0];
    if (first !== '{') {
      issues.push({ path: `${label}[${records.length}]`, message: first === undefined ? 'is missing (not valid JSON)' : 'must be an object (a record)' });
      records.push(undefined);
      return;
    }
    try {
      records.push(JSON.parse(slice));
    } catch (error) {
      issues.push({ path: `${label}[${records.length}]`, message: `not valid JSON (${(error as Error).message})` });
      records.push(undefined);
    }
  };
  let depth = 0;
  let inString = false;
  let elementStart = start + 1;
  let end = -1;
  let nextTurn = CHARS_PER_TURN;
  for (let i = start; i < text.length; i += 1) {
    if (i >= nextTurn) {
      nextTurn = i + CHARS_PER_TURN;
      await turn();
    }
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i += 1;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH + 1) {
        return { records: [], issues: [{ path: 'body', message: `is nested more than ${MAX_JSON_DEPTH} levels deep` }] };
      }
    } else if (ch === 0x5d || ch === 0x7d) {
      depth -= 1;
      if (depth === 0) {
        end = i;
        break;
      }
    } else if (ch === 0x2c && depth === 1) {
      element(elementStart, i);
      elementStart = i + 1;
    }
  }
  if (end === -1 || /\S/.test(text.slice(end + 1))) {
    return { records: [], issues: [{ path: 'body', message: 'is not valid JSON (the array is not closed, or text follows it)' }] };
  }
  // The last element, unless the array is empty (`[ ]`).
  if (records.length > 0 || unparsed > 0 || /\S/.test(text.slice(elementStart, end))) element(elementStart, end);
  if (unparsed > 0) {
    issues.push({ path: label, message: `${unparsed} more record(s) not checked (checking stops after the first ${MAX_REPORTED_ISSUES} problems)` });
  }
  return { records, issues };
}
