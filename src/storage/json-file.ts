import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Low } from 'lowdb'
import { DataFile } from 'lowdb/node'

/**
 * A JSON document on disk (lowdb). The only file that imports lowdb.
 * Writes are atomic (temporary file + rename, via lowdb's steno writer) and coalesced: concurrent
 * `write()` calls resolve once a write containing their change is on disk.
 */
export interface JsonFile<T> {
  data: T
  write (): Promise<void>
}

/** Opens (creating if missing) the JSON document at `file`; `defaults` seeds a missing or empty file. */
export async function openJsonFile<T extends object> (file: string, defaults: T): Promise<JsonFile<T>> {
  mkdirSync(dirname(file), { recursive: true })
  const adapter = new DataFile<T>(file, {
    parse: (s) => JSON.parse(s) as T,
    stringify: (d) => JSON.stringify(d),
  })
  const db = new Low<T>(adapter, defaults)
  await db.read()
  if (db.data === null || typeof db.data !== 'object') db.data = structuredClone(defaults)
  else db.data = { ...structuredClone(defaults), ...db.data }
  return {
    get data () { return db.data },
    set data (v: T) { db.data = v },
    write: () => db.write(),
  }
}
