import { z } from 'zod'
import { normalizePhone } from './privacy.ts'
import { parseVnDateTime } from './time.ts'
import type { StatusCode } from './types.ts'

/** A staff input problem, naming the field (HTTP 400 `{ error: 'validation', field, message }`). */
export class DossierInputError extends Error {
  readonly field: string
  constructor (field: string, message: string) {
    super(message)
    this.name = 'DossierInputError'
    this.field = field
  }
}

const END_OF_DAY = 17 * 60

/** A date-time field; a date without time means opening (`start`) or closing (`end`) of that day. */
const dateTime = (kind: 'start' | 'end') => z.string().transform((s, ctx) => {
  const p = parseVnDateTime(s)
  if (p === null) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 date-time (2026-02-20T15:00:00+07:00) or 20/02/2026 15:00' })
    return z.NEVER
  }
  return kind === 'end' && !p.hasTime ? new Date(p.at.getTime() + END_OF_DAY * 60_000) : p.at
})

const blankToUndefined = (v: unknown): unknown => typeof v === 'string' && v.trim() === '' ? undefined : v
const optional = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional())
const text = (max: number) => z.string().transform((s) => s.replace(/\s+/g, ' ').trim()).pipe(z.string().min(1).max(max))
const status = z.preprocess((v) => typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v,
  z.number().int().min(1, 'status is a national status code 1–10').max(10, 'status is a national status code 1–10'))
  .transform((n) => n as StatusCode)
const phone = z.string().transform((s, ctx) => {
  const p = normalizePhone(s)
  if (p === null) {
    ctx.addIssue({ code: 'custom', message: 'expected a phone number of 9–11 digits' })
    return z.NEVER
  }
  return p
})

const upsertSchema = z.object({
  procedure: text(48),
  applicantName: text(120),
  phone,
  receivedAt: dateTime('start'),
  dueAt: optional(dateTime('end')),
  status,
  statusLabel: optional(text(80)),
  note: optional(text(500)),
  lookupCode: optional(z.string().trim().regex(/^[A-Za-z0-9]{4,12}$/, 'expected 4–12 letters or digits').transform((s) => s.toUpperCase())),
  /** The citizen agrees (true) or no longer agrees (false) to Zalo template messages at this phone; absent: unchanged. */
  zaloConsent: z.boolean('expected true or false').optional(),
})

const statusSchema = z.object({
  status,
  statusLabel: optional(text(80)),
  note: optional(text(500)),
  newDueAt: optional(dateTime('end')),
  respondBy: optional(dateTime('end')),
  missingDocuments: optional(z.array(text(200)).max(30)),
})

/** Validated input of a create-or-update (PUT, CSV row). */
export type UpsertInput = z.infer<typeof upsertSchema>
/** Validated input of a status change. */
export type StatusInput = z.infer<typeof statusSchema>

function parseWith<T> (schema: z.ZodType<T>, raw: unknown): T {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new DossierInputError('body', 'expected a JSON object')
  const r = schema.safeParse(raw)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const field = String(issue?.path[0] ?? 'body')
  // Zod does not report the input by default: a missing field is told apart by looking at the body.
  const missing = (raw as Record<string, unknown>)[field] === undefined
  const message = issue?.code === 'invalid_type' && missing ? 'required' : (issue?.message ?? 'invalid')
  throw new DossierInputError(field, message)
}

/** Validates a create-or-update body; throws DossierInputError naming the first bad field. */
export function parseUpsertInput (raw: unknown): UpsertInput {
  const input = parseWith(upsertSchema, raw)
  if (input.dueAt !== undefined && input.dueAt.getTime() < input.receivedAt.getTime()) {
    throw new DossierInputError('dueAt', 'dueAt is before receivedAt')
  }
  return input
}

/** Validates a status change body; throws DossierInputError naming the first bad field. */
export function parseStatusInput (raw: unknown): StatusInput {
  const input = parseWith(statusSchema, raw)
  if (input.missingDocuments !== undefined && input.missingDocuments.length > 0 && input.status !== 5) {
    throw new DossierInputError('missingDocuments', 'missingDocuments only go with status 5')
  }
  if (input.status === 5 && (input.missingDocuments === undefined || input.missingDocuments.length === 0)) {
    throw new DossierInputError('missingDocuments', 'status 5 needs the list of missing documents')
  }
  return input
}
