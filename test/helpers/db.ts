import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, describe, it } from 'vitest'
import { openDatabase, type Db, type Engine } from '../../src/db/connect.ts'

/** PostgreSQL for tests: `TEST_DATABASE_URL`, default the local trust-auth server. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

async function probe (): Promise<string | undefined> {
  const admin = new URL(TEST_DATABASE_URL)
  const dbName = admin.pathname.slice(1)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '')}"`).catch(() => {})
    return undefined
  } catch (err) {
    return (err as Error).message
  } finally {
    await client.end().catch(() => {})
  }
}

/** Why PostgreSQL cannot be used (undefined when it can). Probed once per test file. */
export const pgUnavailable = await probe()

/** A fresh database of `engine`: a temp SQLite dir, or a new PostgreSQL schema dropped on `drop()`. */
export interface TestDb {
  db: Db
  dataDir: string
  schema?: string
  reopen (): Promise<Db>
  /** A second connection to the same database (PostgreSQL: another pool on the schema), closed by `drop()`. */
  reopenExtra (): Promise<Db>
  drop (): Promise<void>
}

let counter = 0
/** Opens a fresh, migrated database on `engine`. */
export async function openTestDb (engine: Engine): Promise<TestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tgtt-db-'))
  const schema = engine === 'postgres' ? `t_${process.pid}_${Date.now().toString(36)}_${counter++}` : undefined
  const open = (): Promise<Db> => openDatabase({ dataDir, ...(engine === 'postgres' ? { databaseUrl: TEST_DATABASE_URL, pgSchema: schema } : {}) })
  const extra: Db[] = []
  const t: TestDb = {
    db: await open(),
    dataDir,
    schema,
    async reopen () {
      await t.db.close()
      t.db = await open()
      return t.db
    },
    async reopenExtra () {
      if (engine === 'sqlite') throw new Error('one process per SQLite DATA_DIR: use the same db')
      const other = await openDatabase({ dataDir, databaseUrl: TEST_DATABASE_URL, pgSchema: schema, migrate: false })
      extra.push(other)
      return other
    },
    async drop () {
      for (const e of extra.splice(0)) await e.close()
      await t.db.close()
      rmSync(dataDir, { recursive: true, force: true })
      if (schema !== undefined) {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
        await client.connect()
        try { await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) } finally { await client.end() }
      }
    },
  }
  return t
}

/** What a per-engine suite gets: its engine and `open()` for a fresh database, dropped after each test. */
export interface EngineContext { engine: Engine, open: () => Promise<TestDb> }

/**
 * Runs `suite` once per engine. PostgreSQL unreachable: the suite fails under CI=true and is skipped
 * locally with a message saying why.
 */
export function describeEachEngine (name: string, suite: (ctx: EngineContext) => void): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    if (engine === 'postgres' && pgUnavailable !== undefined) {
      if (process.env.CI === 'true') {
        describe(`${name} [postgres]`, () => {
          it('needs PostgreSQL', () => { throw new Error(`PostgreSQL unreachable at ${TEST_DATABASE_URL}: ${pgUnavailable}`) })
        })
      } else {
        process.stderr.write(`SKIPPED ${name} [postgres]: PostgreSQL unreachable at ${TEST_DATABASE_URL} (${pgUnavailable}); CI fails here\n`)
        describe.skip(`${name} [postgres]`, () => { it('needs PostgreSQL', () => {}) })
      }
      continue
    }
    describe(`${name} [${engine}]`, () => {
      const opened: TestDb[] = []
      afterEach(async () => { for (const t of opened.splice(0)) await t.drop() })
      suite({
        engine,
        async open () {
          const t = await openTestDb(engine)
          opened.push(t)
          return t
        },
      })
    })
  }
}
