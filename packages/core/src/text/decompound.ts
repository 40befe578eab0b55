import { SWEDISH_BASE_FORMS } from './inflections.js';
import { stem } from './stemming.js';

/**
 * Everyday Swedish compound parts of the sectors partnermatch serves. The glossary's
 * single-word Swedish terms are added to these, so a compound such as
 * `avloppsreningsverk` meets both `avlopp` and `reningsverk`.
 */
export const SWEDISH_COMPOUND_PARTS: readonly string[] = [
  'anläggning', 'automation', 'avfall', 'avlopp', 'batteri', 'behandling', 'belysning', 'bio', 'bil',
  'bygg', 'byggnad', 'cell', 'data', 'drift', 'dricksvatten', 'effekt', 'energi', 'fartyg', 'fisk',
  'fjärr', 'fordon', 'forskning', 'gas', 'hamn', 'hantering', 'hus', 'hälsa', 'industri', 'kabel',
  'kraft', 'kyla', 'laddning', 'lager', 'larm', 'livsmedel', 'luft', 'mark', 'maskin', 'mat', 'miljö',
  'motor', 'mätning', 'nät', 'odling', 'park', 'plattform', 'process', 'produkt', 'program',
  'projekt', 'pump', 'rening', 'resa', 'rör', 'sanering', 'sensor', 'service', 'sjö', 'skog',
  'slam', 'sol', 'spänning', 'station', 'styrning', 'system', 'teknik', 'tillverkning', 'trafik',
  'transport', 'trä', 'tjänst', 'turism', 'utbildning', 'utrustning', 'vatten', 'verk', 'verktyg',
  'vind', 'vård', 'värme', 'växt', 'återvinning', 'övervakning', 'kollektiv', 'ström', 'elnät',
  'stad', 'kommun', 'lösning', 'mjukvara', 'kvalitet', 'säkerhet', 'kontroll', 'analys', 'modul',
];

const MIN_PART = 3;
/**
 * What natural's Swedish stemmer (with `stripDefiniteEt`) may cut from a word: runs of the
 * letters of its suffixes (step 1 `heterna` … `e` and `s`, step 2's doubled `d`/`n`/`t`,
 * step 3 `lig`, `ig`, `els`, the `t` of `löst`/`fullt`, the definite `et`).
 */
const STEMMER_CUTS = /^[adeghilnorst]*$/;
const STEM_START = 3;

export interface Decompounder {
  /** The parts of a Swedish compound, or an empty array when it is not one we can split. */
  split(word: string): readonly string[];
}

/**
 * Greedy-longest-head decompounding against a lexicon of known parts: `head + tail`
 * where the head (optionally with the linking `s` or `e`) is known and the tail is known
 * or splits again. Parts are compared both as written and as Swedish stems so that
 * inflected tails (`reningsverken`) still meet `reningsverk`.
 */
export function createDecompounder(lexicon: Iterable<string>): Decompounder {
  const words = new Set<string>();
  const stems = new Set<string>();
  for (const word of lexicon) {
    if (word.length < MIN_PART || /[^\p{L}]/u.test(word)) continue;
    words.add(word);
    stems.add(stem(word, 'sv'));
  }
  // The Swedish stemmer only ever cuts a word short, so a part can stem to a known stem
  // only if it starts with one. Checking that first spares stemming the many substrings
  // tried as heads and tails, which would also crowd real words out of the stem memo.
  const stemsByStart = new Map<string, string[]>();
  const shortStems: string[] = [];
  for (const s of stems) {
    if (s.length < STEM_START) shortStems.push(s);
    else stemsByStart.set(s.slice(0, STEM_START), [...(stemsByStart.get(s.slice(0, STEM_START)) ?? []), s]);
  }
  // Nor does it cut anything but its suffixes' letters, so past a known stem the rest of a
  // part must be made of them (`bilar`: `bil` + `ar`; never `bilverk`). Most substrings tried
  // fail that test and are not stemmed at all: stemming them was most of a compound's cost.
  // An irregular form is stemmed as its base form (`böcker` as `bok`), so it only has to
  // start with a known stem, as before.
  const cutTo = (part: string, known: string): boolean => part.startsWith(known) && STEMMER_CUTS.test(part.slice(known.length));
  const startsWith = (part: string, known: string): boolean => part.startsWith(known);
  const mayStemToKnown = (part: string): boolean => {
    const test = SWEDISH_BASE_FORMS.has(part) ? startsWith : cutTo;
    return shortStems.some((s) => test(part, s)) || (stemsByStart.get(part.slice(0, STEM_START))?.some((s) => test(part, s)) ?? false);
  };
  const known = (part: string): boolean =>
    part.length >= MIN_PART && (words.has(part) || (mayStemToKnown(part) && stems.has(stem(part, 'sv'))));
  const memo = new Map<string, readonly string[]>();

  const split = (word: string): readonly string[] => {
    const cached = memo.get(word);
    if (cached !== undefined) return cached;
    let result: readonly string[] = [];
    for (let cut = word.length - MIN_PART; cut >= MIN_PART; cut -= 1) {
      const head = word.slice(0, cut);
      const tail = word.slice(cut);
      const headPart = known(head)
        ? head
        : (head.endsWith('s') || head.endsWith('e')) && known(head.slice(0, -1))
          ? head.slice(0, -1)
          : undefined;
      if (headPart === undefined) continue;
      if (known(tail)) {
        result = [headPart, tail];
        break;
      }
      const rest = split(tail);
      if (rest.length > 0) {
        result = [headPart, ...rest];
        break;
      }
    }
    if (memo.size > 20_000) memo.clear();
    memo.set(word, result);
    return result;
  };

  return { split: (word) => (word.length >= 2 * MIN_PART ? split(word) : []) };
}
