import Fuse from 'fuse.js'

/** A ranked candidate: record index and score in [0, 1]. */
export interface Ranked { rec: number, score: number }

/** Bitap compares patterns of up to 32 characters in one pass; longer ones cost a pass per 32. */
const PATTERN_CHARS = 32
/** Unknown words of a message the re-rank looks at (a long story rarely has more than one or two typos). */
const MAX_PATTERNS = 3

/**
 * The parts of a message the fuzzy re-rank compares: each word typo repair could not map, with its
 * neighbours ("dung adt quyen" for "adt"), as one short pattern. The words around a typo are what
 * tells "đăng ký xe" from "đăng ký kết hôn" once the typo is read; the rest of a long message is
 * already scored word by word and would only make Bitap slower.
 */
export function fuzzyPatterns (words: readonly string[], unknown: ReadonlySet<string>): string[] {
  const out: string[] = []
  words.forEach((w, i) => {
    if (!unknown.has(w) || out.length >= MAX_PATTERNS) return
    const window = words.slice(Math.max(0, i - 1), i + 2).join(' ').slice(0, PATTERN_CHARS)
    if (!out.includes(window)) out.push(window)
  })
  return out
}

/**
 * Character-level fuzzy re-ranking with fuse.js (the only file that imports it). Used only on the first
 * candidate and its two closest followers, when a query keeps words the vocabulary could not resolve,
 * where Bitap's typo scoring helps; whole-catalogue Fuse scans are too slow (see docs/BENCHMARKS.md).
 */
export function createFuzzyRanker () {
  return {
    rerank (patterns: readonly string[], candidates: Ranked[], phrasesOf: (rec: number) => string[]): Ranked[] {
      const items = candidates.flatMap((c) => phrasesOf(c.rec).map((text) => ({ rec: c.rec, text })))
      const fuse = new Fuse(items, { keys: ['text'], includeScore: true, ignoreLocation: true, threshold: 0.5 })
      const fuzzyBest = new Map<number, number>()
      for (const pattern of patterns) {
        for (const hit of fuse.search(pattern)) {
          const s = 1 - (hit.score ?? 1)
          if (s > (fuzzyBest.get(hit.item.rec) ?? 0)) fuzzyBest.set(hit.item.rec, s)
        }
      }
      return candidates
        .map((c) => ({ rec: c.rec, score: c.score * (0.85 + 0.15 * (fuzzyBest.get(c.rec) ?? 0)) }))
        .sort((a, b) => b.score - a.score)
    },
  }
}
