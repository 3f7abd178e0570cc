import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { classifyTemplateResult, internationalPhone } from '../../../bots/zalo/template-client.ts'
import { loadZaloTemplates } from '../../../bots/zalo/index.ts'
import { loadConfig } from '../../../src/config.ts'
import { noticeFields, noticeKind } from '../../../src/dossiers/notice.ts'
import { STATUS_LABELS, type StatusCode } from '../../../src/dossiers/types.ts'
import { parseTemplateFile, parseTemplateSpec, templateTextProblems } from '../../../src/template-config.ts'

const ZALO = {
  ZALO_APP_ID: '1234567890123456789',
  ZALO_OA_SECRET_KEY: 'oa-secret',
  ZALO_APP_SECRET: 'app-secret',
  ZALO_ACCESS_TOKEN: 'access',
  ZALO_REFRESH_TOKEN: 'refresh',
}
const RESULT = '412345 ma_ho_so=code thu_tuc=procedure ngay_hen=due_date'

describe('template configuration (start-up validation)', () => {
  it('reads one ZALO_TEMPLATE_<KIND> line per kind, with limits, prices and endpoints', () => {
    const c = loadConfig({ ...ZALO, ZALO_TEMPLATE_RESULT: `${RESULT} uid-price=150`, ZALO_TEMPLATE_UPDATE: '9 ma=code phone-only price=250', ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '200000', ZALO_TEMPLATE_DAILY_LIMIT: '500' })
    expect(c.zalo?.templates).toEqual({
      kinds: {
        result: { templateId: '412345', params: { ma_ho_so: 'code', thu_tuc: 'procedure', ngay_hen: 'due_date' }, uid: true, uidPriceVnd: 150 },
        update: { templateId: '9', params: { ma: 'code' }, uid: false, priceVnd: 250 },
      },
      dailyLimit: 500,
      monthlyBudgetVnd: 200000,
      unitPriceVnd: 300,
      uidUnitPriceVnd: 300,
      apiBase: 'https://business.openapi.zalo.me',
      phonePath: '/message/template',
      quotaPath: '/message/quota',
      uidPath: '/v3.0/oa/message/template',
    })
    expect(loadConfig(ZALO).zalo?.templates).toBeUndefined()
  })

  it.each([
    [{ ZALO_TEMPLATE_RESULT: RESULT }, /ZALO_TEMPLATE_MONTHLY_BUDGET_VND: required when ZALO_TEMPLATE_RESULT is set/],
    [{ ZALO_TEMPLATE_RESULT: '412345 ma=cod', ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '1' }, /ZALO_TEMPLATE_RESULT: unknown field "cod" for ma/],
    [{ ZALO_TEMPLATE_APOLOGY: '412345 thu_tuc=procedure', ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '1' }, /ZALO_TEMPLATE_APOLOGY: the dossier code must fill one parameter/],
    [{ ZALO_TEMPLATE_PAYMENT: 'id/with/slash ma=code', ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '1' }, /ZALO_TEMPLATE_PAYMENT: template id/],
    [{ ZALO_TEMPLATE_UPDATE: '1 ma=code price=abc', ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '1' }, /ZALO_TEMPLATE_UPDATE: expected a price/],
    [{ ZALO_TEMPLATE_RESULT: RESULT, ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '-5' }, /ZALO_TEMPLATE_MONTHLY_BUDGET_VND/],
    [{ ZALO_TEMPLATE_RESULT: RESULT, ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '1', ZALO_TEMPLATE_UID_PATH: 'no-slash' }, /ZALO_TEMPLATE_UID_PATH: must be a path/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig({ ...ZALO, ...env })).toThrow(message)
  })

  it('needs the Zalo channel for templates', () => {
    expect(() => loadConfig({ ZALO_TEMPLATE_RESULT: RESULT, ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '1' })).toThrow(/ZALO_TEMPLATE_RESULT: template messages need the Zalo channel/)
  })

  it('reads the JSON file at start-up; a variable overrides the file\'s kind; errors name the file and key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tpl-'))
    const file = join(dir, 'templates.json')
    writeFileSync(file, JSON.stringify({
      result: { templateId: 412345, params: { ma_ho_so: 'code', thu_tuc: 'procedure' }, text: 'Hồ sơ <ma_ho_so> (<thu_tuc>) đã có kết quả. Đề nghị công dân đến nhận theo giấy hẹn.' },
      update: { templateId: '412346', params: { ma_ho_so: 'code' }, uid: false },
    }))
    const config = loadConfig({ ...ZALO, ZALO_TEMPLATE_FILE: file, ZALO_TEMPLATE_UPDATE: '777 ma=code', ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '1' }).zalo?.templates
    if (config === undefined) throw new Error('no template config')
    expect(loadZaloTemplates(config)).toMatchObject({ result: { templateId: '412345', uid: true }, update: { templateId: '777', params: { ma: 'code' } } })
    writeFileSync(file, JSON.stringify({ result: { templateId: '1', params: { ma: 'code' }, text: 'Kính gửi Anh/Chị, hồ sơ <ma> đã xong.' } }))
    expect(() => loadZaloTemplates(config)).toThrow(/ZALO_TEMPLATE_FILE .*templates\.json result: text has informal address/)
    writeFileSync(file, '{ nope')
    expect(() => loadZaloTemplates(config)).toThrow(/ZALO_TEMPLATE_FILE .*not JSON/)
    expect(() => loadZaloTemplates({ ...config, file: join(dir, 'missing.json') })).toThrow(/ZALO_TEMPLATE_FILE: cannot read .*ENOENT/)
    expect(() => parseTemplateFile('f', JSON.stringify({ resul: { templateId: '1', params: { a: 'code' } } }))).toThrow(/f resul: unknown kind/)
    expect(() => parseTemplateFile('f', JSON.stringify({ result: { templateId: '1', params: { a: 'code' }, text: 'Hồ sơ <a> xong, gọi 0912 345 678.' } }))).toThrow(/bare phone number/)
    expect(() => parseTemplateFile('f', JSON.stringify({ result: { templateId: '1', params: { a: 'code', b: 'status' }, text: 'Hồ sơ <a> đã xong.' } }))).toThrow(/parameter b does not appear in the text/)
    expect(() => parseTemplateFile('f', JSON.stringify({ result: { templateId: '1', params: { a: 'code' }, text: `Hồ sơ <a> ${'x'.repeat(400)}` } }))).toThrow(/Zalo allows 400/)
  })

  it('accepts the template texts suggested in bots/README.md', () => {
    const params = { ma_ho_so: 'code', thu_tuc: 'procedure', trang_thai: 'status', buoc_tiep: 'next_step' }
    const file = {
      result: { templateId: '1', params: { ma_ho_so: 'code', thu_tuc: 'procedure', buoc_tiep: 'next_step' }, text: 'Hồ sơ <ma_ho_so> (<thu_tuc>) đã có kết quả. <buoc_tiep>' },
      apology: { templateId: '2', params: { ma_ho_so: 'code', thu_tuc: 'procedure', buoc_tiep: 'next_step' }, text: 'Hồ sơ <ma_ho_so> (<thu_tuc>): <buoc_tiep>' },
      update: { templateId: '3', params, text: 'Hồ sơ <ma_ho_so> (<thu_tuc>) vừa được cập nhật: <trang_thai>. <buoc_tiep>' },
    }
    expect(Object.keys(parseTemplateFile('README', JSON.stringify(file)))).toEqual(['result', 'apology', 'update'])
  })

  it('parses a spec with extra spaces and flags in any order', () => {
    expect(parseTemplateSpec('V', '  77   phone-only  a=code   b=next_step ')).toEqual({ templateId: '77', params: { a: 'code', b: 'next_step' }, uid: false })
  })
})

