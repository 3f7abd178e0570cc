#!/usr/bin/env node
// Scores the search on the shared dev sets with ../shared/eval/score-search.mjs and fails when a score
// falls under the floor recorded in .ci/search-floors.json. Usage: node scripts/check-search-floors.mjs
import { readFileSync, existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

const floors = JSON.parse(readFileSync(new URL('../.ci/search-floors.json', import.meta.url), 'utf8'))
const scorer = '../shared/eval/score-search.mjs'
if (!existsSync(scorer)) {
  console.log('search floors: ../shared/eval not present, nothing to score')
  process.exit(process.env.CI === 'true' ? 1 : 0)
}
let failed = false
for (const [set, floor] of Object.entries(floors)) {
  if (set === 'about') continue
  const run = spawnSync(process.execPath, [scorer, `../shared/eval/${set}`], { encoding: 'utf8' })
  const line = run.stdout.trim().split('\n').pop() ?? ''
  const m = /top1 ([\d.]+)% top3 ([\d.]+)% .* off-topic-rejected ([\d.]+|n\/a)%?/.exec(line)
  if (run.status !== 0 || m === null) { console.log(`${set}: scoring failed: ${line || run.stderr}`); failed = true; continue }
  const got = { top1: Number(m[1]), top3: Number(m[2]), offTopicRejected: m[3] === 'n/a' ? 100 : Number(m[3]) }
  const under = Object.entries(floor).filter(([k, v]) => got[k] < v).map(([k, v]) => `${k} ${got[k]} < ${v}`)
  console.log(`${set}: ${line}${under.length > 0 ? `  UNDER FLOOR: ${under.join(', ')}` : '  (floors ok)'}`)
  if (under.length > 0) failed = true
}
process.exit(failed ? 1 : 0)
