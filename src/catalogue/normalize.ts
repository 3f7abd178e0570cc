/**
 * Vietnamese text normalisation shared by the catalogue index and the queries (same steps on both
 * sides; see ../shared/docs/SEARCH.md). Pure functions, no data: the lexicon lives in data/lexicon.json.
 */

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g
const MARKS = /\p{M}+/gu
const NON_WORD = /[^a-z0-9]+/g

/**
 * Folds text to lower-case ASCII syllables: Unicode compatibility forms, tone marks and vowel marks
 * removed, đ → d, punctuation → space, spaces collapsed, final `y` after a consonant → `i`.
 */
export function fold (text: string): string {
  const s = foldChars(text) ?? foldSlow(text)
  if (s === '') return ''
  // Only a token ending in `y`, or "qui", changes below: most texts have neither.
  if (!s.includes('y') && !s.includes('qui')) return s
  return s.split(' ').map(foldSyllable).join(' ')
}

/** The folding's first steps, by Unicode's rules (any text; spaces not yet collapsed at the ends). */
const foldSteps = (text: string): string => text.replace(ZERO_WIDTH, '').normalize('NFKD').replace(MARKS, '')
  .replace(/[đĐ]/g, 'd').toLowerCase().replace(NON_WORD, ' ')
const foldSlow = (text: string): string => foldSteps(text).trim()

/** Code units below this (Latin with Vietnamese, combining marks, general punctuation) fold through {@link CHAR_FOLD}. */
const TABLE_SIZE = 0x2070
/**
 * Each code unit's folding on its own — the same steps as {@link foldSlow}, one character at a time (they
 * act on each character alone): "ệ" → "e", "Đ" → "d", "," → " ", a combining mark or a zero-width space → "".
 */
const CHAR_FOLD: Array<string | undefined> = new Array<string | undefined>(TABLE_SIZE).fill(undefined)
/** Filled as characters are met (building all of it would cost start-up some milliseconds). */
const foldOne = (c: number): string => (CHAR_FOLD[c] = foldSteps(String.fromCharCode(c)))

/** {@link foldSlow} through the table (several times faster); null when a character is outside it. */
function foldChars (text: string): string | null {
  let out = ''
  let space = true // at the start: no leading space
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= TABLE_SIZE) return null
    // Mostly one character; none for a mark, several for a compatibility form ("ǆ" → "dz", "½" → "1 2").
    for (const x of CHAR_FOLD[c] ?? foldOne(c)) {
      if (x !== ' ') {
        out += x
        space = false
      } else if (!space) {
        out += ' '
        space = true
      }
    }
  }
  return space && out.length > 0 ? out.slice(0, -1) : out
}

/** i/y spelling variants: ký/kí, lý/lí, mỹ/mĩ fold to `i`; `qui` → `quy`. */
function foldSyllable (t: string): string {
  if (t === 'qui') return 'quy'
  if (t.charCodeAt(t.length - 1) !== 121) return t
  const m = /^([bcdghklmnprstvx]+)y$/.exec(t)
  return m === null ? t : `${m[1]}i`
}

/** Lower-cases and NFC-normalises while keeping tone marks (for the accented shorthand table). */
export function lowerKeepMarks (text: string): string {
  return text.replace(ZERO_WIDTH, '').normalize('NFC').toLowerCase()
}

/** True when the text carries Vietnamese tone or vowel marks (the citizen typed with accents). */
export function hasMarks (text: string): boolean {
  return /[\u0300-\u036f]/.test(text.normalize('NFD')) || /[đĐ]/.test(text)
}

const TONE_KEYS = /[aeiouy][sfrxjz]$/

/**
 * Undoes Telex leftovers of a folded token ("ddawng" → "dang", "kys" → "ki"): doubled letters and
 * `w` for the vowel marks, a trailing tone key after a vowel. Returns candidates, best first; the
 * caller keeps the first one that is in the catalogue vocabulary.
 */
