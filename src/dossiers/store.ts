import type { ChannelName } from '../conversation/types.ts'
import type { AuditEntry } from './audit.ts'
import type { Dossier } from './types.ts'

/**
 * Where dossiers live. The seam for a server database later: the service only uses these methods.
 * Objects returned by `get`/`list` are the store's own: treat them as read-only and `put` a new
 * object to change a dossier. `put` resolves once the write is durable.
 */
export interface DossierStore {
  get (code: string): Promise<Dossier | undefined>
  /** Codes ending in `-<suffix>` (a code typed without its agency id, "261207-0003"), at most `limit`. */
  findBySuffix (suffix: string, limit: number): Promise<string[]>
  /**
   * Stores the dossier. `subscribers: true` when its subscribers changed (subscribe, unsubscribe): the
   * index behind `subscriptionsOf` is rewritten in the same transaction; other writes keep the subscribers
   * they read and leave the index alone (one statement).
   */
  put (dossier: Dossier, options?: { subscribers?: boolean }): Promise<void>
  /**
   * Optional (the database store): stores the dossier and appends its audit entry in one commit, so
   * neither is kept without the other and a write costs one durable commit, not two. The entry goes to
   * the audit table of the same database, the one `createAuditStore` reads. `subscribers` as for `put`.
   */
  putAudited? (dossier: Dossier, entry: AuditEntry, options?: { subscribers?: boolean }): Promise<void>
  size (): Promise<number>
  list (): AsyncIterable<Dossier>
  /** Codes of the dossiers a chat user is subscribed to ("hủy thông báo" without a code). */
  subscriptionsOf (channel: ChannelName, userId: string): Promise<string[]>
  close (): Promise<void>
}

/** In-memory store: the test fake, and a store for throw-away demos. */
export function createMemoryDossierStore (initial: readonly Dossier[] = []): DossierStore {
  const map = new Map<string, Dossier>(initial.map((d) => [d.code, structuredClone(d)]))
  return {
    get: async (code) => map.get(code),
    findBySuffix: async (suffix, limit) => [...map.keys()].filter((c) => c.endsWith(`-${suffix}`)).sort().slice(0, limit),
    put: async (dossier) => { map.set(dossier.code, structuredClone(dossier)) },
    size: async () => map.size,
    async * list () { yield * [...map.values()] },
    subscriptionsOf: async (channel, userId) => [...map.values()]
      .filter((d) => d.subscribers.some((s) => s.channel === channel && s.userId === userId)).map((d) => d.code).sort(),
    close: async () => {},
  }
}
