import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../src/config.ts'
import { createServices } from '../../src/compose.ts'
import { buildApp, type ServerTimeouts } from '../../src/app.ts'
import { createLogger } from '../../src/logger.ts'
import type { Services } from '../../src/services.ts'
import type { ManualClock } from '../outbox/manual-clock.ts'

export const STAFF_TOKEN = 'test-staff-token-0123456789'

/** Options of createTestApp beyond the environment. */
export interface TestAppOptions {
  /** Log through the application's real logger (createLogger, at `info`) into `logs` instead of nowhere. */
  captureLogs?: boolean
  timeouts?: Partial<ServerTimeouts>
  /** A manual clock for everything time-based, the outbox's timers included (then no pacing between messages). */
  clock?: ManualClock
}

/** A fresh app on a throw-away DATA_DIR with the shipped catalogue; call `close()` after the test. */
export async function createTestApp (env: Record<string, string> = {}, now?: () => number, options: TestAppOptions = {}): Promise<{
  app: FastifyInstance, services: Services, config: Config, dataDir: string, logs: string[], close: () => Promise<void>
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tgtt-test-'))
  const logs: string[] = []
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: options.captureLogs === true ? 'info' : 'silent', STAFF_TOKENS: `tester:${STAFF_TOKEN}`, ...env })
  const logger = options.captureLogs === true ? createLogger(config, { write: (line) => { logs.push(line) } }) : undefined
  const clock = options.clock
  const services = await createServices(config, clock?.now ?? now, logger, clock === undefined ? {} : { outbox: { setTimer: clock.setTimer, paceMs: 0, pollMs: 3_600_000 } })
  const app = await buildApp(config, services, { ...(logger === undefined ? { logger: false } : {}), timeouts: options.timeouts })
  await app.ready()
  return {
    app,
    services,
    config,
    dataDir,
    logs,
    close: async () => {
      await app.close()
      for (const c of [...services.closers].reverse()) await c()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
