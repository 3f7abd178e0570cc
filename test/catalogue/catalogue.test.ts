import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { fold } from '../../src/catalogue/normalize.ts'

const catalogue = loadCatalogue('data')
const required = readFileSync('test/fixtures/required-procedures.txt', 'utf8').split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim())

describe('shipped catalogue', () => {
  it('has at least 120 procedures', () => {
    expect(catalogue.procedures.length).toBeGreaterThanOrEqual(120)
  })

  it.each(required)('contains the required title "%s" exactly', (title) => {
    expect(catalogue.procedures.map((p) => p.title)).toContain(title)
  })

  it('gives every record documents, a time limit, a fee and an office', () => {
    const kinds = new Set(catalogue.offices.units.flatMap((u) => u.offices.map((o) => o.kind)))
    for (const p of catalogue.procedures) {
      expect(p.documents.submit.length, p.id).toBeGreaterThan(0)
      const channels = Object.values(p.channels)
      expect(channels.length, p.id).toBeGreaterThan(0)
      for (const c of channels) {
        expect(c.time.unit, p.id).toBeTruthy()
        expect(c.fee.text, p.id).toBeTruthy()
      }
      expect(kinds.has(p.office), p.id).toBe(true)
    }
  })

  it('has unique ids and unique national codes', () => {
    const ids = catalogue.procedures.map((p) => p.id)
    expect(new Set(ids).size).toBe(ids.length)
    const codes = catalogue.procedures.map((p) => p.code).filter((c) => c !== null)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it.each([
    ['Đăng ký khai sinh', '1.001193'],
    ['Đăng ký kết hôn', '1.000894'],
  ])('keeps the well-known code of %s', (title, code) => {
    expect(catalogue.procedures.find((p) => p.title === title)?.code).toBe(code)
  })

  it('states the established facts of DOMAIN.md', () => {
    const byTitle = (t: string) => catalogue.procedures.find((p) => p.title === t)!
    const ks = byTitle('Đăng ký khai sinh').channels.direct!
    expect(ks.time).toMatchObject({ unit: 'same-day', cutoff: '15:00' })
    expect(ks.fee.amount).toBe(0)
    const tt = byTitle('Đăng ký thường trú')
    expect(tt.channels.direct!.time).toMatchObject({ unit: 'working-days', value: 7 })
    expect(tt.channels.direct!.fee.text + tt.channels.online!.fee.text).toMatch(/20\.000[\s\S]*10\.000|10\.000[\s\S]*20\.000/)
    expect(byTitle('Đăng ký tạm trú').channels.direct!.time).toMatchObject({ unit: 'working-days', value: 3 })
    const bs = byTitle('Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp hoặc chứng nhận')
    expect(bs.channels.direct!.fee.text).toMatch(/2\.000/)
    expect(bs.channels.direct!.fee.text).toMatch(/200\.000/)
    expect(byTitle('Cấp Giấy xác nhận tình trạng hôn nhân').channels.direct!.time).toMatchObject({ unit: 'working-days', value: 3 })
    expect(byTitle('Đăng ký thành lập hộ kinh doanh').channels.direct!.time).toMatchObject({ unit: 'working-days', value: 3 })
  })

  it('states the corrected facts of the 2026-12 audit', () => {
    const byId = (id: string) => catalogue.byId.get(id)!
    const docs = (id: string) => byId(id).documents.submit.map((d) => d.name).join(' | ')
    // Marriage: no marital-status certificate since 2025 (registrar looks it up).
    expect(docs('dang-ky-ket-hon')).not.toMatch(/Giấy xác nhận tình trạng hôn nhân/)
    // Birth: the parents' marriage certificate is no longer a standard paper to show.
    expect(byId('dang-ky-khai-sinh').documents.show.map((d) => d.name).join(' ')).not.toMatch(/kết hôn của cha mẹ/)
    // Health-insurance card re-issue: same day, ≤ 3 days when details change (not 7 working days).
    expect(byId('cap-lai-doi-the-bao-hiem-y-te').channels.direct!.time).toMatchObject({ unit: 'same-day' })
    expect(byId('cap-lai-doi-the-bao-hiem-y-te').channels.direct!.time.note).toMatch(/không quá 03 ngày/)
    // Poor-household recognition and exit: 15 days (S-DVC 1.011607 / 1.011608).
    for (const id of ['cong-nhan-ho-ngheo-ho-can-ngheo-phat-sinh', 'cong-nhan-ho-thoat-ngheo-thoat-can-ngheo']) {
      expect(byId(id).channels.direct!.time, id).toMatchObject({ value: 15, unit: 'days' })
      expect(byId(id).notes.join(' '), id).toMatch(/Năm 2026 vẫn áp dụng chuẩn nghèo giai đoạn 2022–2025/)
    }
    // ID card: DC02 is the request form (TT 17/2024), DC01 collects missing data (TT 53/2025).
    expect(byId('cap-the-can-cuoc').documents.submit.map((d) => d.form).join(' | ')).toMatch(/Phiếu đề nghị giải quyết thủ tục về căn cước \(Mẫu DC02/)
    expect(byId('cap-the-can-cuoc').code).toBe('1.014061')
    // Household business: no family meeting minutes under NĐ 168/2025.
    expect(docs('dang-ky-thanh-lap-ho-kinh-doanh')).not.toMatch(/Biên bản họp/)
    // Lost land certificate: the commune posts the notice itself; no confirmation to bring.
    expect(docs('cap-lai-gcn-do-bi-mat')).not.toMatch(/đã niêm yết/)
    // ID-card fee: full base fee, 50% as a dated rule to 31/12/2026, TT 117 waiver to 28/02/2027.
    const cc = byId('cap-doi-cap-lai-the-can-cuoc')
    expect(cc.channels.direct!.fee.amount).toBe(50000)
    expect(cc.rules.map((r) => `${r.id}:${r.from}:${r.to}`)).toEqual(['le-phi-50-phan-tram-tt64-2025:2025-07-01:2026-12-31', 'mien-phi-vneid-muc-2-tt117-2026:2026-08-15:2027-02-28'])
  })

  it('resolves every former unit name to one current unit', () => {
    const names = catalogue.offices.units.flatMap((u) => u.formerUnits.map(fold))
    expect(names).toContain(fold('xã Hòa Tú 1'))
    expect(catalogue.offices.units.length).toBeGreaterThanOrEqual(6)
  })
})

describe('broken data fails loudly', () => {
  function brokenCopy (mutate: (dir: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'tgtt-cat-'))
    cpSync('data', dir, { recursive: true })
    mutate(dir)
    return dir
  }

  it('names the file, the record and the field of a schema error', () => {
    const dir = brokenCopy((d) => {
      const f = join(d, 'procedures', 'ho-tich.json')
      const data = JSON.parse(readFileSync(f, 'utf8'))
      data.procedures[0].channels.direct.time.unit = 'weeks'
      writeFileSync(f, JSON.stringify(data))
    })
    expect(() => loadCatalogue(dir)).toThrow(/ho-tich\.json record dang-ky-khai-sinh field channels\.direct\.time\.unit/)
  })

  it('rejects invalid JSON with the file name', () => {
    const dir = brokenCopy((d) => writeFileSync(join(d, 'procedures', 'cu-tru.json'), '{ "field": '))
    expect(() => loadCatalogue(dir)).toThrow(/cu-tru\.json/)
  })

  it('rejects duplicate ids and codes', () => {
    const dir = brokenCopy((d) => {
      const f = join(d, 'procedures', 'ho-tich.json')
      const data = JSON.parse(readFileSync(f, 'utf8'))
      data.procedures.push({ ...data.procedures[0], title: 'Bản trùng' })
      writeFileSync(f, JSON.stringify(data))
    })
    expect(() => loadCatalogue(dir)).toThrow(/duplicate id[\s\S]*|also used by/)
  })
})
