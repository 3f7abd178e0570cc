import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { loadLexicon } from '../../src/catalogue/lexicon.ts'
import { createProcedureSearch, titleVariants } from '../../src/catalogue/search.ts'

const catalogue = loadCatalogue('data')
const search = createProcedureSearch(catalogue.procedures, loadLexicon('data'))
const required = readFileSync('test/fixtures/required-procedures.txt', 'utf8').split('\n')
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

/**
 * Phrasings written for this project in the style citizens use on Zalo (not the shared dev sets, which
 * the tests must not read): the engine must generalise to them. Expectations are title regexes on the
 * folded title, as in the shared scorer; `null` means off-topic (no result). The second file holds two
 * sets written later by writers who saw neither the lexicon nor the catalogue (425 messages, 82 off-topic);
 * its floors are what the engine scored when they were added (a ratchet, like .ci/search-floors.json).
 */
describe.each([
  { file: 'search-phrasings.jsonl', top1: 0.92, top3: 1, rejected: 1 },
  { file: 'search-phrasings-2.jsonl', top1: 0.92, top3: 0.98, rejected: 0.94 },
])('search on independently written phrasings ($file)', ({ file, top1, top3, rejected }) => {
  const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase()
  const cases = readFileSync(`test/fixtures/${file}`, 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { q: string, expect: string | null })
  const outcomes = cases.map((c) => ({ ...c, out: search.query(c.q) }))

  it(`rejects at least ${100 * rejected}% of the off-topic messages`, () => {
    const off = outcomes.filter((c) => c.expect === null)
    const answered = off.filter((c) => c.out.results.length > 0).map((c) => c.q)
    if (rejected === 1) expect(answered).toEqual([])
    expect(1 - answered.length / off.length).toBeGreaterThanOrEqual(rejected)
  })

  it(`puts the right procedure first for at least ${100 * top1}% and in the top 3 for at least ${100 * top3}%`, () => {
    const on = outcomes.filter((c) => c.expect !== null)
    const rank = (c: typeof on[number]): number => c.out.results.findIndex((r) => new RegExp(c.expect!).test(fold(r.title)))
    expect(on.filter((c) => rank(c) === 0).length / on.length).toBeGreaterThanOrEqual(top1)
    const missed = on.filter((c) => rank(c) < 0 || rank(c) > 2).map((c) => c.q)
    if (top3 === 1) expect(missed).toEqual([])
    expect(1 - missed.length / on.length).toBeGreaterThanOrEqual(top3)
  })
})

describe('answerability', () => {
  it.each([
    ['đăng ký khai sinh', 'sure', 'dang-ky-khai-sinh'],
    ['lam giay khai sanh cho be', 'sure', 'dang-ky-khai-sinh'],
    ['Chào em. Chị ở Hòa Tú 1, con chị mới sanh được 3 tuần, làm giấy khai sanh cần đem theo giấy gì', 'sure', 'dang-ky-khai-sinh'],
    ['chứng thực', 'unsure', 'chung-thuc-ban-sao'],
  ])('"%s" is %s about %s', (q, confidence, id) => {
    const out = search.query(q)
    expect(out.confidence).toBe(confidence)
    expect(out.results[0]?.id).toBe(id)
  })

  it.each(['dạ', 'vâng', 'test', 'tôi ở xã Hòa Tú 1', 'giá vàng hôm nay', 'rút bảo hiểm xã hội một lần', 'làm hộ chiếu ở đâu'])('"%s" is not about a procedure', (q) => {
    expect(search.query(q)).toEqual({ confidence: 'none', results: [] })
  })

  it('an out-of-scope topic does not hide a procedure that is clearly named', () => {
    expect(search.query('vay ngân hàng thế chấp sổ đỏ thì đăng ký thế chấp ở đâu').results[0]?.id).toBe('dang-ky-the-chap-quyen-su-dung-dat')
  })

  it('explains what matched', () => {
    const e = search.explain('khai sin cho con')
    expect(e.words).toContain('khai')
    expect(e.candidates[0]?.id).toBe('dang-ky-khai-sinh')
    expect(e.candidates[0]!.evidence).toBeGreaterThan(0)
  })
})

