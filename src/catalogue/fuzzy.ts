import Fuse from 'fuse.js'

/** A ranked candidate: record index and score in [0, 1]. */
export interface Ranked { rec: number, score: number }

/**
 * Character-level fuzzy re-ranking with fuse.js (the only file that imports it). Used only on the first
 * candidate and its two closest followers, when a query keeps words the vocabulary could not resolve,
 * where Bitap's typo scoring helps; whole-catalogue Fuse scans are too slow (see docs/BENCHMARKS.md).
 */
export function createFuzzyRanker () {
  return {
    rerank (query: string, candidates: Ranked[], phrasesOf: (rec: number) => string[]): Ranked[] {
      const items = candidates.flatMap((c) => phrasesOf(c.rec).map((text) => ({ rec: c.rec, text })))
      const fuse = new Fuse(items, { keys: ['text'], includeScore: true, ignoreLocation: true, threshold: 0.5 })
      const fuzzyBest = new Map<number, number>()
      for (const hit of fuse.search(query.slice(0, 64))) {
        const s = 1 - (hit.score ?? 1)
        if (s > (fuzzyBest.get(hit.item.rec) ?? 0)) fuzzyBest.set(hit.item.rec, s)
      }
      return candidates
        .map((c) => ({ rec: c.rec, score: c.score * (0.85 + 0.15 * (fuzzyBest.get(c.rec) ?? 0)) }))
        .sort((a, b) => b.score - a.score)
    },
  }
}
