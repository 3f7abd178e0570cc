import { afterEach, describe, expect, it } from 'vitest'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { loadLexicon } from '../../src/catalogue/lexicon.ts'
import { createStaffStore } from '../../src/db/staff-store.ts'
import { createLiveSearch, startAliasSync } from '../../src/staff/live-search.ts'
import { createTestApp } from '../helpers/app.ts'
import { describeEachEngine } from '../helpers/db.ts'
import { until } from '../helpers/wait.ts'
import { signIn } from './helpers.ts'

let close: (() => Promise<void>) | undefined
afterEach(async () => { await close?.(); close = undefined })

const QUESTION = 'xin giấy chào đời'
const TITLE = loadCatalogue('data').byId.get('dang-ky-khai-sinh')!.title
const chat = async (app: Awaited<ReturnType<typeof createTestApp>>['app'], text: string) =>
  (await app.inject({ method: 'POST', url: '/api/chat', payload: { sessionId: `s-${Math.random().toString(36).slice(2, 10)}`, text } })).json<{ replies: Array<{ text: string }> }>()

describe('teaching the bot', () => {
  it('groups an unanswered question, attaches it to a procedure, and the bot answers it without a restart', async () => {
    const t = await createTestApp()
    close = t.close
    const { app } = t
    await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
    const s = await signIn(app, 'lan', 'mat-khau-lan-1')
    const before = await chat(app, QUESTION)
    expect(JSON.stringify(before)).not.toContain(TITLE)
    await chat(app, 'xin giay chao doi')
    const groups = await app.inject({ url: '/api/staff/unanswered/groups', headers: s.headers(false) })
    const group = groups.json<{ items: Array<{ text: string, count: number }> }>().items.find((g) => g.count === 2)
    expect(group?.text).toBe(QUESTION)

    expect((await app.inject({ method: 'POST', url: '/api/staff/aliases', headers: s.headers(), payload: { procedure: 'khong-co', phrase: QUESTION } })).statusCode).toBe(400)
    expect((await app.inject({ method: 'POST', url: '/api/staff/aliases', headers: s.headers(), payload: { procedure: 'dang-ky-khai-sinh', phrase: '1' } })).statusCode).toBe(400)
    expect((await app.inject({ method: 'POST', url: '/api/staff/aliases', headers: s.headers(false), payload: { procedure: 'dang-ky-khai-sinh', phrase: QUESTION } })).statusCode).toBe(403)
    const added = await app.inject({ method: 'POST', url: '/api/staff/aliases', headers: s.headers(), payload: { procedure: 'dang-ky-khai-sinh', phrase: QUESTION } })
    expect(added.statusCode).toBe(201)
    expect((await app.inject({ method: 'POST', url: '/api/staff/aliases', headers: s.headers(), payload: { procedure: 'dang-ky-khai-sinh', phrase: QUESTION } })).statusCode).toBe(409)
    const after = await chat(app, QUESTION)
    expect(JSON.stringify(after)).toContain(TITLE)
    const list = await app.inject({ url: '/api/staff/aliases', headers: s.headers(false) })
    expect(list.json().items).toEqual([expect.objectContaining({ procedure: 'dang-ky-khai-sinh', phrase: QUESTION, addedBy: 'lan' })])
    const regrouped = await app.inject({ url: '/api/staff/unanswered/groups', headers: s.headers(false) })
    expect(regrouped.json<{ items: Array<{ text: string }> }>().items.map((g) => g.text)).not.toContain(QUESTION)

    expect((await app.inject({ method: 'DELETE', url: `/api/staff/aliases/${added.json<{ id: number }>().id}`, headers: s.headers() })).statusCode).toBe(200)
    expect(JSON.stringify(await chat(app, QUESTION))).not.toContain(TITLE)
    expect((await app.inject({ method: 'DELETE', url: '/api/staff/aliases/999', headers: s.headers() })).statusCode).toBe(404)
  })

  it('marks a question off-topic so it leaves the list', async () => {
    const t = await createTestApp()
    close = t.close
    await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
    const s = await signIn(t.app, 'lan', 'mat-khau-lan-1')
    await chat(t.app, 'giá vàng hôm nay thế nào')
    const texts = async () => (await t.app.inject({ url: '/api/staff/unanswered/groups', headers: s.headers(false) })).json<{ items: Array<{ text: string }> }>().items.map((g) => g.text)
    expect(await texts()).toContain('giá vàng hôm nay thế nào')
    expect((await t.app.inject({ method: 'POST', url: '/api/staff/unanswered/off-topic', headers: s.headers(), payload: { text: 'gia vang hom nay the nao' } })).statusCode).toBe(200)
    expect(await texts()).not.toContain('giá vàng hôm nay thế nào')
  })
})

describeEachEngine('staff aliases across instances', ({ open }) => {
  it('another instance on the same database picks up an alias by polling', async () => {
    const t = await open()
    const catalogue = loadCatalogue('data')
    const lexicon = loadLexicon('data')
    const store = createStaffStore(t.db)
    const searchB = createLiveSearch(catalogue.procedures, lexicon)
    const syncB = await startAliasSync(store, searchB, { intervalMs: 50 })
    try {
      expect(searchB.query(QUESTION).confidence).toBe('none')
      await store.addAlias({ procedureId: 'dang-ky-khai-sinh', alias: QUESTION, addedBy: 'lan', createdAt: 0 })
      await until(() => searchB.query(QUESTION).results[0]?.id === 'dang-ky-khai-sinh', 5000)
      expect(searchB.query(QUESTION).confidence).toBe('sure')
    } finally {
      await syncB.close()
    }
  })
})
