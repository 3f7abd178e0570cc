/**
 * Wall-clock helpers for Asia/Ho_Chi_Minh. Vietnam has no daylight saving time, so local time is
 * computed with a fixed +07:00 offset and never depends on the server's TZ.
 */

/** Asia/Ho_Chi_Minh offset from UTC. */
export const VN_OFFSET_MS = 7 * 3600_000
const DAY_MS = 86_400_000

/** A local calendar day in Vietnam. `weekday`: 0 = Sunday … 6 = Saturday. */
export interface LocalDay {
  year: number
  month: number
  day: number
  weekday: number
}

/** Local day and minutes since local midnight of an instant. */
export function localParts (t: Date): LocalDay & { minutes: number } {
  const l = new Date(t.getTime() + VN_OFFSET_MS)
  return {
    year: l.getUTCFullYear(),
    month: l.getUTCMonth() + 1,
    day: l.getUTCDate(),
    weekday: l.getUTCDay(),
    minutes: l.getUTCHours() * 60 + l.getUTCMinutes(),
  }
}

/** The instant of local `year-month-day` at `minutes` past local midnight (month/day may overflow). */
export function localInstant (year: number, month: number, day: number, minutes = 0): Date {
  return new Date(Date.UTC(year, month - 1, day) + minutes * 60_000 - VN_OFFSET_MS)
}

/** `YYYY-MM-DD` of the local day of `t`. */
export function localDateKey (t: Date): string {
  return new Date(t.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10)
}

/** Start (local midnight) of the local day `n` days after the day of `t`. */
export function startOfLocalDay (t: Date, n = 0): Date {
  const p = localParts(t)
  return new Date(localInstant(p.year, p.month, p.day).getTime() + n * DAY_MS)
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** ISO 8601 with the Vietnamese offset, e.g. `2026-02-20T15:00:00+07:00` (second precision). */
export function toVnIso (t: Date): string {
  const l = new Date(t.getTime() + VN_OFFSET_MS).toISOString()
  return `${l.slice(0, 19)}+07:00`
}

/** Parses "HH:MM" into minutes after midnight. */
export function parseHhMm (s: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim())
  if (m === null) throw new RangeError(`bad time of day: ${s}`)
  return Number(m[1]) * 60 + Number(m[2])
}

const ISO_ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/
const VN_LOCAL = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?$/

function validLocal (y: number, mo: number, d: number, h: number, mi: number, s: number): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null
  const t = localInstant(y, mo, d, h * 60 + mi)
  const back = localParts(t)
  if (back.day !== d || back.month !== mo) return null
  return new Date(t.getTime() + s * 1000)
}

/**
 * Parses a date-time typed by staff: ISO with an offset or `Z`; ISO without offset (`2026-02-20`,
 * `2026-02-20T15:00`) or Vietnamese `20/02/2026 [15:00]`, both read as Vietnamese local time.
 * Returns the instant and whether a time of day was given, or null when unparseable.
 */
export function parseVnDateTime (s: string): { at: Date, hasTime: boolean } | null {
  const text = s.trim()
  if (ISO_ZONED.test(text)) {
    const t = new Date(text)
    return Number.isNaN(t.getTime()) ? null : { at: t, hasTime: true }
  }
  let m = ISO_LOCAL.exec(text)
  if (m !== null) {
    const at = validLocal(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0))
    return at === null ? null : { at, hasTime: m[4] !== undefined }
  }
  m = VN_LOCAL.exec(text)
  if (m !== null) {
    const at = validLocal(Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), 0)
    return at === null ? null : { at, hasTime: m[4] !== undefined }
  }
  return null
}

const WEEKDAYS = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy']

/** Date for Vietnamese readers: `thứ Sáu, 20/02/2026`. */
export function formatVnDate (t: Date): string {
  const p = localParts(t)
  return `${WEEKDAYS[p.weekday] ?? ''}, ${pad(p.day)}/${pad(p.month)}/${p.year}`
}

/** Date and time for Vietnamese readers: `15:00 thứ Sáu, 20/02/2026`. */
export function formatVnDateTime (t: Date): string {
  const p = localParts(t)
  return `${pad(Math.floor(p.minutes / 60))}:${pad(p.minutes % 60)} ${formatVnDate(t)}`
}
