import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { z } from 'zod'
import { CatalogueError } from '../errors.ts'
import { officesFileSchema, procedureFileSchema, type OfficesFile, type Procedure } from './schema.ts'

/** The validated, immutable catalogue: every procedure and the locality's offices. */
export interface Catalogue {
  procedures: readonly Procedure[]
  offices: OfficesFile
  byId: ReadonlyMap<string, Procedure>
}

function describeIssues (file: string, data: unknown, issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path
    let where = file
    // Name the record by its id when the failing path is inside one procedure.
    if (path[0] === 'procedures' && typeof path[1] === 'number') {
      const rec = (data as { procedures?: Array<{ id?: unknown }> }).procedures?.[path[1]]
      const id = typeof rec?.id === 'string' ? rec.id : `#${path[1]}`
      where += ` record ${id} field ${path.slice(2).join('.') || '(record)'}`
    } else if (path.length > 0) {
      where += ` field ${path.join('.')}`
    }
    return `${where}: ${issue.message}`
  })
}

/**
 * The catalogue is validated once per start: zod's compiled fast path (generated code per object shape)
 * costs more to generate than it saves on one pass (~7 ms of start-up).
 */
const ONCE = { jitless: true }

function readJson (file: string, label: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    problems.push(`${label}: ${(err as Error).message}`)
    return undefined
  }
}

/**
 * Loads and validates the whole catalogue from `dataDir`. Any problem (bad JSON, schema violation,
 * duplicate id or code) throws one CatalogueError listing every problem with file, record and field:
 * the server refuses to start on a broken catalogue rather than serving part of it.
 */
export function loadCatalogue (dataDir: string): Catalogue {
  const problems: string[] = []
  const procedures: Procedure[] = []
  const procDir = join(dataDir, 'procedures')
  let files: string[] = []
  try {
    files = readdirSync(procDir).filter((f) => f.endsWith('.json')).sort()
  } catch (err) {
    problems.push(`${procDir}: ${(err as Error).message}`)
  }
  if (files.length === 0 && problems.length === 0) problems.push(`${procDir}: no procedure files`)

  for (const name of files) {
    const label = relative(process.cwd(), join(procDir, name)) || name
    const data = readJson(join(procDir, name), label, problems)
    if (data === undefined) continue
    const parsed = procedureFileSchema.safeParse(data, ONCE)
    if (!parsed.success) {
      problems.push(...describeIssues(label, data, parsed.error.issues))
      continue
    }
    for (const p of parsed.data.procedures) {
      if (p.field !== parsed.data.field) {
        problems.push(`${label} record ${p.id} field field: "${p.field}" differs from the file's field "${parsed.data.field}"`)
      }
      procedures.push(p)
    }
  }

  const byId = new Map<string, Procedure>()
  const byCode = new Map<string, string>()
  const byTitle = new Map<string, string>()
  for (const p of procedures) {
    if (byId.has(p.id)) problems.push(`record ${p.id} field id: duplicate id`)
    byId.set(p.id, p)
    if (p.code !== null) {
      const other = byCode.get(p.code)
      if (other !== undefined) problems.push(`record ${p.id} field code: ${p.code} is also used by ${other}`)
      byCode.set(p.code, p.id)
    }
    const t = p.title.toLowerCase()
    const otherTitle = byTitle.get(t)
    if (otherTitle !== undefined) problems.push(`record ${p.id} field title: same title as ${otherTitle}`)
    byTitle.set(t, p.id)
  }

  const officesLabel = relative(process.cwd(), join(dataDir, 'offices.json')) || 'offices.json'
  const officesRaw = readJson(join(dataDir, 'offices.json'), officesLabel, problems)
  let offices: OfficesFile | undefined
  if (officesRaw !== undefined) {
    const parsed = officesFileSchema.safeParse(officesRaw, ONCE)
    if (parsed.success) offices = parsed.data
    else problems.push(...describeIssues(officesLabel, officesRaw, parsed.error.issues))
  }
  if (offices !== undefined) {
    const kinds = new Set(offices.units.flatMap((u) => u.offices.map((o) => o.kind)))
    for (const p of procedures) {
      if (!kinds.has(p.office)) problems.push(`record ${p.id} field office: no office of kind ${p.office} in offices.json`)
    }
  }

  if (problems.length > 0 || offices === undefined) throw new CatalogueError(problems.join('\n'))
  return Object.freeze({ procedures: Object.freeze(procedures), offices, byId })
}
