// `npm run build`: compiles the server (src/ and bots/) to JavaScript in dist/ with tsc
// (tsconfig.build.json: ESM, `.ts` imports rewritten to `.js`; it also type-checks), copies the static
// assets the code reads next to itself (every `public/` folder), and bundles the server with esbuild into
// dist/src/bundle/ (what `npm start` runs: one module graph of a few files instead of ~1,000 modules of
// node_modules to resolve and compile, which halves the time to healthy; the Telegram and Zalo channels
// stay separate chunks, loaded only when configured). Plain JavaScript so that plain `node` can run it
// before any build exists (scripts/start.mjs calls it when dist/ is missing or older than the sources).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The repository root (this file is in scripts/). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** What the build reads: a change to any file here makes dist/ stale. */
const SOURCE_DIRS = ['src', 'bots']
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json']

/** Written last by a successful build; its mtime is the build's time. */
export const STAMP = '.build-stamp'

/** The production entry point, relative to dist/ (scripts/start.mjs imports it). */
export const BUNDLE_MAIN = join('src', 'bundle', 'main.js')

/**
 * Packages left out of the bundle: better-sqlite3 loads its native addon from its own folder; pg (and its
 * optional native binding) is loaded only with DATABASE_URL.
 */
const EXTERNAL = ['better-sqlite3', 'pg', 'pg-native']

/** Every file under `dir` (recursively), as absolute paths. */
function filesUnder (dir) {
  const out = []
  if (!existsSync(dir)) return out
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...filesUnder(path))
    else if (entry.isFile()) out.push(path)
  }
  return out
}

/** Newest modification time (ms) among the build's inputs under `root`. */
export function newestSource (root = ROOT) {
  let newest = 0
  const files = [...SOURCE_DIRS.flatMap((d) => filesUnder(join(root, d))), ...SOURCE_FILES.map((f) => join(root, f)).filter((f) => existsSync(f))]
  for (const file of files) newest = Math.max(newest, statSync(file).mtimeMs)
  return newest
}

/** Why `outDir` must be (re)built, or null when it is up to date with the sources under `root`. */
export function staleReason (root = ROOT, outDir = join(root, 'dist')) {
  const stamp = join(outDir, STAMP)
  if (!existsSync(join(outDir, 'src', 'main.js')) || !existsSync(join(outDir, BUNDLE_MAIN)) || !existsSync(stamp)) return 'no build yet'
  return newestSource(root) > statSync(stamp).mtimeMs ? 'sources changed since the last build' : null
}

/**
 * Builds into a fresh folder beside `outDir` and then swaps it in, so a failed build leaves the previous
 * one untouched and files of deleted sources do not linger. Throws when tsc reports errors.
 */
export function build (root = ROOT, outDir = join(root, 'dist')) {
  const tmp = `${outDir}.tmp-${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', tmp], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true })
    throw new Error(`tsc failed (exit ${r.status ?? r.signal})`)
  }
  // Static assets are read relative to the module that serves them (`new URL('./public/', import.meta.url)`).
  for (const dir of SOURCE_DIRS) {
    for (const file of filesUnder(join(root, dir))) {
      const rel = relative(root, file)
      if (rel.split('/').includes('public')) cpSync(file, join(tmp, rel))
    }
  }
  // The bundle sits two folders down (dist/src/bundle/) so that `new URL('../web/public/', import.meta.url)`
  // in src/web/plugin.ts names dist/src/web/public/ from the bundle as it names src/web/public/ from source.
  try {
    const esbuild = createRequire(join(root, 'package.json'))('esbuild')
    esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: { main: join(root, 'src', 'main.ts') },
      outdir: join(tmp, 'src', 'bundle'),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      sourcemap: 'linked',
      // Stack traces name the .ts file and line; the sources themselves stay out of the maps (half their size).
      sourcesContent: false,
      // Less to parse at start-up (names are kept: stack traces stay readable even without the maps).
      minifyWhitespace: true,
      minifySyntax: true,
      logLevel: 'warning',
      // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    })
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    throw new Error(`esbuild failed: ${err.message}`)
  }
  writeFileSync(join(tmp, STAMP), `${new Date().toISOString()}\n`)
  rmSync(outDir, { recursive: true, force: true })
  renameSync(tmp, outDir)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t = performance.now()
  try {
    build()
  } catch (err) {
    process.stderr.write(`build failed: ${err.message}\n`)
    process.exit(1)
  }
  process.stderr.write(`built dist/ in ${((performance.now() - t) / 1000).toFixed(1)} s\n`)
}