describe('variants and bundles', () => {
  const t = (s: string): string[] => s.split(' ')
  it('a title inside another makes the longer one a variant, with what makes it special', () => {
    const [base, variant] = titleVariants([t('dang ky khai sinh'), t('dang ky khai sinh co yeu to nuoc ngoai')])
    expect(base).toEqual({ groups: [], parts: [] })
    expect(variant!.groups).toEqual([['yeu', 'to', 'nuoc', 'ngoai']])
    expect(variant!.parts).toEqual([])
  })

  it('a title joining two titles that share no title of their own is a bundle of them', () => {
    const titles = [t('dang ky khai tu'), t('xoa dang ky thuong tru'), t('dang ky thuong tru'),
      t('lien thong dang ky khai tu xoa dang ky thuong tru tro cap mai tang')]
    expect(titleVariants(titles)[3]).toEqual({ groups: [], parts: [t('dang ky khai tu'), t('xoa dang ky thuong tru')] })
  })

  it('a variant of a bundle stays a variant', () => {
    const titles = [t('dang ky khai sinh'), t('dang ky nhan cha'), t('dang ky khai sinh ket hop nhan cha'),
      t('dang ky khai sinh ket hop nhan cha nuoc ngoai')]
    const v = titleVariants(titles)
    expect(v[2]!.parts).toHaveLength(2)
    expect(v[3]!.parts).toEqual([])
    expect(v[3]!.groups).toContainEqual(['nuoc', 'ngoai'])
  })

  // A bundle ("liên thông …") is meant only when the message names two of its parts.
  it.each([
    ['chuyển hộ khẩu từ quê lên thành phố, có phải về quê cắt khẩu trước không', 'dang-ky-thuong-tru'],
    ['muốn nhập hộ khẩu cho vợ về nhà chồng thì làm sao', 'dang-ky-thuong-tru'],
  ])('"%s" names one part: %s, not a bundle', (q, id) => {
    const ids = search.query(q).results.map((r) => r.id)
    expect(ids[0]).toBe(id)
    expect(ids.slice(0, 2).filter((x) => x.startsWith('lien-thong'))).toEqual([])
  })

  it('a message naming two parts of a bundle finds it', () => {
    expect(search.query('ba mất rồi, làm khai tử với cắt khẩu một lần, nhận tiền mai táng luôn được không').results.slice(0, 2).map((r) => r.id))
      .toContain('lien-thong-khai-tu-xoa-thuong-tru-mai-tang')
  })
})

describe('story clauses', () => {
  it('"chưa làm giấy kết hôn, giờ làm khai sinh có tên ba" asks about the birth, not the marriage', () => {
    const ids = search.query('em với bạn trai ở chung chưa làm giấy kết hôn, giờ làm khai sinh cho bé muốn để tên ba vào').results.map((r) => r.id)
    expect(['dang-ky-khai-sinh-ket-hop-nhan-cha-me-con', 'dang-ky-nhan-cha-me-con']).toContain(ids[0])
    expect(ids.slice(0, 3)).toContain('dang-ky-khai-sinh-ket-hop-nhan-cha-me-con')
  })

  it('"chưa có căn cước" still names what is needed', () => {
    expect(search.query('con trai em 15 tuổi chưa có căn cước, làm ở công an xã được không').results[0]?.id).toBe('cap-the-can-cuoc')
  })
})

describe('questions about what to bring', () => {
  // "cần đem theo những gì" names the aspect asked, not a procedure: without the rule these found nothing
  // (its words are rare in the catalogue, so the procedure's common words stopped counting as evidence).
  it.each([
    ['khai sinh cần đem theo những gì', 'dang-ky-khai-sinh'],
    ['làm khai tử cần nộp hồ sơ gì', 'dang-ky-khai-tu'],
    ['dk ket hon phai chuan bi nhung giay to gi', 'dang-ky-ket-hon'],
  ])('"%s" finds %s', (q, id) => {
    const out = search.query(q)
    expect(out.confidence).not.toBe('none')
    expect(out.results[0]?.id).toBe(id)
  })

  it('the words of the question go, the procedure\'s stay ("xe máy", "nhập hộ")', () => {
    const lexicon = loadLexicon('data')
    expect(lexicon.analyzeQuery('khai sinh cần đem theo những gì').words).toEqual(['khai', 'sinh'])
    expect(lexicon.analyzeQuery('đăng ký xe máy cần giấy gì').words).toContain('mo')
    expect(lexicon.analyzeQuery('nhập hộ cần giấy gì').words).toEqual(['nhap', 'ho'])
    expect(lexicon.analyzeQuery('giấy khai sinh cần những gì').words).toEqual(['giay', 'khai', 'sinh'])
  })
})

describe('"ngoài … ra" (besides)', () => {
  it('is not "nước ngoài": the plain procedure is meant, not its foreign variant', () => {
    const q = 'Giờ tui với ảnh muốn đăng ký kết hôn thì ngoài căn cước ra tui cần mang theo quyết định ly hôn bản chính hay bản sao vậy?'
    expect(search.query(q).results[0]?.id).toBe('dang-ky-ket-hon')
    expect(loadLexicon('data').analyzeQuery('ngoài căn cước ra cần gì').words).not.toContain('ngoai')
  })

  it('"kết hôn với người nước ngoài" still names the foreign variant', () => {
    expect(search.query('đăng ký kết hôn với người nước ngoài').results[0]?.id).toBe('dang-ky-ket-hon-co-yeu-to-nuoc-ngoai')
  })
})

