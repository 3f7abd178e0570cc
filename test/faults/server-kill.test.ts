import { expect, it } from 'vitest'
import { createDossierStore } from '../../src/db/dossier-store.ts'
import { describeEachEngine } from '../helpers/db.ts'
import { dbEnv, STAFF, startServer } from './server.ts'

const code = (w: number, i: number): string => `000.00.04.H51-260302-${String(w * 1000 + i).padStart(4, '0')}`
const body = { procedure: 'dang-ky-tam-tru', applicantName: 'Nguyễn Văn An', phone: '0912345678', receivedAt: '2026-03-02T09:00:00+07:00', status: 2, lookupCode: 'K7M2QX' }

describeEachEngine('fault: SIGKILL of the server during concurrent writes', ({ open }) => {
  it('loses no acknowledged write', async () => {
    const t = await open()
    await t.db.close()
    const env = dbEnv(t)
    const server = await startServer(env)
    const acked: string[] = []
    let stop = false
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${server.url}/api/staff/dossiers/${code(w, i)}`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
          if (res.ok) acked.push(code(w, i))
        } catch {
          return // the server is gone
        }
        if (acked.length >= 200 && !stop) {
          stop = true
          await server.kill('SIGKILL')
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)))
    expect(acked.length).toBeGreaterThanOrEqual(200)

    // Restart: the server comes back and serves what was acknowledged (public lookups are limited to
    // 60/min per address, so a sample over HTTP and every acknowledged code through the store).
    const again = await startServer(env)
    try {
      for (const c of acked.slice(-40)) expect((await fetch(`${again.url}/api/dossiers/${c}`)).status, c).toBe(200)
    } finally {
      await again.kill('SIGTERM')
    }
    const store = createDossierStore(await t.reopen())
    const missing: string[] = []
    for (const c of acked) if (await store.get(c) === undefined) missing.push(c)
    expect(missing).toEqual([])
  })
})
