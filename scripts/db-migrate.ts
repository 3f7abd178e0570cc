// `npm run db:migrate`: brings the configured database (DATA_DIR / DATABASE_URL) to the latest schema.
// The server does the same at start-up; this is for deployments that migrate before rolling out.
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrations.ts'

const config = loadConfig(process.env)
const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, migrate: false })
try {
  const applied = await migrateToLatest(db.kysely, db.engine)
  process.stdout.write(`${db.description}: ${applied.length === 0 ? 'already up to date' : `applied ${applied.join(', ')}`}\n`)
} finally {
  await db.close()
}
