import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalogue, type Catalogue } from '../../src/catalogue/load.ts'
import { buildCatalogueReport, formatCatalogueReport, type CatalogueReport } from '../../src/catalogue/report.ts'
import { procedureSchema } from '../../src/catalogue/schema.ts'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'

const shipped = loadCatalogue('data')

/** The shipped catalogue with one record replaced (sources, review and rules set for the test). */
function withRecord (id: string, extra: Record<string, unknown>): Catalogue {
  const p = procedureSchema.parse({ ...structuredClone(shipped.byId.get(id)!), ...extra })
  const procedures = shipped.procedures.map((x) => (x.id === id ? p : x))
  return { ...shipped, procedures, byId: new Map(procedures.map((x) => [x.id, x])) }
}

const url = 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x'
const catalogue = withRecord('dang-ky-khai-sinh', {
  sources: [{ url, title: 'Nguồn cũ', publishedAt: '2026-06-01', retrievedAt: '2026-06-01', covers: ['fee', 'time'] }],
  review: { status: 'unverifiable', notes: ['Thời hạn: nguồn A ghi 1 ngày, nguồn B ghi 3 ngày.'] },
  rules: [{ id: 'mien-tam-thoi', kind: 'fee', to: '2027-01-31', fee: { amount: 0, text: 'Miễn', setByProvince: false }, sourceUrl: url }],
})
const report = (date: string): CatalogueReport => buildCatalogueReport(catalogue, date)
const ids = (items: Array<{ id: string, detail: string }>, id: string): string[] => items.filter((i) => i.id === id).map((i) => i.detail)

describe('catalogue freshness report', () => {
  it('lists fields without a source', () => {
    expect(ids(report('2026-12-02').missingSources, 'dang-ky-khai-sinh')).toEqual(['chưa có nguồn cho: documents, legalBasis'])
  })

  it('lists sources older than 180 days, and not before', () => {
    expect(ids(report('2026-11-28').staleSources, 'dang-ky-khai-sinh')).toEqual([]) // 180 days after 01/06
    expect(ids(report('2026-11-29').staleSources, 'dang-ky-khai-sinh')).toEqual([expect.stringContaining('Nguồn cũ')])
  })

  it('lists rules starting or ending in the next 60 days', () => {
    expect(ids(report('2026-12-01').upcomingRules, 'dang-ky-khai-sinh')).toEqual([]) // 31/01/2027 is 61 days away
    expect(ids(report('2026-12-02').upcomingRules, 'dang-ky-khai-sinh')).toEqual(['mien-tam-thoi (fee): hết hiệu lực sau ngày 31/01/2027'])
    // The shipped TT 117/2026 waivers end on 28/02/2027; the 50% ID-card fee on 31/12/2026.
    const shippedRules = buildCatalogueReport(shipped, '2026-12-31').upcomingRules.map((i) => `${i.id} ${i.detail}`)
    expect(shippedRules).toEqual(expect.arrayContaining([
      expect.stringMatching(/^cap-doi-cap-lai-the-can-cuoc le-phi-50-phan-tram-tt64-2025 .*31\/12\/2026/),
      expect.stringMatching(/^dang-ky-thuong-tru .*28\/02\/2027/),
    ]))
  })

  it('lists conflicts with the review notes', () => {
    expect(ids(report('2026-12-02').conflicts, 'dang-ky-khai-sinh')).toEqual(['Thời hạn: nguồn A ghi 1 ngày, nguồn B ghi 3 ngày.'])
  })

  it('renders a readable text report', () => {
    const text = formatCatalogueReport(report('2026-12-02'))
    expect(text).toContain('# Báo cáo độ mới của danh mục thủ tục — 02/12/2026')
    expect(text).toMatch(/## Xung đột, chưa xác minh được \(\d+\)\n- /)
  })

  it('runs as npm run catalogue:report (JSON)', () => {
    const out = execFileSync('npx', ['tsx', 'scripts/catalogue-report.ts', '--json', '--date', '2026-12-31'], { encoding: 'utf8' })
    const r = JSON.parse(out) as CatalogueReport
    expect(r.date).toBe('2026-12-31')
    expect(r.procedures).toBe(shipped.procedures.length)
    expect(r.upcomingRules.some((i) => i.id === 'cap-doi-cap-lai-the-can-cuoc')).toBe(true)
  })
})

describe('GET /api/staff/catalogue/report', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>
  beforeAll(async () => { t = await createTestApp({}, () => Date.UTC(2026, 11, 31, 3, 0)) })
  afterAll(async () => { await t.close() })

  it('needs a staff token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/staff/catalogue/report' })
    expect(res.statusCode).toBe(401)
  })

  it('returns the report for today (Vietnam date) as JSON', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/staff/catalogue/report', headers: { authorization: `Bearer ${STAFF_TOKEN}` } })
    expect(res.statusCode).toBe(200)
    const r = res.json() as CatalogueReport
    expect(r.date).toBe('2026-12-31')
    expect(r.summary.ok + r.summary.corrected + r.summary.unverifiable + r.summary.notReviewed).toBe(r.procedures)
    expect(r.upcomingRules.map((i) => i.id)).toContain('cap-doi-cap-lai-the-can-cuoc')
  })

  it('keeps review notes out of the public procedure API', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/procedures/dang-ky-bien-dong-chuyen-nhuong-tang-cho' })
    expect(res.json()).not.toHaveProperty('review')
    expect(res.json()).toHaveProperty('sources')
  })
})
