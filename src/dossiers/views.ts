import type { Catalogue } from '../catalogue/load.ts'
import type { OfficeKind } from '../catalogue/schema.ts'
import type { WorkingCalendar } from './calendar.ts'
import { nextStepText, type Office } from './next-step.ts'
import { maskName } from './privacy.ts'
import { CLOSED_STATUSES, STATUS_LABELS, WAITING_STATUSES, type DetailView, type Dossier, type PublicView } from './types.ts'

/**
 * Late and due-soon are computed here, never stored. A dossier is late (overdue) when open and past
 * its promised date, or finished (status 9/10) after it; it stays late after an apology (the new date
 * is a new promise, not a correction). While the citizen must act (5, 6) the clock is paused: neither
 * flag is set. Due soon: open, not past the current promise, and due within one working day.
 */
export function timing (d: Dossier, calendar: WorkingCalendar, now: Date): { overdue: boolean, dueSoon: boolean } {
  const due = Date.parse(d.dueAt)
  if (WAITING_STATUSES.has(d.status)) return { overdue: false, dueSoon: false }
  if (CLOSED_STATUSES.has(d.status)) {
    if (d.status !== 9 && d.status !== 10) return { overdue: false, dueSoon: false }
    const done = d.history.find((h) => h.status === 9) ?? d.history.find((h) => h.status === 10)
    return { overdue: done !== undefined && Date.parse(done.at) > due, dueSoon: false }
  }
  const promise = d.apology !== undefined ? Date.parse(d.apology.newDueAt) : due
  const t = now.getTime()
  return {
    overdue: t > due,
    dueSoon: t <= promise && promise <= calendar.addWorkingDays(now, 1).getTime(),
  }
}

const PLACES: Record<OfficeKind, string> = {
  'commune-centre': 'Trung tâm Phục vụ hành chính công nơi Anh/Chị đã nộp hồ sơ',
  'commune-police': 'trụ sở Công an xã/phường nơi Anh/Chị đã nộp hồ sơ',
  'city-centre': 'Trung tâm Phục vụ hành chính công thành phố, nơi Anh/Chị đã nộp hồ sơ',
}

/** Where the citizen deals with the office for a procedure: place, hours (short) and fee text. */
export function officeFor (catalogue: Catalogue, procedureId: string): Office {
  const p = catalogue.byId.get(procedureId)
  if (p === undefined) return { place: 'nơi Anh/Chị đã nộp hồ sơ' }
  const office = catalogue.offices.units.flatMap((u) => u.offices).find((o) => o.kind === p.office)
  const hours = office?.toBeConfirmed.includes('hours') === false ? office.hours.replace(/\s*\(.*\)\s*$/, '') : undefined
  const fee = (p.channels.direct ?? p.channels.online ?? p.channels.postal)?.fee.text
  return { place: PLACES[p.office], ...(hours !== undefined ? { hours } : {}), ...(fee !== undefined ? { fee } : {}) }
}

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
  const { overdue, dueSoon } = timing(d, deps.calendar, deps.now)
  const title = deps.catalogue.byId.get(d.procedureId)?.title ?? 'Thủ tục hành chính'
  const apology = d.apology !== undefined ? { newDueAt: d.apology.newDueAt } : undefined
  const step = { status: d.status, dueAt: d.dueAt, overdue, apology, respondBy: d.respondBy }
  return {
    code: d.code,
    procedure: { id: d.procedureId, title },
    receivedAt: d.receivedAt,
    dueAt: d.dueAt,
    status: d.status,
    statusLabel: statusLabelOf(d),
    overdue,
    dueSoon,
    nextStep: nextStepText(step, officeFor(deps.catalogue, d.procedureId)),
    applicant: maskName(d.applicantName),
    ...(apology !== undefined ? { apology } : {}),
  }
}

/** The view after the second factor: adds the full name, public history, documents to add, deadlines. */
export function toDetailView (d: Dossier, deps: ViewDeps): DetailView {
  const { apology: _publicApology, ...pub } = toPublicView(d, deps)
  const step = { status: d.status, dueAt: d.dueAt, overdue: pub.overdue, apology: d.apology, respondBy: d.respondBy, missingDocuments: d.missingDocuments }
  return {
    ...pub,
    nextStep: nextStepText(step, officeFor(deps.catalogue, d.procedureId)),
    applicantName: d.applicantName,
    history: d.history.map((h) => ({ ...h })),
    missingDocuments: [...d.missingDocuments],
    ...(d.respondBy !== undefined ? { respondBy: d.respondBy } : {}),
    ...(d.apology !== undefined ? { apology: { ...d.apology } } : {}),
  }
}