describe('Zalo\'s content rules for templates', () => {
  it.each([
    ['Kính gửi Anh/Chị, hồ sơ đã xong', 'informal'],
    ['Mời anh chị đến nhận', 'informal'],
    ['Xem tại https://dichvucong.gov.vn/ho-so', 'link'],
    ['Xem tại www.soctrang.gov.vn', 'link'],
    ['Liên hệ 0299 3821 234', 'phone'],
    ['Gọi +84 912 345 678', 'phone'],
    ['Tổng đài 1900 1234', 'phone'],
  ])('finds the problem in %j', (text, kind) => {
    expect(templateTextProblems(text).join(' ')).toMatch(kind === 'informal' ? /informal/ : kind === 'link' ? /link/ : /phone/)
  })

  it('accepts formal text with codes, dates and money', () => {
    expect(templateTextProblems('Hồ sơ 000.00.04.H51-261120-0001 đã có kết quả ngày 05/03/2026; lệ phí 20.000 đồng. Đề nghị công dân đến nhận.')).toEqual([])
  })

  it('fills every kind and status in formal wording: no "Anh/Chị", no link, no phone, nothing over 200 characters', () => {
    for (const status of Object.keys(STATUS_LABELS).map(Number) as StatusCode[]) {
      for (const apologyGiven of [false, true]) {
        const view = {
          code: '000.00.04.H51-261120-0001',
          procedure: { id: 'x', title: 'Đăng ký hộ kinh doanh '.repeat(12) },
          receivedAt: '2026-11-20T09:00:00+07:00',
          dueAt: '2026-11-25T17:00:00+07:00',
          status,
          statusLabel: STATUS_LABELS[status],
          overdue: apologyGiven,
          dueSoon: false,
          nextStep: 'Anh/Chị gọi 0299 3821 234',
          applicant: 'N*** V*** A',
          ...(apologyGiven ? { apology: { newDueAt: '2026-12-01T17:00:00+07:00' } } : {}),
        }
        const fields = noticeFields(view, apologyGiven)
        for (const [name, value] of Object.entries(fields)) {
          expect(templateTextProblems(value), `${status} ${name}: ${value}`).toEqual([])
          expect(value.length, name).toBeLessThanOrEqual(200)
        }
        expect(fields.due_date).toBe(apologyGiven ? '01/12/2026' : '25/11/2026')
        if (apologyGiven) expect(fields.next_step).toMatch(/^Cơ quan giải quyết thành thật xin lỗi .* ngày hẹn trả mới: 01\/12\/2026\./)
        expect(fields.procedure.endsWith('…')).toBe(true)
      }
    }
  })

  it('picks the template kind from the change', () => {
    expect([9, 10, 5, 6, 4, 2].map((s) => noticeKind(s as StatusCode, { apologyGiven: false }))).toEqual(['result', 'returned', 'documents', 'payment', 'update', 'update'])
    expect(noticeKind(4, { apologyGiven: true })).toBe('apology')
  })
})

