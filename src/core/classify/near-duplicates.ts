/**
 * MinHash over stem bigrams: two posts that say the same thing in (nearly) the same words — a
 * complaint reposted, copied to another community, or re-sent with a hashtag — get signatures that
 * agree in most positions, whatever their word forms, links and emoji. Locality-sensitive bands
 * turn "find similar" into exact key lookups. A fingerprint is the signature followed by the house
 * numbers the post names (`…@33,66`): the same words about another house are another problem.
 */
export const SIGNATURE_SIZE = 48;
export const BAND_ROWS = 3;
export const BANDS = SIGNATURE_SIZE / BAND_ROWS;
/** Fewer distinct bigrams than this and a text is too short to call anything its copy. */
export const MIN_SHINGLES = 6;

// One cheap permutation per position: an odd multiplier and an offset, then an xor-shift so the
// high bits (which the multiplication mixes best) reach the low ones.
const MULTIPLIERS = Array.from({ length: SIGNATURE_SIZE }, (_, i) => fmix32(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)) | 1);
const OFFSETS = Array.from({ length: SIGNATURE_SIZE }, (_, i) => fmix32(0x7f4a7c15 ^ Math.imul(i + 1, 0xc2b2ae35)));

/** murmur3's finaliser: a cheap 32-bit mix, used as one "permutation" per seed. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const SIGNATURE_CHARS = SIGNATURE_SIZE * 8;

/** The signature, then `@` and the house numbers when the text names any; undefined for a text too short to compare. */
export function fingerprint(stems: readonly string[], houses: readonly string[] = []): string | undefined {
  const signature = minhashSignature(stems);
  if (signature === undefined) return undefined;
  return houses.length > 0 ? `${signature}@${houses.join(',')}` : signature;
}

/** The signature as 48 eight-digit hex numbers, or undefined for a text too short to compare. */
export function minhashSignature(stems: readonly string[]): string | undefined {
  const shingles = new Set<number>();
  let prev = stems.length > 0 ? fnv1a(stems[0] as string) : 0;
  for (let i = 1; i < stems.length; i++) {
    const h = fnv1a(stems[i] as string);
    // An ordered pair of word hashes, mixed: "яма дорога" is not "дорога яма".
    shingles.add(fmix32(Math.imul(prev, 0x9e3779b1) ^ h));
    prev = h;
  }
  if (shingles.size < MIN_SHINGLES) return undefined;
  const mins = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  for (const h of shingles) {
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      let v = (Math.imul(h, MULTIPLIERS[k] as number) + (OFFSETS[k] as number)) | 0;
      v = (v ^ (v >>> 15)) >>> 0;
      if (v < (mins[k] as number)) mins[k] = v;
    }
  }
  return mins.map((m) => m.toString(16).padStart(8, '0')).join('');
}

/** One key per band; two fingerprints that share any key are candidates. */
export function bandKeys(signature: string): string[] {
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) keys.push(`${b}.${fnv1a(signature.slice(b * BAND_ROWS * 8, (b + 1) * BAND_ROWS * 8)).toString(36)}`);
  return keys;
}

/**
 * Estimated Jaccard similarity of the two posts' bigram sets (the share of equal positions), or 0
 * when both name house numbers and share none.
 */
export function signatureSimilarity(a: string, b: string): number {
  if (a.length < SIGNATURE_CHARS || b.length < SIGNATURE_CHARS) return 0;
  if (a.length > SIGNATURE_CHARS && b.length > SIGNATURE_CHARS && !sameHouses(a.slice(SIGNATURE_CHARS + 1), b.slice(SIGNATURE_CHARS + 1))) return 0;
  // Compared in place, character by character: a route batch compares each alert with every
  // candidate, and slicing 96 strings a comparison was 4 % of the pipeline's allocations.
  let same = 0;
  for (let k = 0; k < SIGNATURE_CHARS; k += 8) {
    let j = 0;
    while (j < 8 && a.charCodeAt(k + j) === b.charCodeAt(k + j)) j++;
    if (j === 8) same++;
  }
  return same / SIGNATURE_SIZE;
}

/** Do two fingerprints' house lists ("33,66", "" for none) allow the same place? */
function sameHouses(a: string, b: string): boolean {
  if (a === '' || b === '') return true;
  const theirs = new Set(b.split(','));
  return a.split(',').some((h) => theirs.has(h));
}
