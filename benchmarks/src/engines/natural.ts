import TfIdf from 'natural/lib/natural/tfidf/tfidf.js';
import tokenizers from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import { companyText, needText } from '../text.js';
import { TopK } from '../top-k.js';
import type { Engine } from './engine.js';

const tokenizer = new tokenizers.WordTokenizer();

/**
 * natural's TfIdf: documents added as strings (its tokenizer and English stop words), the
 * query tokenised once with the same tokenizer (scores equal to passing the string, which
 * natural would re-tokenise for every document), top k kept from `tfidfs`.
 */
export const naturalTfIdf: Engine = {
  name: 'natural TfIdf',
  setup: 'natural 8 TfIdf, default tokenizer and stop words, exhaustive tfidfs()',
  role: 'peer',
  build(companies) {
    const tfidf = new TfIdf();
    for (const company of companies) tfidf.addDocument(companyText(company), company.id);
    return {
      search(need, k) {
        const terms = tokenizer.tokenize(needText(need).toLowerCase());
        const heap = new TopK(k);
        tfidf.tfidfs(terms, (i, measure) => {
          if (measure > 0) heap.offer(i, measure);
        });
        return heap.sorted().map((i) => tfidf.documents[i]!.__key);
      },
      add: (company) => tfidf.addDocument(companyText(company), company.id),
      update(company) {
        tfidf.removeDocument(company.id);
        tfidf.addDocument(companyText(company), company.id);
      },
    };
  },
};
