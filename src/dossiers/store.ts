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
  put (dossier: Dossier): Promise<void>
  size (): Promise<number>
  list (): AsyncIterable<Dossier>
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
    close: async () => {},
  }
}
