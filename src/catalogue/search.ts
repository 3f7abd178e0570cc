import type { Procedure } from './schema.ts'
import type { Lexicon } from './lexicon.ts'
import type { ProcedureSearch, SearchResult, SearchOptions } from './types.ts'
import { Vocabulary } from './vocabulary.ts'
import { createFuzzyRanker } from './fuzzy.ts'

/** Weight of each kind of phrase of a record: titles count most, field names least. */
const PHRASE_WEIGHT = { title: 1, alias: 0.97, keyword: 0.85, form: 0.6, field: 0.55 } as const
/** Results under this score are not returned: an off-topic question gets no answer rather than a random one. */
export const RELEVANCE_FLOOR = 0.45
/** A token in more than this share of records is too common to retrieve candidates on its own. */
const COMMON_SHARE = 0.25
const MAX_QUERY_TOKENS = 24

/** A distinct phrase (interned: the same alias in many records is scored once). */
interface Phrase {
  /** Records that carry this phrase, with the weight of its kind in each. */
  owners: Array<[record: number, weight: number]>
  tokens: Set<number>
  bigrams: Set<number>
  mass: number
}

const pair = (a: number, b: number): number => a * 1_048_576 + b

/**
 * Builds the procedure search: an inverted index over the syllables of titles, aliases, keywords, form
 * and field names (folded with the shared lexicon), scored by IDF-weighted coverage of the query and of
 * the best-matching phrase, with a bigram bonus for word order; typos are corrected against the
 * vocabulary, and only when a query keeps unknown words are the top candidates re-ranked with fuse.js.
 */
