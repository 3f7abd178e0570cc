import { describe, expect, it } from 'vitest'
import { auditRecord } from '../../src/catalogue/audit.ts'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { procedureSchema } from '../../src/catalogue/schema.ts'

const base = loadCatalogue('data').byId.get('dang-ky-khai-sinh')!
const src = 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x'

function withFacts (extra: Record<string, unknown>): unknown {
  return { ...structuredClone(base), ...extra }
}

const feeRule = (id: string, from?: string, to?: string, more: Record<string, unknown> = {}) => ({
  id, kind: 'fee', from, to, fee: { amount: 0, text: 'Miễn', setByProvince: false }, sourceUrl: src, ...more,
})

describe('facts fields of the schema', () => {
  it('accepts sources, review and rules in the documented shape', () => {
    const r = procedureSchema.safeParse(withFacts({
      sources: [{ url: src, title: 'Đăng ký khai sinh', publishedAt: '2026-06-10', retrievedAt: '2026-12-02', covers: ['fee', 'time'] }],
      review: { status: 'ok', notes: [] },
      rules: [feeRule('a', '2026-01-01', '2026-12-31'), feeRule('b', '2027-01-01')],
    }))
    expect(r.success, JSON.stringify(r.error?.issues)).toBe(true)
  })

  it('rejects unknown covers, impossible dates and unknown keys', () => {
    expect(procedureSchema.safeParse(withFacts({ sources: [{ url: src, title: 't', retrievedAt: '2026-12-02', covers: ['price'] }] })).success).toBe(false)
    expect(procedureSchema.safeParse(withFacts({ sources: [{ url: src, title: 't', retrievedAt: '2026-02-30', covers: ['fee'] }] })).success).toBe(false)
    expect(procedureSchema.safeParse(withFacts({ review: { status: 'ok', notes: [], extra: 1 } })).success).toBe(false)
  })

  it('rejects from after to, and overlapping rules of the same kind, channel and condition', () => {
    expect(procedureSchema.safeParse(withFacts({ rules: [feeRule('a', '2026-12-31', '2026-01-01')] })).success).toBe(false)
    const overlap = procedureSchema.safeParse(withFacts({ rules: [feeRule('a', '2026-01-01', '2026-12-31'), feeRule('b', '2026-12-31')] }))
    expect(overlap.success).toBe(false)
    expect(JSON.stringify(overlap.error?.issues)).toMatch(/rules a and b overlap/)
    // A channel-less rule overlaps a direct one; another condition or channel does not.
    expect(procedureSchema.safeParse(withFacts({ rules: [feeRule('a'), feeRule('b', undefined, undefined, { channel: 'direct' })] })).success).toBe(false)
    expect(procedureSchema.safeParse(withFacts({ rules: [feeRule('a', undefined, undefined, { channel: 'online' }), feeRule('b', undefined, undefined, { channel: 'direct' })] })).success).toBe(true)
    expect(procedureSchema.safeParse(withFacts({ rules: [feeRule('a'), feeRule('b', undefined, undefined, { condition: 'Người có tài khoản định danh điện tử mức 2' })] })).success).toBe(true)
  })

  it('loads a record without sources (transition) but the audit flags it', () => {
    const p = procedureSchema.parse(withFacts({ sources: [], review: undefined, rules: [] }))
    const fields = auditRecord(p).map((x) => `${x.field}: ${x.message}`)
    expect(fields).toContain('sources: no source')
    expect(fields).toContain('review: no review (status and notes)')
  })

  it('flags hedges in citizen-facing fields but not legal wording', () => {
    const p = procedureSchema.parse(withFacts({
      sources: [{ url: src, title: 't', retrievedAt: '2026-12-02', covers: ['fee'] }],
      review: { status: 'ok', notes: ['cần xác minh mức phí'] },
      notes: ['Lệ phí 8.000 đồng (cần xác minh)', 'Công chức kiểm tra, xác minh hồ sơ'],
    }))
    const msgs = auditRecord(p).map((x) => `${x.field}: ${x.message}`)
    expect(msgs).toContain('sources: no source covers time')
    expect(msgs.filter((m) => m.startsWith('notes.'))).toEqual(['notes.0: staff wording in a citizen-facing field: "cần xác minh"'])
  })
})
