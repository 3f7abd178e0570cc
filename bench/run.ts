// `npm run bench`: runs every benchmark in one process on this machine and writes docs/BENCHMARKS.md.
import { writeFileSync, mkdirSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { benchSearch } from './search.ts'
import { benchChat } from './chat.ts'
import { benchStorage } from './storage.ts'

const sections: string[] = []
for (const [name, run] of [['search', benchSearch], ['chat', benchChat], ['storage', () => benchStorage(!process.argv.includes('--full'))]] as const) {
  process.stderr.write(`bench: ${name}…\n`)
  const out = await run()
  process.stdout.write(`${out}\n\n`)
  sections.push(out)
}

const header = [
  '# Benchmarks',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'},`,
  `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, \`--max-semi-space-size=32\`. Numbers from one noisy machine;`,
  're-run before comparing. Targets: search p99 ≤ 2 ms at 5,000 records and ≥ 20× faster than plain Fuse.js at',
  '1,000; search memory for 5,000 records ≤ 100 MB RSS; chat p99 ≤ 10 ms; storage: see its section',
  '(`npm run bench` runs it at 50,000 dossiers; `npm run bench -- --full` adds 1,000,000).',
  '',
]
mkdirSync('docs', { recursive: true })
writeFileSync('docs/BENCHMARKS.md', `${header.join('\n')}\n${sections.join('\n\n')}\n`)
process.stderr.write('bench: wrote docs/BENCHMARKS.md\n')
