import type { Procedure } from './schema.ts'
import type { Lexicon } from './lexicon.ts'
import type { Confidence, ProcedureSearch, SearchExplanation, SearchOptions, SearchOutcome, SearchResult } from './types.ts'
import { Vocabulary } from './vocabulary.ts'
import { isSyllable } from './normalize.ts'
import { createFuzzyRanker, fuzzyPatterns } from './fuzzy.ts'

/** Weight of each kind of phrase of a record: titles count most, field names least. */
const PHRASE_WEIGHT = { title: 1, alias: 0.97, keyword: 0.85, form: 0.6, field: 0.45 } as const
/** A token in more than this share of records is too common to retrieve candidates on its own. */
const COMMON_SHARE = 0.25
const MAX_QUERY_TOKENS = 48
const MAX_CANDIDATES = 64
/** Phrases retrieved before commoner terms stop adding new ones (they still score those in hand). */
const MAX_TOUCHED = 600
/** A phrase of more records than this (a field name) is credited to them only when it can reach the floor. */
const MANY_OWNERS = 64
/** The fuzzy re-rank changes a score by at most 15%: only candidates within this share of the first can move. */
const FUZZY_BAND = 0.85
/** The first and its closest followers are all the fuzzy re-rank compares (it decides the first place). */
const FUZZY_CANDIDATES = 3
/** Phrases of each record (title and aliases first) the fuzzy re-rank compares with the message. */
const FUZZY_PHRASES = 6
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

/** The query after analysis: weighted vocabulary terms in order, and what else the message carried. */
interface Analysis {
  words: string[]
  /** Vocabulary id → weight (IDF × how sure the typo correction is × the word's weight in the message). */
  terms: Map<number, number>
  /** Terms of the question itself: not in a "… rồi" clause, not people words (what makes a variant). */
  foreground: Set<number>
  /** Adjacent pairs of terms → the weight of the weaker word. */
  bigrams: Map<number, number>
  /** Words typo repair could not map onto the vocabulary. */
  unknown: string[]
  outOfScope: boolean
}

/** A candidate record with its score and the evidence behind it. */
interface Scored {
  rec: number
  score: number
  evidence: number
  cover: number
  /** Some phrase of the record matched two of its words side by side, or {@link UNPAIRED_HITS} of them. */
  paired: boolean
}

/**
 * A phrase whose matched words are not side by side in the message counts as evidence that the message
 * is about it only with at least this many of its words. Vietnamese names a procedure with words of two
 * or more syllables ("khai sinh", "thế chấp", "hộ nghèo"): one syllable in common, or two far apart, is
 * what any chat shares with some record ("vui" → a festival, "ngày" → a business suspension).
 */
const UNPAIRED_HITS = 3

/** Folded function words that join others without naming anything (ở, của, cho, là, và, với, tại, thì, mà). */
const GLUE = new Set(['o', 'cua', 'cho', 'la', 'va', 'voi', 'tai', 'thi', 'ma'])
const pair = (a: number, b: number): number => a * 1_048_576 + b

/**
 * Builds the procedure search: an inverted index over the syllables of titles, aliases, keywords, form
 * and field names (folded with the shared lexicon), held in flat typed arrays (phrases, their words,
 * pairs and owners, postings) so that it stays small and a query costs what it touches, not the catalogue
 * size. A query runs as a pipeline — analyse (lexicon, typo repair) → retrieve (the query's rare pairs of
 * words first, then its rare words rarest first, stopping when no unread word can lift a phrase to the
 * floor, and at {@link MAX_TOUCHED} phrases) → score (IDF mass of the best phrase of each record, its
 * coverage, adjacent pairs) → decide (answerability from what matched, not from what did not) — and
 * fuse.js re-ranks the close candidates only when the query keeps words typo repair could not map.
 */
