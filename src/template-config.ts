import { NOTICE_FIELDS, NOTICE_KINDS, type NoticeField, type NoticeKind } from './outbox/notice.ts'

/**
 * Zalo ZBS template messages as configured: which approved template serves which kind of status
 * change, and how its parameters are filled. Parsed from `ZALO_TEMPLATE_<KIND>` variables (one line
 * each) or from the JSON file named by `ZALO_TEMPLATE_FILE`; both are validated at start-up and every
 * error names the variable (or the file and key).
 */
export interface ZaloTemplate {
  /** The template id Zalo gave when it approved the template. */
  templateId: string
  /** Template parameter name → the value that fills it. */
  params: Record<string, NoticeField>
  /** False for templates that can only be sent by phone (approved before 10 Dec 2025). */
  uid: boolean
  /** Price of one message by phone / by user id (VND), when it differs from the configured unit prices. */
  priceVnd?: number
  uidPriceVnd?: number
  /** The approved text (optional; checked against Zalo's content rules when given). */
  text?: string
}

export type ZaloTemplates = Partial<Record<NoticeKind, ZaloTemplate>>

/** A configuration problem; `where` names the variable or file key. */
export class TemplateConfigError extends Error {
  readonly where: string
  constructor (where: string, message: string) {
    super(`${where}: ${message}`)
    this.name = 'TemplateConfigError'
    this.where = where
  }
}

/** `ZALO_TEMPLATE_<KIND>` variable of each kind. */
export const templateVariable = (kind: NoticeKind): string => `ZALO_TEMPLATE_${kind.toUpperCase()}`

const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,64}$/
const PARAM = /^[A-Za-z0-9_]{1,50}$/
const isField = (s: string): s is NoticeField => (NOTICE_FIELDS as readonly string[]).includes(s)
/** Longest text Zalo accepts in a ZBS template. */
export const TEMPLATE_MAX_CHARS = 400

/**
 * What Zalo's review rejects in a template's text (and what must never reach one through a parameter):
 * informal address ("anh/chị"), bare links and bare phone numbers (links and calls belong in CTA buttons).
 * Returns the problems found, in English, empty when none.
 */
export function templateTextProblems (text: string): string[] {
  const problems: string[] = []
  const lower = text.normalize('NFC').toLowerCase()
  if (/(^|[^\p{L}])(anh\s*\/\s*chị|anh\s+chị|chị\s*\/\s*anh|a\/c)(?![\p{L}])/u.test(lower)) problems.push('informal address ("anh/chị"): templates use formal wording')
  if (/(https?:\/\/|www\.|\b[a-z0-9-]+\.(vn|com|net|org|gov|me|io)\b)/i.test(text)) problems.push('a bare link: links belong in a CTA button')
  if (/(\+?84|\b0)[\s.-]?\d{2,3}([\s.-]?\d{3,4}){2}\b/.test(text) || /\b1[89]00[\s.-]?\d{3,4}([\s.-]?\d{2,4})?\b/.test(text)) problems.push('a bare phone number: calls belong in a CTA button')
  return problems
}

function checkPrice (where: string, raw: unknown): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 100_000) throw new TemplateConfigError(where, 'expected a price in VND (whole number, 0–100000)')
  return n
}

function checkTemplate (where: string, t: ZaloTemplate): ZaloTemplate {
  if (!TEMPLATE_ID.test(t.templateId)) throw new TemplateConfigError(where, `template id ${JSON.stringify(t.templateId.slice(0, 80))} is not 1–64 letters, digits, _ or -`)
  const names = Object.keys(t.params)
  if (names.length === 0) throw new TemplateConfigError(where, 'no parameters: map at least the dossier code, e.g. ma_ho_so=code')
  if (!Object.values(t.params).includes('code')) throw new TemplateConfigError(where, 'the dossier code must fill one parameter (…=code): a notice without it cannot be acted on')
  if (t.text !== undefined) {
    const text = t.text.normalize('NFC')
    if (text.length > TEMPLATE_MAX_CHARS) throw new TemplateConfigError(where, `text is ${text.length} characters; Zalo allows ${TEMPLATE_MAX_CHARS}`)
    const problems = templateTextProblems(text.replace(/<[A-Za-z0-9_]+>/g, ''))
    if (problems.length > 0) throw new TemplateConfigError(where, `text has ${problems.join('; ')}`)
    const placeholders = new Set([...text.matchAll(/<([A-Za-z0-9_]+)>/g)].map((m) => m[1] as string))
    for (const p of placeholders) if (!names.includes(p)) throw new TemplateConfigError(where, `text uses <${p}> but no parameter ${p} is mapped`)
    for (const n of names) if (!placeholders.has(n)) throw new TemplateConfigError(where, `parameter ${n} does not appear in the text as <${n}>`)
  }
  return t
}

/**
 * Parses one `ZALO_TEMPLATE_<KIND>` value: `<template id> <param>=<field> … [phone-only] [price=<vnd>]
 * [uid-price=<vnd>]`, e.g. `412345 ma_ho_so=code thu_tuc=procedure ngay_hen=due_date`. Fields:
 * code, procedure, status, due_date, received_at, next_step.
 */
