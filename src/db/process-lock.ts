import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs'

/** Thrown when another live process holds the data directory. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
}

const held = new Set<string>()

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes `file` as this process's exclusive lock (created with O_EXCL, holding the pid). A lock file left by
 * a dead process is replaced; one held by a live process (or already by this one) throws
 * {@link DataDirLockedError}. Returns the release function.
 */
export function acquireProcessLock (file: string, what: string): () => void {
  if (held.has(file)) throw new DataDirLockedError(`${what} is already open in this process`)
  for (let tries = 0; ; tries++) {
    try {
      const fd = openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600)
      writeSync(fd, `${process.pid}\n`)
      fsyncSync(fd)
      closeSync(fd)
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 2) throw err
      let pid = NaN
      try { pid = Number.parseInt(readFileSync(file, 'utf8'), 10) } catch {}
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new DataDirLockedError(`${what} is in use by another process (pid ${pid}); ` +
          'run one server per DATA_DIR, or set DATABASE_URL to share a PostgreSQL database between instances')
      }
      try { unlinkSync(file) } catch {}
    }
  }
  held.add(file)
  return () => {
    if (!held.delete(file)) return
    try { unlinkSync(file) } catch {}
  }
}
