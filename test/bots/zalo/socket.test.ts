import Fastify from 'fastify'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createZaloChannel } from '../../../bots/zalo/index.ts'
import { createOutbox } from '../../../src/outbox/outbox.ts'
import { openDatabase } from '../../../src/db/connect.ts'
import { createOutboxStore } from '../../../src/db/outbox-store.ts'
import type { PluginOptions } from '../../../src/services.ts'
import { signZaloEvent, startFakeZalo, zaloEvents, type FakeZalo } from '../../helpers/fake-zalo.ts'
import { createFakeCore, createHarness, tempDir, testConfig, ZALO, type Harness } from '../harness.ts'

let zalo: FakeZalo
let h: Harness
let base: string
const USER = '8404382937846123456'

beforeEach(async () => {
  zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
  h = await createHarness({ zalo })
  base = await h.app.listen({ host: '127.0.0.1', port: 0 })
})
afterEach(async () => {
  await h.close()
  await zalo.close()
})

it('over a real socket: rejects a bad signature and answers a signed event', async () => {
  const signed = signZaloEvent(zaloEvents.text(ZALO.appId, USER, 'xin chào'), ZALO.appId, ZALO.oaSecretKey)
  const forged = await fetch(`${base}/webhooks/zalo`, { method: 'POST', headers: { ...signed.headers, 'x-zevent-signature': `mac=${'a'.repeat(64)}` }, body: signed.payload })
  expect(forged.status).toBe(401)

  const res = await fetch(`${base}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.payload })
  expect(res.status).toBe(200)
  await h.settle()
  expect(zalo.delivered()).toEqual([expect.objectContaining({ userId: USER, text: 'Em đã nhận: xin chào' })])
})

it('acknowledges within the deadline while a slow core is still thinking, and replies later', async () => {
  const dataDir = tempDir()
  const app = Fastify()
  const core = createFakeCore()
  let release = (): void => {}
  core.answerWith(async () => {
    await new Promise<void>((resolve) => { release = resolve })
    return [{ text: 'Trả lời chậm' }]
  })
  const db = await openDatabase({ dataDir })
  const outbox = await createOutbox({ store: createOutboxStore(db), logger: app.log, paceMs: 0 })
  const config = testConfig(dataDir, { zalo })
  const channel = await createZaloChannel(config.zalo!, { core, outbox, logger: app.log, db, ackAfterMs: 100 })
  outbox.register(channel.sender)
  await app.register(channel.plugin.register, { config } as PluginOptions)
  const url = await app.listen({ host: '127.0.0.1', port: 0 })

  const signed = signZaloEvent(zaloEvents.text(ZALO.appId, USER, 'câu hỏi khó'), ZALO.appId, ZALO.oaSecretKey)
  const started = Date.now()
  const res = await fetch(`${url}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.payload })
  expect(res.status).toBe(200)
  expect(Date.now() - started).toBeLessThan(1000)
  expect(zalo.sends()).toHaveLength(0)

  release()
  await channel.close()
  await outbox.idle()
  expect(zalo.delivered().map((m) => m.text)).toEqual(['Trả lời chậm'])
  await app.close()
  await outbox.close()
  await db.close()
})
