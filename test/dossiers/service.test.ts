import { describe, expect, it } from 'vitest'
import { DossierInputError } from '../../src/dossiers/input.ts'
import { LOOKUP_ALPHABET } from '../../src/dossiers/privacy.ts'
import { CODE, dossierBody, makeService } from './helpers.ts'

const anna = { channel: 'telegram' as const, userId: '111' }
const binh = { channel: 'zalo' as const, userId: '222' }

describe('create and update', () => {
  it('creates a dossier, computing the due date from the procedure (3 working days)', async () => {
    const { service } = makeService()
    const r = await service.upsert(CODE, dossierBody(), 'lan')
    expect(r).toEqual({ created: true, changed: true, code: CODE, lookupCode: 'K7M2QX', dueAt: '2026-03-05T09:00:00+07:00', status: 2 })
  })

  it('generates a 6-character lookup code from the unambiguous alphabet when staff give none', async () => {
    const { service } = makeService()
    const r = await service.upsert(CODE, dossierBody({ lookupCode: undefined }), 'lan')
    expect(r.lookupCode).toMatch(new RegExp(`^[${LOOKUP_ALPHABET}]{6}$`))
  })

  it('changes nothing when the same record is sent again', async () => {
    const { service, audit } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    const again = await service.upsert(CODE, dossierBody(), 'lan')
    expect(again).toMatchObject({ created: false, changed: false })
    expect(await audit.recent()).toHaveLength(1)
  })

  it.each([
    [{ procedure: 'khong-co' }, 'procedure'],
    [{ receivedAt: '30/02/2026' }, 'receivedAt'],
    [{ phone: '12' }, 'phone'],
    [{ status: 11 }, 'status'],
    [{ applicantName: '' }, 'applicantName'],
    [{ dueAt: '2026-03-01T09:00:00+07:00' }, 'dueAt'],
  ])('rejects %j naming the field', async (over, field) => {
    const { service } = makeService()
    await expect(service.upsert(CODE, dossierBody(over), 'lan')).rejects.toSatisfy((e) => e instanceof DossierInputError && e.field === field)
  })

  it('rejects a code that is not a dossier code', async () => {
    const { service } = makeService()
    await expect(service.upsert('hello', dossierBody(), 'lan')).rejects.toSatisfy((e) => e instanceof DossierInputError && e.field === 'code')
  })

  it('audit-logs every write with the staff name and without personal data', async () => {
    const { service, audit } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    await service.updateStatus(CODE, { status: 4, note: 'Đang thẩm định' }, 'hung')
    const entries = await audit.recent()
    expect(entries.map((e) => [e.staff, e.action, e.code])).toEqual([['hung', 'status', CODE], ['lan', 'create', CODE]])
    expect(JSON.stringify(entries)).not.toMatch(/0912|345678|Nguyễn|An\b/)
  })
})

describe('computed lateness', () => {
  it('is neither late nor due soon well before the due date', async () => {
    const { service } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    expect(await service.publicView(CODE)).toMatchObject({ overdue: false, dueSoon: false })
  })

  it('is due soon within one working day of the due date', async () => {
    const { service, clock } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    clock.set('2026-03-04T10:00:00+07:00')
    expect(await service.publicView(CODE)).toMatchObject({ overdue: false, dueSoon: true })
  })

  it('is late after the due date, with an apology in the next step', async () => {
    const { service, clock } = makeService()
    await service.upsert(CODE, dossierBody({ status: 4 }), 'lan')
    clock.set('2026-03-06T10:00:00+07:00')
    const v = await service.publicView(CODE)
    expect(v).toMatchObject({ overdue: true })
    expect(v?.nextStep).toContain('xin lỗi')
  })

  it('is not late while waiting for the citizen (status 5)', async () => {
    const { service, clock } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    await service.updateStatus(CODE, { status: 5, missingDocuments: ['Giấy xác nhận cư trú'] }, 'lan')
    clock.set('2026-03-20T10:00:00+07:00')
    expect(await service.publicView(CODE)).toMatchObject({ overdue: false, dueSoon: false })
  })

  it('moves the promised date by the office time spent waiting for the citizen', async () => {
    const { service, clock } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    clock.set('2026-03-03T09:00:00+07:00')
    await service.updateStatus(CODE, { status: 5, missingDocuments: ['Giấy xác nhận cư trú'] }, 'lan')
    clock.set('2026-03-05T09:00:00+07:00')
    await service.updateStatus(CODE, { status: 4 }, 'lan')
    clock.set('2026-03-06T10:00:00+07:00')
    expect(await service.publicView(CODE)).toMatchObject({ dueAt: '2026-03-09T09:00:00+07:00', overdue: false, dueSoon: true })
  })

  it('stays late once finished after the due date', async () => {
    const { service, clock } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    clock.set('2026-03-09T10:00:00+07:00')
    await service.updateStatus(CODE, { status: 9 }, 'lan')
    clock.set('2026-03-10T10:00:00+07:00')
    await service.updateStatus(CODE, { status: 10 }, 'lan')
    expect(await service.publicView(CODE)).toMatchObject({ status: 10, overdue: true })
  })
})

