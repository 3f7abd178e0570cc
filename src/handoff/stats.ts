import type { Catalogue } from '../catalogue/load.ts'
import type { WorkingCalendar } from '../dossiers/calendar.ts'
import type { DossierStore } from '../dossiers/store.ts'
import { timing } from '../dossiers/views.ts'
import type { HandoffStore } from './types.ts'
import { recentWeeks, weekOf, weekStart } from './weeks.ts'

/** One week (Monday, Vietnam date) of the desk's measures, as `GET /api/staff/stats` returns it. */
export interface WeekStats {
  week: string
  /** Typed questions to the bot, and those it answered (not logged as unanswered). */
  questions: number
  answered: number
  /** answered / questions, or null without questions. */
  answeredShare: number | null
  handoffs: {
    opened: number
    /** Got an officer's reply. */
    replied: number
    /** Still waiting for a first reply. */
    waiting: number
    /** Minutes from the request to the first reply (wall clock, and office time only). */
    medianWaitMinutes: number | null
    medianWaitOfficeMinutes: number | null
    maxWaitMinutes: number | null
  }
  /** 👍/👎 answers to «Thông tin này có giúp Anh/Chị không phải đi lại không?», per procedure (null: dossier answers without one). */
  feedback: { up: number, down: number, byProcedure: Array<{ procedureId: string | null, title: string, up: number, down: number }> }
  /** Dossiers received that week: finished on time, late (finished after or open past the promise), with an apology letter. */
  dossiers: { received: number, onTime: number, late: number, apologies: number }
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2)
}

/**
 * The last `weeks` weeks of measures, newest first. Dossiers are read in one pass over the store (the
 * dossier table has no received-date column), so the cost grows with the number of dossiers.
 */
export async function weeklyStats (deps: {
  store: HandoffStore
  dossiers: DossierStore
  catalogue: Catalogue
  calendar: WorkingCalendar
  now: number
  weeks: number
}): Promise<WeekStats[]> {
  const keys = recentWeeks(deps.now, deps.weeks)
  const since = weekStart(keys[keys.length - 1]!)
  const out = new Map<string, WeekStats>(keys.map((week) => [week, {
    week,
    questions: 0,
    answered: 0,
    answeredShare: null,
    handoffs: { opened: 0, replied: 0, waiting: 0, medianWaitMinutes: null, medianWaitOfficeMinutes: null, maxWaitMinutes: null },
    feedback: { up: 0, down: 0, byProcedure: [] },
    dossiers: { received: 0, onTime: 0, late: 0, apologies: 0 },
  }]))

  for (const c of await deps.store.questionCounts(keys[keys.length - 1]!)) {
    const w = out.get(c.week)
    if (w === undefined) continue
    w.questions += c.questions
    w.answered += c.answered
  }

  const waits = new Map<string, { wall: number[], office: number[] }>()
  for (const t of await deps.store.openedSince(since)) {
    const w = out.get(weekOf(t.openedAt))
    if (w === undefined) continue
    w.handoffs.opened++
    if (t.firstReplyAt !== undefined) {
      w.handoffs.replied++
      const list = waits.get(w.week) ?? { wall: [], office: [] }
      list.wall.push(Math.round((t.firstReplyAt - t.openedAt) / 60_000))
      list.office.push(deps.calendar.workingMinutesBetween(new Date(t.openedAt), new Date(t.firstReplyAt)))
      waits.set(w.week, list)
    } else if (t.status !== 'closed') {
      w.handoffs.waiting++
    }
  }
  for (const [week, list] of waits) {
    const h = out.get(week)!.handoffs
    h.medianWaitMinutes = median(list.wall)
    h.medianWaitOfficeMinutes = median(list.office)
    h.maxWaitMinutes = Math.max(...list.wall)
  }

  for (const f of await deps.store.feedbackSince(since)) {
    if (f.vote === undefined) continue
    const w = out.get(weekOf(f.askedAt))
    if (w === undefined) continue
    const id = f.procedureId ?? null
    let row = w.feedback.byProcedure.find((r) => r.procedureId === id)
    if (row === undefined) {
      row = { procedureId: id, title: id === null ? (f.subject === 'dossier' ? 'Tra cứu hồ sơ' : 'Gặp cán bộ') : deps.catalogue.byId.get(id)?.title ?? id, up: 0, down: 0 }
      w.feedback.byProcedure.push(row)
    }
    if (f.vote === 1) { row.up++; w.feedback.up++ } else { row.down++; w.feedback.down++ }
  }

  const now = new Date(deps.now)
  for await (const d of deps.dossiers.list()) {
    const received = Date.parse(d.receivedAt)
    if (!(received >= since)) continue
    const w = out.get(weekOf(received))
    if (w === undefined) continue
    w.dossiers.received++
    const { overdue } = timing(d, deps.calendar, now)
    if (overdue) w.dossiers.late++
    else if (d.status === 9 || d.status === 10) w.dossiers.onTime++
    if (d.apology !== undefined) w.dossiers.apologies++
  }

  for (const w of out.values()) {
    w.answeredShare = w.questions === 0 ? null : Math.round((w.answered / w.questions) * 1000) / 1000
    w.feedback.byProcedure.sort((a, b) => (b.up + b.down) - (a.up + a.down) || a.title.localeCompare(b.title, 'vi'))
  }
  return keys.map((k) => out.get(k)!)
}
