import { join } from 'node:path'
import { openJsonFile } from '../storage/json-file.ts'
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
  list (limit?: number): { total: number, items: UnansweredEntry[], top: Array<{ text: string, count: number }> }
}

const MAX_KEPT = 5000

/**
 * Normalises a question for the staff log: folded (no tone marks), at most 200 characters, and any run of
 * 4+ digits masked, so phone numbers, ID numbers and codes typed by citizens are not stored.
 */
export function scrubQuestion (text: string): string {
  return fold(text).replace(/\d[\d ]{3,}\d|\d{4,}/g, '#').slice(0, 200)
}

/** lowdb-backed log in `<dataDir>/unanswered.json` (or memory when `dataDir` is undefined). */
export async function createUnansweredLog (dataDir: string | undefined, now: () => number = Date.now): Promise<UnansweredLog> {
  const file = dataDir === undefined
    ? { data: { entries: [] as UnansweredEntry[] }, write: async () => {} }
    : await openJsonFile(join(dataDir, 'unanswered.json'), { entries: [] as UnansweredEntry[] })
  return {
    async record (text, channel) {
      const clean = scrubQuestion(text)
      if (clean === '') return
      file.data.entries.push({ text: clean, channel, at: new Date(now()).toISOString() })
      if (file.data.entries.length > MAX_KEPT) file.data.entries.splice(0, file.data.entries.length - MAX_KEPT)
      await file.write()
    },
    list (limit = 100) {
      const entries = file.data.entries
      const counts = new Map<string, number>()
      for (const e of entries) counts.set(e.text, (counts.get(e.text) ?? 0) + 1)
      const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([text, count]) => ({ text, count }))
      return { total: entries.length, items: entries.slice(-limit).reverse(), top }
    },
  }
}