describe('one syllable in common is not a procedure', () => {
  // Each of these shared a word or two with some record ("vui" → festivals, "xe" → vehicle registration,
  // "nghỉ … ngày" → business suspension) and got a card or a choice before the rule.
  it.each(['chúc cả nhà ngày mới vui vẻ nha', 'con chó nhà em đi lạc, ai thấy báo em hậu tạ', 'nhà bên hát karaoke ồn quá ngủ không được', 'nhà em bị mất trộm xe đạp', 'cúp điện từ sáng tới giờ', 'mua bảo hiểm xe máy ở đâu', 'tết này công nhân nghỉ mấy ngày', 'xe buýt lên Sài Gòn mấy giờ chạy', 'tiệm sửa máy lạnh nào gần đây'])('"%s" gets no procedure', (q) => {
    expect(search.query(q)).toEqual({ confidence: 'none', results: [] })
  })
})

/** Messages each rule or lexicon class of the answer path is for: the right procedure comes first. */
describe('what each rule is for', () => {
  it.each([
    ['three words of one phrase apart still make a match', 'sửa nhà nâng nền vì ngập có phải xin phép không', 'cap-gpxd-sua-chua-cai-tao-nha-o-rieng-le'],
    ['two side by side make a match', 'tách sổ đỏ cho con', 'tach-thua-hoac-hop-thua-dat'],
    ['the register is lost too: re-registration', 'giấy khai sinh của tôi mất rồi, xã cũng không còn lưu, giờ làm sao', 'dang-ky-lai-khai-sinh'],
    ['the register is lost too: re-registration', 'giấy kết hôn mất, sổ gốc ở xã cũng mất, làm lại được không', 'dang-ky-lai-ket-hon'],
    ['"…, có cần … không" after the procedure asks about a step', 'vợ em hộ khẩu ở Kiên Giang, giờ muốn nhập khẩu về nhà em, có cần về dưới đó cắt khẩu không ạ', 'dang-ky-thuong-tru'],
    ['"có cần … không" alone asks about the procedure', 'mo tiem tap hoa nho o nha co can dang ky ho kinh doanh khong', 'dang-ky-thanh-lap-ho-kinh-doanh'],
    ['"hủy" (cancel) is ending', 'hủy giấy phép kinh doanh', 'cham-dut-hoat-dong-ho-kinh-doanh'],
    ['"hủy" (cancel) is removal', 'huy dang ky tam tru', 'xoa-dang-ky-tam-tru'],
    ['"xin phép" asks for a permit', 'nhà cũ muốn nâng nền thay mái có phải xin phép ko', 'cap-gpxd-sua-chua-cai-tao-nha-o-rieng-le'],
    ['"cất căn nhà" is building', 'cất căn nhà cấp 4 có phải xin phép không', 'cap-gpxd-moi-nha-o-rieng-le'],
    ['"đkkd"', 'mở tiệm tạp hóa có cần đkkd ko', 'dang-ky-thanh-lap-ho-kinh-doanh'],
    ['"đòi tiền" is not "đổi tiền" (out of scope)', 'cán bộ xã đòi tiền mới làm hồ sơ, em muốn tố cáo', 'giai-quyet-to-cao'],
    ['"sanh ở bệnh viện" is not "sinh ở nước ngoài" (no pairs with function words)', 'vợ sanh ở bv Trà Vinh, nhà ở xã này thì khai sanh nộp ở đâu', 'dang-ky-khai-sinh'],
    ['"đứng tên sổ đỏ" is a transfer', 'giờ muốn đứng tên sổ đỏ đất ba cho thì làm sao', 'dang-ky-bien-dong-chuyen-nhuong-tang-cho'],
  ])('%s: "%s" → %s', (_why, q, id) => {
    expect(search.query(q).results[0]?.id).toBe(id)
  })
})

describe('words that fold like procedure words', () => {
  it('"mất hơn 3 tháng … có sao hông" is a late death registration, not a marriage or a copy', () => {
    const lexicon = loadLexicon('data')
    expect(lexicon.analyzeQuery('ba ngoai mat hon 3 thang r gio moi di khai tu co sao hong').words).not.toContain('hon')
    expect(lexicon.analyzeQuery('khai tử trễ có sao không').words).not.toContain('sao')
    expect(lexicon.analyzeQuery('đăng ký kết hôn 2 năm rồi').words).toContain('hon')
    expect(search.query('ba ngoai mat hon 3 thang r gio moi di khai tu co sao hong').results[0]?.id).toBe('dang-ky-khai-tu')
  })
})
