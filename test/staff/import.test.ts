import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp } from '../helpers/app.ts'
import { signIn } from './helpers.ts'

let close: (() => Promise<void>) | undefined
afterEach(async () => { await close?.(); close = undefined })

const HEADER = 'code,procedure,applicantName,phone,receivedAt,dueAt,status'
const A = '000.00.04.H51-260302-0001'
const B = '000.00.04.H51-260302-0002'
const CSV = [
  HEADER,
  `${A},dang-ky-tam-tru,Nguyễn Văn An,0912345678,2026-03-02 09:00,,2`,
  `${B},dang-ky-khai-sinh,Trần Thị Bình,0912345679,2026-03-02 09:10,,2`,
  `${A},dang-ky-tam-tru,Nguyễn Văn An,0912345678,2026-03-02 09:00,,4`,
  'sai-ma,dang-ky-tam-tru,Lê Văn Cường,0912345670,2026-03-02 09:00,,2',
].join('\n') + '\n'

function multipart (csv: string): { payload: Buffer, headers: Record<string, string> } {
  const boundary = '----console-test-boundary'
  const payload = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="ho-so.csv"\r\ncontent-type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`)
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

describe('CSV upload (multipart)', () => {
  it('previews, imports the last row of a duplicated code once and says so, gives lookup codes; re-importing changes nothing', async () => {
    const t = await createTestApp({}, () => Date.parse('2026-03-02T03:00:00Z'))
    close = t.close
    await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
    const s = await signIn(t.app, 'lan', 'mat-khau-lan-1')
    const upload = (dryRun: boolean) => {
      const m = multipart(CSV)
      return t.app.inject({ method: 'POST', url: `/api/staff/dossiers/import-file?dryRun=${dryRun ? 1 : 0}`, payload: m.payload, headers: { ...s.headers(), ...m.headers } })
    }
    const dry = await upload(true)
    expect(dry.statusCode).toBe(200)
    expect(dry.json()).toMatchObject({ imported: 2, updated: 0, duplicates: [{ code: A, lines: [2, 4] }], errors: [{ line: 5, message: expect.stringMatching(/^mã hồ sơ không hợp lệ/) }] })
    expect((await t.app.inject({ url: `/api/staff/dossiers/${A}`, headers: s.headers(false) })).statusCode).toBe(404)

    const real = await upload(false)
    expect(real.json()).toMatchObject({ imported: 2, updated: 0, duplicates: [{ code: A, lines: [2, 4] }] })
    const codes = real.json<{ dossiers: Array<{ code: string, lookupCode: string }> }>().dossiers
    expect(codes.map((d) => d.code)).toEqual([B, A])
    const a = await t.app.inject({ url: `/api/staff/dossiers/${A}`, headers: s.headers(false) })
    expect(a.json()).toMatchObject({ status: 4, lookupCode: codes[1]!.lookupCode })
    expect(a.json<{ history: unknown[] }>().history).toHaveLength(1)

    const again = await upload(false)
    expect(again.json()).toMatchObject({ imported: 0, updated: 0 })
    const audit = await t.services.staff!.audit.recent(100)
    expect(audit.filter((e) => e.action.startsWith('import-'))).toHaveLength(2)
  })

  it('refuses a request that is not multipart, and a file without the required columns in Vietnamese', async () => {
    const t = await createTestApp()
    close = t.close
    await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
    const s = await signIn(t.app, 'lan', 'mat-khau-lan-1')
    expect((await t.app.inject({ method: 'POST', url: '/api/staff/dossiers/import-file', payload: { a: 1 }, headers: s.headers() })).statusCode).toBe(415)
    const m = multipart('ma,ten\n1,2\n')
    const bad = await t.app.inject({ method: 'POST', url: '/api/staff/dossiers/import-file', payload: m.payload, headers: { ...s.headers(), ...m.headers } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().message).toMatch(/^Tệp không đọc được: dòng 1: thiếu cột/)
  })
})
