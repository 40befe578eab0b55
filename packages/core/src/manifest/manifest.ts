import { createHash, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolveMatcherOptions, validateInput, type MatcherOptions, type ResolvedMatcherOptions } from '../matcher.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import { GLOSSARY_VERSION } from '../taxonomy/glossary-data.js';
import { lexicon } from '../lexicon/lexicon.js';
import { taxonomy } from '../taxonomy/taxonomy.js';
import { PartnermatchError } from '../errors.js';

/** Bumped when the manifest's own layout changes. */
export const MANIFEST_FORMAT = 1;

/** The input records of one kind: how many, and SHA-256 digests of their canonical form. */
export interface InputDigest {
  readonly count: number;
  /** SHA-256 (hex) of the canonical JSON of the validated records, in input order. */
  readonly sha256: string;
  /** Per record, in input order: its id and the first 16 hex digits of its own SHA-256. */
  readonly records: readonly (readonly [id: string, digest: string])[];
}

/**
 * Everything a batch run depends on, so that it can be repeated byte for byte or told
 * precisely why it cannot: the engine and its data versions, the runtime whose ICU segments
 * Chinese and whose stemmer library stems, the resolved options, the moment the run
 * considered, and digests of its input records.
 */
export interface RunManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly engine: { readonly name: string; readonly version: string };
  readonly versions: {
    readonly taxonomy: string;
    readonly glossary: string;
    /** The lexicon's build day and content digest; null when the run had it off. */
    readonly lexicon: string | null;
  };
  /** What else changes results: ICU (Chinese word segmentation) and natural (stemmers, stop words). */
  readonly runtime: { readonly node: string; readonly icu: string | null; readonly unicode: string | null; readonly natural: string | null };
  /** The matcher options with every default filled in. */
  readonly options: ResolvedMatcherOptions;
  /** Settings of the run itself (e.g. the CLI's `top`, `minScore`, `direction`, `format`, `explain`), as given. */
  readonly run: Readonly<Record<string, unknown>>;
  /** The moment the run considered, ISO 8601 UTC. */
  readonly asOf: string;
  readonly input: {
    /** SHA-256 over the canonical JSON of `{ companies, needs }` (validated records, input order). */
    readonly sha256: string;
    readonly companies: InputDigest;
    readonly needs: InputDigest;
  };
}

export interface CreateManifestInput {
  readonly companies?: readonly unknown[];
  readonly needs?: readonly unknown[];
  /**
   * True when the records are already in their validated form (a matcher's or a store's
   * copies, e.g. the service's): they are hashed as given, not validated again. Validation is
   * most of the time a manifest takes; validated records hash as their raw input would.
   */
  readonly validated?: boolean;
  readonly options?: MatcherOptions;
  /** The moment the run considers; a Date or an ISO 8601 string. */
  readonly asOf: Date | string;
  /** Settings of the run beyond the matcher options; must be JSON values. */
  readonly run?: Readonly<Record<string, unknown>>;
}

const require = createRequire(import.meta.url);

// The manifest names the version of the package that computed the run. From src/manifest
// and dist/manifest alike the package's own package.json is two levels up.
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

function dependencyVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** The lexicon a run used: the day its file was built and a digest of its content; null when it is off. */
function lexiconVersion(options: ResolvedMatcherOptions): string | null {
  if (!options.analyzer.lexicon) return null;
  const shipped = lexicon();
  return `${shipped.info.built}+${shipped.digest}`;
}

/**
 * JSON with object keys in code-point order at every level and no whitespace: one value, one
 * string, whatever order its keys were written in. `undefined` members are left out, as
 * JSON.stringify does; numbers are written as JSON.stringify writes them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The digest of one kind's records, each record serialised once: its canonical JSON feeds its
 * own hash, the kind's hash and `whole` (the hash of all input), in the bytes
 * `canonicalJson(records)` would give, so the digests are those of the serialised array.
 * A step per record, so that a caller can pause between records (see {@link createManifestAsync}).
 */
function* digestSteps(records: readonly (Company | PartnerNeed)[], whole: Hash): Generator<void, InputDigest, undefined> {
  const kind = createHash('sha256');
  const feed = (text: string): void => {
    kind.update(text, 'utf8');
    whole.update(text, 'utf8');
  };
  feed('[');
  const digests: (readonly [string, string])[] = [];
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i]!;
    const json = canonicalJson(record);
    feed(i === 0 ? json : `,${json}`);
    digests.push([record.id, sha256(json).slice(0, 16)]);
    yield;
  }
  feed(']');
  return { count: records.length, sha256: kind.digest('hex'), records: digests };
}

function isoInstant(asOf: Date | string): string {
  const date = asOf instanceof Date ? asOf : new Date(asOf);
  if (Number.isNaN(date.getTime())) {
    throw new PartnermatchError('INVALID_INPUT', `asOf: ${JSON.stringify(String(asOf))} is not a date`, {
      issues: [{ path: 'asOf', message: 'must be an ISO 8601 date' }],
    });
  }
  return date.toISOString();
}

/**
 * The manifest of a run over these records with these options. Records are validated as
 * `createMatcher` validates them (one INVALID_INPUT error listing every problem) and hashed
 * in that form, so a JSON, NDJSON or CSV file of the same records gives the same digest.
 */
export function createManifest(input: CreateManifestInput): RunManifest {
  const steps = manifestSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** How long {@link createManifestAsync} hashes before it lets other work run, by default. */
export const MANIFEST_SLICE_MS = 10;

/**
 * {@link createManifest} for a server: the same bytes, but the input is hashed in slices of
 * about `sliceMs` milliseconds, yielding to the event loop between them, so that a manifest over
 * 10k records does not hold up requests for the half second hashing them takes. Validation
 * (when `validated` is not true) still runs in one piece: a server's records are validated.
 * The records must not change while it runs (take a copy of the list first).
 */
export async function createManifestAsync(input: CreateManifestInput, options: { readonly sliceMs?: number } = {}): Promise<RunManifest> {
  const sliceMs = options.sliceMs ?? MANIFEST_SLICE_MS;
  const steps = manifestSteps(input);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resume) => setImmediate(resume));
      sliceStart = performance.now();
    }
  }
}

