import { describe, expect, it } from 'vitest'
import { createDossierPort } from '../../src/dossiers/chat.ts'
import type { ConversationState } from '../../src/conversation/state.ts'
import { CODE, dossierBody, makeService } from './helpers.ts'

const who = { channel: 'web' as const, userId: 's1' }
async function port () {
  const t = makeService()
  await t.service.upsert(CODE, dossierBody(), 'lan')
  return { ...t, port: createDossierPort(t.service), state: { updatedAt: 0 } as ConversationState }
}

describe('conversation port', () => {
  it('recognises codes in messages', async () => {
    const { port: p } = await port()
    expect(p.findCode('hồ sơ 000.00.04.h51 - 260302 - 0001 sao rồi')).toBe(CODE)
    expect(p.findCode('0912345678')).toBeNull()
  })

  it('answers a lookup with the anonymous view and remembers the code', async () => {
    const { port: p, state } = await port()
    const [reply] = await p.lookup(CODE.toLowerCase(), who, state)
    expect(reply?.text).toContain('Người nộp: N*** V*** A')
    expect(state.dossierCode).toBe(CODE)
  })

  it('asks for the second factor, lets the citizen retry after a wrong one, then shows the detail', async () => {
    const { port: p, state } = await port()
    await p.askFactor(CODE, state)
    expect(state.awaitingFactorFor).toBe(CODE)
    const [wrong] = await p.verify(CODE, 'AAAA', who, state)
    expect(wrong?.text).toContain('còn 4 lần thử')
    expect(state.awaitingFactorFor).toBe(CODE)
    const [ok] = await p.verify(CODE, '5678', who, state)
    expect(ok?.text).toContain('Người nộp: Nguyễn Văn An')
    expect(state.awaitingFactorFor).toBeUndefined()
  })

  it('asks politely to wait after five wrong factors, and another citizen is not affected', async () => {
    const { port: p, state } = await port()
    const replies = []
    for (let i = 0; i < 5; i++) replies.push((await p.verify(CODE, 'AAAA', who, state))[0]?.text ?? '')
    expect(replies[4]).toContain('Anh/Chị vui lòng thử lại sau 15 phút ạ')
    expect(replies[4]).not.toContain('khóa')
    const [other] = await p.verify(CODE, '5678', { channel: 'zalo', userId: 'z-owner' }, { updatedAt: 0 } as ConversationState)
    expect(other?.text).toContain('Người nộp: Nguyễn Văn An')
  })

  it('counts web chat wrong factors per client address, so fresh session ids do not give fresh tries', async () => {
    const { port: p } = await port()
    const texts = []
    for (let i = 0; i < 6; i++) {
      const [r] = await p.verify(CODE, 'AAAA', { channel: 'web', userId: `rotating-session-${i}`, clientAddress: '203.0.113.5' }, { updatedAt: 0 } as ConversationState)
      texts.push(r?.text ?? '')
    }
    expect(texts[4]).toContain('thử lại sau 15 phút ạ')
    expect(texts[5]).toContain('thử lại sau 15 phút ạ')
    const [other] = await p.verify(CODE, '5678', { channel: 'web', userId: 'owner-session', clientAddress: '198.51.100.20' }, { updatedAt: 0 } as ConversationState)
    expect(other?.text).toContain('Người nộp: Nguyễn Văn An')
  })

  it('subscribes and unsubscribes, and the lookup then offers the opposite button', async () => {
    const { port: p, state, service } = await port()
    expect((await p.subscribe(CODE, who, true))[0]?.text).toContain('Em sẽ nhắn Anh/Chị')
    expect(await service.isSubscribed(CODE, who)).toBe(true)
    expect((await p.lookup(CODE, who, state))[0]?.buttons?.[0]?.label).toBe('Hủy nhận thông báo')
    expect((await p.subscribe(CODE, who, false))[0]?.text).toContain('dừng gửi mọi thông báo')
    expect(await service.isSubscribed(CODE, who)).toBe(false)
  })

  it('says politely when a code is unknown', async () => {
    const { port: p, state } = await port()
    expect((await p.lookup('000.00.04.H51-260302-0099', who, state))[0]?.text).toContain('Em chưa tìm thấy hồ sơ')
  })

  it('finds a code typed without its agency id when one dossier ends with it, and asks for the whole code when several do', async () => {
    const { port: p, service, state } = await port()
    expect(p.findCode('hồ sơ 260302-0001 sao rồi')).toBe('260302-0001')
    expect(p.findCode('260302 0001')).toBe('260302-0001')
    expect(p.findCode('2603020001')).toBe('260302-0001')
    const [found] = await p.lookup('260302-0001', who, state)
    expect(found?.text).toContain('Người nộp: N*** V*** A')
    expect(state.dossierCode).toBe(CODE)
    expect(state.awaitingFactorFor).toBe(CODE)
    const detail = await p.verify('260302-0001', '5678', who, state)
    expect(detail[0]?.text).toContain('Nguyễn Văn An')
    expect((await p.lookup('260302-0099', who, state))[0]?.text).toContain('Em chưa tìm thấy hồ sơ 260302-0099')
    await service.upsert('000.00.07.H51-260302-0001', dossierBody(), 'lan')
    const [ambiguous] = await p.lookup('260302-0001', who, state)
    expect(ambiguous?.text).toContain('gõ đủ mã')
    expect(ambiguous?.text).not.toContain('N*** V*** A')
  })
})
