import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { CatalogueError } from '../errors.ts'
import { fold, lowerKeepMarks, syllableRepairs, telexCandidates } from './normalize.ts'

const lexiconSchema = z.object({
  about: z.string().optional(),
  /** Chat shorthand and dialect, keyed by the lower-case token as typed (tone marks kept). */
  shorthand: z.record(z.string().min(1), z.string().min(1)),
  /** Phrases with no meaning for search ("cho em hỏi", "ạ"); removed after rewriting. */
  fillers: z.array(z.string().min(1)),
  /** Everyday phrase → catalogue phrase, applied to queries and catalogue text alike. */
  rewrite: z.record(z.string().min(1), z.string()),
  /**
   * Topics outside the catalogue (passport, bank, court, tax…): a message naming one needs much stronger
   * procedure evidence to be answered with a procedure. Matched on whole folded words after rewriting.
   */
  outOfScope: z.array(z.string().min(1)).default([]),
  /**
   * Word classes: every member becomes `to` ("người Hàn", "quốc tịch Mỹ", "Campuchia" → "nước ngoài").
   * `words` stand alone; `afterWords` are ambiguous alone ("mỹ" is also a place name) and count only
   * right after one of `after` ("người", "quốc tịch", "bên"…), which is kept.
   */
  /**
   * People and kinship words ("ông bà", "con", "vợ chồng"): in a message they say who is concerned, not
   * which procedure, so they weigh little as evidence.
   */
  weak: z.array(z.string().min(1)).default([]),
  /** Place names (communes, provinces): removed from messages before search; offices answer them. */
  places: z.array(z.string().min(1)).default([]),
  classes: z.array(z.object({
    to: z.string().min(1),
    words: z.array(z.string().min(1)).default([]),
    after: z.array(z.string().min(1)).default([]),
    afterWords: z.array(z.string().min(1)).default([]),
  })).default([]),
})

export type LexiconData = z.infer<typeof lexiconSchema>

type PhraseTable = Map<string, Array<{ words: string[], to: string[] }>>

/** Compiled lexicon: turns any text into the token list that the index and the queries share. */
export interface Lexicon {
  /** Folded tokens after shorthand, rewriting and filler removal. */
  analyze (text: string): string[]
  /** Folded tokens after shorthand and rewriting, fillers kept (for display and intent detection). */
  canonical (text: string): string[]
  /**
   * A citizen's message: as {@link Lexicon.analyze}, except that phrases naming a topic outside the
   * catalogue (see `outOfScope` in lexicon.json) are taken out and reported, so that they are no
   * evidence for a procedure ("rút bảo hiểm xã hội" must not match "trợ giúp xã hội"). Words neither the
   * lexicon nor `isKnown` (the catalogue vocabulary) knows are first repaired when a Telex or short-syllable
   * repair makes them known ("doc thaan" → "doc than", then rewritten like any other).
   */
  analyzeQuery (text: string, isKnown?: (word: string) => boolean): { words: string[], weights: number[], outOfScope: boolean }
}

function phraseTable (entries: Array<[string, string]>): PhraseTable {
  const table: PhraseTable = new Map()
  for (const [from, to] of entries) {
    const words = fold(from).split(' ').filter(Boolean)
    const first = words[0]
    if (first === undefined) continue
    const list = table.get(first) ?? []
    list.push({ words, to: fold(to).split(' ').filter(Boolean) })
    table.set(first, list)
  }
  for (const list of table.values()) list.sort((a, b) => b.words.length - a.words.length)
  return table
}

function applyPhrases (tokens: string[], table: PhraseTable): string[] {
  const out: string[] = []
  for (let i = 0; i < tokens.length;) {
    const cands = table.get(tokens[i]!)
    const hit = cands?.find((c) => c.words.every((w, k) => tokens[i + k] === w))
    if (hit === undefined) {
      out.push(tokens[i]!)
      i++
    } else {
      out.push(...hit.to)
      i += hit.words.length
    }
  }
  return out
}

const OUTSIDE = 'zzoutsidezz'
/** Words whose folding is remembered (see `expand`). */
const FOLD_MEMO = 50_000
/** Weight of a people or kinship word (see `weak` in lexicon.json). */
const WEAK = 0.4
/** Weight of the words of a clause that tells what is already done ("có khai sinh rồi"). */
const BACKGROUND = 0.6

/** Weight of the words naming papers to bring ("cần giấy chứng sinh", "mang theo quyết định ly hôn"). */
const DOCUMENT = 0.6
const BRING = new Set(['can', 'mang', 'dem', 'kem', 'nop', 'phai'])
/** Words closing a question politely ("… không ạ", "… hông chị"). */
const PARTICLES = new Set(['a', 'ah', 'ha', 'vay', 'v', 'z', 'nhi', 'ta', 'nha', 'chi', 'anh', 'em', 'ad', 'admin', 'ban', 'co', 'chu'])
/** "… or not?": the end of a yes/no question. */
const YES_NO = new Set(['khong', 'ko', 'k', 'hong', 'hok', 'hem', 'kg', 'khg'])
const PAPERS = new Set(['giay', 'ban', 'so', 'the', 'hinh', 'anh', 'to', 'don', 'quyet', 'can'])