/** The manifest, built a record's digest at a time. */
function* manifestSteps(input: CreateManifestInput): Generator<void, RunManifest, undefined> {
  const options = resolveMatcherOptions(input.options);
  const { companies, needs } =
    input.validated === true
      ? { companies: (input.companies ?? []) as readonly Company[], needs: (input.needs ?? []) as readonly PartnerNeed[] }
      : validateInput({ companies: input.companies ?? [], needs: input.needs ?? [] });
  const run = input.run === undefined ? {} : (JSON.parse(canonicalJson(input.run)) as Record<string, unknown>);
  const asOf = isoInstant(input.asOf);
  return {
    format: MANIFEST_FORMAT,
    engine: { name: PACKAGE.name, version: PACKAGE.version },
    versions: { taxonomy: taxonomy.version, glossary: GLOSSARY_VERSION, lexicon: lexiconVersion(options) },
    runtime: {
      node: process.version,
      icu: process.versions.icu ?? null,
      unicode: process.versions.unicode ?? null,
      natural: dependencyVersion('natural'),
    },
    options: JSON.parse(canonicalJson(options)) as ResolvedMatcherOptions,
    run,
    asOf,
    input: yield* inputDigestSteps(companies, needs),
  };
}

/** The digests of the input: SHA-256 over the canonical JSON of `{ companies, needs }` and per kind. */
function* inputDigestSteps(companies: readonly Company[], needs: readonly PartnerNeed[]): Generator<void, RunManifest['input'], undefined> {
  // Keys in code-point order, as canonicalJson writes them: "companies" before "needs".
  const whole = createHash('sha256').update('{"companies":', 'utf8');
  const companyDigest = yield* digestSteps(companies, whole);
  whole.update(',"needs":', 'utf8');
  const needDigest = yield* digestSteps(needs, whole);
  whole.update('}', 'utf8');
  return { sha256: whole.digest('hex'), companies: companyDigest, needs: needDigest };
}

/** One way two manifests differ; `path` names the field (`options.bm25.k1`, `input.companies[c-17]`). */
export interface ManifestDifference {
  readonly path: string;
  /** What the first manifest (the one being reproduced) holds; undefined when absent there. */
  readonly expected: unknown;
  /** What the second holds; undefined when absent there. */
  readonly actual: unknown;
  /** A sentence for people. */
  readonly message: string;
}

export interface ManifestComparison {
  /** True when nothing differs: a run under `b` reproduces the run of `a` byte for byte. */
  readonly same: boolean;
  readonly differences: readonly ManifestDifference[];
}

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

function diffValues(path: string, expected: unknown, actual: unknown, out: ManifestDifference[]): void {
  const bothObjects =
    expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual);
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const key of keys) {
      diffValues(path === '' ? key : `${path}.${key}`, (expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], out);
    }
    return;
  }
  if (canonicalJson(expected) !== canonicalJson(actual)) {
    out.push({ path, expected, actual, message: `${path}: ${show(expected)} → ${show(actual)}` });
  }
}

/** Record-level differences of one kind's input: which ids were added, removed, changed or moved. */
function diffRecords(kind: 'companies' | 'needs', expected: InputDigest, actual: InputDigest, out: ManifestDifference[]): void {
  if (expected.sha256 === actual.sha256) return;
  const before = new Map(expected.records);
  const after = new Map(actual.records);
  const path = (id: string) => `input.${kind}[${JSON.stringify(id)}]`;
  for (const [id, digest] of expected.records) {
    const now = after.get(id);
    if (now === undefined) out.push({ path: path(id), expected: digest, actual: undefined, message: `input.${kind}: record ${JSON.stringify(id)} is missing` });
    else if (now !== digest) out.push({ path: path(id), expected: digest, actual: now, message: `input.${kind}: record ${JSON.stringify(id)} has changed` });
  }
  for (const [id, digest] of actual.records) {
    if (!before.has(id)) out.push({ path: path(id), expected: undefined, actual: digest, message: `input.${kind}: record ${JSON.stringify(id)} is new` });
  }
  const sameIds = expected.records.filter(([id]) => after.has(id)).map(([id]) => id);
  const nowIds = actual.records.filter(([id]) => before.has(id)).map(([id]) => id);
  if (sameIds.join('\u0000') !== nowIds.join('\u0000')) {
    out.push({ path: `input.${kind}`, expected: sameIds.length, actual: nowIds.length, message: `input.${kind}: the records are in another order (results follow input order)` });
  }
  if (!out.some((d) => d.path.startsWith(`input.${kind}`))) {
    out.push({ path: `input.${kind}.sha256`, expected: expected.sha256, actual: actual.sha256, message: `input.${kind}: the records differ` });
  }
}

/**
 * What differs between the manifest of a run (`a`) and another (`b`), field by field, and for
 * the input record by record. `same` is true only when a run under `b` would give the bytes
 * the run of `a` gave.
 */
export function compareManifest(a: RunManifest, b: RunManifest): ManifestComparison {
  const differences: ManifestDifference[] = [];
  const { input: inputA, ...restA } = a;
  const { input: inputB, ...restB } = b;
  diffValues('', restA, restB, differences);
  diffRecords('companies', inputA.companies, inputB.companies, differences);
  diffRecords('needs', inputA.needs, inputB.needs, differences);
  return { same: differences.length === 0, differences };
}
