import { describe, expect, it } from 'vitest'
import { DossierInputError } from '../../src/dossiers/input.ts'
import { makeService } from './helpers.ts'

const HEADER = 'code,procedure,applicantName,phone,receivedAt,dueAt,status'
const GOOD = [
  '000.00.04.H51-260302-0001,dang-ky-tam-tru,Nguyễn Văn An,0912345678,2026-03-02T09:00:00+07:00,,2',
  '000.00.04.H51-260302-0002,dang-ky-khai-sinh,Trần Thị Bình,0987654321,02/03/2026 10:15,,4',
  '000.00.04.H51-260302-0003,dang-ky-thuong-tru,Lê Văn Cường,0901234567,2026-03-02,2026-03-12,9',
]
const BAD = [
  '000.00.04.H51-260302-0004,khong-co-thu-tuc,Phạm Văn Dũng,0911111111,2026-03-02T09:00:00+07:00,,2',
  'not-a-code,dang-ky-tam-tru,Võ Thị E,0922222222,2026-03-02T09:00:00+07:00,,2',
  '000.00.04.H51-260302-0006,dang-ky-tam-tru,Đỗ Văn G,0933333333,hôm qua,,2',
  '000.00.04.H51-260302-0007,dang-ky-tam-tru,Hồ Thị H,0944444444,2026-03-02T09:00:00+07:00,,12',
  '000.00.04.H51-260302-0008,dang-ky-tam-tru,Mai Văn I',
]
const FILE = [HEADER, GOOD[0], BAD[0], GOOD[1], BAD[1], '', BAD[2], GOOD[2], BAD[3], BAD[4]].join('\n') + '\n'

describe('CSV import', () => {
  it('imports good rows and reports bad rows by their line in the file', async () => {
    const { service, store } = makeService()
    const r = await service.importCsv(FILE, { dryRun: false }, 'lan')
    expect(r.imported).toBe(3)
    expect(r.updated).toBe(0)
    expect(r.errors.map((e) => e.line)).toEqual([3, 5, 7, 9, 10])
    expect(r.errors[0]?.message).toMatch(/^procedure: /)
    expect(r.errors[1]?.message).toMatch(/^code: /)
    expect(r.errors[2]?.message).toMatch(/^receivedAt: /)
    expect(r.errors[3]?.message).toMatch(/^status: /)
    expect(r.errors[4]?.message).toMatch(/columns/)
    expect(await store.size()).toBe(3)
    expect(await service.publicView('000.00.04.H51-260302-0003')).toMatchObject({ dueAt: '2026-03-12T17:00:00+07:00', status: 9 })
  })

  it('writes nothing on a dry run but reports the same counts', async () => {
    const { service, store, audit, outbox } = makeService()
    const r = await service.importCsv(FILE, { dryRun: true }, 'lan')
    expect(r.imported).toBe(3)
    expect(r.errors).toHaveLength(5)
    expect(await store.size()).toBe(0)
    expect(await audit.recent()).toHaveLength(0)
    expect(outbox.items).toHaveLength(0)
  })

  it('changes nothing when the same file is imported again', async () => {
    const { service, audit } = makeService()
    await service.importCsv(FILE, { dryRun: false }, 'lan')
    const writes = (await audit.recent(1000)).length
    const again = await service.importCsv(FILE, { dryRun: false }, 'lan')
    expect(again).toMatchObject({ imported: 0, updated: 0 })
    expect(await audit.recent(1000)).toHaveLength(writes)
  })

  it('counts as updated only the rows that changed something', async () => {
    const { service } = makeService()
    await service.importCsv(FILE, { dryRun: false }, 'lan')
    const changed = [HEADER, GOOD[0]?.replace(/,2$/, ',4'), GOOD[1], GOOD[2]].join('\n')
    expect(await service.importCsv(changed, { dryRun: true }, 'lan')).toMatchObject({ imported: 0, updated: 1 })
    expect(await service.importCsv(changed, { dryRun: false }, 'lan')).toMatchObject({ imported: 0, updated: 1 })
  })

  it('accepts a semicolon-separated file with a BOM (Excel) and quoted multi-line fields', async () => {
    const { service } = makeService()
    const text = '\uFEFF' + HEADER.replaceAll(',', ';') + '\n' +
      '000.00.04.H51-260302-0001;dang-ky-tam-tru;"Nguyễn\nVăn An";0912345678;2026-03-02T09:00:00+07:00;;2\n' +
      '000.00.04.H51-260302-0002;dang-ky-tam-tru;Trần B;12;2026-03-02T09:00:00+07:00;;2\n'
    const r = await service.importCsv(text, { dryRun: false }, 'lan')
    expect(r.imported).toBe(1)
    expect(r.errors).toEqual([{ line: 4, message: expect.stringMatching(/^phone: /) }])
  })

  it('rejects a file whose header misses a column', async () => {
    const { service } = makeService()
    await expect(service.importCsv('code,procedure\nx,y\n', { dryRun: true }, 'lan'))
      .rejects.toSatisfy((e) => e instanceof DossierInputError && e.field === 'csv' && /missing columns/.test(e.message))
  })
})
