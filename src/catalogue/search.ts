import type { Procedure } from './schema.ts'
import type { Lexicon } from './lexicon.ts'
import type { Confidence, ProcedureSearch, SearchExplanation, SearchOptions, SearchOutcome, SearchResult } from './types.ts'
import { Vocabulary } from './vocabulary.ts'
import { createFuzzyRanker } from './fuzzy.ts'

/** Weight of each kind of phrase of a record: titles count most, field names least. */
const PHRASE_WEIGHT = { title: 1, alias: 0.97, keyword: 0.85, form: 0.6, field: 0.45 } as const
/** A token in more than this share of records is too common to retrieve candidates on its own. */
const COMMON_SHARE = 0.25
const MAX_QUERY_TOKENS = 48
const MAX_CANDIDATES = 64
/** Records whose best phrase scores under this share of the best one's are not ranked further. */
const PRUNE_SHARE = 0.5
/** A pair of common words in more than this share of records retrieves no phrases on its own. */
const PAIR_RETRIEVE_SHARE = 0.12
/** Score of each adjacent pair of the query matched in order in a phrase, and of its rarity. */
const PAIR_BONUS = 0.5
const PAIR_RARITY = 0.2
/** A phrase owned by more records than this is shared: matching it whole is no sign of one record. */
const SHARED_PHRASE = 2
/** Share of a wholly matched phrase's IDF mass that counts as evidence. */
const WHOLE_PHRASE = 0.5
/** Score of a phrase matched whole, per unit of its pairs' rarity ("tố cáo", "khai tử": rare pairs of common words). */
const WHOLE_SCORE = 0.1
/** Share of a term's weight that a match in a record's documents or conditions adds (see `elsewhere`). */
const CONTEXT_WEIGHT = 0.5
const ELSEWHERE = 0.3
/** Score factor of a variant ("… có yếu tố nước ngoài") when the message names none of its qualifiers. */
const VARIANT_PENALTY = 0.75
/** Qualifiers whose meaning depends on where they stand (see `qualifiers`). */
const POSITIONAL = new Set(['lai'])
/** Verbs after which "lại" means re-doing the procedure ("làm lại", "xin lại", "cấp lại"). */
const AGAIN_VERBS = ['lam', 'xin', 'cap', 'ki', 'dang', 'nop']
/** Function words never taken as what makes a variant special. */
const NOT_QUALIFIERS = new Set(['co', 'cho', 'cua', 'va', 'da', 'voi', 'cac', 've', 'tai', 'doi', 'trong', 'nguoi', 'hoac', 'la', 'duoc', 'viec', 'mot', 'so'])

/**
 * Answerability thresholds, on the evidence of the top record (see {@link decide}). Evidence is the IDF
 * mass of the rare query terms the record's best phrase matched, plus bonuses for adjacent pairs matched
 * in order; it does not depend on how many other words the message has.
 */
const EVIDENCE = {
  /** Below this nothing procedure-specific matched: off-topic or small talk. */
  min: 3.4,
  /** With an out-of-scope topic in the message (passport, bank, court…), this much is needed. */
  minOutOfScope: 14,
  /** At least this much, a phrase of the record well covered, and a clear lead: one procedure is meant. */
  sure: 4.2,
  /** Share of the best phrase's mass the query must cover for `sure`. */
  surePhraseCover: 0.55,
  /** The second record's score must be at most this share of the first for `sure`. */
  sureRatio: 0.86,
  /** The same when a whole phrase of the first record (its title or an alias) is in the message. */
  sureRatioWhole: 0.93,
} as const

/** A distinct phrase (interned: the same alias in many records is scored once). */
interface Phrase {
  /** Records that carry this phrase, with the weight of its kind in each. */
  owners: Array<[record: number, weight: number]>
  tokens: Set<number>
  bigrams: Set<number>
  mass: number
}

/** The query after analysis: weighted vocabulary terms in order, and what else the message carried. */
interface Analysis {
  words: string[]
  /** Vocabulary id → weight (IDF × how sure the typo correction is × the word's weight in the message). */
  terms: Map<number, number>
  /** Terms of the question itself: not in a "… rồi" clause, not people words (what makes a variant). */
  foreground: Set<number>
  /** Adjacent pairs of terms → the weight of the weaker word. */
  bigrams: Map<number, number>
  unknown: number
  outOfScope: boolean
}

/** A candidate record with its score and the evidence behind it. */
interface Scored {
  rec: number
  score: number
  evidence: number
  cover: number
}

