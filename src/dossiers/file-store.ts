import { mkdir, open, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { openJsonFile, type JsonFile } from '../storage/json-file.ts'
import { openJournal, readJournal, type Journal } from './journal.ts'
import type { DossierStore } from './store.ts'
import type { Dossier } from './types.ts'

/** `dossiers.json`: which journals are not yet in the snapshot shards, and how many shards there are. */
interface Manifest { version: 2, journal: number, shards: number }
interface Shard { dossiers: Dossier[] }
interface JournalRecord { op: 'put', d: Dossier }

/** Tuning of the file store; the defaults suit the server. */
export interface FileStoreOptions {
  /** Compact (rewrite changed shards, start a new journal) after this many journal lines. */
  compactAfter?: number
  /** Number of snapshot shards for a new store (an existing store keeps its own). */
  shards?: number
  /** Called when a background compaction fails (the journal still holds every write). */
  onError?: (err: unknown) => void
}

/** The file store plus operational extras used by the bench and tests. */
export interface FileDossierStore extends DossierStore {
  /** Writes every change acknowledged before the call into the snapshot and drops old journals. */
  compact (): Promise<void>
  /** What happened at open: records loaded from the snapshot, replayed from journals, torn lines dropped. */
  readonly loadStats: { snapshot: number, replayed: number, tornTail: boolean }
}

const JOURNAL = /^dossiers\.(\d+)\.jsonl$/

/** FNV-1a: a stable shard for a code. */
function shardOf (code: string, shards: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 0x01000193)
  return (h >>> 0) % shards
}

async function fsyncPath (path: string): Promise<void> {
  const fh = await open(path, 'r')
  try { await fh.sync() } finally { await fh.close() }
}

/**
 * The default dossier store, in `dir`: an in-memory index over a lowdb snapshot split into shards
 * (`dossiers-<n>.json`, listed by the manifest `dossiers.json`) plus an append-only journal
 * (`dossiers.<generation>.jsonl`). A `put` is acknowledged once its journal line is fsync'd
 * (concurrent puts share one fsync). Open = shards + replay of the journals the manifest names (a
 * torn last line from a crash is dropped), then a background compaction. Compaction switches to a
 * new journal, rewrites the shards changed since the last one (atomic replace + fsync, yielding
 * between shards), then the manifest, then deletes old journals: a crash at any point leaves a
 * snapshot and journals that replay to the same state.
 */
export async function openFileDossierStore (dir: string, options: FileStoreOptions = {}): Promise<FileDossierStore> {
  const compactAfter = options.compactAfter ?? 20_000
  await mkdir(dir, { recursive: true })
  const manifestFile = join(dir, 'dossiers.json')
  const manifest = await openJsonFile<Manifest>(manifestFile, { version: 2, journal: 0, shards: options.shards ?? 32 })
  const count = manifest.data.shards
  const shardPath = (i: number): string => join(dir, `dossiers-${String(i).padStart(3, '0')}.json`)
  const maps: Array<Map<string, Dossier>> = []
  const files: Array<JsonFile<Shard>> = []
  for (let i = 0; i < count; i++) {
    const file = await openJsonFile<Shard>(shardPath(i), { dossiers: [] })
    maps.push(new Map(file.data.dossiers.map((d) => [d.code, d])))
    file.data = { dossiers: [] }
    files.push(file)
  }
  const mapOf = (code: string): Map<string, Dossier> => maps[shardOf(code, count)] as Map<string, Dossier>
  let dirty = new Set<number>()
  const loadStats = { snapshot: maps.reduce((n, m) => n + m.size, 0), replayed: 0, tornTail: false }

  let gen = manifest.data.journal
  const journalPath = (g: number): string => join(dir, `dossiers.${g}.jsonl`)
  const found = (await readdir(dir)).map((f) => JOURNAL.exec(f)?.[1]).filter((g) => g !== undefined).map(Number).sort((a, b) => a - b)
  for (const g of found) {
    if (g < gen) { await unlink(journalPath(g)); continue }
    const { records, tornTail } = await readJournal<JournalRecord>(journalPath(g))
    for (const r of records) {
      if (r.op !== 'put') continue
      mapOf(r.d.code).set(r.d.code, r.d)
      dirty.add(shardOf(r.d.code, count))
    }
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
    const toWrite = [...dirty].sort((a, b) => a - b)
    dirty = new Set()
    try {
      for (const i of toWrite) {
        const file = files[i] as JsonFile<Shard>
        file.data = { dossiers: [...(maps[i] as Map<string, Dossier>).values()] }
        try { await file.write() } finally { file.data = { dossiers: [] } }
        await fsyncPath(shardPath(i))
        await yieldToLoop()
      }
      manifest.data = { version: 2, journal: next, shards: count }
      await manifest.write()
      await fsyncPath(manifestFile)
      await fsyncPath(dir)
    } catch (err) {
      for (const i of toWrite) dirty.add(i)
      throw err
    }
    const stale = (await readdir(dir)).map((f) => JOURNAL.exec(f)?.[1]).filter((g) => g !== undefined).map(Number)
    for (const g of stale) if (g < next) await unlink(journalPath(g)).catch(() => {})
  }
  const compact = async (): Promise<void> => {
    for (let c = compacting; c !== null; c = compacting) await c.catch(() => {})
    const run = doCompact().finally(() => { compacting = null })
    compacting = run
    return run
  }

  // Fold the replayed journal into the snapshot in the background: start-up does not wait for it.
  if (loadStats.replayed > 0) compact().catch((err: unknown) => options.onError?.(err))

  return {
    loadStats,
    get: async (code) => mapOf(code).get(code),
    async put (dossier) {
      if (closed) throw new Error('dossier store closed')
      const copy = structuredClone(dossier)
      await journal.append({ op: 'put', d: copy } satisfies JournalRecord)
      mapOf(copy.code).set(copy.code, copy)
      dirty.add(shardOf(copy.code, count))
      if (journal.appended >= compactAfter && compacting === null) compact().catch((err: unknown) => options.onError?.(err))
    },
    size: async () => maps.reduce((n, m) => n + m.size, 0),
    async * list () { for (const m of maps) yield * [...m.values()] },
    compact,
    async close () {
      if (closed) return
      closed = true
      for (let c = compacting; c !== null; c = compacting) await c.catch(() => {})
      await journal.close()
    },
  }
}
