import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { loadLexicon } from '../../src/catalogue/lexicon.ts'
import { createProcedureSearch } from '../../src/catalogue/search.ts'

const catalogue = loadCatalogue('data')
const search = createProcedureSearch(catalogue.procedures, loadLexicon('data'))
const required = readFileSync('../shared/eval/required-procedures.txt', 'utf8').split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim())

describe('search', () => {
  it.each(required)('finds the exact title "%s" first', (title) => {
    expect(search.search(title)[0]?.title).toBe(title)
  })

  // Citizen phrasings written for these tests (not the shared dev set): query → expected id.
  it.each([
    ['dang ky khai sanh cho con', 'dang-ky-khai-sinh'],
    ['ddawng kys khai sinh', 'dang-ky-khai-sinh'],
    ['đăng kí kết hôn', 'dang-ky-ket-hon'],
    ['lam giay chung tu cho ong', 'dang-ky-khai-tu'],
    ['xin giấy xác nhận độc thân để cưới vợ', 'cap-giay-xac-nhan-tinh-trang-hon-nhan'],
    ['photo công chứng giấy khai sinh', 'chung-thuc-ban-sao'],
    ['nhap ho khau cho vo', 'dang-ky-thuong-tru'],
    ['khai bao tam tru cho nguoi thue tro', 'dang-ky-tam-tru'],
    ['lam can cuoc gan chip lan dau', 'cap-the-can-cuoc'],
    ['thuongtru', 'dang-ky-thuong-tru'],
    ['dang ky thuogn tru', 'dang-ky-thuong-tru'],
  ])('%s → %s', (q, id) => {
    expect(search.search(q)[0]?.id).toBe(id)
  })

  it.each(['hôm nay trời đẹp quá', 'giá vàng hôm nay', 'zzzz', 'asdfgh qwerty', '😀😀', '12345'])('returns nothing for off-topic "%s"', (q) => {
    expect(search.search(q)).toEqual([])
  })

  it('returns scores in [0, 1], best first, within the limit', () => {
    const r = search.search('chứng thực', { limit: 3 })
    expect(r.length).toBeGreaterThan(0)
    expect(r.length).toBeLessThanOrEqual(3)
    for (const x of r) {
      expect(x.score).toBeGreaterThan(0)
      expect(x.score).toBeLessThanOrEqual(1)
      expect(Object.keys(x).sort()).toEqual(['code', 'id', 'score', 'title'])
    }
    expect([...r].sort((a, b) => b.score - a.score)).toEqual(r)
  })

  it('survives huge and odd input', () => {
    expect(() => search.search('khai sinh '.repeat(5000))).not.toThrow()
    expect(search.search('')).toEqual([])
    expect(search.search('\u0000\u200B')).toEqual([])
  })
})
