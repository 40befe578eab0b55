import type { FieldWeights } from '../options.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import type { TextField } from '../text/analyzer.js';

function companyFields(company: Company, weights: FieldWeights): TextField[] {
  return [
    { text: company.name, weight: weights.name },
    { text: company.description, weight: 1 },
    ...(company.offerings ?? []).map((text) => ({ text, weight: weights.offerings })),
  ];
}

function needFields(need: PartnerNeed, weights: FieldWeights): TextField[] {
  return [
    { text: need.title, weight: weights.title },
    { text: need.description, weight: 1 },
  ];
}

/** The text fields of a record as the matcher analyses them. */
export function recordFields(kind: 'company' | 'need', record: Company | PartnerNeed, weights: FieldWeights): TextField[] {
  return kind === 'company' ? companyFields(record as Company, weights) : needFields(record as PartnerNeed, weights);
}
