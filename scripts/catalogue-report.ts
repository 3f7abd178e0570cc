// Monthly freshness report of the catalogue for desk officers (issue 9): records and fields without a
// source, sources older than 180 days, dated rules starting or ending in the next 60 days, conflicts.
// Usage: npm run catalogue:report [-- --json] [-- --date YYYY-MM-DD] [-- --data DIR]
import { parseArgs } from 'node:util'
import { loadCatalogue } from '../src/catalogue/load.ts'
import { buildCatalogueReport, formatCatalogueReport } from '../src/catalogue/report.ts'
import { vnDate } from '../src/catalogue/rules.ts'
import { isIsoDate } from '../src/catalogue/schema.ts'

const { values } = parseArgs({
  options: { json: { type: 'boolean', default: false }, date: { type: 'string' }, data: { type: 'string', default: 'data' } },
})
const date = values.date ?? vnDate(Date.now())
if (!isIsoDate(date)) {
  process.stderr.write(`--date must be YYYY-MM-DD, got ${date}\n`)
  process.exit(2)
}
const report = buildCatalogueReport(loadCatalogue(values.data), date)
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCatalogueReport(report)}\n`)
