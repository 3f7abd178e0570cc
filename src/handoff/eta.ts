import type { AnswerEta } from '../conversation/context.ts'
import { DEFAULT_HOURS, type OfficeHours, type WorkingCalendar } from '../dossiers/calendar.ts'
import { localParts, parseHhMm } from '../dossiers/time.ts'

/** Office time within which the desk promises a first answer (the citizen is told the resulting time). */
export const ANSWER_WITHIN_WORKING_HOURS = 2

const HALF_HOUR = 30 * 60_000

/** Whether `t` is within office hours (a session, not the lunch break) of a working day. */
export function inOfficeHours (calendar: WorkingCalendar, t: Date, hours: OfficeHours = DEFAULT_HOURS): boolean {
  if (!calendar.isWorkingDay(t)) return false
  const m = localParts(t).minutes
  return (m >= parseHhMm(hours.open) && m < parseHhMm(hours.lunch[0])) || (m >= parseHhMm(hours.lunch[1]) && m < parseHhMm(hours.close))
}

/**
 * When an officer is expected to answer a request made at `now`: `within` hours of office time later
 * (weekends, public holidays and the lunch break do not count; worked Saturdays do), rounded up to the
 * half hour. Honest by construction: the same calendar computes dossiers' due dates.
 */
export function answerEta (calendar: WorkingCalendar, now: number, within = ANSWER_WITHIN_WORKING_HOURS): AnswerEta {
  const t = new Date(now)
  const due = calendar.addWorkingHours(t, within).getTime()
  const expectedAt = Math.ceil(due / HALF_HOUR) * HALF_HOUR
  const holiday = calendar.holidayName(t)
  const { weekday, minutes } = localParts(t)
  return {
    inHours: inOfficeHours(calendar, t),
    lunchBreak: calendar.isWorkingDay(t) && minutes >= parseHhMm(DEFAULT_HOURS.lunch[0]) && minutes < parseHhMm(DEFAULT_HOURS.lunch[1]),
    expectedAt,
    ...(holiday !== undefined ? { holiday } : {}),
    weekend: holiday === undefined && !calendar.isWorkingDay(t) && (weekday === 0 || weekday === 6),
  }
}