describe('Zalo template answers', () => {
  const r = (error: number | undefined, status = 200) => ({ status, error })

  it.each([
    [r(0), 'phone', { kind: 'ok' }],
    [r(undefined, 502), 'phone', { kind: 'retry', reason: 'zalo-http-502' }],
    [r(-100), 'phone', { kind: 'retry', reason: 'zalo-unknown-error' }],
    [r(-118), 'phone', { kind: 'recipient', reason: 'phone-not-on-zalo' }],
    [r(-119), 'phone', { kind: 'recipient', reason: 'template-refused-by-user' }],
    [r(-131), 'phone', { kind: 'stop', reason: 'template-not-approved' }],
    [r(-117), 'phone', { kind: 'stop', reason: 'template-not-approved' }],
    [r(-117), 'uid', { kind: 'recipient', reason: 'user-id-not-allowed' }],
    [r(-213), 'uid', { kind: 'recipient', reason: 'user-id-not-allowed' }],
    [r(-112), 'uid', { kind: 'stop', reason: 'template-params-invalid' }],
    [r(-115), 'phone', { kind: 'stop', reason: 'template-balance-exhausted' }],
    [r(-144), 'phone', { kind: 'next-day', reason: 'template-quota-exceeded' }],
    [r(-133), 'phone', { kind: 'night', reason: 'template-night-hours' }],
    [r(-999), 'phone', { kind: 'stop', reason: 'zalo-template-error:-999' }],
  ] as const)('%j by %s → %j', (result, route, outcome) => {
    expect(classifyTemplateResult(result, route)).toEqual(outcome)
  })

  it('writes Vietnamese phones in the international form', () => {
    expect(['0912345678', '84912345678', '912345678', '0299 3821 234'].map(internationalPhone)).toEqual(['84912345678', '84912345678', '84912345678', '842993821234'])
  })
})
