import { describe, expect, it } from 'vitest'
import { detectText, parseAction } from '../../src/conversation/detect.ts'
import type { ConversationState } from '../../src/conversation/state.ts'
import { createDossierPort } from '../../src/dossiers/chat.ts'
import { extractDossierCode } from '../../src/dossiers/code.ts'
import { createMemoryDossierStore } from '../../src/dossiers/store.ts'
import { CODE, dossierBody, makeService } from './helpers.ts'

const CODE2 = '000.00.04.H51-260302-0002'
const zaloUser = { channel: 'zalo' as const, userId: '8404382937846123456' }
const state = (): ConversationState => ({ updatedAt: 0 })

async function setup (options: { zaloTemplates?: boolean } = { zaloTemplates: true }) {
  const t = makeService('2026-03-02T09:00:00+07:00', createMemoryDossierStore(), options)
  await t.service.upsert(CODE, dossierBody(), 'lan')
  await t.service.upsert(CODE2, dossierBody(), 'lan')
  return { ...t, port: createDossierPort(t.service, options) }
}

describe('the subscribe answer says how notices will arrive', () => {
  it.each([
    ['web', 'ngay trên trang trò chuyện này'],
    ['telegram', 'qua Telegram'],
  ] as const)('%s', async (channel, how) => {
    const { port } = await setup()
    const [reply] = await port.subscribe(CODE, { channel, userId: 'u-1' }, true)
    expect(reply?.text).toContain(how)
    expect(reply?.text).toContain('«hủy thông báo»')
    expect(reply?.buttons?.map((b) => b.value)).toEqual([`du:${CODE}`])
  })

  it('zalo with templates: explains the 7-day window and asks for consent to template messages', async () => {
    const { port } = await setup()
    const [reply] = await port.subscribe(CODE, zaloUser, true)
    expect(reply?.text).toContain('Zalo chỉ cho em nhắn trong 7 ngày')
    expect(reply?.buttons).toEqual([{ label: 'Đồng ý nhận tin mẫu Zalo', value: `dz:${CODE}` }, { label: 'Hủy nhận thông báo', value: `du:${CODE}` }])
    await port.consent(CODE, zaloUser)
    expect((await port.subscribe(CODE, zaloUser, true))[0]?.text).toContain('thông báo đến bằng tin mẫu Zalo')
  })

  it('zalo without templates: says honestly that messages stop after 7 days of silence', async () => {
    const { port } = await setup({ zaloTemplates: false })
    const [reply] = await port.subscribe(CODE, zaloUser, true)
    expect(reply?.text).toContain('trong 7 ngày kể từ lần cuối Anh/Chị nhắn cho em')
    expect(reply?.buttons?.map((b) => b.value)).toEqual([`du:${CODE}`])
    expect((await port.consent(CODE, zaloUser))[0]?.text).toContain('chưa gửi được tin mẫu Zalo')
  })
})

describe('consent to template messages', () => {
  it('covers this Zalo account; the dossier\'s phone only after the second factor', async () => {
    const { port, service } = await setup()
    const [first] = await port.consent(CODE, zaloUser)
    expect(first?.text).toContain('tới tài khoản Zalo này')
    expect(await service.isSubscribed(CODE, zaloUser)).toBe(true)
    const notice = { code: CODE, historyIndex: 1, kind: 'result' as const, audience: 'subscriber' as const, fields: {} as never }
    expect(await service.audience.resolve(notice, 'zalo', zaloUser.userId)).toEqual({ templateUserId: zaloUser.userId })
    await port.verify(CODE, 'K7M2QX', zaloUser, state())
    const [second] = await port.consent(CODE, zaloUser)
    expect(second?.text).toContain('số điện thoại đã đăng ký với hồ sơ')
    expect(await service.audience.resolve(notice, 'zalo', zaloUser.userId)).toEqual({ templateUserId: zaloUser.userId, templatePhone: '0912345678' })
    expect(await service.audience.resolve(notice, 'zalo', 'someone-else')).toBeNull()
  })

  it('is not possible from the web chat', async () => {
    const { port, service } = await setup()
    expect((await port.consent(CODE, { channel: 'web', userId: 's-1' }))[0]?.text).toContain('chưa gửi được tin mẫu Zalo')
    expect(await service.isSubscribed(CODE, { channel: 'web', userId: 's-1' })).toBe(false)
  })

  it('at the desk: recorded with the staff name, dropped when the phone changes, audited', async () => {
    const { service, audit } = await setup()
    await service.upsert(CODE, dossierBody({ zaloConsent: true }), 'lan')
    expect(await service.deskConsent(CODE)).toEqual({ at: '2026-03-02T09:00:00+07:00', staff: 'lan' })
    await service.upsert(CODE, dossierBody({ phone: '0987654321' }), 'hung')
    expect(await service.deskConsent(CODE)).toBeUndefined()
    expect(await service.setDeskConsent(CODE, true, 'hung')).toEqual({ at: '2026-03-02T09:00:00+07:00', staff: 'hung' })
    expect(await service.setDeskConsent(CODE, false, 'hung')).toBeUndefined()
    expect(await service.setDeskConsent('000.00.04.H51-260302-0099', true, 'hung')).toBeNull()
    expect((await audit.recent()).slice(0, 2).map((e) => e.action)).toEqual(['zalo-consent-withdrawn', 'zalo-consent'])
    await expect(service.upsert(CODE, dossierBody({ zaloConsent: 'có' }), 'lan')).rejects.toMatchObject({ field: 'zaloConsent', message: 'expected true or false' })
  })
})

