import { z } from 'zod'

/**
 * Schema of the shipped catalogue (`data/procedures/*.json`, `data/offices.json`).
 * Documented for staff in `data/README.md`; keep both in step.
 */

const text = z.string().trim().min(1)
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')

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
  /** Names of the fields above whose values are placeholders still to be confirmed by the locality. */
  toBeConfirmed: z.array(z.enum(['address', 'hours', 'phone'])).default([]),
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
})

export type Office = z.infer<typeof officeSchema>
export type AdminUnit = z.infer<typeof unitSchema>
export type OfficesFile = z.infer<typeof officesFileSchema>
