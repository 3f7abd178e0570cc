// Validates data/ exactly as the server does at start-up; exits 1 with every problem listed.
// Usage: npx tsx scripts/validate-catalogue.ts [dataDir]
import { loadCatalogue } from '../src/catalogue/load.ts'

try {
  const cat = loadCatalogue(process.argv[2] ?? 'data')
  process.stdout.write(`catalogue OK: ${cat.procedures.length} procedures, ${cat.offices.units.length} units\n`)
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`)
  process.exit(1)
}