export function parseTemplateSpec (variable: string, spec: string): ZaloTemplate {
  const tokens = spec.trim().split(/\s+/).filter((s) => s !== '')
  const [templateId, ...rest] = tokens
  if (templateId === undefined) throw new TemplateConfigError(variable, 'empty; expected "<template id> <param>=<field> …"')
  const t: ZaloTemplate = { templateId, params: {}, uid: true }
  for (const token of rest) {
    if (token === 'phone-only') { t.uid = false; continue }
    const i = token.indexOf('=')
    if (i <= 0) throw new TemplateConfigError(variable, `cannot read ${JSON.stringify(token.slice(0, 80))}; expected <param>=<field>, phone-only, price=<vnd> or uid-price=<vnd>`)
    const name = token.slice(0, i)
    const value = token.slice(i + 1)
    if (name === 'price') { t.priceVnd = checkPrice(variable, value); continue }
    if (name === 'uid-price') { t.uidPriceVnd = checkPrice(variable, value); continue }
    if (!PARAM.test(name)) throw new TemplateConfigError(variable, `parameter name ${JSON.stringify(name.slice(0, 80))} is not 1–50 letters, digits or _`)
    if (!isField(value)) throw new TemplateConfigError(variable, `unknown field ${JSON.stringify(value.slice(0, 80))} for ${name}; use one of ${NOTICE_FIELDS.join(', ')}`)
    if (t.params[name] !== undefined) throw new TemplateConfigError(variable, `parameter ${name} is mapped twice`)
    t.params[name] = value
  }
  return checkTemplate(variable, t)
}

/**
 * Parses the JSON template file: `{ "<kind>": { "templateId": "412345", "params": { "ma_ho_so": "code" },
 * "uid": true, "priceVnd": 300, "uidPriceVnd": 200, "text": "…<ma_ho_so>…" } }`. `source` names the
 * file in errors.
 */
export function parseTemplateFile (source: string, json: string): ZaloTemplates {
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch (err) {
    throw new TemplateConfigError(source, `not JSON (${(err as Error).message})`)
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new TemplateConfigError(source, 'expected an object keyed by kind')
  const out: ZaloTemplates = {}
  for (const [kind, raw] of Object.entries(doc as Record<string, unknown>)) {
    const where = `${source} ${kind}`
    if (!(NOTICE_KINDS as readonly string[]).includes(kind)) throw new TemplateConfigError(where, `unknown kind; use ${NOTICE_KINDS.join(', ')}`)
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new TemplateConfigError(where, 'expected an object { templateId, params }')
    const r = raw as Record<string, unknown>
    for (const key of Object.keys(r)) {
      if (!['templateId', 'params', 'uid', 'priceVnd', 'uidPriceVnd', 'text'].includes(key)) throw new TemplateConfigError(`${where}.${key}`, 'unknown key')
    }
    const templateId = typeof r.templateId === 'number' ? String(r.templateId) : r.templateId
    if (typeof templateId !== 'string') throw new TemplateConfigError(`${where}.templateId`, 'required (a string)')
    if (r.params === null || typeof r.params !== 'object' || Array.isArray(r.params)) throw new TemplateConfigError(`${where}.params`, 'required: { "<param>": "<field>" }')
    const params: Record<string, NoticeField> = {}
    for (const [name, field] of Object.entries(r.params as Record<string, unknown>)) {
      if (!PARAM.test(name)) throw new TemplateConfigError(`${where}.params`, `parameter name ${JSON.stringify(name.slice(0, 80))} is not 1–50 letters, digits or _`)
      if (typeof field !== 'string' || !isField(field)) throw new TemplateConfigError(`${where}.params.${name}`, `unknown field ${JSON.stringify(field)}; use one of ${NOTICE_FIELDS.join(', ')}`)
      params[name] = field
    }
    if (r.uid !== undefined && typeof r.uid !== 'boolean') throw new TemplateConfigError(`${where}.uid`, 'expected true or false')
    if (r.text !== undefined && typeof r.text !== 'string') throw new TemplateConfigError(`${where}.text`, 'expected a string')
    const t: ZaloTemplate = {
      templateId,
      params,
      uid: r.uid !== false,
      ...(r.priceVnd !== undefined ? { priceVnd: checkPrice(`${where}.priceVnd`, r.priceVnd) } : {}),
      ...(r.uidPriceVnd !== undefined ? { uidPriceVnd: checkPrice(`${where}.uidPriceVnd`, r.uidPriceVnd) } : {}),
      ...(typeof r.text === 'string' ? { text: r.text } : {}),
    }
    out[kind as NoticeKind] = checkTemplate(where, t)
  }
  return out
}

/** The template for a kind: its own, else the generic `update` one, else none. */
export const templateFor = (templates: ZaloTemplates, kind: NoticeKind): ZaloTemplate | undefined => templates[kind] ?? templates.update
