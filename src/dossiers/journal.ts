import { open, type FileHandle } from 'node:fs/promises'
import { DataError } from '../errors.ts'

/**
 * An append-only file of JSON lines. `append` resolves only once the line is on disk (fdatasync);
 * appends made while a flush is in progress are written and synced together (group commit).
 */
export interface Journal {
  append (record: unknown): Promise<void>
  /** Lines appended since opening (not counting the ones read at open). */
  readonly appended: number
  close (): Promise<void>
}

/** Result of reading a journal: its records and whether a torn (incomplete) last line was dropped. */
export interface JournalContents<T> {
  records: T[]
  tornTail: boolean
}

/**
 * Reads a journal, tolerating a torn last line (a crash mid-append): it is dropped and cut off the
 * file so later appends start on a clean line. Any other unreadable line throws.
 */
export async function readJournal<T> (file: string, options: { tailBytes?: number } = {}): Promise<JournalContents<T>> {
  let fh: FileHandle
  try {
    fh = await open(file, 'r+')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], tornTail: false }
    throw err
  }
  try {
    const size = (await fh.stat()).size
    const from = options.tailBytes !== undefined && size > options.tailBytes ? size - options.tailBytes : 0
    const chunk = Buffer.alloc(size - from)
    if (chunk.length > 0) await fh.read(chunk, 0, chunk.length, from)
    // Reading a tail: skip the (partial) line it starts in.
    const firstNl = chunk.indexOf(10)
    const buf = from === 0 ? chunk : chunk.subarray(firstNl === -1 ? chunk.length : firstNl + 1)
    const base = size - buf.length
    const records: T[] = []
    let start = 0
    while (start < buf.length) {
      const nl = buf.indexOf(10, start)
      const end = nl === -1 ? buf.length : nl
      const line = buf.subarray(start, end).toString('utf8')
      if (line.trim() !== '') {
        try {
          records.push(JSON.parse(line) as T)
        } catch {
          if (buf.subarray(end).toString('utf8').trim() !== '') throw new DataError(`${file}: unreadable line at byte ${base + start}`)
          await fh.truncate(base + start)
          await fh.datasync()
          return { records, tornTail: true }
        }
      }
      start = end + 1
    }
    if (buf.length > 0 && buf[buf.length - 1] !== 10) {
      // Complete last record without its newline: end the line so the next append starts clean.
      await fh.write('\n', size)
      await fh.datasync()
    }
    return { records, tornTail: false }
  } finally {
    await fh.close()
  }
}

/** Opens `file` for appending (creating it). */
export async function openJournal (file: string): Promise<Journal> {
  const fh = await open(file, 'a')
  let pending: Array<{ line: string, resolve: () => void, reject: (e: Error) => void }> = []
  let flushing: Promise<void> | null = null
  let appended = 0
  let closed = false

  const flush = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending
      pending = []
      try {
        await fh.appendFile(batch.map((b) => b.line).join(''))
        await fh.datasync()
        appended += batch.length
        for (const b of batch) b.resolve()
      } catch (err) {
        for (const b of batch) b.reject(err as Error)
      }
    }
    // Reset in the same tick as the last emptiness check, so no append is left without a flush.
    flushing = null
  }

  return {
    get appended () { return appended },
    append (record) {
      if (closed) return Promise.reject(new Error('journal closed'))
      const line = `${JSON.stringify(record)}\n`
      return new Promise<void>((resolve, reject) => {
        pending.push({ line, resolve, reject })
        flushing ??= flush()
      })
    },
    async close () {
      closed = true
      for (let f = flushing; f !== null; f = flushing) await f
      await fh.close()
    },
  }
}
