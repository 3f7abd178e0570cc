// Validates data/ exactly as the server does at start-up, then runs the issue-9 acceptance checks
// (sources covering fee and time, review, non-overlapping rules, no hedges in citizen-facing text).
// Prints one block per failing record and a summary; exits 1 on any problem, except that records whose only
// gap is a missing source are listed but tolerated with --allow-unsourced (for a staff member's local check
// while a new record waits for a public source; CI runs without it since every record is sourced).
// Usage: npx tsx scripts/validate-catalogue.ts [--allow-unsourced] [dataDir]
import { auditCatalogue } from '../src/catalogue/audit.ts'
import { loadCatalogue } from '../src/catalogue/load.ts'

let cat
try {
  cat = loadCatalogue(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'data')
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`)
  process.exit(1)
}
process.stdout.write(`catalogue loads: ${cat.procedures.length} procedures, ${cat.offices.units.length} units\n`)

const problems = auditCatalogue(cat.procedures)
const byRecord = new Map<string, string[]>()
for (const p of problems) {
  const list = byRecord.get(p.id) ?? []
  list.push(`  ${p.field}: ${p.message}`)
  byRecord.set(p.id, list)
}
for (const [id, lines] of byRecord) process.stdout.write(`✗ ${id}\n${lines.join('\n')}\n`)
const passing = cat.procedures.length - byRecord.size
process.stdout.write(`\nacceptance: ${passing}/${cat.procedures.length} records pass, ${byRecord.size} fail (${problems.length} problems)\n`)
const allowUnsourced = process.argv.includes('--allow-unsourced')
const blocking = problems.filter((p) => !(allowUnsourced && p.field === 'sources'))
if (blocking.length < problems.length) process.stdout.write(`tolerated (--allow-unsourced): ${problems.length - blocking.length} missing-source problems\n`)
if (blocking.length > 0) process.exit(1)