describe('notifications', () => {
  async function withSubscribers () {
    const t = makeService()
    await t.service.upsert(CODE, dossierBody(), 'lan')
    await t.service.subscribe(CODE, anna)
    await t.service.subscribe(CODE, binh)
    return t
  }

  it('enqueues one notification per subscriber on a status change, with the dedupe key', async () => {
    const { service, outbox } = await withSubscribers()
    await service.updateStatus(CODE, { status: 4 }, 'lan')
    expect(outbox.items.map((i) => [i.channel, i.userId, i.kind, i.dedupeKey])).toEqual([
      ['telegram', '111', 'notification', `${CODE}:1:telegram:111`],
      ['zalo', '222', 'notification', `${CODE}:1:zalo:222`],
    ])
    expect(outbox.items[0]?.replies[0]?.text).toContain('Đang xử lý')
  })

  it('congratulates warmly when the result is ready, with what to bring', async () => {
    const { service, outbox } = await withSubscribers()
    await service.updateStatus(CODE, { status: 9 }, 'lan')
    const text = outbox.items[0]?.replies[0]?.text ?? ''
    expect(text).toContain('Chúc mừng Anh/Chị')
    expect(text).toContain('giấy tiếp nhận hồ sơ và căn cước')
  })

  it('congratulates when the result has been handed over', async () => {
    const { service, outbox } = await withSubscribers()
    await service.updateStatus(CODE, { status: 10 }, 'lan')
    expect(outbox.items[0]?.replies[0]?.text).toContain('Chúc mừng Anh/Chị đã nhận kết quả')
  })

  it('apologises with the new date when staff give one', async () => {
    const { service, outbox } = await withSubscribers()
    await service.updateStatus(CODE, { status: 4, newDueAt: '2026-03-10T17:00:00+07:00', note: 'Cần xác minh thêm' }, 'lan')
    const text = outbox.items[0]?.replies[0]?.text ?? ''
    expect(text).toContain('thành thật xin lỗi')
    expect(text).toContain('17:00 thứ Ba, 10/03/2026')
  })

  it('tells verified subscribers which documents to add, and others only to look at the details', async () => {
    const { service, outbox } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    expect((await service.verify(CODE, 'k7m2qx', 'telegram:111')).result).toBe('ok')
    await service.subscribe(CODE, anna)
    await service.subscribe(CODE, binh)
    await service.updateStatus(CODE, { status: 5, missingDocuments: ['Giấy xác nhận cư trú'] }, 'lan')
    expect(outbox.items[0]?.replies[0]?.text).toContain('Giấy xác nhận cư trú')
    expect(outbox.items[1]?.replies[0]?.text).not.toContain('Giấy xác nhận cư trú')
    expect(outbox.items[1]?.replies[0]?.buttons?.map((b) => b.label)).toContain('Xem chi tiết')
  })

  it('sends nothing for an update that changes nothing, and nothing after unsubscribing', async () => {
    const { service, outbox } = await withSubscribers()
    await service.updateStatus(CODE, { status: 2 }, 'lan')
    expect(outbox.items).toHaveLength(0)
    await service.unsubscribe(CODE, anna)
    await service.updateStatus(CODE, { status: 4 }, 'lan')
    expect(outbox.items.map((i) => i.userId)).toEqual(['222'])
  })

  it('never puts the phone number or full name in a notification', async () => {
    const { service, outbox } = await withSubscribers()
    for (const status of [4, 6, 9, 10]) await service.updateStatus(CODE, { status }, 'lan')
    const all = JSON.stringify(outbox.items)
    expect(all).not.toMatch(/0912|345 ?678|Nguyễn Văn An/)
  })
})
