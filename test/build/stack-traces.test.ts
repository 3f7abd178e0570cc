// scripts/stack-traces.mjs: the production server's stack traces name the .ts sources, with the source maps
// read only when a trace is formatted. Checked in a plain node process (no test runner's own stack-trace
// handling) on a small bundle that esbuild builds here the way scripts/build.mjs builds the server.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSync } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'stack-traces.mjs')

/** Runs `code` (an ES module) in a fresh node process and returns what it printed. */
const run = (dir: string, code: string): string => {
  const file = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`)
  writeFileSync(file, code)
  return execFileSync(process.execPath, [file], { encoding: 'utf8' })
}

describe('stack traces of the bundle', () => {
  let dir: string
  let out: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tgtt-stack-'))
    mkdirSync(join(dir, 'src'))
    // Line 5 throws; the bundle puts it elsewhere (one line per statement after minifying whitespace).
    writeFileSync(join(dir, 'src', 'thrower.ts'), [
      'export interface Input { n: number }',
      'export function check (input: Input): number {',
      '  const doubled: number = input.n * 2',
      '  if (doubled > 10) {',
      '    throw new RangeError(\'too big: \' + String(doubled))',
      '  }',
      '  return doubled',
      '}',
      '',
    ].join('\n'))
    out = join(dir, 'out')
    buildSync({ entryPoints: [join(dir, 'src', 'thrower.ts')], bundle: true, format: 'esm', platform: 'node', outdir: out, sourcemap: 'linked', sourcesContent: false, minifyWhitespace: true, minifySyntax: true })
  })
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

  const throwing = (install: boolean): string => `
    ${install ? `import { mapStackTraces } from ${JSON.stringify(SCRIPT)}\n    mapStackTraces(${JSON.stringify(`${out}/`)})` : ''}
    const { check } = await import(${JSON.stringify(join(out, 'thrower.js'))})
    try { check({ n: 7 }) } catch (err) { process.stdout.write(err.stack) }
  `

  it('name the .ts file, line and column of the throw; the message line is kept', () => {
    const stack = run(dir, throwing(true))
    expect(stack.split('\n')[0]).toBe('RangeError: too big: 14')
    expect(stack).toContain(`at check (${join(dir, 'src', 'thrower.ts')}:5:11)`)
    expect(stack).not.toContain('thrower.js')
  })

  it('without it the same trace names the bundle (what the test above changes)', () => {
    const stack = run(dir, throwing(false))
    expect(stack).toContain('thrower.js:')
    expect(stack).not.toContain('thrower.ts')
  })

  it('a missing map leaves the frames as they are, and frames outside the folder are untouched', () => {
    rmSync(join(out, 'thrower.js.map'))
    const stack = run(dir, `${throwing(true)}
      process.stdout.write('\\n--\\n' + new Error('here').stack)`)
    const [mapless, own] = stack.split('\n--\n')
    expect(mapless).toContain('thrower.js:')
    expect(mapless?.split('\n')[0]).toBe('RangeError: too big: 14')
    expect(own).toMatch(/^Error: here\n {4}at .*run-[a-z0-9]+\.mjs:\d+:\d+/)
  })
})
