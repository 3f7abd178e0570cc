import SQLite from 'better-sqlite3'
import pg from 'pg'

/** One statement sent to a database: its SQL text and parameters. */
export interface SentStatement { sql: string, parameters: unknown[] }

/**
 * Records every statement sent to either engine while `fn` runs (SQLite: each run of a prepared
 * statement; PostgreSQL: each `query`, i.e. one round trip). Observes the drivers' query methods for
 * the duration only; nothing is changed or faked.
 */
export async function captureStatements (fn: () => Promise<unknown>): Promise<SentStatement[]> {
  const sent: SentStatement[] = []
  const restore: Array<() => void> = []
  const observe = (proto: Record<string, unknown>, method: string, read: (self: unknown, args: unknown[]) => SentStatement): void => {
    const original = proto[method] as (...args: unknown[]) => unknown
    proto[method] = function (this: unknown, ...args: unknown[]) {
      sent.push(read(this, args))
      return original.apply(this, args)
    }
    restore.push(() => { proto[method] = original })
  }
  const memory = new SQLite(':memory:')
  const statementProto = Object.getPrototypeOf(memory.prepare('SELECT 1')) as Record<string, unknown>
  for (const m of ['all', 'get', 'run', 'iterate']) {
    observe(statementProto, m, (self, args) => ({ sql: (self as SQLite.Statement).source, parameters: Array.isArray(args[0]) ? args[0] : args }))
  }
  observe(pg.Client.prototype as unknown as Record<string, unknown>, 'query', (_self, args) => {
    const [q, values] = args as [string | { text: string, values?: unknown[] }, unknown[] | undefined]
    return typeof q === 'string' ? { sql: q, parameters: values ?? [] } : { sql: q.text, parameters: q.values ?? [] }
  })
  try {
    await fn()
  } finally {
    for (const r of restore.reverse()) r()
    memory.close()
  }
  return sent
}
