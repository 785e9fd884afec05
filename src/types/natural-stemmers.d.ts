declare module 'natural/lib/natural/stemmers/porter_stemmer_ru.js' {
  /** natural's Porter (Snowball-style) stemmer for Russian; imported directly to avoid the package root's side effects. */
  const stemmer: { stem(word: string): string };
  export default stemmer;
}

declare module 'natural/lib/natural/util/stopwords_ru.js' {
  export const words: string[];
}
