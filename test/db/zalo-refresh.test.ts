import { expect, it } from 'vitest'
import { createZaloTokens } from '../../bots/zalo/tokens.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { createZaloTokenStore } from '../../src/db/zalo-store.ts'
import { describeEachEngine, TEST_DATABASE_URL } from '../helpers/db.ts'
import { startFakeZalo } from '../helpers/fake-zalo.ts'

const logger = { child: () => logger, info () {}, warn () {}, error () {}, debug () {} } as never

describeEachEngine('zalo token refresh', ({ engine, open }) => {
  it('refreshes once when several instances are rejected at the same time, and every instance gets the new pair', async () => {
    const t = await open()
    const zalo = await startFakeZalo({ appId: 'app', appSecret: 'secret' })
    // PostgreSQL: two connection pools on one schema stand for two instances; SQLite has one process.
    const other = engine === 'postgres' ? await openDatabase({ dataDir: t.dataDir, databaseUrl: TEST_DATABASE_URL, pgSchema: t.schema }) : t.db
    try {
      const options = { appId: 'app', appSecret: 'secret', oauthBase: zalo.url, seed: { accessToken: 'access-1', refreshToken: 'refresh-1' }, logger }
      const a = await createZaloTokens({ ...options, store: createZaloTokenStore(t.db) })
      const b = await createZaloTokens({ ...options, store: createZaloTokenStore(other) })
      const got = await Promise.all([a, b, a, b].map((tokens) => tokens.refreshAfterRejection('access-1')))
      expect(got).toEqual(['access-2', 'access-2', 'access-2', 'access-2'])
      expect(zalo.refreshes()).toHaveLength(1)
      expect(await createZaloTokenStore(t.db).get()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' })
    } finally {
      if (other !== t.db) await other.close()
      await zalo.close()
    }
  })
})
