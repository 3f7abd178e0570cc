// Stack traces of the bundled server name the .ts sources, with the source maps read only when a trace is
// first formatted. Node's own support (`process.setSourceMapsEnabled(true)`, `--enable-source-maps`) reads
// and parses every map of every module while loading it: 2.5 MB of JSON for the bundle, ~30 ms of the
// ~450 ms the server takes to start, paid even when nothing ever fails. Here a map is parsed the first time
// a frame of its file is formatted, then kept.
import { readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Parsed maps by generated file path (null: the file has no readable map). */
const maps = new Map()

function mapOf (file) {
  let map = maps.get(file)
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')))
    } catch {
      map = null
    }
    maps.set(file, map)
  }
  return map
}

/** `frame` as V8 prints it, with its position in `file` replaced by the original source's. */
function mappedFrame (frame, dir) {
  const text = String(frame)
  const name = frame.getFileName()
  if (typeof name !== 'string') return text
  const file = name.startsWith('file:') ? fileURLToPath(name) : name
  if (!file.startsWith(dir)) return text
  const line = frame.getLineNumber()
  const column = frame.getColumnNumber()
  const entry = line === null || column === null ? undefined : mapOf(file)?.findEntry(line - 1, column - 1)
  if (entry?.originalSource === undefined) return text
  const source = fileURLToPath(new URL(entry.originalSource, pathToFileURL(`${file}.map`)))
  const at = `${name}:${line}:${column}`
  const to = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`
  return text.includes(at) ? text.replace(at, to) : `${text} [${to}]`
}

/**
 * From now on, stack frames in files under `dir` (an absolute folder path ending in `/`) are shown at their
 * original source position, through the `<file>.map` beside each file. Frames elsewhere are unchanged; a
 * missing or broken map leaves its frames as they are.
 */
export function mapStackTraces (dir) {
  Error.prepareStackTrace = (error, frames) => {
    let head
    try {
      head = Error.prototype.toString.call(error)
    } catch {
      head = 'Error'
    }
    const lines = frames.map((frame) => {
      try {
        return `    at ${mappedFrame(frame, dir)}`
      } catch {
        return `    at ${String(frame)}`
      }
    })
    return [head, ...lines].join('\n')
  }
}