/**
 * Where a clause starts naming papers to bring ("cần giấy …", "mang theo bản sao …") or a prior step
 * ("có phải … trước không"), or -1.
 */
function documentStart (tokens: string[], later: boolean): number {
  // "… có phải về quê cắt khẩu trước không": a step asked about on the way, not the procedure wanted.
  const p = tokens.indexOf('phai')
  if (p > 0 && tokens[p - 1] === 'co' && tokens.slice(p + 1).includes('truoc')) return p + 1
  // "…, có cần về quê cắt khẩu không" after the clause naming what is wanted: a yes/no question about a
  // step on the way (alone, "có cần đăng ký hộ kinh doanh không" asks about the procedure itself).
  const c = later ? tokens.indexOf('can') : -1
  if (c > 0 && tokens[c - 1] === 'co') {
    let end = tokens.length - 1
    while (end > c && PARTICLES.has(tokens[end]!)) end--
    if (c + 2 < end && YES_NO.has(tokens[end]!)) return c + 1
  }
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!BRING.has(tokens[i]!)) continue
    let j = i + 1
    if (tokens[j] === 'theo' || tokens[j] === 'co') j++
    if (PAPERS.has(tokens[j] ?? '') && !(tokens[j] === 'can' && tokens[j + 1] !== 'cuoc')) return j
  }
  return -1
}

/** Words of a question about what to bring ("cần đem theo những giấy tờ gì", "phải nộp hồ sơ gì"). */
const ASK_WORDS = new Set(['can', 'phai', 'dem', 'mang', 'dua', 'nop', 'chuan', 'bi', 'kem', 'theo', 'nhung', 'cac', 'giay', 'to', 'thu', 'cai', 'loai'])
/** At least one of these makes such a run a question about papers, not a stray "gì". */
const ASK_CORE = new Set(['can', 'phai', 'dem', 'mang', 'dua', 'nop', 'chuan', 'kem', 'nhung', 'giay', 'ho'])
/** The longest such run. */
const ASK_SPAN = 8

/**
 * Takes out each run of words asking what to bring that ends in "gì"/"j" ("… khai tử cần đem theo những
 * gì", "khai sinh phải nộp giấy tờ gì"): it names the aspect asked, never the procedure, and its words
 * (rare in the catalogue) would otherwise outweigh the procedure's own common words.
 */
function dropPaperQuestions (tokens: string[]): string[] {
  let out: string[] | undefined
  for (let e = tokens.length - 1; e >= 0; e--) {
    if (tokens[e] !== 'gi' && tokens[e] !== 'j') continue
    let b = e
    // "hồ sơ" only as a pair: "hộ" alone names households ("nhập hộ", "hộ nghèo").
    while (b > 0 && e - b + 1 < ASK_SPAN) {
      if (ASK_WORDS.has(tokens[b - 1]!)) b--
      else if (b > 1 && tokens[b - 1] === 'so' && tokens[b - 2] === 'ho') b -= 2
      else break
    }
    let core = false
    for (let i = b; i < e; i++) if (ASK_CORE.has(tokens[i]!)) core = true
    if (!core) continue
    out ??= [...tokens]
    out.splice(b, e - b + 1)
    e = b
  }
  return out ?? tokens
}

/** Words before "hôn" in the names of marriage matters ("kết hôn 2 năm", "ly hôn", "cầu hôn", "đính hôn"). */
const MARRIAGE = new Set(['ket', 'ly', 'cau', 'dinh'])

/** "hơn 3 tháng" (more than) loses "hơn", which folds like "hôn" (marriage). */
function dropMoreThan (tokens: string[]): string[] {
  let out: string[] | undefined
  for (let i = tokens.length - 2; i >= 0; i--) {
    if (tokens[i] !== 'hon' || !/^\d/.test(tokens[i + 1]!) || MARRIAGE.has(tokens[i - 1] ?? '')) continue
    out ??= [...tokens]
    out.splice(i, 1)
  }
  return out ?? tokens
}

/**
 * "ngoài … ra" ("ngoài căn cước ra", "ngoài ra": besides) loses its two words: "ngoài" there is not
 * "nước ngoài", the foreign variant of a procedure.
 */
function dropBesides (tokens: string[]): string[] {
  const at = tokens.indexOf('ngoai')
  if (at < 0 || tokens[at - 1] === 'nuoc') return tokens
  const ra = tokens.indexOf('ra', at + 1)
  if (ra < 0 || ra - at > 4) return tokens
  return [...tokens.slice(0, at), ...tokens.slice(at + 1, ra), ...tokens.slice(ra + 1)]
}

/**
 * "đã"/"chưa" before one of these verbs states what was or was not done ("đã có văn bản phân chia",
 * "chưa làm giấy kết hôn"). "chưa có X" is left out: it usually names what is needed ("chưa có căn cước").
 */
const STATE_VERBS = new Set(['lam', 'dang', 'co', 'cuoi', 'ket', 'khai', 'xin', 'nop', 'duoc'])
const isState = (tokens: string[]): boolean => tokens.some((t, i) =>
  (t === 'da' || t === 'chua') && STATE_VERBS.has(tokens[i + 1] ?? '') && !(t === 'chua' && tokens[i + 1] === 'co'))

