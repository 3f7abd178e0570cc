import { join } from 'node:path'
import { openJsonFile } from '../storage/json-file.ts'
import { fold } from '../catalogue/normalize.ts'
import type { ChannelName } from './types.ts'
import { redactPersonal } from './redact.ts'

/** Why the bot could not answer (what staff should teach it). */
export type UnansweredReason = 'not-found' | 'which-procedure' | 'no-info' | 'complaint'

/** A question the bot could not answer, kept for staff without personal data. */
export interface UnansweredEntry {
  text: string
  channel: ChannelName
  at: string
  reason?: UnansweredReason
  /** The procedure the citizen was looking at, for `no-info` follow-ups. */
  procedureId?: string
}

export interface UnansweredLog {
  record (text: string, channel: ChannelName, more?: { reason?: UnansweredReason, procedureId?: string }): Promise<void>
  /** Most recent first, plus counts of identical normalised questions. */
  list (limit?: number): { total: number, items: UnansweredEntry[], top: Array<{ text: string, count: number }> }
}

const MAX_KEPT = 5000

/**
 * Prepares a question for the staff log: as typed (tone marks kept), at most 300 characters, with phone
 * numbers, dossier and lookup codes, ID numbers and names redacted (see {@link redactPersonal}).
 */
export function scrubQuestion (text: string): string {
  return redactPersonal(text).slice(0, 300)
}

/** lowdb-backed log in `<dataDir>/unanswered.json` (or memory when `dataDir` is undefined). */
export async function createUnansweredLog (dataDir: string | undefined, now: () => number = Date.now): Promise<UnansweredLog> {
  const file = dataDir === undefined
    ? { data: { entries: [] as UnansweredEntry[] }, write: async () => {} }
    : await openJsonFile(join(dataDir, 'unanswered.json'), { entries: [] as UnansweredEntry[] })
  return {
    async record (text, channel, more = {}) {
      const clean = scrubQuestion(text)
      if (clean === '') return
      file.data.entries.push({ text: clean, channel, at: new Date(now()).toISOString(), ...more })
      if (file.data.entries.length > MAX_KEPT) file.data.entries.splice(0, file.data.entries.length - MAX_KEPT)
      await file.write()
    },
    list (limit = 100) {
      const entries = file.data.entries
      const counts = new Map<string, number>()
      // Questions typed with and without tone marks count as one.
      const shown = new Map<string, string>()
      for (const e of entries) {
        const k = fold(e.text)
        counts.set(k, (counts.get(k) ?? 0) + 1)
        if (!shown.has(k)) shown.set(k, e.text)
      }
      const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, count]) => ({ text: shown.get(k)!, count }))
      return { total: entries.length, items: entries.slice(-limit).reverse(), top }
    },
  }
}
