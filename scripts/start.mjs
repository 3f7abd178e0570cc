// `npm start`: runs the compiled server (dist/src/bundle/main.js, see build.mjs) with plain node, in this process so signals
// reach it. Builds first when dist/ is missing or older than the sources, so `npm install && npm start`
// works on a fresh clone. Development uses `npm run dev` (tsx, reload on change).
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, BUNDLE_MAIN, ROOT, staleReason } from './build.mjs'
import { mapStackTraces } from './stack-traces.mjs'

// Stack traces of the compiled code point at the .ts sources (the bundle carries source maps, read when a
// trace is first formatted).
mapStackTraces(join(ROOT, 'dist', 'src', 'bundle', '/'))

const reason = staleReason()
if (reason !== null) {
  process.stderr.write(`npm start: building dist/ (${reason})…\n`)
  try {
    build()
  } catch (err) {
    process.stderr.write(`npm start: build failed: ${err.message}\n`)
    process.exit(1)
  }
}
await import(pathToFileURL(join(ROOT, 'dist', BUNDLE_MAIN)).href)
