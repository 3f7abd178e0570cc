import { CHANNELS, type Channel, type Procedure, type Rule } from './schema.ts'

type ChannelFacts = NonNullable<Procedure['channels'][Channel]>
/** A fee as the catalogue stores it. */
export type Fee = ChannelFacts['fee']
/** A time limit as the catalogue stores it. */
export type TimeLimit = ChannelFacts['time']

/** How far ahead a change is announced on a card. */
export const ANNOUNCE_DAYS = 30
const DAY_MS = 86_400_000
const VN_OFFSET_MS = 7 * 3_600_000

/** The Vietnam calendar date (UTC+7) of an instant, as YYYY-MM-DD. */
export function vnDate (ms: number): string {
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10)
}

/** `date` plus `days` calendar days (YYYY-MM-DD arithmetic, no time zone involved). */
export function addDays (date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/** "2027-01-01" → "01/01/2027". */
export function viDate (date: string): string {
  const [y, m, d] = date.split('-')
  return `${d}/${m}/${y}`
}

/** True when the rule is in force on `date` (both ends inclusive). */
export function inForce (r: Rule, date: string): boolean {
  return (r.from === undefined || r.from <= date) && (r.to === undefined || date <= r.to)
}

const appliesTo = (r: Rule, c: Channel): boolean => r.channel === undefined || r.channel === c

/** A conditional rule in force: an extra line for those who qualify. */
export interface ExtraLine {
  rule: Rule
  condition: string
  text: string
}

/** A change of the value shown, due within ANNOUNCE_DAYS of the day asked. */
export interface Upcoming {
  /** First day of the new value (YYYY-MM-DD). */
  date: string
  kind: Rule['kind']
  /** The new text (fee text, or formatted by the caller for time). */
  fee?: Fee
  time?: TimeLimit
  /** Set when a conditional line starts or ends. */
  condition?: string
  /** `start`: a value or extra line begins; `end`: a conditional line stops (nothing replaces it). */
  change: 'start' | 'end'
}

/** What applies on one channel on one day. */
export interface ChannelOn {
  channel: Channel
  fee: Fee
  time: TimeLimit
  /** The unconditional rules that replaced the base values, if any. */
  feeRule?: Rule
  timeRule?: Rule
  extras: ExtraLine[]
  upcoming: Upcoming[]
}

/** The facts of a procedure as they apply on `date`. */
export interface FactsOn {
  date: string
  channels: ChannelOn[]
}

function valueOn (p: Procedure, c: Channel, kind: Rule['kind'], date: string): { rule?: Rule, fee?: Fee, time?: TimeLimit } {
  const rule = p.rules.find((r) => r.kind === kind && r.condition === undefined && appliesTo(r, c) && inForce(r, date))
  const base = p.channels[c]!
  if (kind === 'fee') return { rule, fee: rule?.fee ?? base.fee }
  return { rule, time: rule?.time ?? base.time }
}

function sameFee (a: Fee, b: Fee): boolean {
  return a.amount === b.amount && a.text === b.text && a.setByProvince === b.setByProvince
}

function sameTime (a: TimeLimit, b: TimeLimit): boolean {
  return a.value === b.value && a.unit === b.unit && a.cutoff === b.cutoff && a.note === b.note
}

/**
 * The fee and time limit of every channel of `p` on `date` (a Vietnam date, YYYY-MM-DD): unconditional
 * rules in force replace the base values, conditional rules in force become extra lines, and changes
 * starting within ANNOUNCE_DAYS days after `date` are listed as upcoming.
 */
export function factsOn (p: Procedure, date: string): FactsOn {
  const horizon = addDays(date, ANNOUNCE_DAYS)
  const boundaries = [...new Set(p.rules.flatMap((r) => [r.from, r.to === undefined ? undefined : addDays(r.to, 1)])
    .filter((d): d is string => d !== undefined && d > date && d <= horizon))].sort()
  const channels: ChannelOn[] = []
  for (const c of CHANNELS) {
    if (p.channels[c] === undefined) continue
    const fee = valueOn(p, c, 'fee', date)
    const time = valueOn(p, c, 'time', date)
    const conditional = p.rules.filter((r) => r.condition !== undefined && appliesTo(r, c))
    const extras: ExtraLine[] = conditional.filter((r) => inForce(r, date)).map((r) => ({
      rule: r,
      condition: r.condition!,
      text: r.fee?.text ?? r.time?.note ?? '',
    }))
    const upcoming: Upcoming[] = []
    let prevFee = fee.fee!
    let prevTime = time.time!
    for (const b of boundaries) {
      const f = valueOn(p, c, 'fee', b).fee!
      if (!sameFee(f, prevFee)) upcoming.push({ date: b, kind: 'fee', fee: f, change: 'start' })
      prevFee = f
      const t = valueOn(p, c, 'time', b).time!
      if (!sameTime(t, prevTime)) upcoming.push({ date: b, kind: 'time', time: t, change: 'start' })
      prevTime = t
    }
    for (const r of conditional) {
      if (r.from !== undefined && r.from > date && r.from <= horizon) {
        upcoming.push({ date: r.from, kind: r.kind, fee: r.fee, time: r.time, condition: r.condition, change: 'start' })
      }
      if (r.to !== undefined && inForce(r, date) && addDays(r.to, 1) <= horizon) {
        upcoming.push({ date: addDays(r.to, 1), kind: r.kind, condition: r.condition, change: 'end' })
      }
    }
    upcoming.sort((a, b) => a.date.localeCompare(b.date))
    channels.push({
      channel: c,
      fee: fee.fee!,
      time: time.time!,
      ...(fee.rule !== undefined ? { feeRule: fee.rule } : {}),
      ...(time.rule !== undefined ? { timeRule: time.rule } : {}),
      extras,
      upcoming,
    })
  }
  return { date, channels }
}

/** Rules whose `from` or `to` falls within `days` days after `date` (for the staff report). */
export function rulesChangingWithin (p: Procedure, date: string, days: number): Array<{ rule: Rule, edge: 'from' | 'to', date: string }> {
  const horizon = addDays(date, days)
  const out: Array<{ rule: Rule, edge: 'from' | 'to', date: string }> = []
  for (const r of p.rules) {
    if (r.from !== undefined && r.from >= date && r.from <= horizon) out.push({ rule: r, edge: 'from', date: r.from })
    if (r.to !== undefined && r.to >= date && r.to <= horizon) out.push({ rule: r, edge: 'to', date: r.to })
  }
  return out
}
