import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql, type Compilable, type LogEvent, type SqliteDatabase } from 'kysely'
import { migrateToLatest } from './migrations.ts'
import { acquireProcessLock } from './process-lock.ts'
import type { Database } from './schema.ts'

/** Which engine a database runs on. */
export type Engine = 'sqlite' | 'postgres'

/** An open database: the query layer, its engine and a way to close it. */
export interface Db {
  kysely: Kysely<Database>
  engine: Engine
  /** `sqlite:<file>` or `postgres://host/db` (no password): for start-up logs. */
  description: string
  /**
   * A query built once (with placeholder values) and run many times with new parameters, in the order
   * the built query holds them. For hot single-statement reads: nothing is built or compiled per call;
   * SQLite reuses the prepared statement, PostgreSQL a named prepared statement (parsed and planned once
   * per connection; one round trip per call). Runs outside any transaction. Select named columns: on
   * PostgreSQL a prepared `select *` fails once a migration adds a column to the table.
   */
  prepare<R> (query: Compilable<R>): Prepared<R>
  /**
   * Runs `fn` with commits that need not survive a power failure: for state whose loss costs nothing but
   * a repeated question (conversation state, the staff's unanswered log, claims that are cleared at start),
   * never for acknowledged writes (dossiers, audit, queued messages, seen update ids). Such a commit
   * survives a crash or kill of the server process, but not of the machine before the next full commit.
   * SQLite: `synchronous = NORMAL` for these commits (WAL: no fsync; the next FULL commit or checkpoint
   * makes them durable too), under the connection's lock so no other query sees the setting.
   * PostgreSQL: a transaction with `synchronous_commit = off` (no wait for the WAL flush).
   * Without it every chat message paid an fsync (66% of the chat API's CPU time under load).
   */
  relaxed<T> (fn: (db: Kysely<Database>) => Promise<T>): Promise<T>
  close (): Promise<void>
}

/** A prepared query: runs with these parameters and returns its rows. */
export type Prepared<R> = (parameters: readonly unknown[]) => Promise<R[]>

/** Where the database is. */
export interface OpenDatabaseOptions {
  /** `config.dataDir`: the SQLite file is `<dataDir>/tgtt.sqlite` (ignored with `databaseUrl`). */
  dataDir: string
  /** `postgres://…`: use PostgreSQL instead of the embedded SQLite file. */
  databaseUrl?: string
  /** PostgreSQL schema to work in (tests use one per file); created if missing. Default: the server's search_path. */
  pgSchema?: string
  /** Run the migrations (default true). */
  migrate?: boolean
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number
  /** Called with every statement run (its SQL and parameters), e.g. to see what a code path costs. */
  onQuery?: (query: { sql: string, parameters: readonly unknown[] }) => void
}

/** File name of the embedded database inside DATA_DIR. */
export const SQLITE_FILE = 'tgtt.sqlite'

// int8 (bigint) columns hold epoch milliseconds and counts: numbers, not strings.
const INT8 = 20
const pgTypes = (pg: typeof import('pg').default) => ({
  getTypeParser: ((oid: number, format?: string) => oid === INT8 ? (v: string) => Number(v) : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format)) as never,
})

const logOption = ({ onQuery }: OpenDatabaseOptions): { log?: (event: LogEvent) => void } =>
  onQuery === undefined ? {} : { log: (event) => onQuery({ sql: event.query.sql, parameters: event.query.parameters }) }

/** Statements kept prepared on the SQLite connection (queries of the code; bulk inserts vary in row count). */
const STATEMENT_CACHE = 200

/**
 * The SQLite connection as Kysely sees it, with its statements kept prepared: Kysely's driver prepares
 * the SQL text on every call, and parsing and planning it again costs more than a primary-key read.
 * Safe to share: Kysely runs one statement at a time on the single connection (its mutex), and a
 * statement is reset before each run. Oldest first out when full.
 */
