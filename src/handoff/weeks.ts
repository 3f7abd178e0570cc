import { localDateKey, localInstant, localParts } from '../dossiers/time.ts'

const DAY = 86_400_000

/** The Monday (Vietnam date, YYYY-MM-DD) of the week of `t`: statistics are kept per such week. */
export function weekOf (t: number): string {
  const p = localParts(new Date(t))
  const back = (p.weekday + 6) % 7
  return localDateKey(localInstant(p.year, p.month, p.day - back))
}

/** Start instant (Monday 00:00 Vietnam time) of a week key. */
export function weekStart (week: string): number {
  const [y, m, d] = week.split('-').map(Number)
  return localInstant(y!, m!, d!).getTime()
}

/** The `n` most recent week keys up to the week of `now`, newest first. */
export function recentWeeks (now: number, n: number): string[] {
  const start = weekStart(weekOf(now))
  return Array.from({ length: n }, (_, i) => weekOf(start - i * 7 * DAY + DAY))
}
