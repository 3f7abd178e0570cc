import { openJsonFile, type JsonFile } from '../../src/storage/json-file.ts'

/**
 * A bounded set of recently seen delivery ids (Telegram `update_id`, Zalo `msg_id`), used to answer a
 * re-delivered update only once. Optionally persisted so duplicates are still recognised after a restart.
 */
export interface RecentIds {
  /** Records `id`; returns false when it was already seen (the caller then drops the delivery). */
  add (id: string): boolean
  /** Writes the set to disk (no-op without a file). */
  flush (): Promise<void>
}

/** Options of createRecentIds. */
export interface RecentIdsOptions {
  /** How many ids to remember (oldest forgotten first). Default 10,000. */
  max?: number
  /** JSON file to persist the ids in; in memory only when absent. */
  file?: string
}

/** Opens (or creates) a recent-id set. */
export async function createRecentIds (options: RecentIdsOptions = {}): Promise<RecentIds> {
  const max = options.max ?? 10_000
  let store: JsonFile<{ ids: string[] }> | undefined
  const order: string[] = []
  if (options.file !== undefined) {
    store = await openJsonFile(options.file, { ids: [] as string[] })
    order.push(...store.data.ids.slice(-max))
  }
  const seen = new Set(order)
  return {
    add (id) {
      if (seen.has(id)) return false
      seen.add(id)
      order.push(id)
      // Trim in batches so the array is not shifted on every update.
      if (order.length > max * 1.1) {
        for (const old of order.splice(0, order.length - max)) seen.delete(old)
      }
      return true
    },
    async flush () {
      if (store === undefined) return
      store.data.ids = order.slice(-max)
      await store.write()
    },
  }
}