function cachingStatements (sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>()
  return {
    prepare (text: string) {
      let statement = cache.get(text)
      if (statement === undefined) {
        statement = sqlite.prepare(text)
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string)
        cache.set(text, statement)
      }
      return statement
    },
    close: () => sqlite.close(),
  }
}

/** Checks a prepared query's parameter count once per call (a wrong count would bind the wrong values). */
function checkedCount (expected: number, parameters: readonly unknown[]): readonly unknown[] {
  if (parameters.length !== expected) throw new Error(`prepared query: ${parameters.length} parameters given, ${expected} expected`)
  return parameters
}

function redactUrl (url: string): string {
  try {
    const u = new URL(url)
    u.password = ''
    return u.toString()
  } catch {
    return 'postgres://(unparsable url)'
  }
}

/**
 * Opens the store: SQLite in DATA_DIR (WAL, synchronous=FULL: a write is on disk when it resolves; one
 * process per DATA_DIR, enforced by a lock file) or PostgreSQL when `databaseUrl` is set; then migrates.
 */
export async function openDatabase (options: OpenDatabaseOptions): Promise<Db> {
  let db: Db
  if (options.databaseUrl !== undefined) {
    // Loaded only when used: the embedded engine's start-up does not pay for the PostgreSQL client.
    const { default: pg } = await import('pg')
    const schema = options.pgSchema
    if (schema !== undefined) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`)
      const client = new pg.Client({ connectionString: options.databaseUrl })
      await client.connect()
      try { await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`) } finally { await client.end() }
    }
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes(pg),
      ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    })
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...logOption(options) })
    db = {
      kysely,
      engine: 'postgres',
      description: redactUrl(options.databaseUrl),
      prepare <R>(query: Compilable<R>) {
        const { sql: text, parameters } = query.compile()
        // Same text, same name on every connection of the pool; pg parses it once per connection.
        const name = `q_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`
        return async (values: readonly unknown[]) =>
          (await pool.query({ name, text, values: checkedCount(parameters.length, values) as unknown[] })).rows as R[]
      },
      relaxed: (fn) => kysely.transaction().execute(async (tx) => {
        await sql`SET LOCAL synchronous_commit TO OFF`.execute(tx)
        return await fn(tx)
      }),
      close: () => kysely.destroy(),
    }
  } else {
    mkdirSync(options.dataDir, { recursive: true })
    const file = join(options.dataDir, SQLITE_FILE)
    const release = acquireProcessLock(`${file}.lock`, `DATA_DIR ${options.dataDir}`)
    try {
      const sqlite = new SQLite(file)
      sqlite.pragma('journal_mode = WAL')
      sqlite.pragma('synchronous = FULL')
      sqlite.pragma('busy_timeout = 5000')
      sqlite.pragma('foreign_keys = ON')
      const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }), ...logOption(options) })
      let closed = false
      db = {
        kysely,
        engine: 'sqlite',
        description: `sqlite:${file}`,
        prepare <R>(query: Compilable<R>) {
          const compiled = query.compile()
          // Through Kysely's driver (its mutex): never inside another caller's open transaction.
          return async (parameters: readonly unknown[]) =>
            (await kysely.executeQuery<R>({ ...compiled, parameters: checkedCount(compiled.parameters.length, parameters) })).rows
        },
        // Kysely's SQLite driver has one connection behind a lock: holding it, nothing else commits meanwhile.
        relaxed: (fn) => kysely.connection().execute(async (c) => {
          // Not a cached prepared statement: SQLite applies this pragma when it is prepared, not when run.
          sqlite.pragma('synchronous = NORMAL')
          try {
            return await fn(c)
          } finally {
            sqlite.pragma('synchronous = FULL')
          }
        }),
        async close () {
          if (closed) return
          closed = true
          await kysely.destroy()
          release()
        },
      }
    } catch (err) {
      release()
      throw err
    }
  }
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db.kysely, db.engine)
    } catch (err) {
      await db.close()
      throw err
    }
  }
  return db
}
