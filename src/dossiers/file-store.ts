import { mkdir, open, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { openJsonFile } from '../storage/json-file.ts'
import { openJournal, readJournal, type Journal } from './journal.ts'
import type { DossierStore } from './store.ts'
import type { Dossier } from './types.ts'

interface Snapshot {
  version: 1
  /** Generation of the first journal not contained in this snapshot. */
  journal: number
  dossiers: Dossier[]
}
interface JournalRecord { op: 'put', d: Dossier }

export interface FileStoreOptions {
  /** Compact (rewrite the snapshot, start a new journal) after this many journal lines. */
  compactAfter?: number
  /** Called when a background compaction fails (the journal still holds every write). */
  onError?: (err: unknown) => void
}

/** The file store plus operational extras used by the bench and tests. */
export interface FileDossierStore extends DossierStore {
  /** Rewrites the snapshot from memory (every write acknowledged before the call) and drops old journals. */
  compact (): Promise<void>
  /** What happened at open: records loaded from the snapshot, replayed from journals, torn lines dropped. */
  readonly loadStats: { snapshot: number, replayed: number, tornTail: boolean }
}

const JOURNAL = /^dossiers\.(\d+)\.jsonl$/

async function fsyncPath (path: string): Promise<void> {
  const fh = await open(path, 'r')
  try { await fh.sync() } finally { await fh.close() }
}

/**
 * The default dossier store, in `dir`: an in-memory index over a lowdb snapshot (`dossiers.json`)
 * plus an append-only journal (`dossiers.<generation>.jsonl`). A `put` is acknowledged once its
 * journal line is fsync'd (concurrent puts share one fsync). Open = snapshot + replay of newer
 * journals (a torn last line from a crash is dropped), then compaction. Compaction swaps to a new
 * journal, writes the snapshot atomically (temp file + rename, then fsync), then deletes old journals.
 */
export async function openFileDossierStore (dir: string, options: FileStoreOptions = {}): Promise<FileDossierStore> {
  const compactAfter = options.compactAfter ?? 20_000
  await mkdir(dir, { recursive: true })
  const snapFile = join(dir, 'dossiers.json')
  const snap = await openJsonFile<Snapshot>(snapFile, { version: 1, journal: 0, dossiers: [] })
  const map = new Map<string, Dossier>()
  for (const d of snap.data.dossiers) map.set(d.code, d)
  const loadStats = { snapshot: map.size, replayed: 0, tornTail: false }
  let gen = snap.data.journal
  snap.data = { version: 1, journal: gen, dossiers: [] }

  const journalPath = (g: number): string => join(dir, `dossiers.${g}.jsonl`)
  const gens = (await readdir(dir)).map((f) => JOURNAL.exec(f)?.[1]).filter((g) => g !== undefined).map(Number).sort((a, b) => a - b)
  for (const g of gens) {
    if (g < gen) { await unlink(journalPath(g)); continue }
    const { records, tornTail } = await readJournal<JournalRecord>(journalPath(g))
    for (const r of records) if (r.op === 'put') map.set(r.d.code, r.d)
    loadStats.replayed += records.length
    loadStats.tornTail ||= tornTail
    gen = g
  }

  let journal: Journal = await openJournal(journalPath(gen))
  let compacting: Promise<void> | null = null
  let closed = false

  const doCompact = async (): Promise<void> => {
    const next = gen + 1
    const fresh = await openJournal(journalPath(next))
    const old = journal
    journal = fresh
    gen = next
    await old.close()
    snap.data = { version: 1, journal: next, dossiers: [...map.values()] }
    try {
      await snap.write()
    } finally {
      snap.data = { version: 1, journal: next, dossiers: [] }
    }
    await fsyncPath(snapFile)
    await fsyncPath(dir)
    for (const g of gens.concat(next - 1)) if (g < next) await unlink(journalPath(g)).catch(() => {})
  }
  /** Runs a full compaction (after any compaction already running). */
  const compact = async (): Promise<void> => {
    while (compacting !== null) await compacting.catch(() => {})
    const run = doCompact().finally(() => { compacting = null })
    compacting = run
    return run
  }

  if (loadStats.replayed > 0 || loadStats.tornTail) await compact()

  return {
    loadStats,
    get: async (code) => map.get(code),
    async put (dossier) {
      if (closed) throw new Error('dossier store closed')
      const copy = structuredClone(dossier)
      await journal.append({ op: 'put', d: copy } satisfies JournalRecord)
      map.set(copy.code, copy)
      if (journal.appended >= compactAfter && compacting === null) void compact().catch((err: unknown) => options.onError?.(err))
    },
    size: async () => map.size,
    async * list () { yield * [...map.values()] },
    compact,
    async close () {
      if (closed) return
      closed = true
      if (compacting !== null) await compacting.catch(() => {})
      await journal.close()
    },
  }
}
