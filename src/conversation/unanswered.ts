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
  list (limit?: number): Promise<{ total: number, items: UnansweredEntry[], top: Array<{ text: string, count: number }> }>
}

const MAX_KEPT = 5000

/**
 * Prepares a question for the staff log: as typed (tone marks kept), at most 300 characters, with phone
 * numbers, dossier and lookup codes, ID numbers and names redacted (see {@link redactPersonal}).
 */
export function scrubQuestion (text: string): string {
  return redactPersonal(text).slice(0, 300)
}

/** In-memory log (tests, terminal chat); the server's is `createUnansweredStore(db)` in src/db. */
export function createMemoryUnansweredLog (now: () => number = Date.now): UnansweredLog {
  const entries: UnansweredEntry[] = []
  return {
    async record (text, channel, more = {}) {
      const clean = scrubQuestion(text)
      if (clean === '') return
      entries.push({ text: clean, channel, at: new Date(now()).toISOString(), ...more })
      if (entries.length > MAX_KEPT) entries.splice(0, entries.length - MAX_KEPT)
    },
    async list (limit = 100) {
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
