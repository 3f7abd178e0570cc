import { factsOn, vnDate } from '../catalogue/rules.ts'
import type { Catalogue } from '../catalogue/load.ts'
import type { OfficeKind } from '../catalogue/schema.ts'
import type { WorkingCalendar } from './calendar.ts'
import { nextStepText, type Office } from './next-step.ts'
import { maskName } from './privacy.ts'
import { toVnIso } from './time.ts'
import { CLOSED_STATUSES, STATUS_LABELS, WAITING_STATUSES, type DetailView, type Dossier, type PublicView } from './types.ts'

/**
 * Time spent waiting for the citizen (statuses 5 and 6) pauses the clock: the promised date moves
 * by that much office time. Returns the stored due date extended by every pause up to `until`.
 */
export function effectiveDue (d: Dossier, calendar: WorkingCalendar, until: Date): Date {
  const due = new Date(d.dueAt)
  let paused = 0
  d.history.forEach((h, i) => {
    if (!WAITING_STATUSES.has(h.status)) return
    const end = d.history[i + 1]?.at
    paused += calendar.workingMinutesBetween(new Date(h.at), end === undefined ? until : new Date(end))
  })
  return paused > 0 ? calendar.addWorkingHours(due, paused / 60) : due
}

/**
 * Late and due-soon are computed here, never stored. A dossier is late (overdue) when open and past
 * its promised date (extended by pauses, see {@link effectiveDue}), or finished (status 9/10) after
 * it; it stays late after an apology (the new date is a new promise, not a correction). While the
 * citizen must act (5, 6) neither flag is set. Due soon: open, not past the current promise (the
 * apology's date if any), and due within one working day.
 */
export function timing (d: Dossier, calendar: WorkingCalendar, now: Date): { overdue: boolean, dueSoon: boolean, dueAt: Date } {
  if (WAITING_STATUSES.has(d.status)) return { overdue: false, dueSoon: false, dueAt: effectiveDue(d, calendar, now) }
  if (CLOSED_STATUSES.has(d.status)) {
    const done = d.history.find((h) => h.status === 9) ?? d.history.find((h) => h.status === 10)
    const doneAt = done === undefined ? now : new Date(done.at)
    const due = effectiveDue(d, calendar, doneAt)
    const late = (d.status === 9 || d.status === 10) && doneAt.getTime() > due.getTime()
    return { overdue: late, dueSoon: false, dueAt: due }
  }
  const due = effectiveDue(d, calendar, now)
  const promise = d.apology !== undefined ? Date.parse(d.apology.newDueAt) : due.getTime()
  const t = now.getTime()
  return {
    overdue: t > due.getTime(),
    dueSoon: t <= promise && promise <= calendar.addWorkingDays(now, 1).getTime(),
    dueAt: due,
  }
}

const PLACES: Record<OfficeKind, string> = {
  'commune-centre': 'Trung tâm Phục vụ hành chính công nơi Anh/Chị đã nộp hồ sơ',
  'commune-police': 'trụ sở Công an xã/phường nơi Anh/Chị đã nộp hồ sơ',
  'city-centre': 'Trung tâm Phục vụ hành chính công thành phố, nơi Anh/Chị đã nộp hồ sơ',
}

/** Where the citizen deals with the office for a procedure: place, hours (short) and fee text. */
export function officeFor (catalogue: Catalogue, procedureId: string, now?: Date): Office {
  const p = catalogue.byId.get(procedureId)
  if (p === undefined) return { place: 'nơi Anh/Chị đã nộp hồ sơ' }
  const office = catalogue.offices.units.flatMap((u) => u.offices).find((o) => o.kind === p.office)
  const hours = office?.toBeConfirmed.includes('hours') === false ? office.hours.replace(/\s*\(.*\)\s*$/, '') : undefined
  // The fee in force on the day (dated rules of the catalogue), for the first channel offered.
  const fee = factsOn(p, vnDate((now ?? new Date()).getTime())).channels[0]?.fee.text
  return { place: PLACES[p.office], ...(hours !== undefined ? { hours } : {}), ...(fee !== undefined ? { fee } : {}) }
}

/**
 * {@link officeFor} per catalogue, procedure and Vietnamese day: the loaded catalogue never changes and
 * the fee in force changes by the day, so a view does not recompute the dated rules on every lookup.
 */
const officeMemo = new WeakMap<Catalogue, { day: string, byProcedure: Map<string, Office> }>()
function officeOn (catalogue: Catalogue, procedureId: string, now: Date): Office {
  const day = vnDate(now.getTime())
  let memo = officeMemo.get(catalogue)
  if (memo === undefined || memo.day !== day) {
    memo = { day, byProcedure: new Map() }
    officeMemo.set(catalogue, memo)
  }
  let office = memo.byProcedure.get(procedureId)
  if (office === undefined) {
    office = Object.freeze(officeFor(catalogue, procedureId, now))
    memo.byProcedure.set(procedureId, office)
  }
  return office
}

/** What building a view needs. */
export interface ViewDeps {
  catalogue: Catalogue
  calendar: WorkingCalendar
  now: Date
}

/** Status label shown to citizens: the national one, with the local software's label if any. */
export const statusLabelOf = (d: Pick<Dossier, 'status' | 'statusLabel'>): string =>
  d.statusLabel !== undefined && d.statusLabel !== STATUS_LABELS[d.status]
    ? `${STATUS_LABELS[d.status]} (${d.statusLabel})`
    : STATUS_LABELS[d.status]

/** The anonymous view: masked name, no phone, no history, no notes. */
export function toPublicView (d: Dossier, deps: ViewDeps): PublicView {
  const { overdue, dueSoon, dueAt } = timing(d, deps.calendar, deps.now)
  const title = deps.catalogue.byId.get(d.procedureId)?.title ?? 'Thủ tục hành chính'
  const apology = d.apology !== undefined ? { newDueAt: d.apology.newDueAt } : undefined
  const step = { status: d.status, dueAt: toVnIso(dueAt), overdue, apology, respondBy: d.respondBy }
  return {
    code: d.code,
    procedure: { id: d.procedureId, title },
    receivedAt: d.receivedAt,
    dueAt: toVnIso(dueAt),
    status: d.status,
    statusLabel: statusLabelOf(d),
    overdue,
    dueSoon,
    nextStep: nextStepText(step, officeOn(deps.catalogue, d.procedureId, deps.now)),
    applicant: maskName(d.applicantName),
    ...(apology !== undefined ? { apology } : {}),
  }
}

/** The view after the second factor: adds the full name, public history, documents to add, deadlines. */
export function toDetailView (d: Dossier, deps: ViewDeps): DetailView {
  const { apology: _publicApology, ...pub } = toPublicView(d, deps)
  const step = { status: d.status, dueAt: pub.dueAt, overdue: pub.overdue, apology: d.apology, respondBy: d.respondBy, missingDocuments: d.missingDocuments }
  return {
    ...pub,
    nextStep: nextStepText(step, officeOn(deps.catalogue, d.procedureId, deps.now)),
    applicantName: d.applicantName,
    history: d.history.map((h) => ({ ...h })),
    missingDocuments: [...d.missingDocuments],
    ...(d.respondBy !== undefined ? { respondBy: d.respondBy } : {}),
    ...(d.apology !== undefined ? { apology: { ...d.apology } } : {}),
  }
}
