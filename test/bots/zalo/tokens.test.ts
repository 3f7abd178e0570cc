import SQLite from 'better-sqlite3'
import { join } from 'node:path'
import { SQLITE_FILE } from '../../../src/db/connect.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signZaloEvent, startFakeZalo, zaloEvents, type FakeZalo } from '../../helpers/fake-zalo.ts'
import { createHarness, tempDir, ZALO, type Harness } from '../harness.ts'

let zalo: FakeZalo
let h: Harness
let dataDir: string
const USER = '8404382937846123456'
const HOUR = 60 * 60 * 1000

beforeEach(async () => {
  zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
  dataDir = tempDir()
  h = await createHarness({ zalo, dataDir })
})
afterEach(async () => {
  await h.close()
  await zalo.close()
})

/** What is committed in the database right now (a second, read-only connection: no cache in between). */
const storedTokens = (): { accessToken: string, refreshToken: string, expiresAt?: number } => {
  const db = new SQLite(join(dataDir, SQLITE_FILE), { readonly: true })
  try {
    const r = db.prepare('SELECT access_token, refresh_token, expires_at FROM zalo_tokens WHERE id = 1').get() as { access_token: string, refresh_token: string, expires_at: number | null }
    return { accessToken: r.access_token, refreshToken: r.refresh_token, ...(r.expires_at !== null ? { expiresAt: r.expires_at } : {}) }
  } finally {
    db.close()
  }
}

const ask = async (harness: Harness, text: string, user = USER): Promise<void> => {
  const signed = signZaloEvent(zaloEvents.text(ZALO.appId, user, text), ZALO.appId, ZALO.oaSecretKey)
  const res = await harness.app.inject({ method: 'POST', url: '/webhooks/zalo', headers: signed.headers, payload: signed.payload })
  expect(res.statusCode).toBe(200)
  await harness.settle()
}

describe('zalo tokens', () => {
  it('on -216 refreshes exactly once, persists the new pair, then retries with the new token', async () => {
    const seenAtSend: Array<{ header: unknown, stored: string }> = []
    zalo.onSend = (call) => seenAtSend.push({ header: call.headers.access_token, stored: storedTokens().accessToken })
    zalo.expireAccessToken()

    await ask(h, 'xin chào')

    expect(zalo.refreshes()).toHaveLength(1)
    const [refresh] = zalo.refreshes()
    expect(refresh?.headers.secret_key).toBe(ZALO.appSecret)
    expect(refresh?.body).toEqual({ refresh_token: 'refresh-1', app_id: ZALO.appId, grant_type: 'refresh_token' })
    expect(seenAtSend).toEqual([
      { header: 'access-1', stored: 'access-1' },
      { header: 'access-2', stored: 'access-2' },
    ])
    expect(storedTokens()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: h.clock.now() + 90_000_000 })
    expect(zalo.delivered()).toHaveLength(1)
  })

  it('after a restart uses the stored pair, not the stale tokens of the environment', async () => {
    zalo.expireAccessToken()
    await ask(h, 'xin chào')
    await h.close()

    h = await createHarness({ zalo, dataDir, env: { ZALO_ACCESS_TOKEN: 'access-1', ZALO_REFRESH_TOKEN: 'refresh-1' } })
    await ask(h, 'còn tôi')

    expect(zalo.refreshes()).toHaveLength(1)
    expect(zalo.sends().at(-1)?.headers.access_token).toBe('access-2')
    expect(zalo.delivered()).toHaveLength(2)
  })

  it('refreshes once for several concurrent sends rejected with -216', async () => {
    zalo.expireAccessToken()
    await Promise.all(['111', '222', '333'].map((user) => ask(h, 'xin chào', user)))
    await h.settle()
    expect(zalo.refreshes()).toHaveLength(1)
    expect(zalo.delivered().map((m) => m.userId).sort()).toEqual(['111', '222', '333'])
  })

  it('refreshes proactively when less than an hour of validity is left', async () => {
    zalo.expireAccessToken()
    await ask(h, 'một')
    h.clock.advance(24.5 * HOUR)
    await ask(h, 'hai')
    expect(zalo.refreshes()).toHaveLength(2)
    expect(zalo.sends().map((s) => s.headers.access_token)).toEqual(['access-1', 'access-2', 'access-3'])
  })

  it('keeps the message queued when the refresh fails, without logging tokens', async () => {
    zalo.expireAccessToken()
    zalo.tokens.refreshToken = 'a-different-refresh-token'
    await ask(h, 'xin chào')
    expect(zalo.delivered()).toHaveLength(0)
    const [item] = await h.outboxStore.list()
    expect(item).toMatchObject({ status: 'pending', reason: 'token-refresh-failed', attempts: 1 })
    expect(h.rawLogs()).toContain('zalo token refresh failed')
    expect(h.rawLogs()).not.toContain('refresh-1')
    expect(h.rawLogs()).not.toContain('access-1')
  })
})
