import { mkdirSync, openSync, fsyncSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { Low } from 'lowdb'
import { DataFile } from 'lowdb/node'
import type { Db } from '../db/connect.ts'

/**
 * What the city's staff set on top of the shipped catalogue: extra aliases per procedure, local phone
 * numbers, hotlines and hours per office, fee amounts per procedure. A small human-readable document,
 * not traffic-sized data. Office keys are `<unit id>/<office kind>` (src/catalogue/contacts.ts).
 */
export interface OverlayDoc {
  version: 1
  aliases: Record<string, string[]>
  phones: Record<string, string>
  /** Hotline per office key (issue 13). */
  hotlines: Record<string, string>
  /** Opening hours per office key, replacing offices.json's (issue 13). */
  hours: Record<string, string>
  fees: Record<string, string>
}

/** Reads and replaces the overlay document. */
export interface CatalogueOverlay {
  read (): Promise<OverlayDoc>
  /** Replaces the document; resolves once it is durable. */
  write (doc: OverlayDoc): Promise<void>
}

/** File name of the overlay in DATA_DIR. */
export const OVERLAY_FILE = 'catalogue-overlay.json'
const empty = (): OverlayDoc => ({ version: 1, aliases: {}, phones: {}, hotlines: {}, hours: {}, fees: {} })

function fsyncPath (path: string): void {
  const fd = openSync(path, 'r')
  try { fsyncSync(fd) } finally { closeSync(fd) }
}

/** The overlay as a JSON document in DATA_DIR (lowdb: temp file + rename, then fsync of file and folder). The only lowdb user. */
async function openFileOverlay (dataDir: string): Promise<CatalogueOverlay> {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, OVERLAY_FILE)
  const db = new Low<OverlayDoc>(new DataFile<OverlayDoc>(file, { parse: (s) => JSON.parse(s) as OverlayDoc, stringify: (d) => `${JSON.stringify(d, null, 2)}\n` }), empty())
  await db.read()
  return {
    async read () { return { ...empty(), ...structuredClone(db.data) } },
    async write (doc) {
      db.data = structuredClone(doc)
      await db.write()
      fsyncPath(file)
      fsyncPath(dataDir)
    },
  }
}

/**
 * Opens the catalogue overlay: the JSON document `<dataDir>/catalogue-overlay.json` with the embedded
 * engine; with PostgreSQL the `catalogue_overlay` row, seeded once from that file when it exists.
 */
export async function openCatalogueOverlay (dataDir: string, db: Db): Promise<CatalogueOverlay> {
  const file = await openFileOverlay(dataDir)
  if (db.engine !== 'postgres') return file
  const k = db.kysely
  const existing = await k.selectFrom('catalogue_overlay').select('doc').where('id', '=', 1).executeTakeFirst()
  if (existing === undefined) {
    await k.insertInto('catalogue_overlay').values({ id: 1, doc: JSON.stringify(await file.read()), updated_at: Date.now() })
      .onConflict((oc) => oc.column('id').doNothing()).execute()
  }
  return {
    async read () {
      const r = await k.selectFrom('catalogue_overlay').select('doc').where('id', '=', 1).executeTakeFirst()
      return { ...empty(), ...(r === undefined ? {} : JSON.parse(r.doc) as Partial<OverlayDoc>) }
    },
    async write (doc) {
      await k.insertInto('catalogue_overlay').values({ id: 1, doc: JSON.stringify(doc), updated_at: Date.now() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ doc: JSON.stringify(doc), updated_at: Date.now() })).execute()
    },
  }
}
