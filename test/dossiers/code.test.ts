import { describe, expect, it } from 'vitest'
import { extractDossierCode, normalizeDossierCode, parseDossierCode } from '../../src/dossiers/code.ts'

const CODE = '000.00.04.H51-200221-0001'

describe('extractDossierCode', () => {
  it.each([
    ['000.00.04.H51-200221-0001', CODE],
    ['cho em hỏi hồ sơ 000.00.04.H51-200221-0001 tới đâu rồi ạ', CODE],
    ['ma ho so 000.00.04.h51-200221-0001', CODE],
    ['000.00.04.H51 - 200221 - 0001', CODE],
    ['000.00.04.H51–200221—0001', CODE],
    ['000.00.04.H51 200221 0001', CODE],
    ['000.00.04.H51-2002210001', CODE],
    ['000.00.04.H51200221-0001', CODE],
    ['000.00.04.H512002210001', CODE],
    ['Mã: 000.00.04.H51-200221-0001.', CODE],
    ['(000.00.04.H51-200221-0001)', CODE],
    ['hồ sơ G22.45-251115-0123 của tôi', 'G22.45-251115-0123'],
    ['000.00.12.H13-250701-12345', '000.00.12.H13-250701-12345'],
  ])('finds the code in %j', (text, expected) => {
    expect(extractDossierCode(text)).toBe(expected)
  })

  it.each([
    ['số điện thoại 0912345678'],
    ['gọi 0912 345 678 giúp em'],
    ['+84 912 345 678'],
    ['con em sinh ngày 20/02/2021'],
    ['hẹn ngày 2026-02-20'],
    ['ngày 20.02.2021 em nộp'],
    ['phí 1.000.000 đồng'],
    ['từ 50.000-100.000 đồng'],
    ['thủ tục 1.001193 là gì'],
    ['CCCD 079123456789'],
    ['200221-0001'],
    ['000.00.04.H51'],
    ['000.00.04.H51-201321-0001'],
    ['000.00.04.H51-200230-0001'],
    ['phiên bản 1.2.3 ngày 200221'],
    ['lam giay khai sinh cho be 2 tuoi'],
    ['192.168.1.1 200221 0001'],
  ])('finds nothing in %j', (text) => {
    expect(extractDossierCode(text)).toBeNull()
  })

  it('never returns a code longer than 37 characters (button values stay ≤ 40 bytes)', () => {
    expect(extractDossierCode('AAAAAAAA.BBBBBBBB.CCCCCCCC.DDDDDDDD-200221-0001')).toBeNull()
  })
})

describe('normalizeDossierCode', () => {
  it.each([
    [' 000.00.04.h51 – 200221 – 0001 ', CODE],
    ['000.00.04.h51200221 0001', CODE],
    ['abc - def', 'ABC-DEF'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeDossierCode(input)).toBe(expected)
  })

  it('parseDossierCode accepts exactly one code and nothing around it', () => {
    expect(parseDossierCode(' 000.00.04.h51-200221-0001 ')).toBe(CODE)
    expect(parseDossierCode(`hồ sơ ${CODE}`)).toBeNull()
  })
})
