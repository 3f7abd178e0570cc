import { ruleOverlaps, type Procedure } from './schema.ts'

/**
 * Wording that must never reach a citizen: auditor hedges and internal remarks. Legitimate legal
 * phrases ("kiểm tra, xác minh hồ sơ", "trường hợp phải xác minh") are not matched.
 */
export const HEDGE_PATTERNS: readonly RegExp[] = [
  /cần xác minh/iu,
  /chờ địa phương/iu,
  /\(\s*xác minh/iu,
  /chưa (được )?xác minh/iu,
  /xác minh (mức|tên|văn bản|địa chỉ|lại)/iu,
  /nên để trống/iu,
  /\b(TODO|FIXME|TBD)\b/u,
]

/** Every citizen-facing string of a record with its path (for reports). */
export function citizenTexts (p: Procedure): Array<[string, string]> {
  const out: Array<[string, string]> = [['title', p.title], ['agency', p.agency], ['receivingOffice', p.receivingOffice], ['result', p.result]]
  if (p.applicants !== undefined) out.push(['applicants', p.applicants])
  p.steps.forEach((s, i) => out.push([`steps.${i}`, s]))
  for (const part of ['submit', 'show'] as const) {
    p.documents[part].forEach((d, i) => {
      out.push([`documents.${part}.${i}.name`, d.name])
      if (typeof d.form === 'string') out.push([`documents.${part}.${i}.form`, d.form])
      if (d.note !== undefined) out.push([`documents.${part}.${i}.note`, d.note])
    })
  }
  for (const ch of ['direct', 'online', 'postal'] as const) {
    const c = p.channels[ch]
    if (c === undefined) continue
    out.push([`channels.${ch}.fee.text`, c.fee.text])
    if (c.time.note !== undefined) out.push([`channels.${ch}.time.note`, c.time.note])
  }
  for (const key of ['exemptions', 'conditions', 'forms', 'notes'] as const) {
    p[key].forEach((s, i) => out.push([`${key}.${i}`, s]))
  }
  p.rules.forEach((r) => {
    if (r.condition !== undefined) out.push([`rules.${r.id}.condition`, r.condition])
    if (r.fee !== undefined) out.push([`rules.${r.id}.fee.text`, r.fee.text])
    if (r.time?.note !== undefined) out.push([`rules.${r.id}.time.note`, r.time.note])
  })
  return out
}

/** One failing check of one record. */
export interface AuditProblem {
  id: string
  field: string
  message: string
}

/**
 * The acceptance checks of issue 9 for one record: a source covering the fee and one covering the
 * time, non-overlapping rules, and no hedge or internal wording in citizen-facing fields.
 */
export function auditRecord (p: Procedure): AuditProblem[] {
  const problems: AuditProblem[] = []
  const covered = new Set(p.sources.flatMap((s) => s.covers))
  if (p.sources.length === 0) problems.push({ id: p.id, field: 'sources', message: 'no source' })
  else {
    for (const need of ['fee', 'time'] as const) {
      if (!covered.has(need)) problems.push({ id: p.id, field: 'sources', message: `no source covers ${need}` })
    }
  }
  if (p.review === undefined) problems.push({ id: p.id, field: 'review', message: 'no review (status and notes)' })
  for (const m of ruleOverlaps(p.rules)) problems.push({ id: p.id, field: 'rules', message: m })
  for (const [path, value] of citizenTexts(p)) {
    const hit = HEDGE_PATTERNS.find((re) => re.test(value))
    if (hit !== undefined) {
      const m = hit.exec(value)
      problems.push({ id: p.id, field: path, message: `staff wording in a citizen-facing field: "${m?.[0] ?? ''}"` })
    }
  }
  return problems
}

/** Acceptance checks over the whole catalogue, in catalogue order. */
export function auditCatalogue (procedures: readonly Procedure[]): AuditProblem[] {
  return procedures.flatMap(auditRecord)
}
