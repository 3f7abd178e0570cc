import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { createChannels, type Channels } from '../../bots/index.ts'
import { LOG_REDACT } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import type { ConversationCore, InboundMessage, Reply } from '../../src/conversation/types.ts'
import { createOutbox } from '../../src/outbox/outbox.ts'
import { openDatabase, type Db } from '../../src/db/connect.ts'
import { createOutboxStore, type OutboxStore } from '../../src/db/outbox-store.ts'
import type { Outbox } from '../../src/outbox/types.ts'
import type { PluginOptions, Services } from '../../src/services.ts'
import type { FakeTelegram } from '../helpers/fake-telegram.ts'
import type { FakeZalo } from '../helpers/fake-zalo.ts'
import { createManualClock, type ManualClock } from '../outbox/manual-clock.ts'

export { createManualClock, type ManualClock }

export const TELEGRAM_SECRET = 'test_secret-token_1234567890'
export const ZALO = { appId: '1234567890123456789', oaSecretKey: 'oa-secret-key-for-tests', appSecret: 'app-secret-for-tests' }

/** A conversation core that echoes, records what it got, and throws or stalls on demand. */
export interface FakeCore extends ConversationCore {
  received: InboundMessage[]
  failNext (): void
  /** Replaces the answer (default: an echo with one button). */
  answerWith (fn: (msg: InboundMessage) => Reply[] | Promise<Reply[]>): void
}

export function createFakeCore (): FakeCore {
  let failures = 0
  let answer = (msg: InboundMessage): Reply[] | Promise<Reply[]> => msg.text !== undefined
    ? [{ text: `Em đã nhận: ${msg.text}`, buttons: [{ label: 'Trợ giúp', value: 'help' }] }]
    : [{ text: `Hành động: ${msg.action ?? ''}` }]
  const core: FakeCore = {
    received: [],
    failNext () { failures += 1 },
    answerWith (fn) { answer = fn },
    async handle (msg) {
      core.received.push(msg)
      if (failures > 0) {
        failures -= 1
        throw new Error('core exploded')
      }
      return await answer(msg)
    },
  }
  return core
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'bots-test-'))

/** Builds the configuration through loadConfig, as main.ts does, pointing at the fakes. */
export function testConfig (dataDir: string, fakes: { telegram?: FakeTelegram, zalo?: FakeZalo, env?: Record<string, string> }): Config {
  return loadConfig({
    DATA_DIR: dataDir,
    ...(fakes.telegram !== undefined
      ? { TELEGRAM_BOT_TOKEN: fakes.telegram.token, TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET, TELEGRAM_API_ROOT: fakes.telegram.url, TELEGRAM_BOT_USERNAME: 'thu_tuc_test_bot' }
      : {}),
    ...(fakes.zalo !== undefined
      ? {
          ZALO_APP_ID: ZALO.appId,
          ZALO_OA_SECRET_KEY: ZALO.oaSecretKey,
          ZALO_APP_SECRET: ZALO.appSecret,
          ZALO_ACCESS_TOKEN: fakes.zalo.tokens.accessToken,
          ZALO_REFRESH_TOKEN: fakes.zalo.tokens.refreshToken,
          ZALO_OA_API_BASE: fakes.zalo.url,
          ZALO_OAUTH_BASE: fakes.zalo.url,
        }
      : {}),
    ...fakes.env,
  })
}

export interface Harness {
  app: FastifyInstance
  core: FakeCore
  outbox: Outbox
  channels: Channels
  config: Config
  dataDir: string
  /** The outbox's queue, to look at stored items. */
  outboxStore: OutboxStore
  db: Db
  clock: ManualClock
  /** Every log line written so far, parsed. */
  logs (): Array<Record<string, unknown>>
  /** Every log line written so far, raw (to check that secrets and texts never appear). */
  rawLogs (): string
  /** Waits until every accepted event was handled and every due message sent. */
  settle (): Promise<void>
  close (): Promise<void>
}

export interface HarnessOptions {
  telegram?: FakeTelegram
  zalo?: FakeZalo
  dataDir?: string
  clock?: ManualClock
  core?: FakeCore
  paceMs?: number
  env?: Record<string, string>
}

/** A minimal Fastify app with only the channel plugins, a fake core and a real outbox. */
export async function createHarness (options: HarnessOptions): Promise<Harness> {
  const dataDir = options.dataDir ?? tempDir()
  const clock = options.clock ?? createManualClock()
  const core = options.core ?? createFakeCore()
  const lines: string[] = []
  const app = Fastify({ logger: { level: 'debug', redact: LOG_REDACT, stream: { write: (line: string) => { lines.push(line) } } } })
  const config = testConfig(dataDir, options)
  const db = await openDatabase({ dataDir })
  const outboxStore = createOutboxStore(db)
  const outbox = await createOutbox({ store: outboxStore, logger: app.log, now: clock.now, setTimer: clock.setTimer, paceMs: options.paceMs ?? 0, channelRate: {}, pollMs: 3_600_000, clearClaimsOnStart: true })
  const channels = await createChannels(config, { core, outbox, logger: app.log, now: clock.now, db })
  const pluginOptions: PluginOptions = { config, services: {} as Services, staffAuth: async () => {} }
  for (const plugin of channels.plugins) await app.register(plugin.register, pluginOptions)
  await app.ready()
  return {
    app,
    core,
    outbox,
    outboxStore,
    db,
    channels,
    config,
    dataDir,
    clock,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    rawLogs: () => lines.join(''),
    async settle () {
      for (const close of channels.closers) await close()
      await outbox.idle()
    },
    async close () {
      await app.close()
      for (const close of channels.closers) await close()
      await outbox.close()
      await db.close()
    },
  }
}
