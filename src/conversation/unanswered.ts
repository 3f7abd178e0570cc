import { fold } from '../catalogue/normalize.ts'
import type { ChannelName } from './types.ts'

/** A question the bot could not answer, kept for staff without personal data. */
export interface UnansweredEntry {
  text: string
  channel: ChannelName
  at: string
}

export interface UnansweredLog {
  record (text: string, channel: ChannelName): Promise<void>
  /** Most recent first, plus counts of identical normalised questions. */
  list (limit?: number): Promise<{ total: number, items: UnansweredEntry[], top: Array<{ text: string, count: number }> }>
}

const MAX_KEPT = 5000

/**
 * Normalises a question for the staff log: folded (no tone marks), at most 200 characters, and any run of
 * 4+ digits masked, so phone numbers, ID numbers and codes typed by citizens are not stored.
 */
export function scrubQuestion (text: string): string {
  return fold(text).replace(/\d[\d ]{3,}\d|\d{4,}/g, '#').slice(0, 200)
}

/** In-memory log (tests, terminal chat); the server's is `createUnansweredStore(db)` in src/db. */
export function createMemoryUnansweredLog (now: () => number = Date.now): UnansweredLog {
  const entries: UnansweredEntry[] = []
  return {
    async record (text, channel) {
      const clean = scrubQuestion(text)
      if (clean === '') return
      entries.push({ text: clean, channel, at: new Date(now()).toISOString() })
      if (entries.length > MAX_KEPT) entries.splice(0, entries.length - MAX_KEPT)
    },
    async list (limit = 100) {
      const counts = new Map<string, number>()
      for (const e of entries) counts.set(e.text, (counts.get(e.text) ?? 0) + 1)
      const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 20).map(([text, count]) => ({ text, count }))
      return { total: entries.length, items: entries.slice(-limit).reverse(), top }
    },
  }
}
