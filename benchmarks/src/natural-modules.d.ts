// natural is imported one module at a time (never `natural` itself, which loads database
// drivers and reads .env); these deep modules ship without declarations.
declare module 'natural/lib/natural/tfidf/tfidf.js' {
  export default class TfIdf {
    documents: { __key: string; [term: string]: number | string }[];
    addDocument(document: string | string[], key?: string): void;
    removeDocument(key: string): boolean;
    tfidfs(terms: string | string[], callback?: (i: number, measure: number, key: string) => void): number[];
  }
}
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer.js' {
  const tokenizers: { WordTokenizer: new () => { tokenize(text: string): string[] } };
  export default tokenizers;
}
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: readonly string[];
}
declare module 'natural/lib/natural/util/stopwords_sv.js' {
  export const words: readonly string[];
}
