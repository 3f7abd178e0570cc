import { expect, it } from 'vitest'
import { createWebInbox, WEB_INBOX_KEEP_MS } from '../../src/web/inbox.ts'
import { describeEachEngine } from '../helpers/db.ts'

describeEachEngine('web inbox', ({ open }) => {
  it('keeps notifications per session, reads after an id, and forgets them after 30 days', async () => {
    const t = await open()
    let clock = Date.parse('2026-03-02T02:00:00Z')
    const inbox = createWebInbox(t.db, () => clock)
    expect(await inbox.sender.send('session-a1', { text: 'một' })).toEqual({ ok: true })
    await inbox.sender.send('session-b1', { text: 'khác' })
    await inbox.sender.send('session-a1', { text: 'hai', buttons: [{ label: 'Xem', value: 'd:X' }] })
    const all = await inbox.list('session-a1', 0)
    expect(all.map((i) => i.reply.text)).toEqual(['một', 'hai'])
    expect((await inbox.list('session-a1', all[0]!.id)).map((i) => i.reply)).toEqual([{ text: 'hai', buttons: [{ label: 'Xem', value: 'd:X' }] }])
    clock += WEB_INBOX_KEEP_MS - 1000
    expect(await inbox.list('session-a1', 0)).toHaveLength(2)
    clock += 2000
    expect(await inbox.list('session-a1', 0)).toEqual([])
  })
})
