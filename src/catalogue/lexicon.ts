import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { CatalogueError } from '../errors.ts'
import { fold, lowerKeepMarks } from './normalize.ts'

const lexiconSchema = z.object({
  about: z.string().optional(),
  /** Chat shorthand and dialect, keyed by the lower-case token as typed (tone marks kept). */
  shorthand: z.record(z.string().min(1), z.string().min(1)),
  /** Phrases with no meaning for search ("cho em hỏi", "ạ"); removed after rewriting. */
  fillers: z.array(z.string().min(1)),
  /** Everyday phrase → catalogue phrase, applied to queries and catalogue text alike. */
  rewrite: z.record(z.string().min(1), z.string()),
})

export type LexiconData = z.infer<typeof lexiconSchema>

type PhraseTable = Map<string, Array<{ words: string[], to: string[] }>>

/** Compiled lexicon: turns any text into the token list that the index and the queries share. */
export interface Lexicon {
  /** Folded tokens after shorthand, rewriting and filler removal. */
  analyze (text: string): string[]
  /** Folded tokens after shorthand and rewriting, fillers kept (for display and intent detection). */
  canonical (text: string): string[]
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

/** Compiles lexicon data (exported for tests). */
export function compileLexicon (data: LexiconData): Lexicon {
  const shorthand = new Map(Object.entries(data.shorthand).map(([k, v]) => [lowerKeepMarks(k), v]))
  const rewrites = phraseTable(Object.entries(data.rewrite))
  const fillers = phraseTable(data.fillers.map((f) => [f, '']))

  const canonical = (text: string): string[] => {
    const raw = lowerKeepMarks(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean)
    const expanded = raw.map((t) => shorthand.get(t) ?? t).join(' ')
    return applyPhrases(fold(expanded).split(' ').filter(Boolean), rewrites)
  }
  return {
    canonical,
    analyze: (text) => applyPhrases(canonical(text), fillers),
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