describe('notices carry what the channels need', () => {
  it('one item per subscriber with the notice and its dossier lane, plus one for the desk phone', async () => {
    const { service, outbox } = await setup()
    await service.subscribe(CODE, zaloUser)
    await service.setDeskConsent(CODE, true, 'lan')
    await service.updateStatus(CODE, { status: 9 }, 'lan')
    expect(outbox.items.map((i) => [i.channel, i.userId, i.dedupeKey, i.lane, i.notice?.audience, i.notice?.kind])).toEqual([
      ['zalo', zaloUser.userId, `${CODE}:1:zalo:${zaloUser.userId}`, `dossier:${CODE}`, 'subscriber', 'result'],
      ['zalo', `desk:${CODE}`, `${CODE}:1:zalo:desk`, `dossier:${CODE}`, 'desk', 'result'],
    ])
    expect(outbox.items[0]?.notice?.fields).toMatchObject({ code: CODE, status: 'Đã xử lý xong', due_date: '05/03/2026' })
  })

  it('no desk item when a verified Zalo subscriber follows (their notice falls back to the phone), nor without templates', async () => {
    const verified = await setup()
    await verified.service.verify(CODE, 'K7M2QX', 'zalo:8404382937846123456')
    await verified.service.subscribe(CODE, zaloUser)
    await verified.service.setDeskConsent(CODE, true, 'lan')
    await verified.service.updateStatus(CODE, { status: 9 }, 'lan')
    expect(verified.outbox.items.map((i) => i.userId)).toEqual([zaloUser.userId])
    const off = await setup({ zaloTemplates: false })
    await off.service.setDeskConsent(CODE, true, 'lan')
    await off.service.updateStatus(CODE, { status: 9 }, 'lan')
    expect(off.outbox.items).toEqual([])
  })
})

describe('stopping notices ("hủy thông báo")', () => {
  it('drops the queued notices of the citizen on every route; a verified citizen also ends the desk consent', async () => {
    const { port, service, outbox } = await setup()
    await service.setDeskConsent(CODE, true, 'lan')
    await port.subscribe(CODE, zaloUser, true)
    const [unverified] = await port.subscribe(CODE, zaloUser, false)
    expect(unverified?.text).toContain('Tin mẫu Zalo tới số điện thoại đăng ký tại quầy chỉ dừng được sau khi Anh/Chị nhập mã tra cứu')
    expect(outbox.cancelled).toEqual([{ channel: 'zalo', userId: zaloUser.userId, keyPrefix: `${CODE}:` }])
    expect(await service.deskConsent(CODE)).toBeDefined()
    await port.verify(CODE, 'K7M2QX', zaloUser, state())
    expect((await port.unsubscribeAll(zaloUser, { updatedAt: 0, dossierCode: CODE }))[0]?.text).toBe(`Em đã dừng gửi mọi thông báo về hồ sơ ${CODE}, cả tin nhắn và tin mẫu Zalo.`)
    expect(await service.deskConsent(CODE)).toBeUndefined()
    expect(outbox.cancelled.at(-1)).toEqual({ channel: 'zalo', userId: `desk:${CODE}`, keyPrefix: `${CODE}:` })
  })

  it('without a code stops every subscription of the user, and says so when there was none', async () => {
    const { port, service } = await setup()
    await port.subscribe(CODE, zaloUser, true)
    await port.subscribe(CODE2, zaloUser, true)
    expect((await port.unsubscribeAll(zaloUser, state()))[0]?.text).toBe(`Em đã dừng gửi mọi thông báo về hồ sơ ${CODE}, ${CODE2}, cả tin nhắn và tin mẫu Zalo.`)
    expect(await service.isSubscribed(CODE2, zaloUser)).toBe(false)
    expect((await port.unsubscribeAll(zaloUser, state()))[0]?.text).toContain('Anh/Chị chưa đăng ký nhận thông báo hồ sơ nào')
  })

  it.each([
    ['hủy thông báo', { kind: 'dossierStopAll' }],
    ['Huỷ thông báo nhé', { kind: 'dossierStopAll' }],
    ['dung nhan thong bao', { kind: 'dossierStopAll' }],
    ['cho em hủy nhận thông báo ạ', { kind: 'dossierStopAll' }],
    ['không nhận thông báo nữa', { kind: 'dossierStopAll' }],
    [`hủy thông báo ${CODE}`, { kind: 'dossierSubscribe', code: CODE, on: false }],
    [`hồ sơ ${CODE} tới đâu rồi`, { kind: 'dossier', code: CODE }],
  ])('reads %j', (text, intent) => {
    expect(detectText(text, undefined, extractDossierCode)).toEqual(intent)
  })

  it.each(['không nhận được thông báo', 'thông báo', 'hủy hồ sơ', 'tôi muốn hủy đăng ký kết hôn'])('does not read %j as a request to stop', (text) => {
    expect(['dossierStopAll', 'dossierSubscribe']).not.toContain(detectText(text, undefined, extractDossierCode).kind)
  })

  it('reads the consent button', () => {
    expect(parseAction(`dz:${CODE}`)).toEqual({ kind: 'dossierConsent', code: CODE })
  })
})