const pair = (a: number, b: number): number => a * 1_048_576 + b

/**
 * Builds the procedure search: an inverted index over the syllables of titles, aliases, keywords, form
 * and field names (folded with the shared lexicon). A query runs as a pipeline — analyse (lexicon, typo
 * repair) → retrieve (rare terms' postings) → score (IDF mass of the best phrase of each record, its
 * coverage, adjacent pairs) → decide (answerability from what matched, not from what did not) — and
 * fuse.js re-ranks the top few only when the query keeps unknown words.
 */
export function createProcedureSearch (procedures: readonly Procedure[], lexicon: Lexicon): ProcedureSearch {
  const vocab = new Vocabulary()
  const phrases: Phrase[] = []
  const phraseByText = new Map<string, Phrase>()
  const recordTokens: Array<Set<number>> = procedures.map(() => new Set())
  const recordPhrases: string[][] = procedures.map(() => [])
  /** Words of the documents, applicants, conditions and result: weak support for a long message. */
  const contextWords: Array<Set<string>> = procedures.map(() => new Set())

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
    const context = [...p.documents.submit, ...p.documents.show].map((d) => d.name)
      .concat(p.applicants ?? '', p.conditions, p.result)
    for (const w of lexicon.analyze(context.join(' . '))) contextWords[record]!.add(w)
  })
  vocab.freeze()
  const titleWords = procedures.map((p) => lexicon.analyze(p.title))
  const variants = titleVariants(titleWords)
  const qualifiers = variants.map(({ groups }, rec) => groups.map((words) => {
    const ids = words.map((w) => vocab.ids.get(w)!)
    if (words.length > 1 || !POSITIONAL.has(words[0]!)) return { ids, pairs: [] as number[] }
    // "lại" means "re-" right after the verb ("đăng ký lại kết hôn", "làm lại", "xin lại") and "again"
    // elsewhere ("kết hôn lại" is a new marriage): it qualifies only beside a verb or its title neighbours.
    const t = titleWords[rec]!.map((w) => vocab.ids.get(w)!)
    const pairs: number[] = []
    t.forEach((id, i) => {
      if (id !== ids[0]) return
      if (i > 0) pairs.push(pair(t[i - 1]!, id))
      if (i + 1 < t.length) pairs.push(pair(id, t[i + 1]!))
    })
    for (const verb of AGAIN_VERBS) { const v = vocab.ids.get(verb); if (v !== undefined) pairs.push(pair(v, ids[0]!)) }
    return { ids, pairs }
  }))
  // A bundle is meant when the message names two of its parts, each by a pair of words no other part has.
  const bundleParts = variants.map(({ parts }) => {
    const pairsOf = (words: string[]): number[] => words.slice(1).map((w, k) => pair(vocab.ids.get(words[k]!)!, vocab.ids.get(w)!))
    const all = parts.map(pairsOf)
    return all.map((own, k) => own.filter((b) => !all.some((other, m) => m !== k && other.includes(b))))
  })
  const recordContext: Array<Set<number>> = contextWords.map((words) => {
    const ids = new Set<number>()
    for (const w of words) { const id = vocab.ids.get(w); if (id !== undefined) ids.add(id) }
    return ids
  })

  const n = procedures.length
  const df = new Float64Array(vocab.words.length)
  for (const set of recordTokens) for (const id of set) df[id]!++
  const idf = Array.from(df, (d) => Math.log(1 + n / Math.max(d, 1)))
  const common = (id: number): boolean => df[id]! > n * COMMON_SHARE && n >= 8
  const dfOf = (id: number): number => df[id]!

  // Adjacent pairs have their own rarity: "khai tử" is rare though "tử" folds with tư, từ, tự.
  const pairDf = new Map<number, number>()
  {
    const perRecord: Array<Set<number>> = procedures.map(() => new Set())
    for (const ph of phrases) for (const [rec] of ph.owners) for (const b of ph.bigrams) perRecord[rec]!.add(b)
    for (const set of perRecord) for (const b of set) pairDf.set(b, (pairDf.get(b) ?? 0) + 1)
  }
  const pairIdf = (b: number): number => Math.log(1 + n / Math.max(pairDf.get(b) ?? 1, 1))
  const postings: number[][] = vocab.words.map(() => [])
  phrases.forEach((ph, i) => {
    let mass = 0
    for (const id of ph.tokens) { mass += idf[id]!; postings[id]!.push(i) }
    ph.mass = mass
  })
  const pairPostings = new Map<number, number[]>()
  phrases.forEach((ph, i) => {
    for (const b of ph.bigrams) {
      const list = pairPostings.get(b)
      if (list === undefined) pairPostings.set(b, [i])
      else list.push(i)
    }
  })
  const mark = new Uint8Array(phrases.length)
  const fuzzy = createFuzzyRanker()
  const acc = new Float64Array(phrases.length)
  const massAcc = new Float64Array(phrases.length)
  const bestScore = new Float64Array(n)
  const bestEvidence = new Float64Array(n)
  const bestCover = new Float64Array(n)
  const byScore = (a: Scored, b: Scored): number =>
    b.score - a.score || procedures[a.rec]!.title.length - procedures[b.rec]!.title.length || a.rec - b.rec

  /** Lexicon, vocabulary and typo repair: the query's weighted terms and adjacent pairs. */
  function analyse (query: string): Analysis {
    const text = query.slice(0, 1000)
    const q = lexicon.analyzeQuery(text, (w) => vocab.ids.has(w))
    const words = q.words.slice(0, MAX_QUERY_TOKENS)
    const terms = new Map<number, number>()
    const seq: number[] = []
    const seqWeight: number[] = []
    const foreground = new Set<number>()
    let unknown = 0
    words.forEach((w, i) => {
      const r = vocab.resolve(w, dfOf)
      if (r.ids.length === 0) { unknown++; seq.push(-1); seqWeight.push(0); return }
      for (const id of r.ids) {
        seqWeight.push(q.weights[i]!)
        if (q.weights[i]! >= 1) foreground.add(id)
        terms.set(id, Math.max(terms.get(id) ?? 0, idf[id]! * r.confidence * q.weights[i]!))
        seq.push(id)
      }
    })
    const bigrams = new Map<number, number>()
    for (let i = 1; i < seq.length; i++) {
      if (seq[i - 1]! >= 0 && seq[i]! >= 0 && seq[i - 1] !== seq[i]) {
        const b = pair(seq[i - 1]!, seq[i]!)
        bigrams.set(b, Math.max(bigrams.get(b) ?? 0, Math.min(seqWeight[i - 1]!, seqWeight[i]!)))
      }
    }
    return { words, terms, foreground, bigrams, unknown, outOfScope: q.outOfScope }
  }

  /**
   * Scores every record that shares a rare term with the query by its best phrase: the matched IDF mass,
   * scaled by how much of the phrase the query covers, plus a bonus for pairs matched in order; words of
   * the query found elsewhere in the record add a little.
   */
  function score (a: Analysis): Scored[] {
    const { terms } = a
    const qBigrams = a.bigrams
    const qPairs = [...qBigrams.keys()]
    const qPairW = qPairs.map((b) => qBigrams.get(b)!)
    const qPairMass = qPairs.map((b, i) => pairIdf(b) * qPairW[i]!)
    const rare = [...terms.keys()].filter((id) => !common(id))
    const retrieve = rare.length > 0 ? rare : [...terms.keys()]
    const commonTerms = rare.length > 0 ? [...terms].filter(([id]) => common(id)) : []
    const touched: number[] = []
    for (const id of retrieve) {
      const w = terms.get(id)!
      for (const ph of postings[id]!) {
        if (mark[ph] === 0) { mark[ph] = 1; touched.push(ph) }
        acc[ph]! += w
        massAcc[ph]! += idf[id]!
      }
    }
    // Phrases holding a pair of the query in order, though both its words are common ("khai tử").
    for (const b of qBigrams.keys()) {
      // Only pairs of two common words need this (a rare word already retrieved its phrases), and a pair
      // in a quarter of the records ("đăng ký") retrieves nothing on its own, as a common word.
      if (!common(Math.floor(b / 1_048_576)) || !common(b % 1_048_576) || (pairDf.get(b) ?? 0) > n * PAIR_RETRIEVE_SHARE) continue
      for (const ph of pairPostings.get(b) ?? []) if (mark[ph] === 0) { mark[ph] = 1; touched.push(ph) }
    }
    const touchedRecords: number[] = []
    for (const phIdx of touched) {
      mark[phIdx] = 0
      const ph = phrases[phIdx]!
      // What the retrieving (rare) words matched; the common words are added next.
      const rareMatched = acc[phIdx]!
      let matched = rareMatched
      let matchedMass = massAcc[phIdx]!
      acc[phIdx] = 0
      massAcc[phIdx] = 0
      for (const [id, w] of commonTerms) if (ph.tokens.has(id)) { matched += w; matchedMass += idf[id]! }
      const cover = Math.min(1, matchedMass / ph.mass)
      let pairs = 0
      let pairMass = 0
      if (ph.bigrams.size > 0) {
        for (let i = 0; i < qPairs.length; i++) {
          if (!ph.bigrams.has(qPairs[i]!)) continue
          pairs += qPairW[i]!
          pairMass += qPairMass[i]!
        }
      }
      // A phrase matched whole (a title or alias of two or more words) is strong evidence even when its
      // words are common ("khai" and "tử" are in most forms' names; "khai tử" is not).
      const isWhole = cover >= 0.99 && ph.tokens.size >= 2 && pairs > 0
      const whole = isWhole ? WHOLE_PHRASE * ph.mass : 0
      const s = matched * (0.45 + 0.55 * cover) + PAIR_BONUS * pairs + PAIR_RARITY * pairMass + (isWhole ? WHOLE_SCORE * pairMass : 0)
      const evidence = rareMatched * (0.5 + 0.5 * cover) + pairMass + whole
      // A phrase many records share (a field name, "chứng thực") says little about which one is meant.
      const ownCover = ph.owners.length > SHARED_PHRASE ? Math.min(cover, 0.9) : cover
      for (const [rec, weight] of ph.owners) {
        if (bestScore[rec] === 0) touchedRecords.push(rec)
        if (s * weight > bestScore[rec]!) {
          bestScore[rec] = s * weight
          bestCover[rec] = ownCover
        }
        if (evidence * weight > bestEvidence[rec]!) bestEvidence[rec] = evidence * weight
      }
    }
    // Records far under the best phrase match cannot reach the top few: skip the finer scoring for them.
    let maxBest = 0
    for (const rec of touchedRecords) if (bestScore[rec]! > maxBest) maxBest = bestScore[rec]!
    const floor = maxBest * PRUNE_SHARE
    const ranked: Scored[] = []
    for (const rec of touchedRecords) {
      const best = bestScore[rec]!
      const evidence = bestEvidence[rec]!
      const cover = bestCover[rec]!
      bestScore[rec] = 0
      bestEvidence[rec] = 0
      bestCover[rec] = 0
      if (best < floor) continue
      let elsewhere = 0
      for (const [id, w] of terms) {
        if (recordTokens[rec]!.has(id)) elsewhere += w
        else if (recordContext[rec]!.has(id) && !common(id)) elsewhere += CONTEXT_WEIGHT * w
      }
      let factor = 1
      for (const g of qualifiers[rec]!) {
        const named = g.pairs.length > 0 ? g.pairs.some((b) => a.bigrams.has(b)) : g.ids.some((id) => a.foreground.has(id))
        if (!named) factor *= VARIANT_PENALTY
      }
      if (bundleParts[rec]!.length > 0 && bundleParts[rec]!.filter((ps) => ps.some((b) => a.bigrams.has(b))).length < 2) factor *= VARIANT_PENALTY
      ranked.push({ rec, score: (best + ELSEWHERE * elsewhere) * factor, evidence, cover })
    }
    ranked.sort(byScore)
    if (ranked.length > MAX_CANDIDATES) ranked.length = MAX_CANDIDATES
    return ranked
  }

  /** Is the message about a procedure at all, and is one of them clearly meant? */
  function decide (a: Analysis, ranked: Scored[]): Confidence {
    const top = ranked[0]
    if (top === undefined) return 'none'
    if (top.evidence < (a.outOfScope ? EVIDENCE.minOutOfScope : EVIDENCE.min)) return 'none'
    const second = ranked[1]
    // A phrase of the top record matched whole (its title or an alias) needs a smaller lead.
    const ratio = top.cover >= 0.95 ? EVIDENCE.sureRatioWhole : EVIDENCE.sureRatio
    const clearLead = second === undefined || second.score <= top.score * ratio
    return top.evidence >= EVIDENCE.sure && top.cover >= EVIDENCE.surePhraseCover && clearLead ? 'sure' : 'unsure'
  }

  function query (text: string, options: SearchOptions = {}): SearchOutcome {
    const limit = Math.max(1, Math.min(options.limit ?? 5, 50))
    const a = analyse(text)
    if (a.terms.size === 0) return { confidence: 'none', results: [] }
    let ranked = score(a)
    const confidence = decide(a, ranked)
    if (confidence === 'none') return { confidence, results: [] }
    if (a.unknown > 0 && ranked.length > 1) {
      const top = ranked.slice(0, 8)
      const order = fuzzy.rerank(a.words.join(' '), top, (rec) => recordPhrases[rec]!.slice(0, 12))
      const byRec = new Map(top.map((r) => [r.rec, r]))
      ranked = order.map((o) => ({ ...byRec.get(o.rec)!, score: o.score })).concat(ranked.slice(8))
    }
    const max = ranked[0]!.score
    const results: SearchResult[] = ranked.slice(0, limit).map(({ rec, score }) => {
      const p = procedures[rec]!
      return { id: p.id, code: p.code, title: p.title, score: Math.round((score / max) * 1000) / 1000 }
    })
    return { confidence, results }
  }

  function explain (text: string): SearchExplanation {
    const a = analyse(text)
    const ranked = score(a)
    return {
      words: a.words,
      outOfScope: a.outOfScope,
      confidence: a.terms.size === 0 ? 'none' : decide(a, ranked),
      candidates: ranked.slice(0, 5).map((r) => ({ id: procedures[r.rec]!.id, score: r.score, evidence: r.evidence, cover: r.cover })),
    }
  }

  return { query, search: (text, options) => query(text, options).results, explain }
}

