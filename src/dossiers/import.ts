import type { parse as Parse } from 'csv-parse/sync'
import { DossierInputError, parseUpsertInput, type UpsertInput } from './input.ts'
import type { Transition } from './records.ts'
import type { Dossier } from './types.ts'

/** Outcome of a CSV import. `line` is the 1-based line of the file (the header is line 1). */
export interface ImportResult {
  imported: number
  updated: number
  errors: Array<{ line: number, message: string }>
  /** Codes that appear on more than one line: only the last line is used (once). */
  duplicates: Array<{ code: string, lines: number[] }>
  /** Code and lookup code of every valid row (after a real import: the stored lookup codes). */
  dossiers: Array<{ line: number, code: string, lookupCode: string }>
}

/** What the import needs from the service. */
export interface ImportOps {
  checkedCode (raw: string): string
  get (code: string): Promise<Dossier | undefined>
  /** Computes the change without writing; throws DossierInputError (e.g. unknown procedure). */
  plan (code: string, existing: Dossier | undefined, input: UpsertInput): Transition
  /** Writes the change (serialised per code, audit-logged, subscribers notified). */
  commit (code: string, input: UpsertInput): Promise<Transition>
}

/** CSV header columns: required, then optional. */
export const REQUIRED_COLUMNS = ['code', 'procedure', 'applicantName', 'phone', 'receivedAt', 'dueAt', 'status'] as const
export const OPTIONAL_COLUMNS = ['statusLabel', 'note', 'lookupCode'] as const
const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS])
const BATCH = 64

interface Row { line: number, code: string, input: UpsertInput }

/** Parses the CSV text; throws DossierInputError (field `csv`) when the file itself is unusable. */
function readRows (parse: typeof Parse, text: string, errors: ImportResult['errors'], ops: ImportOps): Row[] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  const delimiter = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ','
  let records: Array<{ record: Record<string, string>, info: { lines: number, error?: unknown }, raw: string }>
  try {
    records = parse(text, {
      bom: true,
      columns: (h: string[]) => h.map((c) => c.trim()),
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    })
  } catch (err) {
    const e = err as Error & { lines?: number }
    throw new DossierInputError('csv', `${e.lines !== undefined ? `line ${e.lines}: ` : ''}${e.message}`)
  }
  const header = firstLine.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, ''))
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c))
  const unknown = header.filter((c) => !KNOWN.has(c))
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [missing.length > 0 ? `missing columns: ${missing.join(', ')}` : '', unknown.length > 0 ? `unknown columns: ${unknown.join(', ')}` : '']
    throw new DossierInputError('csv', `line 1: ${parts.filter(Boolean).join('; ')}; expected ${REQUIRED_COLUMNS.join(',')}`)
  }
  const rows: Row[] = []
  for (const { record, info, raw } of records) {
    const body = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '')
    const line = info.lines - (body.match(/\n/g)?.length ?? 0)
    if (info.error !== undefined) {
      errors.push({ line, message: `expected ${header.length} columns` })
      continue
    }
    try {
      const code = ops.checkedCode(record.code ?? '')
      rows.push({ line, code, input: parseUpsertInput(record) })
    } catch (err) {
      if (!(err instanceof DossierInputError)) throw err
      errors.push({ line, message: `${err.field}: ${err.message}` })
    }
  }
  return rows
}

/**
 * Imports dossiers from CSV (header `code,procedure,applicantName,phone,receivedAt,dueAt,status`,
 * optional `statusLabel,note,lookupCode`; `,` or `;` separated; an empty dueAt is computed). Good rows
 * are written, bad rows reported by line; a dry run writes nothing but reports the same counts.
 * Rows that change nothing are not written, so importing the same file twice changes nothing.
 */
export async function importCsv (text: string, options: { dryRun: boolean }, ops: ImportOps): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, updated: 0, errors: [], duplicates: [], dossiers: [] }
  // The CSV parser is loaded on the first import, not at start-up.
  const { parse } = await import('csv-parse/sync')
  const all = readRows(parse, text, result.errors, ops)
  // The same code twice in one file: the last row wins, applied once.
  const lines = new Map<string, number[]>()
  for (const r of all) lines.set(r.code, [...(lines.get(r.code) ?? []), r.line])
  const rows = all.filter((r) => lines.get(r.code)?.at(-1) === r.line)
  for (const [code, at] of lines) if (at.length > 1) result.duplicates.push({ code, lines: at })
  const done = (r: Row, t: Transition): void => { result.dossiers.push({ line: r.line, code: r.code, lookupCode: t.next.lookupCode }) }
  const count = (t: Transition): void => {
    if (t.created) result.imported++
    else if (t.changed.length > 0) result.updated++
  }
  const fail = (line: number, err: unknown): void => {
    if (!(err instanceof DossierInputError)) throw err
    result.errors.push({ line, message: `${err.field}: ${err.message}` })
  }
  if (options.dryRun) {
    const overlay = new Map<string, Dossier>()
    for (const r of rows) {
      try {
        const t = ops.plan(r.code, overlay.get(r.code) ?? await ops.get(r.code), r.input)
        overlay.set(r.code, t.next)
        count(t)
        done(r, t)
      } catch (err) { fail(r.line, err) }
    }
  } else {
    for (let i = 0; i < rows.length; i += BATCH) {
      await Promise.all(rows.slice(i, i + BATCH).map(async (r) => {
        try {
          const t = await ops.commit(r.code, r.input)
          count(t)
          done(r, t)
        } catch (err) { fail(r.line, err) }
      }))
    }
  }
  result.errors.sort((a, b) => a.line - b.line)
  result.dossiers.sort((a, b) => a.line - b.line)
  return result
}
