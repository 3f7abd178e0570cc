import type { ZaloUserStore } from '../../src/db/zalo-store.ts'

const HOUR = 60 * 60 * 1000
/** Free replies are allowed this long after the user's last interaction with the OA. */
export const ZALO_FREE_WINDOW_MS = 48 * HOUR
/** Replies (billable after 48 h) are allowed this long after the last interaction; then only templates. */
export const ZALO_MAX_WINDOW_MS = 7 * 24 * HOUR

/**
 * Where a user stands in Zalo's window: `free` (< 48 h, free of charge), `paid` (48 h – 7 days,
 * billable), `closed` (> 7 days: only approved templates), `unknown` (never seen by this server).
 */
export type ZaloWindow = 'free' | 'paid' | 'closed' | 'unknown'

/** The window a user is in, given the last interaction time (epoch ms) and the current time. */
export function zaloWindow (lastInteractionAt: number | undefined, now: number): ZaloWindow {
  if (lastInteractionAt === undefined) return 'unknown'
  const age = now - lastInteractionAt
  if (age <= ZALO_FREE_WINDOW_MS) return 'free'
  if (age <= ZALO_MAX_WINDOW_MS) return 'paid'
  return 'closed'
}

/** Persisted last-interaction times of Zalo users (table `zalo_users`). */
export interface ZaloUsers {
  /** Records that the user just wrote to / followed the OA (persisted before it resolves). */
  touch (userId: string): Promise<void>
  /** Epoch ms of the user's last interaction, or undefined when never seen. */
  lastInteraction (userId: string): Promise<number | undefined>
  /** The user's current window (see ZaloWindow). */
  window (userId: string): Promise<ZaloWindow>
}

/** The users' last interactions over their store. */
export function createZaloUsers (options: { store: ZaloUserStore, now?: () => number }): ZaloUsers {
  const now = options.now ?? Date.now
  const { store } = options
  return {
    touch: (userId) => store.touch(userId, now()),
    lastInteraction: (userId) => store.lastInteraction(userId),
    window: async (userId) => zaloWindow(await store.lastInteraction(userId), now()),
  }
}
