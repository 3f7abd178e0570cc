import type { Lexicon } from '../catalogue/lexicon.ts'
import type { Procedure } from '../catalogue/schema.ts'
import { createProcedureSearch } from '../catalogue/search.ts'
import type { ProcedureSearch } from '../catalogue/types.ts'
import type { StaffAlias, StaffStore } from '../db/staff-store.ts'

/** A search engine whose staff-taught aliases can change while the bot runs. */
export interface LiveSearch extends ProcedureSearch {
  /** Rebuilds the engine from the catalogue plus these aliases (added to their procedures' aliases). */
  setAliases (aliases: readonly Pick<StaffAlias, 'procedureId' | 'alias'>[]): void
}

/**
 * The catalogue's search engine behind the {@link ProcedureSearch} interface, rebuilt in place when
 * staff aliases change, so the conversation and routes holding it see the new phrases at once.
 */
export function createLiveSearch (procedures: readonly Procedure[], lexicon: Lexicon): LiveSearch {
  // Built on first use or by the first setAliases (the server's start-up), so start-up builds it once.
  let engine: ProcedureSearch | undefined
  const current = (): ProcedureSearch => (engine ??= createProcedureSearch(procedures, lexicon))
  return {
    query: (q, o) => current().query(q, o),
    search: (q, o) => current().search(q, o),
    explain: (q) => current().explain(q),
    setAliases (aliases) {
      const extra = new Map<string, string[]>()
      for (const a of aliases) extra.set(a.procedureId, [...(extra.get(a.procedureId) ?? []), a.alias])
      const merged = procedures.map((p) => extra.has(p.id) ? { ...p, aliases: [...p.aliases, ...extra.get(p.id)!.filter((x) => !p.aliases.includes(x))] } : p)
      engine = createProcedureSearch(merged, lexicon)
    },
  }
}

/** Keeps a {@link LiveSearch} in step with the staff aliases in the database. */
export interface AliasSync {
  /** Reloads now if the aliases changed (call after a change on this instance). */
  refresh (): Promise<void>
  close (): Promise<void>
}

/**
 * Loads the staff aliases into `search`, then polls the store's alias version every `intervalMs`
 * (default 5 s) so other instances on the same PostgreSQL pick up changes made elsewhere.
 */
export async function startAliasSync (store: StaffStore, search: LiveSearch, options: { intervalMs?: number, onError?: (err: unknown) => void } = {}): Promise<AliasSync> {
  let version = ''
  let chain: Promise<void> = Promise.resolve()
  const load = async (): Promise<void> => {
    const v = await store.aliasVersion()
    if (v === version) return
    const aliases = await store.listAliases()
    search.setAliases(aliases)
    version = v
  }
  // Serialised: a refresh after a local change always reads after that change.
  const refresh = (): Promise<void> => {
    const next = chain.then(load, load)
    chain = next.catch(() => {})
    return next
  }
  await refresh()
  const timer = setInterval(() => { refresh().catch((err: unknown) => options.onError?.(err)) }, options.intervalMs ?? 5000)
  timer.unref()
  return {
    refresh,
    close: async () => { clearInterval(timer); await chain },
  }
}
