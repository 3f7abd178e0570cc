import type { FastifyBaseLogger, FastifyInstance, preHandlerAsyncHookHandler } from 'fastify'
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { Config } from './config.ts'
import type { Catalogue } from './catalogue/load.ts'
import type { ProcedureSearch } from './catalogue/types.ts'
import type { ConversationCore } from './conversation/types.ts'
import type { UnansweredLog } from './conversation/unanswered.ts'
import type { Outbox } from './outbox/types.ts'
import type { StaffConsole } from './staff/setup.ts'

/** Options every feature plugin receives from buildApp. */
export interface PluginOptions {
  services: Services
  config: Config
  staffAuth: preHandlerAsyncHookHandler
}

/** A feature that adds routes (web chat, staff API, a messaging channel …). */
export interface FeaturePlugin {
  name: string
  register: (app: FastifyInstance, opts: PluginOptions) => Promise<void>
}

/** Long-lived parts of the application, built once by main.ts (or by tests) and shared by every route. */
export interface Services {
  catalogue: Catalogue
  search: ProcedureSearch
  conversation: ConversationCore
  unanswered: UnansweredLog
  outbox: Outbox
  /** The application logger (also Fastify's), with tokens and personal data redacted. */
  logger: FastifyBaseLogger
  plugins: FeaturePlugin[]
  /**
   * Where @fastify/rate-limit keeps its counters: the database with several instances (PostgreSQL), so a
   * client cannot multiply its allowance across instances; unset = the plugin's in-process store.
   */
  rateLimitStore?: FastifyRateLimitStoreCtor
  /** Console accounts and sign-in (issue 10); without it only STAFF_TOKENS bearer tokens work. */
  staff?: StaffConsole
  /** Called on shutdown, in reverse order of registration. */
  closers: Array<() => Promise<void>>
}
