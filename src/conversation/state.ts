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
  /** The last lines of the conversation, redacted: what a ticket to the desk starts with (issue 13). */
  transcript?: TranscriptLine[]
  /** Consecutive questions the bot could not answer; from the second one a person is offered. */
  misses?: number
  /** The satisfaction question was asked in this conversation (at most once per conversation). */
  surveyed?: boolean
  /** The answered satisfaction question whose optional comment the next typed message is. */
  commentFor?: number
  updatedAt: number
}

/** One line of a conversation as kept for staff: redacted like the unanswered log, short. */
export interface TranscriptLine {
  at: number
  from: 'citizen' | 'bot'
  text: string
}

/** Lines kept in the transcript (oldest dropped first). */
export const TRANSCRIPT_LINES = 12

/** Per-(channel, user) conversation state with idle expiry. */
export interface StateStore {
  get (channel: ChannelName, userId: string): Promise<ConversationState | undefined>
  set (channel: ChannelName, userId: string, state: ConversationState): Promise<void>
}

/** Conversations idle for longer than this start afresh. */
export const STATE_TTL_MS = 30 * 60 * 1000

const key = (channel: ChannelName, userId: string): string => `${channel}:${userId}`

/** In-memory store (tests, terminal chat); the server's is `createConversationStateStore(db)` in src/db. */
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