export function telexCandidates (token: string): string[] {
  const out: string[] = []
  const marks = token.replace(/dd/g, 'd').replace(/aa|aw/g, 'a').replace(/ee/g, 'e')
    .replace(/oo|ow/g, 'o').replace(/uw/g, 'u').replace(/w/g, 'u')
  const base = marks.length < token.length || marks !== token ? marks : token
  for (const t of new Set([token, base])) {
    // A trailing tone key: "kys" → "ky", "hoaf" → "hoa", "sinhf" → "sinh".
    if (TONE_KEYS.test(t) || /[a-z]{2}[sfrxjz]$/.test(t)) out.push(foldSyllable(t.slice(0, -1)))
    // A tone key typed before the final consonant: "ddawngs" → "dang", "sinhf" handled above.
    const mid = /^(.*[aeiouy])([sfrxj])([cmnpt]|ng|nh|ch)$/.exec(t)
    if (mid !== null) out.push(foldSyllable(`${mid[1]}${mid[3]}`))
  }
  if (base !== token) out.unshift(foldSyllable(base))
  return [...new Set(out)].filter((t) => t !== token && t.length > 0)
}

/** Damerau–Levenshtein distance (optimal string alignment), capped: returns max+1 when larger. */
export function editDistance (a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  const rows = a.length + 1
  const cols = b.length + 1
  let prev2 = new Array<number>(cols).fill(0)
  let prev = Array.from({ length: cols }, (_, j) => j)
  for (let i = 1; i < rows; i++) {
    const cur = new Array<number>(cols).fill(0)
    cur[0] = i
    let rowMin = cur[0]
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1)
      cur[j] = v
      if (v < rowMin) rowMin = v
    }
    if (rowMin > max) return max + 1
    prev2 = prev
    prev = cur
  }
  return prev[cols - 1]!
}

/**
 * Repairs of a short Vietnamese syllable typed in a hurry, best first: a doubled letter ("trru", "thaan",
 * "saoo"), the `h` of an initial kh/ph/gh/ch dropped where the rest is not Vietnamese spelling ("kai" →
 * "khai", "pai" → "phai"; "tuan" stays), the final `h`/`g` of
 * -nh/-ch/-ng dropped ("sin" → "sinh", "lan" → "lang" is tried after "lanh"), and the inverse slips
 * ("chanh" → "chan" is left to the caller's exact-match order). Only syllable-shaped tokens are tried.
 */
export function syllableRepairs (token: string): string[] {
  if (token.length < 2 || token.length > 7 || /[^a-z]/.test(token)) return []
  const out: string[] = []
  const undoubled = token.replace(/([a-z])\1+/g, '$1')
  if (undoubled !== token) out.push(undoubled)
  for (const t of [token, undoubled]) {
    // Only where the spelling without `h` is not Vietnamese: k before a/o/u, p before a vowel, g, ng and c before e/i.
    const initial = /^(k(?=[aou])|p(?=[aeiouy])|ng(?=[ei])|[gc](?=[ei]))(.*)$/.exec(t)
    if (initial !== null) out.push(`${initial[1]}h${initial[2]}`)
    if (/[aeiouy]n$/.test(t)) out.push(`${t}h`, `${t}g`)
    if (/[aeiouy]c$/.test(t)) out.push(`${t}h`)
  }
  return [...new Set(out)].filter((t) => t !== token)
}

/**
 * A folded token spelled as a Vietnamese syllable can be: an optional initial consonant, one to three
 * vowels, an optional final consonant ("gio", "hoai", "nghieng"). "adt", "khog", "dng", "sih" are not:
 * they are typos (or abbreviations) of something, where "gio" or "ranh" is a word in its own right.
 */
const SYLLABLE = /^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?(?:[aeiouy]{1,3})(ch|nh|ng|[cmnpt])?$/
export function isSyllable (token: string): boolean {
  return SYLLABLE.test(token)
}