/** A message cut at punctuation and at "mà" / "nhưng", where Vietnamese turns from story to question. */
function clauses (text: string): string[] {
  return text.split(/[,.;:!?\n()]+|\s(?:mà|nhưng|nhung|song)\s/iu).filter((c) => c.trim() !== '')
}

/** Compiles lexicon data (exported for tests). */
export function compileLexicon (data: LexiconData): Lexicon {
  const shorthand = new Map(Object.entries(data.shorthand).map(([k, v]) => [lowerKeepMarks(k), v]))
  const classEntries = data.classes.flatMap((c) => [
    ...c.words.map((w): [string, string] => [w, c.to]),
    ...c.after.flatMap((a) => [...c.words, ...c.afterWords].map((w): [string, string] => [`${a} ${w}`, `${a} ${c.to}`])),
  ])
  const rewrites = phraseTable([...classEntries, ...Object.entries(data.rewrite)])
  const fillers = phraseTable(data.fillers.map((f) => [f, '']))

  /** Each word's folded tokens (shorthand expanded), remembered: most words recur in every text. */
  const folded = new Map<string, string[]>()
  /** Folded tokens with chat shorthand expanded, nothing else changed. */
  const expand = (text: string): string[] => {
    const out: string[] = []
    for (const t of lowerKeepMarks(text).split(/[^\p{L}\p{N}]+/u)) {
      if (t === '') continue
      let tokens = folded.get(t)
      if (tokens === undefined) {
        tokens = fold(shorthand.get(t) ?? t).split(' ').filter(Boolean)
        // Bounded: citizens' messages bring words without end (typos, names).
        if (folded.size >= FOLD_MEMO) folded.clear()
        folded.set(t, tokens)
      }
      for (const x of tokens) out.push(x)
    }
    return out
  }
  const canonical = (text: string): string[] => applyPhrases(expand(text), rewrites)
  const outside = phraseTable(data.outOfScope.map((f) => [f, OUTSIDE]))
  const placeTable = phraseTable(data.places.map((f) => [f, '']))
  const weakWords = new Set(data.weak.map((w) => fold(w)))
  /** Every word the lexicon itself knows: a typo is repaired towards these or the catalogue's. */
  const lexiconWords = new Set([rewrites, fillers, outside, placeTable]
    .flatMap((table) => [...table.values()].flatMap((list) => list.flatMap((e) => e.words))))
  return {
    canonical,
    analyze: (text) => applyPhrases(canonical(text), fillers),
    analyzeQuery: (text, isKnown = () => true) => {
      const known = (w: string): boolean => lexiconWords.has(w) || isKnown(w)
      const words: string[] = []
      const weights: number[] = []
      let outOfScope = false
      const parts_ = clauses(text)
      parts_.forEach((clause, index) => {
        const repaired = dropPaperQuestions(dropBesides(dropMoreThan(expand(clause))).map((w) => known(w) || /\d/.test(w)
          ? w
          : [...telexCandidates(w), ...syllableRepairs(w)].find(known) ?? w))
        // "… đăng ký kết hôn rồi, …": a clause ending in "rồi" tells what is already done — background.
        // So does "đã …" / "chưa …" in a clause before the last one ("chưa làm giấy kết hôn, giờ làm khai sinh").
        const weight = repaired.at(-1) === 'roi' || (repaired.at(-2) === 'roi' && /^(a|nha|ha|ma)$/.test(repaired.at(-1)!)) ||
          (index < parts_.length - 1 && isState(repaired))
          ? BACKGROUND
          : 1
        // "… có cần giấy xác nhận độc thân không": the papers one brings are not the procedure asked about.
        const doc = documentStart(repaired, index > 0)
        const parts: Array<[string[], number]> = doc < 0
          ? [[repaired, weight]]
          : [[repaired.slice(0, doc), weight], [repaired.slice(doc), weight * DOCUMENT]]
        for (const [tokens, w] of parts) {
          const marked = applyPhrases(applyPhrases(tokens, placeTable), outside)
          const outside_ = marked.includes(OUTSIDE)
          outOfScope ||= outside_
          const analysed = applyPhrases(applyPhrases(outside_ ? marked.filter((x) => x !== OUTSIDE) : marked, rewrites), fillers)
          for (const x of analysed) { words.push(x); weights.push(weakWords.has(x) ? w * WEAK : w) }
        }
      })
      return { words, weights, outOfScope }
    },
  }
}

/** Reads and validates `<dataDir>/lexicon.json`. */
export function loadLexicon (dataDir: string): Lexicon {
  const file = join(dataDir, 'lexicon.json')
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new CatalogueError(`${file}: ${(err as Error).message}`)
  }
  const parsed = lexiconSchema.safeParse(raw)
  if (!parsed.success) {
    throw new CatalogueError(parsed.error.issues.map((i) => `${file} field ${i.path.join('.')}: ${i.message}`).join('\n'))
  }
  return compileLexicon(parsed.data)
}
