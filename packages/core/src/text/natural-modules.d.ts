// natural's deep modules ship without their own declarations; importing them one by one
// keeps start-up fast and avoids the side effects of natural's index (see DESIGN.md).
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_sv.js' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: readonly string[];
}
declare module 'natural/lib/natural/util/stopwords_sv.js' {
  export const words: readonly string[];
}
declare module 'natural/lib/natural/util/stopwords_zh.js' {
  export const words: readonly string[];
}
