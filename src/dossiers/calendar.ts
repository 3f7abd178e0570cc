import type { Procedure } from '../catalogue/schema.ts'
import type { HolidayYear } from './holidays.ts'
import { localDateKey, localInstant, localParts, parseHhMm } from './time.ts'

/** A procedure's time limit for one channel (`channels.direct.time` in the catalogue). */
export type TimeLimit = NonNullable<Procedure['channels']['direct']>['time']

/** Office hours used by the calendar, local "HH:MM". */
export interface OfficeHours {
  open: string
  close: string
  /** Lunch break, not counted for limits in hours. */
  lunch: [string, string]
}

/** Office hours of the one-stop centres (offices.json): 7:00–11:00, 13:00–17:00. */
export const DEFAULT_HOURS: OfficeHours = { open: '07:00', close: '17:00', lunch: ['11:00', '13:00'] }
const DEFAULT_CUTOFF = '15:00'
const MAX_DAYS = 3700

/**
 * Working-day arithmetic for Vietnamese public offices (Mon–Fri, minus public holidays, plus
 * weekend days worked in exchange). Pure: every function takes the instant it works from.
 */
export interface WorkingCalendar {
  /** Years with holiday data; other years count weekends only. */
  readonly years: readonly number[]
  isWorkingDay (t: Date): boolean
  /** Name of the public holiday on the local day of `t`, if any. */
  holidayName (t: Date): string | undefined
  /** When the clock starts for a dossier received at `t`: `t` within a working day, else next opening. */
  clockStart (t: Date): Date
  /** Same time of day `n` working days after the clock start (a start at opening ends at the previous closing). */
  addWorkingDays (from: Date, n: number): Date
  /** Adds `hours` of office time (lunch break excluded). */
  addWorkingHours (from: Date, hours: number): Date
  /** Due time of a dossier received at `receivedAt` under `limit`. */
  dueDate (receivedAt: Date, limit: TimeLimit): Date
  /** Office minutes (working days, lunch excluded) between two instants; 0 when `to` ≤ `from`. */
  workingMinutesBetween (from: Date, to: Date): number
}

/** Builds the calendar from the holiday files (see `loadHolidays`). */
export function createCalendar (years: readonly HolidayYear[], hours: OfficeHours = DEFAULT_HOURS): WorkingCalendar {
  const holidays = new Map<string, string>()
  const worked = new Set<string>()
  for (const y of years) {
    for (const h of y.holidays) holidays.set(h.date, h.name)
    for (const w of y.workingWeekends) worked.add(w.date)
  }
  const open = parseHhMm(hours.open)
  const close = parseHhMm(hours.close)
  const lunchStart = parseHhMm(hours.lunch[0])
  const lunchEnd = parseHhMm(hours.lunch[1])
  const sessions: Array<[number, number]> = [[open, lunchStart], [lunchEnd, close]]
  const minutesPerDay = close - open - (lunchEnd - lunchStart)

  const isWorkingDay = (t: Date): boolean => {
    const key = localDateKey(t)
    if (holidays.has(key)) return false
    if (worked.has(key)) return true
    const wd = localParts(t).weekday
    return wd !== 0 && wd !== 6
  }
  /** The instant at `minutes` of the local day `offset` days after that of `t`. */
  const at = (t: Date, offset: number, minutes: number): Date => {
    const p = localParts(t)
    return localInstant(p.year, p.month, p.day + offset, minutes)
  }
  const nextWorkingDay = (t: Date, minutes: number): Date => {
    for (let i = 1; i < MAX_DAYS; i++) {
      const d = at(t, i, minutes)
      if (isWorkingDay(d)) return d
    }
    throw new RangeError('no working day within ten years')
  }
  const rollForward = (t: Date): Date => isWorkingDay(t) ? t : nextWorkingDay(t, localParts(t).minutes)

  const clockStart = (t: Date): Date => {
    const m = localParts(t).minutes
    if (isWorkingDay(t) && m < close) return m < open ? at(t, 0, open) : t
    return nextWorkingDay(t, open)
  }

  const addWorkingDays = (from: Date, n: number): Date => {
    let t = clockStart(from)
    if (n <= 0) return t
    const minutes = localParts(t).minutes
    for (let i = 0; i < n; i++) t = nextWorkingDay(t, minutes)
    if (minutes === open) return previousClose(t)
    return t
  }
  const previousClose = (t: Date): Date => {
    for (let i = 1; i < MAX_DAYS; i++) {
      const d = at(t, -i, close)
      if (isWorkingDay(d)) return d
    }
    return t
  }

  const addWorkingHours = (from: Date, h: number): Date => {
    let t = clockStart(from)
    let left = Math.round(h * 60)
    for (let guard = 0; guard < MAX_DAYS * 2; guard++) {
      const m = localParts(t).minutes
      const session = sessions.find(([, end]) => m < end)
      if (session === undefined) { t = nextWorkingDay(t, open); continue }
      const start = Math.max(m, session[0])
      const take = Math.min(left, session[1] - start)
      left -= take
      t = at(t, 0, start + take)
      if (left === 0) return t
    }
    throw new RangeError('time limit too long')
  }

  const dueDate = (receivedAt: Date, limit: TimeLimit): Date => {
    switch (limit.unit) {
      case 'same-day': {
        const cutoff = parseHhMm(limit.cutoff ?? DEFAULT_CUTOFF)
        if (isWorkingDay(receivedAt) && localParts(receivedAt).minutes < cutoff) return at(receivedAt, 0, close)
        return nextWorkingDay(receivedAt, close)
      }
      case 'hours': return addWorkingHours(receivedAt, limit.value)
      case 'working-days':
        return Number.isInteger(limit.value)
          ? addWorkingDays(receivedAt, limit.value)
          : addWorkingHours(receivedAt, limit.value * minutesPerDay / 60)
      case 'days': return rollForward(at(clockStart(receivedAt), Math.ceil(limit.value), close))
      case 'months': {
        const p = localParts(clockStart(receivedAt))
        const monthIndex = p.month - 1 + Math.ceil(limit.value)
        const lastDay = new Date(Date.UTC(p.year, monthIndex + 1, 0)).getUTCDate()
        return rollForward(localInstant(p.year, monthIndex + 1, Math.min(p.day, lastDay), close))
      }
    }
  }

  const workingMinutesBetween = (from: Date, to: Date): number => {
    let total = 0
    for (let i = 0; i < MAX_DAYS; i++) {
      const dayStart = at(from, i, 0)
      if (dayStart.getTime() >= to.getTime()) break
      if (!isWorkingDay(dayStart)) continue
      for (const [a, b] of sessions) {
        const start = Math.max(at(from, i, a).getTime(), from.getTime())
        const end = Math.min(at(from, i, b).getTime(), to.getTime())
        if (end > start) total += (end - start) / 60_000
      }
    }
    return Math.round(total)
  }

  return {
    years: [...new Set(years.map((y) => y.year))].sort(),
    isWorkingDay,
    holidayName: (t) => holidays.get(localDateKey(t)),
    clockStart,
    addWorkingDays,
    addWorkingHours,
    dueDate,
    workingMinutesBetween,
  }
}
