// `npm run --silent search -- "câu hỏi"` prints the top results readably;
// `npm run --silent search -- --jsonl [--limit N]` reads one query per line on stdin and writes exactly
// one JSON line per query: {"query": "...", "confidence": "sure|unsure|none", "results": [{"id","code","title","score"}]}.
import { createInterface } from 'node:readline'
import { loadCatalogue } from '../catalogue/load.ts'
import { loadLexicon } from '../catalogue/lexicon.ts'
import { createProcedureSearch } from '../catalogue/search.ts'

const args = process.argv.slice(2)
const jsonl = args.includes('--jsonl')
const li = args.indexOf('--limit')
const limit = li >= 0 ? Math.max(1, Number(args[li + 1]) || 5) : 5
const words = args.filter((a, i) => a !== '--jsonl' && a !== '--limit' && !(li >= 0 && i === li + 1))
const dataDir = process.env.CATALOGUE_DIR ?? 'data'

let search
try {
  search = createProcedureSearch(loadCatalogue(dataDir).procedures, loadLexicon(dataDir))
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`)
  process.exit(1)
}

if (jsonl) {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
  const out: string[] = []
  for await (const line of rl) {
    const { confidence, results } = search.query(line, { limit })
    out.push(JSON.stringify({ query: line, confidence, results }))
    if (out.length >= 256) process.stdout.write(out.splice(0).join('\n') + '\n')
  }
  if (out.length > 0) process.stdout.write(out.join('\n') + '\n')
} else {
  const q = words.join(' ')
  if (q.trim() === '') {
    process.stderr.write('usage: npm run search -- "câu hỏi" | npm run search -- --jsonl [--limit N] < queries.txt\n')
    process.exit(2)
  }
  const { confidence, results } = search.query(q, { limit })
  if (results.length === 0) process.stdout.write('(không tìm thấy thủ tục phù hợp)\n')
  else process.stdout.write(`confidence: ${confidence}\n`)
  results.forEach((r, i) => process.stdout.write(`${i + 1}. ${r.title}  [${r.id}${r.code ? `, ${r.code}` : ''}]  ${r.score.toFixed(3)}\n`))
}