export function createProcedureSearch (procedures: readonly Procedure[], lexicon: Lexicon): ProcedureSearch {
  const n = procedures.length
  const vocab = new Vocabulary()
  // Phrases while building: interned by text; owners are added record by record, so a phrase repeated
  // within one record is always its last owner.
  const phraseByText = new Map<string, number>()
  const phraseText: string[] = []
  const phraseIds: number[][] = []
  const phraseOwners: Array<Array<[record: number, weight: number]>> = []
  const recordTokenSets: Array<Set<number>> = []
  const recordPhraseList: number[][] = []
  /** Words of the documents, applicants, conditions and result: weak support for a long message. */
  const contextWords: string[][] = []

  procedures.forEach((p, record) => {
    const tokens = new Set<number>()
    const own: number[] = []
    const add = (raw: string, weight: number): void => {
      const words = lexicon.analyze(raw)
      if (words.length === 0) return
      const ids = words.map((w) => vocab.add(w))
      for (const id of ids) tokens.add(id)
      const text = words.join(' ')
      let ph = phraseByText.get(text)
      if (ph === undefined) {
        ph = phraseText.length
        phraseByText.set(text, ph)
        phraseText.push(text)
        phraseIds.push(ids)
        phraseOwners.push([])
      }
      const owners = phraseOwners[ph]!
      const last = owners.at(-1)
      if (last !== undefined && last[0] === record) last[1] = Math.max(last[1], weight)
      else { owners.push([record, weight]); own.push(ph) }
    }
    add(p.title, PHRASE_WEIGHT.title)
    for (const a of p.aliases) add(a, PHRASE_WEIGHT.alias)
    for (const k of p.keywords) add(k, PHRASE_WEIGHT.keyword)
    for (const f of p.forms) add(f, PHRASE_WEIGHT.form)
    add(p.field, PHRASE_WEIGHT.field)
    recordTokenSets.push(tokens)
    recordPhraseList.push(own)
    const context = [...p.documents.submit, ...p.documents.show].map((d) => d.name)
      .concat(p.applicants ?? '', p.conditions, p.result)
    contextWords.push([...new Set(lexicon.analyze(context.join(' . ')))])
  })
  vocab.freeze()
  const V = vocab.words.length
  const P = phraseText.length

  const df = new Float64Array(V)
  for (const set of recordTokenSets) for (const id of set) df[id]!++
  const idf = Float64Array.from(df, (d) => Math.log(1 + n / Math.max(d, 1)))
  const isCommon = Uint8Array.from(df, (d) => d > n * COMMON_SHARE && n >= 8 ? 1 : 0)
  /** Function words: a pair with one of them in a message ("sanh ở bệnh viện") names nothing. */
  const glue = Uint8Array.from(vocab.words, (w) => GLUE.has(w) ? 1 : 0)
  const dfOf = (id: number): number => df[id]!

  // Phrases as flat arrays (CSR): tokens, distinct adjacent pairs, owners; and the IDF mass of each.
  const phTokStart = new Int32Array(P + 1)
  const phPairStart = new Int32Array(P + 1)
  const phOwnStart = new Int32Array(P + 1)
  for (let ph = 0; ph < P; ph++) {
    const ids = phraseIds[ph]!
    phTokStart[ph + 1] = phTokStart[ph]! + new Set(ids).size
    phPairStart[ph + 1] = phPairStart[ph]! + new Set(ids.slice(1).map((b, i) => pair(ids[i]!, b))).size
    phOwnStart[ph + 1] = phOwnStart[ph]! + phraseOwners[ph]!.length
  }
  const phTok = new Int32Array(phTokStart[P]!)
  const phPair = new Float64Array(phPairStart[P]!)
  // Each pair's two words: a query lacking either skips the pair without hashing it (pair keys are doubles).
  const phPairA = new Int32Array(phPairStart[P]!)
  const phPairB = new Int32Array(phPairStart[P]!)
  const phOwnRec = new Int32Array(phOwnStart[P]!)
  const phOwnWeight = new Float64Array(phOwnStart[P]!)
  const phMass = new Float64Array(P)
  const phShared = new Uint8Array(P)
  const phMaxWeight = new Float64Array(P)
  for (let ph = 0; ph < P; ph++) {
    const ids = phraseIds[ph]!
    let k = phTokStart[ph]!
    let mass = 0
    for (const id of new Set(ids)) { phTok[k++] = id; mass += idf[id]! }
    phMass[ph] = mass
    k = phPairStart[ph]!
    for (const b of new Set(ids.slice(1).map((b, i) => pair(ids[i]!, b)))) {
      phPairA[k] = Math.floor(b / 1_048_576)
      phPairB[k] = b % 1_048_576
      phPair[k++] = b
    }
    k = phOwnStart[ph]!
    for (const [rec, w] of phraseOwners[ph]!) { phOwnRec[k] = rec; phOwnWeight[k++] = w; phMaxWeight[ph] = Math.max(phMaxWeight[ph]!, w) }
    // A phrase many records share (a field name, "chứng thực") says little about which one is meant.
    phShared[ph] = phraseOwners[ph]!.length > SHARED_PHRASE ? 1 : 0
  }
  // Postings: term → phrases holding it (CSR).
  const postStart = new Int32Array(V + 1)
  for (let i = 0; i < phTok.length; i++) postStart[phTok[i]! + 1]!++
  for (let id = 0; id < V; id++) postStart[id + 1]! += postStart[id]!
  const post = new Int32Array(phTok.length)
  {
    const fill = postStart.slice(0, V)
    for (let ph = 0; ph < P; ph++) for (let k = phTokStart[ph]!; k < phTokStart[ph + 1]!; k++) post[fill[phTok[k]!]!++] = ph
  }

  // Adjacent pairs have their own rarity: "khai tử" is rare though "tử" folds with tư, từ, tự.
  const pairDf = new Map<number, number>()
  recordPhraseList.forEach((list) => {
    const seen = new Set<number>()
    for (const ph of list) for (let k = phPairStart[ph]!; k < phPairStart[ph + 1]!; k++) seen.add(phPair[k]!)
    for (const b of seen) pairDf.set(b, (pairDf.get(b) ?? 0) + 1)
  })
  const pairIdf = (b: number): number => Math.log(1 + n / Math.max(pairDf.get(b) ?? 1, 1))
  // Phrases holding each pair that is rare enough to retrieve on ("khai tử", "thường trú"), as a flat
  // list per pair; a pair in many records ("đăng ký") retrieves nothing on its own, like a common word.
  const pairSlot = new Map<number, number>()
  const pairCount: number[] = []
  for (let k = 0; k < phPair.length; k++) {
    const b = phPair[k]!
    if (pairDf.get(b)! > n * PAIR_RETRIEVE_SHARE) continue
    const slot = pairSlot.get(b)
    if (slot === undefined) { pairSlot.set(b, pairCount.length); pairCount.push(1) } else pairCount[slot]!++
  }
  const pairPostStart = new Int32Array(pairCount.length + 1)
  pairCount.forEach((c, i) => { pairPostStart[i + 1] = pairPostStart[i]! + c })
  const pairPost = new Int32Array(pairPostStart[pairCount.length]!)
  {
    const fill = pairPostStart.slice(0, pairCount.length)
    for (let ph = 0; ph < P; ph++) {
      for (let k = phPairStart[ph]!; k < phPairStart[ph + 1]!; k++) {
        const slot = pairSlot.get(phPair[k]!)
        if (slot !== undefined) pairPost[fill[slot]!++] = ph
      }
    }
  }

  // Each record's own words, and the words only its documents and conditions have (rare ones only).
  const recTokStart = new Int32Array(n + 1)
  const recCtxStart = new Int32Array(n + 1)
  const recordContext = contextWords.map((words, rec) => words.map((w) => vocab.ids.get(w))
    .filter((id): id is number => id !== undefined && isCommon[id] !== 1 && !recordTokenSets[rec]!.has(id)))
  for (let rec = 0; rec < n; rec++) {
    recTokStart[rec + 1] = recTokStart[rec]! + recordTokenSets[rec]!.size
    recCtxStart[rec + 1] = recCtxStart[rec]! + recordContext[rec]!.length
  }
  const recTok = new Int32Array(recTokStart[n]!)
  const recCtx = new Int32Array(recCtxStart[n]!)
  for (let rec = 0; rec < n; rec++) {
    recTok.set([...recordTokenSets[rec]!], recTokStart[rec]!)
    recCtx.set(recordContext[rec]!, recCtxStart[rec]!)
  }
  /** Up to 12 phrases of each record, as text, for the fuzzy re-rank. */
  const recordPhrases = (rec: number): string[] => recordPhraseList[rec]!.slice(0, FUZZY_PHRASES).map((ph) => phraseText[ph]!)

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
  // Free the build-time structures' bulk; what the queries need is in the flat arrays above.
  phraseIds.length = 0
  phraseOwners.length = 0
  recordTokenSets.length = 0
  phraseByText.clear()
  contextWords.length = 0
  titleWords.length = 0

  // Per-query scratch, reset after each query (so a query costs what it touches, not the catalogue size).
  const qWeight = new Float64Array(V)
  const qRetrieve = new Uint8Array(V)
  const mark = new Uint8Array(P)
  const bestScore = new Float64Array(n)
  const bestEvidence = new Float64Array(n)
  const bestPaired = new Uint8Array(n)
  const bestCover = new Float64Array(n)
  const fuzzy = createFuzzyRanker()
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
    const unknown: string[] = []
    words.forEach((w, i) => {
      const r = vocab.resolve(w, dfOf)
      if (r.ids.length === 0) { unknown.push(w); seq.push(-1); seqWeight.push(0); return }
      for (const id of r.ids) {
        seqWeight.push(q.weights[i]!)
        if (q.weights[i]! >= 1) foreground.add(id)
        terms.set(id, Math.max(terms.get(id) ?? 0, idf[id]! * r.confidence * q.weights[i]!))
        seq.push(id)
      }
    })
    const bigrams = new Map<number, number>()
    for (let i = 1; i < seq.length; i++) {
      if (seq[i - 1]! >= 0 && seq[i]! >= 0 && seq[i - 1] !== seq[i] && !glue[seq[i - 1]!] && !glue[seq[i]!]) {
        const b = pair(seq[i - 1]!, seq[i]!)
        bigrams.set(b, Math.max(bigrams.get(b) ?? 0, Math.min(seqWeight[i - 1]!, seqWeight[i]!)))
      }
    }
    return { words, terms, foreground, bigrams, unknown, outOfScope: q.outOfScope }
  }

  /**
   * Scores the records that share a rare term (or a rare pair of common words) with the query by their
   * best phrase: the matched IDF mass, scaled by how much of the phrase the query covers, plus a bonus for
   * pairs matched in order; words of the query found elsewhere in the record add a little. Rare terms are
   * read rarest first, and once {@link MAX_TOUCHED} phrases are in hand commoner terms only score them.
   */
  function score (a: Analysis): Scored[] {
    const { terms } = a
    const qPairIndex = new Map<number, number>()
    const qPairW: number[] = []
    const qPairMass: number[] = []
    for (const [b, w] of a.bigrams) {
      // A pair no phrase holds scores nothing.
      if (!pairDf.has(b)) continue
      qPairIndex.set(b, qPairW.length)
      qPairW.push(w)
      qPairMass.push(pairIdf(b) * w)
    }
    let anyRare = false
    for (const id of terms.keys()) if (isCommon[id] !== 1) { anyRare = true; break }
    // The words that retrieve phrases: the rare ones, or all of them when every word is common.
    const retrieve: number[] = []
    let maxElsewhere = 0
    for (const [id, w] of terms) {
      qWeight[id] = w
      maxElsewhere += w
      if (!anyRare || isCommon[id] !== 1) { qRetrieve[id] = 1; retrieve.push(id) }
    }
    retrieve.sort((x, y) => df[x]! - df[y]!)
    const touched: number[] = []
    // What a phrase holding none of the words read so far could still score: every other word's weight
    // (the cover factor is at most 1) and every pair of the query (MaxScore-style pruning).
    let commonWeight = 0
    for (const [id, w] of terms) if (qRetrieve[id] !== 1) commonWeight += w
    // Each pair's most, filed under its two words: once a word is read, phrases not yet reached lack it.
    let pairBound = 0
    const pairsOfWord = new Map<number, number[]>()
    const pairMax = qPairW.map((w, i) => PAIR_BONUS * w + (PAIR_RARITY + WHOLE_SCORE) * qPairMass[i]!)
    for (const [b, i] of qPairIndex) {
      pairBound += pairMax[i]!
      for (const id of [Math.floor(b / 1_048_576), b % 1_048_576]) {
        const list = pairsOfWord.get(id)
        if (list === undefined) pairsOfWord.set(id, [i])
        else list.push(i)
      }
    }
    let restWeight = 0
    for (const id of retrieve) restWeight += qWeight[id]!
    const touchedRecords: number[] = []
    let maxBest = 0
    let touchedCount = 0
    /** Scores a phrase the first time a query word or pair reaches it, for every record that owns it. */
    const visit = (ph: number): void => {
      if (mark[ph] === 1) return
      mark[ph] = 1
      touched.push(ph)
      touchedCount++
      // What the retrieving (rare) words matched, everything matched, and the IDF mass covered.
      let rareMatched = 0
      let matched = 0
      let matchedMass = 0
      let hits = 0
      for (let k = phTokStart[ph]!; k < phTokStart[ph + 1]!; k++) {
        const id = phTok[k]!
        const w = qWeight[id]!
        if (w === 0) continue
        hits++
        matched += w
        matchedMass += idf[id]!
        if (qRetrieve[id] === 1) rareMatched += w
      }
      const cover = Math.min(1, matchedMass / phMass[ph]!)
      let pairs = 0
      let pairMass = 0
      // A pair needs two of the phrase's words in the query.
      const pairEnd = hits >= 2 ? phPairStart[ph + 1]! : 0
      for (let k = phPairStart[ph]!; k < pairEnd; k++) {
        if (qWeight[phPairA[k]!] === 0 || qWeight[phPairB[k]!] === 0) continue
        const i = qPairIndex.get(phPair[k]!)
        if (i === undefined) continue
        pairs += qPairW[i]!
        pairMass += qPairMass[i]!
      }
      // A phrase matched whole (a title or alias of two or more words) is strong evidence even when its
      // words are common ("khai" and "tử" are in most forms' names; "khai tử" is not).
      const isWhole = cover >= 0.99 && phTokStart[ph + 1]! - phTokStart[ph]! >= 2 && pairs > 0
      const whole = isWhole ? WHOLE_PHRASE * phMass[ph]! : 0
      const s = matched * (0.45 + 0.55 * cover) + PAIR_BONUS * pairs + PAIR_RARITY * pairMass + (isWhole ? WHOLE_SCORE * pairMass : 0)
      const evidence = rareMatched * (0.5 + 0.5 * cover) + pairMass + whole
      const ownCover = phShared[ph] === 1 ? Math.min(cover, 0.9) : cover
      const paired = pairs > 0 || hits >= UNPAIRED_HITS
      // A phrase of many records (a field name) is handed to them only if it can reach the floor.
      if (phOwnStart[ph + 1]! - phOwnStart[ph]! > MANY_OWNERS) {
        crowded.push({ ph, s, evidence, cover: ownCover, paired })
        if (s * phMaxWeight[ph]! > maxBest) maxBest = s * phMaxWeight[ph]!
        return
      }
      credit(ph, s, evidence, ownCover, paired)
    }
    /** Gives each record owning the phrase its score, evidence and cover where they are its best. */
    const credit = (ph: number, s: number, evidence: number, cover: number, paired: boolean): void => {
      for (let k = phOwnStart[ph]!; k < phOwnStart[ph + 1]!; k++) {
        const rec = phOwnRec[k]!
        const weight = phOwnWeight[k]!
        if (bestScore[rec] === 0) touchedRecords.push(rec)
        if (s * weight > bestScore[rec]!) {
          bestScore[rec] = s * weight
          bestCover[rec] = cover
          if (s * weight > maxBest) maxBest = s * weight
        }
        if (evidence * weight > bestEvidence[rec]!) bestEvidence[rec] = evidence * weight
        if (paired) bestPaired[rec] = 1
      }
    }
    const crowded: Array<{ ph: number, s: number, evidence: number, cover: number, paired: boolean }> = []
    // Pairs of the query first, rarest first: they are the most specific, and what they find sets the
    // floor that lets the single words below stop early.
    const pairOrder = [...qPairIndex.keys()].filter((b) => pairSlot.has(b)).sort((x, y) => pairDf.get(x)! - pairDf.get(y)!)
    for (const b of pairOrder) {
      if (touchedCount >= MAX_TOUCHED) break
      const slot = pairSlot.get(b)!
      for (let k = pairPostStart[slot]!; k < pairPostStart[slot + 1]!; k++) {
        if (touchedCount >= MAX_TOUCHED) break
        visit(pairPost[k]!)
      }
    }
    for (const id of retrieve) {
      // No phrase without the words read so far can reach the floor: the rest need not be read.
      if (restWeight + commonWeight + pairBound < PRUNE_SHARE * maxBest || touchedCount >= MAX_TOUCHED) break
      restWeight -= qWeight[id]!
      for (const i of pairsOfWord.get(id) ?? []) { pairBound -= pairMax[i]!; pairMax[i] = 0 }
      for (let k = postStart[id]!; k < postStart[id + 1]!; k++) {
        if (touchedCount >= MAX_TOUCHED) break
        visit(post[k]!)
      }
    }
    for (const ph of touched) mark[ph] = 0
    for (const c of crowded) if (c.s * phMaxWeight[c.ph]! >= PRUNE_SHARE * maxBest) credit(c.ph, c.s, c.evidence, c.cover, c.paired)
    // Records far under the best phrase match cannot reach the top few; the rest are finished best first
    // until no later one can enter the top MAX_CANDIDATES (the extra score is at most ELSEWHERE × the
    // query's weight, and the variant factor only lowers it).
    const floor = maxBest * PRUNE_SHARE
    const order = touchedRecords.filter((rec) => bestScore[rec]! >= floor)
      .sort((x, y) => bestScore[y]! - bestScore[x]!)
    const ranked: Scored[] = []
    const top: number[] = []
    for (const rec of order) {
      const best = bestScore[rec]!
      if (top.length >= MAX_CANDIDATES && best + ELSEWHERE * maxElsewhere < top[MAX_CANDIDATES - 1]!) break
      let elsewhere = 0
      for (let k = recTokStart[rec]!; k < recTokStart[rec + 1]!; k++) elsewhere += qWeight[recTok[k]!]!
      for (let k = recCtxStart[rec]!; k < recCtxStart[rec + 1]!; k++) elsewhere += CONTEXT_WEIGHT * qWeight[recCtx[k]!]!
      let factor = 1
      for (const g of qualifiers[rec]!) {
        const named = g.pairs.length > 0 ? g.pairs.some((b) => a.bigrams.has(b)) : g.ids.some((id) => a.foreground.has(id))
        if (!named) factor *= VARIANT_PENALTY
      }
      if (bundleParts[rec]!.length > 0 && bundleParts[rec]!.filter((ps) => ps.some((b) => a.bigrams.has(b))).length < 2) factor *= VARIANT_PENALTY
      const full = (best + ELSEWHERE * elsewhere) * factor
      ranked.push({ rec, score: full, evidence: bestEvidence[rec]!, cover: bestCover[rec]!, paired: bestPaired[rec] === 1 })
      // Keep the MAX_CANDIDATES best full scores, sorted descending.
      if (top.length < MAX_CANDIDATES || full > top[MAX_CANDIDATES - 1]!) {
        let i = Math.min(top.length, MAX_CANDIDATES - 1)
        if (top.length < MAX_CANDIDATES) top.push(full)
        while (i > 0 && top[i - 1]! < full) { top[i] = top[i - 1]!; i-- }
        top[i] = full
      }
    }
    for (const rec of touchedRecords) { bestScore[rec] = 0; bestEvidence[rec] = 0; bestCover[rec] = 0; bestPaired[rec] = 0 }
    for (const id of terms.keys()) { qWeight[id] = 0; qRetrieve[id] = 0 }
    ranked.sort(byScore)
    if (ranked.length > MAX_CANDIDATES) ranked.length = MAX_CANDIDATES
    return ranked
  }

  /**
   * Is the message about a procedure at all, and is one of them clearly meant? Not when the top record's
   * evidence is thin, nor when none of its phrases matched two words side by side or three apart
   * ({@link UNPAIRED_HITS}).
   */
  function decide (a: Analysis, ranked: Scored[]): Confidence {
    const top = ranked[0]
    if (top === undefined) return 'none'
    if (top.evidence < (a.outOfScope ? EVIDENCE.minOutOfScope : EVIDENCE.min)) return 'none'
    if (!top.paired) return 'none'
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
    // Words left unknown after typo repair that are not Vietnamese syllables ("adt", "khog") are typos
    // character-level fuzzy matching can still read: let it decide between the candidates close enough
    // to the first for it to matter (it moves a score by at most 15%). An unknown real syllable ("giờ",
    // "hoài") is a word of the story, and a number is not a typo: neither is worth a fuzzy pass.
    const typos = a.unknown.filter((w) => !isSyllable(w) && !/^\d+$/.test(w))
    if (typos.length > 0 && ranked.length > 1 && ranked[1]!.score >= FUZZY_BAND * ranked[0]!.score) {
      let close = 1
      while (close < Math.min(ranked.length, FUZZY_CANDIDATES) && ranked[close]!.score >= FUZZY_BAND * ranked[0]!.score) close++
      const top = ranked.slice(0, close)
      const order = fuzzy.rerank(fuzzyPatterns(a.words, new Set(typos)), top, recordPhrases)
      const byRec = new Map(top.map((r) => [r.rec, r]))
      ranked = order.map((o) => ({ ...byRec.get(o.rec)!, score: o.score })).concat(ranked.slice(close))
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
  // Each title is filed under its two rarest words (or its only word): a title inside another has both,
  // so only the titles filed under a pair of a title's own words need checking (near-linear, not all pairs).
  const df = new Map<string, number>()
  for (const set of sets) for (const w of set) df.set(w, (df.get(w) ?? 0) + 1)
  const rank = (a: string, b: string): number => df.get(a)! - df.get(b)! || (a < b ? -1 : a > b ? 1 : 0)
  const filed = new Map<string, number[]>()
  sets.forEach((set, j) => {
    const [r1, r2] = [...set].sort(rank)
    if (r1 === undefined) return
    const key = r2 === undefined ? r1 : `${r1} ${r2}`
    const list = filed.get(key)
    if (list === undefined) filed.set(key, [j])
    else list.push(j)
  })
  const candidatesOf = (own: Set<string>): number[] => {
    const words = [...own].sort(rank)
    const out: number[] = []
    for (let x = 0; x < words.length; x++) {
      out.push(...(filed.get(words[x]!) ?? []))
      for (let y = x + 1; y < words.length; y++) out.push(...(filed.get(`${words[x]!} ${words[y]!}`) ?? []))
    }
    return out
  }
  const within = (inner: Set<string>, outer: Set<string>): boolean => [...inner].every((w) => outer.has(w))
  const insideOf = (own: Set<string>, self: number): number[] =>
    candidatesOf(own).filter((j) => j !== self && sets[j]!.size < own.size && within(sets[j]!, own))
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
