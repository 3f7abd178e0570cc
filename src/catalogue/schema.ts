import { z } from 'zod'

/**
 * Schema of the shipped catalogue (`data/procedures/*.json`, `data/offices.json`).
 * Documented for staff in `data/README.md`; keep both in step.
 */

const text = z.string().trim().min(1)

/** True when `s` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate (s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

const isoDate = z.string().refine(isIsoDate, { message: 'expected a real date YYYY-MM-DD' })

export const TIME_UNITS = ['same-day', 'hours', 'working-days', 'days', 'months'] as const
export type TimeUnit = typeof TIME_UNITS[number]

export const OFFICE_KINDS = ['commune-centre', 'commune-police', 'city-centre'] as const
export type OfficeKind = typeof OFFICE_KINDS[number]

export const CHANNELS = ['direct', 'online', 'postal'] as const
export type Channel = typeof CHANNELS[number]

const documentSchema = z.strictObject({
  name: text,
  form: text.nullable().optional(),
  originals: z.number().int().min(0).optional(),
  copies: z.number().int().min(0).optional(),
  note: text.optional(),
})

const timeSchema = z.strictObject({
  value: z.number().min(0),
  unit: z.enum(TIME_UNITS),
  /** For `same-day`: requests received after this local time are due the next working day. */
  cutoff: z.string().regex(/^\d{2}:\d{2}$/).optional(),
  note: text.optional(),
}).refine((t) => t.unit !== 'same-day' || t.value === 0, { message: 'same-day time limits must have value 0' })
  .refine((t) => t.unit === 'same-day' || t.value > 0, { message: 'time limit value must be > 0' })

const feeSchema = z.strictObject({
  /** Amount in đồng for one case; null when it varies (per page, by province, …): `text` then explains. */
  amount: z.number().int().min(0).nullable(),
  text,
  /** True when the figure is set by the provincial People's Council (HĐND). */
  setByProvince: z.boolean().default(false),
})

const channelSchema = z.strictObject({
  time: timeSchema,
  fee: feeSchema,
})

/** What a source vouches for (the facts it was read for). */
export const SOURCE_COVERS = [
  'fee', 'time', 'documents', 'forms', 'level', 'legalBasis', 'steps', 'code', 'agency',
  'conditions', 'result', 'online', 'applicants',
] as const
export type SourceCover = typeof SOURCE_COVERS[number]

const sourceSchema = z.strictObject({
  url: z.url(),
  title: text,
  /** Date the page or record shows (or the crawl commit date). */
  publishedAt: isoDate.optional(),
  /** Day the auditor read it. */
  retrievedAt: isoDate,
  covers: z.array(z.enum(SOURCE_COVERS)).min(1),
})
export type Source = z.infer<typeof sourceSchema>

export const REVIEW_STATUSES = ['ok', 'corrected', 'unverifiable'] as const
export type ReviewStatus = typeof REVIEW_STATUSES[number]

/** Staff-facing audit outcome: never rendered to citizens. */
const reviewSchema = z.strictObject({
  status: z.enum(REVIEW_STATUSES),
  notes: z.array(text).default([]),
})
export type Review = z.infer<typeof reviewSchema>

export const RULE_KINDS = ['fee', 'time'] as const
export type RuleKind = typeof RULE_KINDS[number]

/**
 * A dated fee or time-limit change. A rule without `condition` replaces the channel's base value
 * while in force; a rule with one is an extra line for citizens who qualify.
 */
const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'rule id must be kebab-case'),
  kind: z.enum(RULE_KINDS),
  /** Omitted = every channel. */
  channel: z.enum(CHANNELS).optional(),
  /** Inclusive, Vietnam date. */
  from: isoDate.optional(),
  /** Inclusive, Vietnam date. */
  to: isoDate.optional(),
  fee: feeSchema.optional(),
  time: timeSchema.optional(),
  condition: text.optional(),
  sourceUrl: z.url(),
}).refine((r) => r.from === undefined || r.to === undefined || r.from <= r.to, {
  message: 'rule from must be on or before to',
}).refine((r) => (r.kind === 'fee') === (r.fee !== undefined) && (r.kind === 'time') === (r.time !== undefined), {
  message: 'a fee rule needs `fee` (and no `time`); a time rule needs `time` (and no `fee`)',
})
export type Rule = z.infer<typeof ruleSchema>

