import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../src/config.ts'
import { createServices } from '../../src/compose.ts'
import { buildApp } from '../../src/app.ts'
import type { Services } from '../../src/services.ts'

export const STAFF_TOKEN = 'test-staff-token-0123456789'

/** A fresh app on a throw-away DATA_DIR with the shipped catalogue; call `close()` after the test. */
export async function createTestApp (env: Record<string, string> = {}, now?: () => number): Promise<{
  app: FastifyInstance, services: Services, config: Config, dataDir: string, close: () => Promise<void>
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tgtt-test-'))
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', STAFF_TOKENS: `tester:${STAFF_TOKEN}`, ...env })
  const services = await createServices(config, now)
  const app = await buildApp(config, services, { logger: false })
  await app.ready()
  return {
    app,
    services,
    config,
    dataDir,
    close: async () => {
      await app.close()
      for (const c of [...services.closers].reverse()) await c()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
