import type { Procedure } from '../catalogue/schema.ts'
import type { WorkingCalendar } from './calendar.ts'
import type { StatusInput, UpsertInput } from './input.ts'
import { toVnIso } from './time.ts'
import type { Dossier, HistoryEntry } from './types.ts'

/**
 * Pure state transitions of a dossier. Both return the next record (or the same one when nothing
 * changed) and the names of the fields that changed — never their values, which may be personal.
 */
export interface Transition {
  next: Dossier
  created: boolean
  changed: string[]
  /** Index of the history entry added by this transition, if any. */
  historyIndex?: number
  /** Whether subscribers should be told (status, apology or documents to add changed). */
  notify: boolean
  apologyGiven: boolean
}

/** What a create-or-update needs besides the input. */
export interface UpsertContext {
  now: Date
  procedure: Procedure
  calendar: WorkingCalendar
  newLookupCode: () => string
  /** Who writes (recorded with a desk consent). */
  staff?: string
}

const FIELDS = ['procedureId', 'applicantName', 'phone', 'receivedAt', 'dueAt', 'status', 'statusLabel', 'lookupCode',
  'missingDocuments', 'respondBy', 'apology', 'deskConsent'] as const

function diff (a: Dossier | undefined, b: Dossier): string[] {
  if (a === undefined) return []
  return FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]))
}

const entry = (at: Date, d: Pick<Dossier, 'status' | 'statusLabel'>, note?: string): HistoryEntry => ({
  at: toVnIso(at),
  status: d.status,
  ...(d.statusLabel !== undefined ? { label: d.statusLabel } : {}),
  ...(note !== undefined ? { note } : {}),
})

/** The procedure's time limit used for due dates: the direct channel's, else online, else postal. */
export function timeLimitOf (p: Procedure): NonNullable<Procedure['channels']['direct']>['time'] {
  const c = p.channels.direct ?? p.channels.online ?? p.channels.postal
  if (c === undefined) throw new Error(`procedure ${p.id} has no channel`)
  return c.time
}

/** Create, or update from a full staff record (PUT body, CSV row). */
export function applyUpsert (code: string, existing: Dossier | undefined, input: UpsertInput, ctx: UpsertContext): Transition {
  const receivedAt = toVnIso(input.receivedAt)
  const sameBasis = existing !== undefined && existing.procedureId === input.procedure && existing.receivedAt === receivedAt
  const dueAt = input.dueAt !== undefined
    ? toVnIso(input.dueAt)
    : sameBasis ? existing.dueAt : toVnIso(ctx.calendar.dueDate(input.receivedAt, timeLimitOf(ctx.procedure)))
  const leaving5 = existing !== undefined && input.status !== 5
  const base: Dossier = {
    code,
    procedureId: input.procedure,
    applicantName: input.applicantName,
    phone: input.phone,
    receivedAt,
    dueAt,
    status: input.status,
    ...(input.statusLabel !== undefined ? { statusLabel: input.statusLabel } : {}),
    history: existing?.history ?? [],
    missingDocuments: leaving5 ? [] : (existing?.missingDocuments ?? []),
    ...(existing?.respondBy !== undefined && [5, 6].includes(input.status) ? { respondBy: existing.respondBy } : {}),
    ...(existing?.apology !== undefined ? { apology: existing.apology } : {}),
    lookupCode: input.lookupCode ?? existing?.lookupCode ?? ctx.newLookupCode(),
    subscribers: existing?.subscribers ?? [],
    updatedAt: toVnIso(ctx.now),
  }
  // Consent was given for the registered phone: a new phone needs it again.
  const kept = existing?.phone === input.phone ? existing.deskConsent : undefined
  const consent = input.zaloConsent === undefined
    ? kept
    : input.zaloConsent ? (kept ?? { at: toVnIso(ctx.now), staff: ctx.staff ?? 'unknown' }) : undefined
  if (consent !== undefined) base.deskConsent = consent
  if (existing === undefined) {
    const next = { ...base, history: [entry(ctx.now, base, input.note)] }
    return { next, created: true, changed: [], historyIndex: 0, notify: false, apologyGiven: false }
  }
  const changed = diff(existing, base)
  if (changed.length === 0) return { next: existing, created: false, changed, notify: false, apologyGiven: false }
  const statusChanged = changed.includes('status') || changed.includes('statusLabel')
  if (!statusChanged) return { next: base, created: false, changed, notify: false, apologyGiven: false }
  const next = { ...base, history: [...base.history, entry(ctx.now, base, input.note)] }
  return { next, created: false, changed, historyIndex: next.history.length - 1, notify: true, apologyGiven: false }
}

/** A status change (with its note, new due date, documents to add or deadline for the citizen). */
export function applyStatus (existing: Dossier, input: StatusInput, now: Date): Transition {
  const sameStatus = existing.status === input.status
  const waiting = input.status === 5 || input.status === 6
  const respondBy = input.respondBy !== undefined
    ? toVnIso(input.respondBy)
    : waiting && sameStatus ? existing.respondBy : undefined
  const apology = input.newDueAt !== undefined
    ? { reason: input.note ?? '', newDueAt: toVnIso(input.newDueAt) }
    : existing.apology
  const statusLabel = input.statusLabel ?? (sameStatus ? existing.statusLabel : undefined)
  const base: Dossier = {
    ...existing,
    status: input.status,
    missingDocuments: input.status === 5 ? (input.missingDocuments ?? existing.missingDocuments) : [],
    updatedAt: toVnIso(now),
  }
  delete base.statusLabel
  delete base.respondBy
  delete base.apology
  if (statusLabel !== undefined) base.statusLabel = statusLabel
  if (respondBy !== undefined) base.respondBy = respondBy
  if (apology !== undefined) base.apology = apology
  const changed = diff(existing, base)
  const last = existing.history[existing.history.length - 1]
  const newNote = input.note !== undefined && input.note !== last?.note
  if (changed.length === 0 && !newNote) return { next: existing, created: false, changed, notify: false, apologyGiven: false }
  const next = { ...base, history: [...existing.history, entry(now, base, input.note)] }
  const apologyGiven = changed.includes('apology')
  const notify = !sameStatus || apologyGiven || changed.includes('missingDocuments') || changed.includes('statusLabel')
  return { next, created: false, changed: newNote ? [...changed, 'note'] : changed, historyIndex: next.history.length - 1, notify, apologyGiven }
}