/** True when two rules apply to the same kind, channel (omitted = all) and condition on a shared day. */
export function rulesOverlap (a: Rule, b: Rule): boolean {
  if (a.kind !== b.kind) return false
  if ((a.condition ?? '') !== (b.condition ?? '')) return false
  if (a.channel !== undefined && b.channel !== undefined && a.channel !== b.channel) return false
  const aFrom = a.from ?? '0000-01-01'
  const aTo = a.to ?? '9999-12-31'
  const bFrom = b.from ?? '0000-01-01'
  const bTo = b.to ?? '9999-12-31'
  return aFrom <= bTo && bFrom <= aTo
}

/** Every overlapping pair of rules in a record, as human-readable messages. */
export function ruleOverlaps (rules: readonly Rule[]): string[] {
  const out: string[] = []
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i]
      const b = rules[j]
      if (a !== undefined && b !== undefined && rulesOverlap(a, b)) out.push(`rules ${a.id} and ${b.id} overlap`)
    }
  }
  return out
}

export const procedureSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,48}$/, 'id must match ^[a-z0-9-]{1,48}$'),
  code: z.string().regex(/^\d\.\d{6}(\.[A-Za-z0-9.]+)?$/, 'national code looks like 1.001193').nullable(),
  title: text,
  field: text,
  levels: z.array(text).min(1),
  agency: text,
  office: z.enum(OFFICE_KINDS),
  receivingOffice: text,
  applicants: text.optional(),
  steps: z.array(text).min(1),
  documents: z.strictObject({
    submit: z.array(documentSchema).min(1),
    show: z.array(documentSchema).default([]),
  }),
  channels: z.strictObject({
    direct: channelSchema.optional(),
    online: channelSchema.optional(),
    postal: channelSchema.optional(),
  }).refine((c) => c.direct !== undefined || c.online !== undefined || c.postal !== undefined, {
    message: 'at least one channel (direct, online, postal) is required',
  }),
  exemptions: z.array(text).default([]),
  result: text,
  legalBasis: z.array(text).min(1),
  conditions: z.array(text).default([]),
  online: z.enum(['toan-trinh', 'mot-phan', 'none']),
  forms: z.array(text).default([]),
  aliases: z.array(text).default([]),
  keywords: z.array(text).default([]),
  notes: z.array(text).default([]),
  source: text,
  verifiedAt: isoDate,
  /** Where each fact comes from. May be empty at load time during the audit; the validator requires it. */
  sources: z.array(sourceSchema).default([]),
  review: reviewSchema.optional(),
  rules: z.array(ruleSchema).default([]),
}).superRefine((p, ctx) => {
  const ids = new Set<string>()
  for (const r of p.rules) {
    if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules'], message: `duplicate rule id ${r.id}` })
    ids.add(r.id)
  }
  for (const m of ruleOverlaps(p.rules)) ctx.addIssue({ code: 'custom', path: ['rules'], message: m })
})

export type Procedure = z.infer<typeof procedureSchema>
export type ProcedureInput = z.input<typeof procedureSchema>

export const procedureFileSchema = z.strictObject({
  field: text,
  procedures: z.array(procedureSchema).min(1),
})

const officeSchema = z.strictObject({
  kind: z.enum(OFFICE_KINDS),
  name: text,
  address: text,
  hours: text,
  phone: text,
  /** A hotline (đường dây nóng), only when a public source gives it. */
  hotline: text.optional(),
  /**
   * Fields above for which no public source gives the exact value: the value then only describes what is
   * known (e.g. "Trụ sở UBND xã Hòa Tú") and the bot says plainly that the exact value is not known.
   */
  toBeConfirmed: z.array(z.enum(['address', 'hours', 'phone'])).default([]),
  /** Public sources of the known values (URL and date read). */
  sources: z.array(z.strictObject({ url: z.url(), title: text, publishedAt: isoDate.optional(), retrievedAt: isoDate })).default([]),
})

export const unitSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,48}$/),
  name: text,
  type: z.enum(['xã', 'phường', 'thành phố']),
  formerUnits: z.array(text).default([]),
  offices: z.array(officeSchema).min(1),
})

export const officesFileSchema = z.strictObject({
  province: text,
  source: text,
  verifiedAt: isoDate,
  units: z.array(unitSchema).min(1),
  /**
   * Place names that mean different units: "xã Thạnh Quới" is both a former commune merged into xã Gia
   * Hòa and, since 2025, a separate commune elsewhere in Cần Thơ. The bot says both instead of guessing.
   */
  ambiguousNames: z.array(z.strictObject({ name: text, unitId: text, explanation: text })).default([]),
})

export type Office = z.infer<typeof officeSchema>
export type AdminUnit = z.infer<typeof unitSchema>
export type OfficesFile = z.infer<typeof officesFileSchema>
