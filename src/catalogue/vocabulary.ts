import { editDistance, syllableRepairs, telexCandidates } from './normalize.ts'

/** How a query token was matched to the catalogue vocabulary. */
export interface ResolvedToken {
  /** Vocabulary ids the token stands for (two for a split run-together word), empty when unknown. */
  ids: number[]
  /** 1 for exact, lower for corrected (Telex, typo) tokens. */
  confidence: number
}

/**
 * The catalogue's syllable vocabulary with typo tolerance: exact lookup, Telex leftovers, words typed
 * without a space ("khaisinh"), and edit distance 1 (2 from 8 letters) through a deletion index
 * (SymSpell-style), so correction costs a few map lookups instead of a scan.
 */
export class Vocabulary {
  readonly ids = new Map<string, number>()
  readonly words: string[] = []
  private readonly deletes = new Map<string, number[]>()

  add (word: string): number {
    let id = this.ids.get(word)
    if (id === undefined) {
      id = this.words.length
      this.ids.set(word, id)
      this.words.push(word)
    }
    return id
  }

  /** Builds the deletion index; call once after every word was added. */
  freeze (): void {
    for (const [word, id] of this.ids) {
      if (word.length < 4 || /\d/.test(word)) continue
      for (const d of deletions(word)) {
        const list = this.deletes.get(d)
        if (list === undefined) this.deletes.set(d, [id])
        else if (!list.includes(id)) list.push(id)
      }
    }
  }

  resolve (token: string, df: (id: number) => number): ResolvedToken {
    const exact = this.ids.get(token)
    if (exact !== undefined) return { ids: [exact], confidence: 1 }
    for (const cand of telexCandidates(token)) {
      const id = this.ids.get(cand)
      if (id !== undefined) return { ids: [id], confidence: 0.9 }
    }
    for (const cand of syllableRepairs(token)) {
      const id = this.ids.get(cand)
      if (id !== undefined) return { ids: [id], confidence: 0.8 }
    }
    if (token.length >= 4 && !/\d/.test(token)) {
      for (let i = 2; i <= token.length - 2; i++) {
        const a = this.ids.get(token.slice(0, i))
        const b = this.ids.get(token.slice(i))
        if (a !== undefined && b !== undefined) return { ids: [a, b], confidence: 0.85 }
      }
      const fixed = this.correct(token, df)
      if (fixed !== undefined) return { ids: [fixed], confidence: 0.75 }
    }
    return { ids: [], confidence: 0 }
  }

  /** Nearest vocabulary word within the allowed edit distance; ties go to the more frequent word. */
  private correct (token: string, df: (id: number) => number): number | undefined {
    const max = token.length >= 8 ? 2 : 1
    const seen = new Set<number>()
    let best: number | undefined
    let bestKey = Infinity
    const consider = (ids: number[] | undefined): void => {
      for (const id of ids ?? []) {
        if (seen.has(id)) continue
        seen.add(id)
        const word = this.words[id]!
        const d = editDistance(token, word, max)
        if (d > max) continue
        // Four letters leave too little to go on: accept only swapped letters ("kahi" → "khai").
        if (token.length < 5 && [...token].sort().join('') !== [...word].sort().join('')) continue
        const key = d * 1e6 - df(id)
        if (key < bestKey) { bestKey = key; best = id }
      }
    }
    consider(this.deletes.get(token))
    for (const d of deletions(token)) {
      consider(this.deletes.get(d))
      const id = this.ids.get(d)
      if (id !== undefined) consider([id])
    }
    return best
  }
}

function deletions (word: string): string[] {
  const out: string[] = []
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1))
  return out
}
