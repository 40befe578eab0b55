import type { BatchLists, TermIndex } from './index/term-index.js';
import { recordFields } from './index/fields.js';
import type { ResolvedMatcherOptions } from './options.js';
import type { PreparedRecord } from './ranking/engine.js';
import type { Company, PartnerNeed } from './schema/records.js';
import { assignTags, type AssignedTag } from './scoring/inference.js';
import { createAnalyzer, type Analyzer, type TextField } from './text/analyzer.js';
import type { Language } from './text/language.js';

/** Records are analysed this many at a time: each batch's distinct terms are looked up in the index once. */
export const BATCH_SIZE = 1_000;

/** What a build worker is asked to analyse: one record's text fields and given sectors. */
export interface AnalysisJob {
  readonly fields: readonly TextField[];
  readonly sectors: readonly string[] | undefined;
}

/** Every record's analysis job: companies first, then needs. */
export function jobsOf(companies: readonly Company[], needs: readonly PartnerNeed[], options: ResolvedMatcherOptions): AnalysisJob[] {
  return [
    ...companies.map((company) => ({ fields: recordFields('company', company, options.fieldWeights), sectors: company.sectors })),
    ...needs.map((need) => ({ fields: recordFields('need', need, options.fieldWeights), sectors: need.sectors })),
  ];
}

/**
 * The analyses of a run of records, in arrays that move between threads without
 * copying: record `i` has the terms `vocabulary[termRefs[j]]` with frequencies `tfs[j]`
 * for `j` in [offsets[i], offsets[i + 1]).
 */
export interface AnalysedBatch {
  readonly vocabulary: string[];
  readonly termRefs: Int32Array<ArrayBuffer>;
  readonly tfs: Float32Array<ArrayBuffer>;
  readonly offsets: Int32Array<ArrayBuffer>;
  readonly lengths: Float64Array<ArrayBuffer>;
  readonly languages: Language[];
  readonly tags: AssignedTag[][];
}

/** Analyses records as `createMatcher` does, into arrays that can move between threads. */
export function analyseBatch(
  jobs: readonly AnalysisJob[],
  options: ResolvedMatcherOptions,
  analyzer: Analyzer = createAnalyzer(options.analyzer),
): AnalysedBatch {
  const vocabulary: string[] = [];
  const refOf = new Map<string, number>();
  let termRefs = new Int32Array(jobs.length * 64);
  let tfs = new Float32Array(termRefs.length);
  const offsets = new Int32Array(jobs.length + 1);
  const lengths = new Float64Array(jobs.length);
  const languages: Language[] = [];
  const tags: AssignedTag[][] = [];
  let used = 0;
  jobs.forEach((job, i) => {
    const analysis = analyzer.analyze(job.fields, { surfaces: false });
    if (used + analysis.terms.size > termRefs.length) {
      const size = Math.max(termRefs.length * 2, used + analysis.terms.size);
      const refs = new Int32Array(size);
      refs.set(termRefs);
      termRefs = refs;
      const grown = new Float32Array(size);
      grown.set(tfs);
      tfs = grown;
    }
    for (const [term, tf] of analysis.terms) {
      let ref = refOf.get(term);
      if (ref === undefined) {
        ref = vocabulary.length;
        vocabulary.push(term);
        refOf.set(term, ref);
      }
      termRefs[used] = ref;
      tfs[used] = tf;
      used += 1;
    }
    offsets[i + 1] = used;
    lengths[i] = analysis.length;
    languages.push(analysis.language);
    tags.push(assignTags(job.sectors, analysis.concepts, options.inference));
  });
  return { vocabulary, termRefs: termRefs.slice(0, used), tfs: tfs.slice(0, used), offsets, lengths, languages, tags };
}

/** A record's analysis from its batch; posting lists are resolved once per batch term. */
export function preparedFrom(): (batch: AnalysedBatch, i: number) => PreparedRecord {
  // Only the batch being indexed: lists are resolved once per batch and side.
  let cached: { batch: AnalysedBatch; index: TermIndex; lists: BatchLists } | undefined;
  return (batch, i) => ({
    language: batch.languages[i]!,
    tags: batch.tags[i]!,
    addTo(index: TermIndex, id: string): number {
      if (cached?.batch !== batch || cached.index !== index) {
        cached = { batch, index, lists: index.batchLists(batch.vocabulary.length) };
      }
      return index.addFromBatch(id, batch.vocabulary, cached.lists, batch.termRefs, batch.tfs, batch.offsets[i]!, batch.offsets[i + 1]!, batch.lengths[i]!);
    },
  });
}