/** How a title relates to the shorter titles inside it (see {@link titleVariants}). */
export interface TitleVariants {
  /** What makes the title a variant: one group of words per largest title inside it. */
  groups: string[][]
  /** For a bundle of procedures ("liên thông … khai sinh, thường trú, thẻ bảo hiểm y tế"), the titles it joins. */
  parts: string[][]
}

/**
 * What makes each title a variant of shorter ones: for "đăng ký lại khai sinh có yếu tố nước ngoài",
 * which contains "đăng ký lại khai sinh" and "đăng ký khai sinh có yếu tố nước ngoài", the groups
 * ["yếu tố nước ngoài"] and ["lại"]. Only the largest contained titles give a group; a title that
 * contains no other has none. A message naming no word of a group likely means the general procedure.
 * A title joining two titles that share no title of their own ("đăng ký khai sinh" and "đăng ký thường
 * trú" share only "đăng ký") is a bundle: its `parts` are those titles, and it has no groups.
 */
export function titleVariants (titles: string[][]): TitleVariants[] {
  const sets = titles.map((t) => new Set(t))
  // Each title is filed under its rarest word: a title inside another has that word too, so only the
  // titles filed under one of a title's own words need checking (near-linear instead of all pairs).
  const df = new Map<string, number>()
  for (const set of sets) for (const w of set) df.set(w, (df.get(w) ?? 0) + 1)
  const byRarest = new Map<string, number[]>()
  sets.forEach((set, j) => {
    let rarest: string | undefined
    for (const w of set) if (rarest === undefined || df.get(w)! < df.get(rarest)!) rarest = w
    if (rarest === undefined) return
    const list = byRarest.get(rarest)
    if (list === undefined) byRarest.set(rarest, [j])
    else list.push(j)
  })
  const within = (inner: Set<string>, outer: Set<string>): boolean => [...inner].every((w) => outer.has(w))
  const insideOf = (own: Set<string>, self: number): number[] => {
    const candidates = new Set([...own].flatMap((w) => byRarest.get(w) ?? []))
    return [...candidates].filter((j) => j !== self && sets[j]!.size < own.size && within(sets[j]!, own))
  }
  const bundles = new Set<number>()
  return sets.map((own, i) => ({ own, i })).sort((a, b) => a.own.size - b.own.size).map(({ own, i }) => {
    const insideIds = insideOf(own, i)
    const inside = insideIds.map((j) => sets[j]!)
    const largestIds = insideIds.filter((j) => !inside.some((b) => b !== sets[j] && b.size > sets[j]!.size && within(sets[j]!, b)))
    const largest = largestIds.map((j) => sets[j]!)
    const bundle = largest.length >= 2 && !largestIds.some((j) => bundles.has(j)) && largest.some((a, k) => largest.some((b, m) => m > k &&
      !inside.some((t) => within(t, new Set([...a].filter((w) => b.has(w)))))))
    if (bundle) {
      bundles.add(i)
      return { i, groups: [], parts: largestIds.map((j) => titles[j]!) }
    }
    const groups = largest.map((base) => [...own].filter((w) => !base.has(w) && !NOT_QUALIFIERS.has(w)))
    return { i, groups: groups.filter((g) => g.length > 0), parts: [] }
  }).sort((a, b) => a.i - b.i).map(({ groups, parts }) => ({ groups, parts }))
}
