/** A sector tag id from FORMAT.md, e.g. `environment.wastewater` or the root `energy`. */
export type SectorTagId = string;

/** Display labels for a tag in the three working languages. */
export interface TagLabels {
  readonly sv: string;
  readonly en: string;
  readonly zh: string;
}

export interface SectorTagEntry {
  readonly id: SectorTagId;
  readonly labels: TagLabels;
}

/**
 * One cross-language concept: a set of synonymous terms in sv, en and zh that the text
 * pipeline maps to the single token `concept:<id>`, so a Chinese need and a Swedish
 * company share evidence.
 *
 * Matching rules the terms are written for:
 * - sv/en terms are lower-case base forms; they are matched on stemmed tokens, so
 *   inflections ("reningsverken", "plants") are covered without listing them.
 *   Multi-word phrases match consecutive tokens.
 * - single-word sv terms also match inside Swedish compounds ("avloppsreningsverk"
 *   meets "reningsverk" and "avlopp"), so they must be at least 4 letters and specific.
 * - zh terms match as substrings of the text, so they must be at least 2 characters and
 *   must not occur inside unrelated words.
 */
export interface ConceptEntry {
  /** Stable kebab-case id, unique across the glossary, e.g. `wastewater-treatment-plant`. */
  readonly id: string;
  /** The sector tag this concept is evidence for; omitted for cross-sector concepts. */
  readonly tag?: SectorTagId;
  /** How strongly a hit is evidence for `tag` when inferring tags, (0, 1]; default 1. */
  readonly weight?: number;
  readonly sv: readonly string[];
  readonly en: readonly string[];
  readonly zh: readonly string[];
}
