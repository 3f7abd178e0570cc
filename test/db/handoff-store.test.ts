import { beforeEach, expect, it } from 'vitest'
import { createHandoffStore } from '../../src/db/handoff-store.ts'
import type { HandoffStore, NewTicket } from '../../src/handoff/types.ts'
import { describeEachEngine, type TestDb } from '../helpers/db.ts'

const T0 = Date.parse('2026-12-05T12:00:00Z')
const ticket = (userId: string, more: Partial<NewTicket> = {}): NewTicket => ({
  channel: 'telegram',
  userId,
  reason: 'words',
  openedAt: T0,
  expectedAt: T0 + 3600_000,
  transcript: [{ at: T0 - 1000, author: 'citizen', text: 'làm giấy khai sinh' }, { at: T0 - 900, author: 'bot', text: '📌 ĐĂNG KÝ KHAI SINH' }],
  ...more,
})

describeEachEngine('handoff store', ({ engine, open }) => {
  let t: TestDb
  let store: HandoffStore
  beforeEach(async () => { t = await open(); store = createHandoffStore(t.db) })

  it('opens one ticket per chat with its transcript; asking again returns the same one until it is closed', async () => {
    const a = await store.open(ticket('42', { procedureId: 'dang-ky-khai-sinh' }))
    expect(a.created).toBe(true)
    expect(a.ticket).toMatchObject({ channel: 'telegram', userId: '42', status: 'open', reason: 'words', procedureId: 'dang-ky-khai-sinh', openedAt: T0 })
    const again = await store.open(ticket('42'))
    expect(again).toEqual({ ticket: a.ticket, created: false })
    expect((await store.messages(a.ticket.id)).map((m) => [m.author, m.text])).toEqual([['citizen', 'làm giấy khai sinh'], ['bot', '📌 ĐĂNG KÝ KHAI SINH']])
    expect((await store.close(a.ticket.id, 'citizen', T0 + 5)).result).toBe('closed')
    const next = await store.open(ticket('42'))
    expect(next.created).toBe(true)
    expect(next.ticket.id).not.toBe(a.ticket.id)
    expect(await store.active('telegram', '42')).toEqual(next.ticket)
    expect(await store.active('web', '42')).toBeUndefined()
  })

  it('answers active() from what the store last wrote: a claim, a reply and a close show at once', async () => {
    expect(await store.active('zalo', '51')).toBeUndefined() // asked (and remembered on SQLite) before the ticket exists
    const { ticket: opened } = await store.open(ticket('51', { channel: 'zalo' }))
    expect(await store.active('zalo', '51')).toMatchObject({ id: opened.id, status: 'open' })
    await store.claim(opened.id, 'Chị Lan', T0 + 1)
    expect(await store.active('zalo', '51')).toMatchObject({ id: opened.id, status: 'claimed', claimedBy: 'Chị Lan' })
    await store.markReplied(opened.id, T0 + 2)
    expect(await store.active('zalo', '51')).toMatchObject({ firstReplyAt: T0 + 2 })
    await store.setContext(opened.id, { dossierCode: '000.00.04.H51-260302-0001' }, T0 + 3)
    expect(await store.active('zalo', '51')).toMatchObject({ dossierCode: '000.00.04.H51-260302-0001', updatedAt: T0 + 3 })
    // What a caller does with the ticket it got does not change what the store answers next.
    const got = (await store.active('zalo', '51'))!
    got.status = 'closed'
    expect(await store.active('zalo', '51')).toMatchObject({ status: 'claimed' })
    await store.close(opened.id, 'Chị Lan', T0 + 4)
    expect(await store.active('zalo', '51')).toBeUndefined()
    // Another store over the same database sees the same.
    expect(await createHandoffStore(t.db).active('zalo', '51')).toBeUndefined()
  })

  it('concurrent opens from one chat make one ticket', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => store.open(ticket('77'))))
    expect(results.filter((r) => r.created)).toHaveLength(1)
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1)
    expect(await store.list(['open'])).toHaveLength(1)
  })

  it('two officers claiming the same ticket at once: exactly one wins, the other is told who has it', async () => {
    const { ticket: tk } = await store.open(ticket('1'))
    // A second connection pool on PostgreSQL makes the two claims truly concurrent.
    const other = engine === 'postgres' ? createHandoffStore(await t.reopenExtra()) : store
    const [a, b] = await Promise.all([store.claim(tk.id, 'lan', T0 + 1), other.claim(tk.id, 'hung', T0 + 1)])
    const results = [a, b].map((r) => r.result).sort()
    expect(results).toEqual(['taken', 'won'])
    const winner = a.result === 'won' ? 'lan' : 'hung'
    const loser = a.result === 'won' ? b : a
    expect(loser).toEqual({ result: 'taken', claimedBy: winner })
    expect(await store.claim(tk.id, winner, T0 + 2)).toMatchObject({ result: 'mine' })
    expect((await store.get(tk.id))).toMatchObject({ status: 'claimed', claimedBy: winner, claimedAt: T0 + 1 })
  })

  it('many concurrent claims: one winner, every other claimant learns the winner', async () => {
    const { ticket: tk } = await store.open(ticket('2'))
    const names = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8']
    const results = await Promise.all(names.map((n) => store.claim(tk.id, n, T0)))
    const won = results.filter((r) => r.result === 'won')
    expect(won).toHaveLength(1)
    const winner = (won[0] as { ticket: { claimedBy: string } }).ticket.claimedBy
    for (const r of results.filter((x) => x.result !== 'won')) expect(r).toEqual({ result: 'taken', claimedBy: winner })
  })

  it('closes once; an officer cannot close a ticket another holds; claims of closed tickets fail', async () => {
    const { ticket: tk } = await store.open(ticket('3'))
    await store.claim(tk.id, 'lan', T0)
    expect(await store.close(tk.id, 'hung', T0 + 1, 'hung')).toEqual({ result: 'taken', claimedBy: 'lan' })
    const closed = await store.close(tk.id, 'lan', T0 + 2, 'lan')
    expect(closed).toMatchObject({ result: 'closed', ticket: { status: 'closed', closedBy: 'lan', closedAt: T0 + 2 } })
    expect(await store.close(tk.id, 'citizen', T0 + 3)).toEqual({ result: 'already' })
    expect(await store.claim(tk.id, 'hung', T0 + 4)).toEqual({ result: 'closed' })
    expect(await store.claim(999_999, 'hung', T0)).toEqual({ result: 'missing' })
  })

  it('keeps messages in order, the first reply time once, and the context', async () => {
    const { ticket: tk } = await store.open(ticket('4', { transcript: [] }))
    const m1 = await store.addMessage({ ticketId: tk.id, at: T0 + 10, author: 'citizen', text: 'cho hỏi' })
    const m2 = await store.addMessage({ ticketId: tk.id, at: T0 + 20, author: 'staff', staff: 'lan', text: 'Dạ chào Anh/Chị' })
    await store.setOutboxId(m2.id, 'outbox-1')
    await store.markReplied(tk.id, T0 + 20)
    await store.markReplied(tk.id, T0 + 99)
    await store.setContext(tk.id, { dossierCode: '000.00.04.H51-261205-0001' }, T0 + 30)
    const msgs = await store.messages(tk.id)
    expect(msgs.map((m) => m.id)).toEqual([m1.id, m2.id])
    expect(msgs[1]).toEqual({ id: m2.id, ticketId: tk.id, at: T0 + 20, author: 'staff', staff: 'lan', text: 'Dạ chào Anh/Chị', outboxId: 'outbox-1' })
    expect(await store.get(tk.id)).toMatchObject({ firstReplyAt: T0 + 20, dossierCode: '000.00.04.H51-261205-0001', updatedAt: T0 + 30 })
    await store.deleteMessage(m1.id)
    expect((await store.messages(tk.id)).map((m) => m.id)).toEqual([m2.id])
  })

  it('records one vote per question, only from its chat, and a comment after the vote', async () => {
    const id = await store.ask({ channel: 'web', userId: 'session-1', subject: 'card', procedureId: 'dang-ky-khai-sinh', askedAt: T0 })
    expect(await store.comment(id, 'web', 'session-1', 'chưa bấm')).toBe(false)
    expect(await store.vote(id, 'web', 'someone-else', 1, T0)).toBe(false)
    expect(await store.vote(id, 'web', 'session-1', 1, T0 + 1)).toBe(true)
    expect(await store.vote(id, 'web', 'session-1', 0, T0 + 2)).toBe(false)
    expect(await store.comment(id, 'web', 'session-1', 'rất rõ ràng')).toBe(true)
    expect(await store.feedbackSince(T0)).toEqual([{ id, channel: 'web', userId: 'session-1', subject: 'card', procedureId: 'dang-ky-khai-sinh', askedAt: T0, vote: 1, votedAt: T0 + 1, comment: 'rất rõ ràng' }])
    expect(await store.feedbackSince(T0 + 1)).toEqual([])
  })

  it('adds weekly question counts', async () => {
    await store.addQuestions([{ week: '2026-11-30', channel: 'web', questions: 3, answered: 2 }])
    await store.addQuestions([{ week: '2026-11-30', channel: 'web', questions: 2, answered: 2 }, { week: '2026-11-30', channel: 'zalo', questions: 1, answered: 0 }])
    await Promise.all([1, 2, 3].map(() => store.addQuestions([{ week: '2026-12-07', channel: 'web', questions: 1, answered: 1 }])))
    expect(await store.questionCounts('2026-11-30')).toEqual([
      { week: '2026-11-30', channel: 'web', questions: 5, answered: 4 },
      { week: '2026-11-30', channel: 'zalo', questions: 1, answered: 0 },
      { week: '2026-12-07', channel: 'web', questions: 3, answered: 3 },
    ])
    expect(await store.questionCounts('2026-12-01')).toHaveLength(1)
  })
})
