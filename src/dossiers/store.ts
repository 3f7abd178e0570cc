import type { AuditEntry } from './audit.ts'
import type { Dossier } from './types.ts'

/**
 * Where dossiers live. The seam for a server database later: the service only uses these methods.
 * Objects returned by `get`/`list` are the store's own: treat them as read-only and `put` a new
 * object to change a dossier. `put` resolves once the write is durable.
 */
export interface DossierStore {
  get (code: string): Promise<Dossier | undefined>
  put (dossier: Dossier): Promise<void>
  /**
   * Optional (the database store): stores the dossier and appends its audit entry in one commit, so
   * neither is kept without the other and a write costs one durable commit, not two. The entry goes to
   * the audit table of the same database, the one `createAuditStore` reads.
   */
  putAudited? (dossier: Dossier, entry: AuditEntry): Promise<void>
  size (): Promise<number>
  list (): AsyncIterable<Dossier>
  close (): Promise<void>
}

/** In-memory store: the test fake, and a store for throw-away demos. */
export function createMemoryDossierStore (initial: readonly Dossier[] = []): DossierStore {
  const map = new Map<string, Dossier>(initial.map((d) => [d.code, structuredClone(d)]))
  return {
    get: async (code) => map.get(code),
    put: async (dossier) => { map.set(dossier.code, structuredClone(dossier)) },
    size: async () => map.size,
    async * list () { yield * [...map.values()] },
    close: async () => {},
  }
}
