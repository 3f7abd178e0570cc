import { join } from 'node:path'
import { openJsonFile, type JsonFile } from '../storage/json-file.ts'
import type { ChannelName } from './types.ts'

/** What the bot remembers of one conversation between two messages. */
export interface ConversationState {
  /** Procedure the citizen is looking at (for "phí bao nhiêu?"). */
  procedureId?: string
  /** Procedure ids offered as the last numbered choice (for "cái thứ hai", "2"). */
  choices?: string[]
  /** Dossier code waiting for its second factor (lookup code / last 4 phone digits). */
  awaitingFactorFor?: string
  /** Last dossier code looked up (for the subscribe button and follow-ups). */
  dossierCode?: string
  updatedAt: number
}

/** Per-(channel, user) conversation state with idle expiry. */
export interface StateStore {
  get (channel: ChannelName, userId: string): Promise<ConversationState | undefined>
  set (channel: ChannelName, userId: string, state: ConversationState): Promise<void>
}

/** Conversations idle for longer than this start afresh. */
export const STATE_TTL_MS = 30 * 60 * 1000

const key = (channel: ChannelName, userId: string): string => `${channel}:${userId}`

/** In-memory store (tests, terminal chat). */
export function createMemoryStateStore (now: () => number = Date.now): StateStore {
  const map = new Map<string, ConversationState>()
  return {
    async get (channel, userId) {
      const s = map.get(key(channel, userId))
      return s !== undefined && now() - s.updatedAt <= STATE_TTL_MS ? s : undefined
    },
    async set (channel, userId, state) { map.set(key(channel, userId), state) },
  }
}

/**
 * lowdb-backed store in `<dataDir>/conversations.json`. Expired conversations are pruned on write, so the
 * file holds only the last 30 minutes of activity; writes are atomic, coalesced by lowdb, and not awaited.
 */
export async function createFileStateStore (dataDir: string, now: () => number = Date.now): Promise<StateStore> {
  const file: JsonFile<{ conversations: Record<string, ConversationState> }> =
    await openJsonFile(join(dataDir, 'conversations.json'), { conversations: {} })
  let lastPrune = 0
  return {
    async get (channel, userId) {
      const s = file.data.conversations[key(channel, userId)]
      return s !== undefined && now() - s.updatedAt <= STATE_TTL_MS ? s : undefined
    },
    async set (channel, userId, state) {
      const t = now()
      file.data.conversations[key(channel, userId)] = state
      if (t - lastPrune > 60_000) {
        lastPrune = t
        for (const [k, s] of Object.entries(file.data.conversations)) {
          if (t - s.updatedAt > STATE_TTL_MS) delete file.data.conversations[k]
        }
      }
      // Write-behind: conversation context is convenience state, so the reply does not wait for the disk;
      // lowdb coalesces concurrent writes and the next write retries a failed one.
      file.write().catch(() => {})
    },
  }
}