export function createProcedureSearch (procedures: readonly Procedure[], lexicon: Lexicon): ProcedureSearch {
  const vocab = new Vocabulary()
  const phrases: Phrase[] = []
  const phraseByText = new Map<string, Phrase>()
  const recordTokens: Array<Set<number>> = procedures.map(() => new Set())
  const recordPhrases: string[][] = procedures.map(() => [])

  procedures.forEach((p, record) => {
    const add = (raw: string, weight: number): void => {
      const words = lexicon.analyze(raw)
      if (words.length === 0) return
      const ids = words.map((w) => vocab.add(w))
      const text = words.join(' ')
      for (const id of ids) recordTokens[record]!.add(id)
      recordPhrases[record]!.push(text)
      const known = phraseByText.get(text)
      if (known !== undefined) {
        const own = known.owners.find(([r]) => r === record)
        if (own === undefined) known.owners.push([record, weight])
        else own[1] = Math.max(own[1], weight)
        return
      }
      const bigrams = new Set<number>()
      for (let i = 1; i < ids.length; i++) bigrams.add(pair(ids[i - 1]!, ids[i]!))
      const ph: Phrase = { owners: [[record, weight]], tokens: new Set(ids), bigrams, mass: 0 }
      phrases.push(ph)
      phraseByText.set(text, ph)
    }
    add(p.title, PHRASE_WEIGHT.title)
    for (const a of p.aliases) add(a, PHRASE_WEIGHT.alias)
    for (const k of p.keywords) add(k, PHRASE_WEIGHT.keyword)
    for (const f of p.forms) add(f, PHRASE_WEIGHT.form)
    add(p.field, PHRASE_WEIGHT.field)
  })
  vocab.freeze()

  const n = procedures.length
  const df = new Float64Array(vocab.words.length)
  for (const set of recordTokens) for (const id of set) df[id]!++
  const idf = Array.from(df, (d) => Math.log(1 + n / Math.max(d, 1)))
  const sortedIdf = [...idf].sort((a, b) => a - b)
  const unknownWeight = sortedIdf[Math.floor(sortedIdf.length / 2)] ?? 1
  const common = (id: number): boolean => df[id]! > n * COMMON_SHARE && n >= 8

  const postings: number[][] = vocab.words.map(() => [])
  phrases.forEach((ph, i) => {
    let mass = 0
    for (const id of ph.tokens) { mass += idf[id]!; postings[id]!.push(i) }
    ph.mass = mass
  })
  const fuzzy = createFuzzyRanker()
  const acc = new Float64Array(phrases.length)
  const mass = new Float64Array(phrases.length)
  const best = new Float64Array(n)
  const byScore = (a: { rec: number, score: number }, b: { rec: number, score: number }): number =>
    b.score - a.score || procedures[a.rec]!.title.length - procedures[b.rec]!.title.length || a.rec - b.rec
  const dfOf = (id: number): number => df[id]!

  function search (query: string, options: SearchOptions = {}): SearchResult[] {
    const limit = Math.max(1, Math.min(options.limit ?? 5, 50))
    const words = lexicon.analyze(query.slice(0, 500)).slice(0, MAX_QUERY_TOKENS)
    if (words.length === 0) return []

    // Resolve each query word to vocabulary ids with a weight; unknown words still count in the total.
    const terms = new Map<number, number>()
    const seq: number[] = []
    let total = 0
    let unknown = 0
    for (const w of words) {
      const r = vocab.resolve(w, dfOf)
      if (r.ids.length === 0) { total += unknownWeight; unknown++; seq.push(-1); continue }
      for (const id of r.ids) {
        const weight = idf[id]! * r.confidence
        if (!terms.has(id)) total += idf[id]!
        terms.set(id, Math.max(terms.get(id) ?? 0, weight))
        seq.push(id)
      }
    }
    if (terms.size === 0) return []
    const qBigrams: number[] = []
    for (let i = 1; i < seq.length; i++) if (seq[i - 1]! >= 0 && seq[i]! >= 0 && seq[i - 1] !== seq[i]) qBigrams.push(pair(seq[i - 1]!, seq[i]!))

    // Candidate phrases come from the rarer terms; common terms are only checked on those candidates.
    const rare = [...terms.keys()].filter((id) => !common(id))
    const retrieve = rare.length > 0 ? rare : [...terms.keys()]
    const commonTerms = rare.length > 0 ? [...terms].filter(([id]) => common(id)) : []
    const touched: number[] = []
    for (const id of retrieve) {
      const w = terms.get(id)!
      const m = idf[id]!
      for (const ph of postings[id]!) {
        if (acc[ph] === 0) touched.push(ph)
        acc[ph]! += w
        mass[ph]! += m
      }
    }
    const touchedRecords: number[] = []
    for (const phIdx of touched) {
      const ph = phrases[phIdx]!
      let matched = acc[phIdx]!
      let matchedMass = mass[phIdx]!
      acc[phIdx] = 0
      mass[phIdx] = 0
      for (const [id, w] of commonTerms) if (ph.tokens.has(id)) { matched += w; matchedMass += idf[id]! }
      const qcov = matched / total
      const pcov = matchedMass / ph.mass
      let bigramFactor = 1
      if (qBigrams.length > 0) {
        let hits = 0
        for (const b of qBigrams) if (ph.bigrams.has(b)) hits++
        bigramFactor = 0.85 + 0.15 * (hits / qBigrams.length)
      }
      const base = qcov * (0.6 + 0.4 * pcov) * bigramFactor
      for (const [rec, weight] of ph.owners) {
        const s = base * weight
        if (best[rec] === 0) touchedRecords.push(rec)
        if (s > best[rec]!) best[rec] = s
      }
    }
    // Words of the query found anywhere in the record add a little (e.g. a keyword beside a title match).
    let ranked: Array<{ rec: number, score: number }> = []
    let cut = 0
    for (const rec of touchedRecords) {
      const s = best[rec]!
      best[rec] = 0
      if (s < RELEVANCE_FLOOR * 0.6 || s < cut) continue
      let m = 0
      for (const [id, w] of terms) if (recordTokens[rec]!.has(id)) m += w
      ranked.push({ rec, score: Math.min(1, s + 0.2 * Math.max(0, m / total - s)) })
      if (ranked.length > 64) {
        // Mostly unknown words ("nghe nhạc"): one matching syllable is not enough to answer.
        const unknownShare = (unknown * unknownWeight) / total
        if (unknownShare > 0.34) for (const r of ranked) r.score *= 1 - 0.5 * unknownShare
        ranked.sort(byScore)
        ranked.length = 32
        cut = ranked[31]!.score - 0.2
      }
    }
    ranked.sort(byScore)
    if (unknown > 0 && ranked.length > 1 && ranked[0]!.score >= RELEVANCE_FLOOR) {
      ranked = fuzzy.rerank(words.join(' '), ranked.slice(0, 8), (rec) => recordPhrases[rec]!.slice(0, 12))
        .concat(ranked.slice(8))
    }
    return ranked.filter((r) => r.score >= RELEVANCE_FLOOR).slice(0, limit).map(({ rec, score }) => {
      const p = procedures[rec]!
      return { id: p.id, code: p.code, title: p.title, score: Math.round(score * 1000) / 1000 }
    })
  }

  return { search }
}
