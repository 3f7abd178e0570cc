import { describe, expect, it } from 'vitest'
import { editDistance, fold, isSyllable, telexCandidates } from '../../src/catalogue/normalize.ts'
import { fuzzyPatterns } from '../../src/catalogue/fuzzy.ts'
import { loadLexicon } from '../../src/catalogue/lexicon.ts'

describe('fold', () => {
  it.each([
    ['Đăng ký khai sinh', 'dang ki khai sinh'],
    ['ĐĂNG KÝ KẾT HÔN', 'dang ki ket hon'],
    ['Hoà', 'hoa'],
    ['Hòa', 'hoa'],
    ['Mỹ Xuyên', 'mi xuyen'],
    ['lý lịch', 'li lich'],
    ['qui định', 'quy dinh'],
    ['chứng thực, bản sao/bản chính', 'chung thuc ban sao ban chinh'],
    ['  nhiều   khoảng   trắng  ', 'nhieu khoang trang'],
    ['zero\u200Bwidth', 'zerowidth'],
    ['ＣＣＣＤ', 'cccd'],
    ['🙂 khai sinh 🙏', 'khai sinh'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(fold(input)).toBe(expected)
  })

  it('folds NFC and NFD input to the same text', () => {
    const nfc = 'Đăng ký thường trú'.normalize('NFC')
    const nfd = nfc.normalize('NFD')
    expect(nfd).not.toBe(nfc)
    expect(fold(nfd)).toBe(fold(nfc))
  })
})

describe('fold through the character table', () => {
  // The reference: the folding by Unicode's rules, as fold() was first written.
  const reference = (text: string): string => {
    const s = text.replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '').normalize('NFKD').replace(/\p{M}+/gu, '')
      .replace(/[đĐ]/g, 'd').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()
    return s === '' ? '' : s.split(' ').map((t) => t === 'qui' ? 'quy' : t.replace(/^([bcdghklmnprstvx]+)y$/, '$1i')).join(' ')
  }

  it('folds every character below U+2100, alone and between letters, as Unicode normalisation does', () => {
    const differ: string[] = []
    for (let c = 0; c < 0x2100; c++) {
      const ch = String.fromCharCode(c)
      for (const t of [ch, `a${ch}b`, ` ${ch}y `, `Qu${ch}i`]) if (fold(t) !== reference(t)) differ.push(`U+${c.toString(16)} in ${JSON.stringify(t)}`)
    }
    expect(differ).toEqual([])
  })

  it.each([
    'Đăng ký khai sinh cho bé', 'ĐĂNG KÝ THƯỜNG TRÚ', 'đàng ký (NFD)', 'kh​ai sinh', 'mỹ xuyên, lý lịch; QUI định',
    'ǆ ½ ﬁ İ', 'sổ hồng 😀 中文 ok', '', '   ', '--', 'y', 'qui', 'Hòa Tú 1 - Mỹ Xuyên',
  ])('folds %j as Unicode normalisation does', (text) => {
    expect(fold(text)).toBe(reference(text))
  })
})

describe('telex and typos', () => {
  it.each([
    ['ddawng', 'dang'],
    ['kys', 'ki'],
    ['sinhf', 'sinh'],
  ])('telex %s → %s', (token, expected) => {
    expect(telexCandidates(token)).toContain(expected)
  })

  it.each([
    ['khai', 'kahi', 1],
    ['sinh', 'sinh', 0],
    ['thuong', 'thuogn', 1],
    ['chung', 'xyz', 2],
  ])('edit distance %s/%s', (a, b, d) => {
    expect(editDistance(a, b, 1)).toBe(d)
  })

  // Unknown words that are real syllables are words of the story; the others are typos worth a fuzzy pass.
  it.each([
    ['gio', true], ['hoai', true], ['nghieng', true], ['quyen', true], ['khuya', true], ['oanh', true],
    ['adt', false], ['khog', false], ['dng', false], ['sih', false], ['tr', false], ['z', false], ['thog', false],
  ])('isSyllable %s → %s', (token, expected) => {
    expect(isSyllable(token)).toBe(expected)
  })

  it('fuzzy patterns are short windows around the typos, not the whole message', () => {
    const words = 'nha em o ap 3 gio em muon gia han giay chung nhan quyen su dung adt quyen so huu'.split(' ')
    expect(fuzzyPatterns(words, new Set(['adt']))).toEqual(['dung adt quyen'])
    expect(fuzzyPatterns(words, new Set(['gio', 'adt']))).toEqual(['3 gio em', 'dung adt quyen'])
    expect(fuzzyPatterns(words, new Set())).toEqual([])
  })
})

describe('lexicon', () => {
  const lex = loadLexicon('data')
  it.each([
    ['cho em hỏi làm giấy khai sanh cho bé ạ', 'lam giay khai sinh con'],
    ['ko dc j', ''],
    ['sổ hồng', 'so do'],
    ['photo công chứng cccd', 'ban sao chung thuc can cuoc'],
    ['nhập hộ khẩu cho con', 'dang ki thuong tru con'],
    ['giấy độc thân', 'giay tinh trang hon nhan'],
    ['tiền già', 'tro cap xa hoi nguoi cao tuoi'],
  ])('%s → %s', (input, expected) => {
    expect(lex.analyze(input).join(' ')).toBe(expected)
  })
})
