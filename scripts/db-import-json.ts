// `npm run db:import-json -- <old DATA_DIR>`: imports the JSON/journal files of an earlier version into the
// database the server is configured for (DATA_DIR / DATABASE_URL). Stop the server first.
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connect.ts'
import { importJsonDataDir } from '../src/db/import-json.ts'

const from = process.argv[2]
if (from === undefined || from.startsWith('-')) {
  process.stderr.write('usage: npm run db:import-json -- <old DATA_DIR>\n')
  process.exit(2)
}
const config = loadConfig(process.env)
const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl })
try {
  const report = await importJsonDataDir(db, from)
  process.stdout.write(`imported from ${from} into ${db.description}: ${JSON.stringify(report)}\n`)
} finally {
  await db.close()
}
