import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { DataError } from '../errors.ts'

/**
 * Public holidays per year (`data/holidays/<year>.json`, documented in `data/README.md`).
 * The files record the days actually taken off by the civil service (a holiday falling on a weekend
 * is recorded on the weekday it moves to) and the weekend days worked in exchange (làm bù).
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
const text = z.string().trim().min(1)
const daySchema = z.strictObject({ date: isoDate, name: text, note: text.optional() })

/** Schema of one `data/holidays/<year>.json`. */
export const holidayFileSchema = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  /** `official`: checked against the government's announcement; `verify`: still to be checked. */
  status: z.enum(['official', 'verify']),
  source: text,
  verifiedAt: isoDate.nullable(),
  note: text.optional(),
  holidays: z.array(daySchema).min(1),
  workingWeekends: z.array(daySchema).default([]),
})

/** One validated holiday file. */
export type HolidayYear = z.infer<typeof holidayFileSchema>

const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay()
const validDate = (date: string): boolean => {
  const t = new Date(`${date}T00:00:00Z`)
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === date
}

/** Checks the rules the schema cannot express; returns problems as "field: message". */
export function checkHolidayYear (y: HolidayYear): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const [field, list] of [['holidays', y.holidays], ['workingWeekends', y.workingWeekends]] as const) {
    list.forEach((d, i) => {
      const where = `${field}.${i} (${d.date})`
      if (!validDate(d.date)) problems.push(`${where}: not a calendar date`)
      else if (!d.date.startsWith(`${y.year}-`)) problems.push(`${where}: not in ${y.year}`)
      else if (field === 'holidays' && [0, 6].includes(weekday(d.date))) {
        problems.push(`${where}: falls on a weekend; record the observed weekday instead`)
      } else if (field === 'workingWeekends' && ![0, 6].includes(weekday(d.date))) {
        problems.push(`${where}: is not a Saturday or Sunday`)
      }
      if (seen.has(d.date)) problems.push(`${where}: listed twice`)
      seen.add(d.date)
    })
  }
  return problems
}

/**
 * Loads and validates every `<year>.json` in `dir`. Throws one DataError naming each problem, so the
 * server never computes due dates from a broken calendar.
 */
export function loadHolidays (dir: string): HolidayYear[] {
  const problems: string[] = []
  const years: HolidayYear[] = []
  let files: string[] = []
  try {
    files = readdirSync(dir).filter((f) => /^\d{4}\.json$/.test(f)).sort()
  } catch (err) {
    throw new DataError(`${dir}: ${(err as Error).message}`)
  }
  for (const f of files) {
    const label = join(dir, f)
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(label, 'utf8'))
    } catch (err) {
      problems.push(`${label}: ${(err as Error).message}`)
      continue
    }
    const parsed = holidayFileSchema.safeParse(raw)
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => `${label} field ${i.path.join('.')}: ${i.message}`))
      continue
    }
    if (`${parsed.data.year}.json` !== f) problems.push(`${label} field year: ${parsed.data.year} does not match the file name`)
    problems.push(...checkHolidayYear(parsed.data).map((p) => `${label} field ${p}`))
    years.push(parsed.data)
  }
  if (problems.length > 0) throw new DataError(problems.join('\n'))
  return years
}
