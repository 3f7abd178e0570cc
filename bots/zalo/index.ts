import { readFileSync } from 'node:fs'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../src/config.ts'
import type { ConversationCore } from '../../src/conversation/types.ts'
import type { ChannelSender, Outbox } from '../../src/outbox/types.ts'
import type { FeaturePlugin } from '../../src/services.ts'
import type { Db } from '../../src/db/connect.ts'
import { createSeenIdsStore } from '../../src/db/seen-store.ts'
import { createZaloTokenStore, createZaloUserStore } from '../../src/db/zalo-store.ts'
import { createZaloTemplateStore } from '../../src/db/zalo-template-store.ts'
import { ConfigError } from '../../src/errors.ts'
import type { NoticeAudience, TemplateUsageView } from '../../src/outbox/notice.ts'
import { parseTemplateFile, TemplateConfigError, type ZaloTemplates } from '../../src/template-config.ts'
import { createZaloTemplateClient } from './template-client.ts'
import { createZaloTemplateDelivery } from './template-delivery.ts'
import { createZaloClient } from './client.ts'
import { zaloWebhook } from './plugin.ts'
import { createZaloSender } from './sender.ts'
import { createZaloTokens } from './tokens.ts'
import { createZaloUsers, type ZaloUsers } from './users.ts'

/** The Zalo channel: its webhook plugin, its outbox sender, its users store and a shutdown hook. */
export interface ZaloChannel {
  plugin: FeaturePlugin
  sender: ChannelSender
  /** Last interactions and reply windows of Zalo users (for notifications). */
  users: ZaloUsers
  /** Count and cost of template messages, when templates are configured. */
  templateUsage?: () => Promise<TemplateUsageView>
  close: () => Promise<void>
}

/** Dependencies of createZaloChannel. */
export interface ZaloChannelDeps {
  core: ConversationCore
  outbox: Outbox
  logger: FastifyBaseLogger
  /** The store: tokens, users' last interactions and event ids already handled. */
  db: Db
  now?: () => number
  /** See ZaloPluginOptions.ackAfterMs. */
  ackAfterMs?: number
  /** Send-time check of dossier notices (subscriptions, consent); without it notices go like any reply. */
  noticeAudience?: NoticeAudience
}

/**
 * The templates of `config.templates`: the file's (read and validated now) overridden by the variables.
 * Throws a ConfigError naming the file and key, or the variable.
 */
export function loadZaloTemplates (config: NonNullable<NonNullable<Config['zalo']>['templates']>): ZaloTemplates {
  let fromFile: ZaloTemplates = {}
  if (config.file !== undefined) {
    let text: string
    try {
      text = readFileSync(config.file, 'utf8')
    } catch (err) {
      throw new ConfigError(`ZALO_TEMPLATE_FILE: cannot read ${config.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
    }
    try {
      fromFile = parseTemplateFile(`ZALO_TEMPLATE_FILE ${config.file}`, text)
    } catch (err) {
      if (err instanceof TemplateConfigError) throw new ConfigError(err.message)
      throw err
    }
  }
  const merged = { ...fromFile, ...config.kinds }
  if (Object.keys(merged).length === 0) throw new ConfigError(`ZALO_TEMPLATE_FILE: ${config.file ?? ''} configures no template`)
  return merged
}

/** Builds the Zalo OA channel: webhook route, token store, API client and outbox sender. */
export async function createZaloChannel (config: NonNullable<Config['zalo']>, deps: ZaloChannelDeps): Promise<ZaloChannel> {
  const tokens = await createZaloTokens({
    store: createZaloTokenStore(deps.db),
    appId: config.appId,
    appSecret: config.appSecret,
    oauthBase: config.oauthBase,
    seed: { accessToken: config.accessToken, refreshToken: config.refreshToken },
    logger: deps.logger,
    now: deps.now,
  })
  const users = createZaloUsers({ store: createZaloUserStore(deps.db), now: deps.now })
  const seen = createSeenIdsStore(deps.db, 'zalo', { now: deps.now })
  const client = createZaloClient({ apiBase: config.apiBase, tokens })
  const templates = config.templates === undefined
    ? undefined
    : createZaloTemplateDelivery({
      config: config.templates,
      templates: loadZaloTemplates(config.templates),
      client: createZaloTemplateClient({
        endpoints: { apiBase: config.templates.apiBase, phonePath: config.templates.phonePath, quotaPath: config.templates.quotaPath, oaApiBase: config.apiBase, uidPath: config.templates.uidPath },
        tokens,
      }),
      store: createZaloTemplateStore(deps.db),
      logger: deps.logger,
      now: deps.now,
    })
  const webhook = zaloWebhook({
    appId: config.appId,
    oaSecretKey: config.oaSecretKey,
    core: deps.core,
    outbox: deps.outbox,
    users,
    seen,
    ackAfterMs: deps.ackAfterMs,
  })
  return {
    plugin: webhook.plugin,
    sender: createZaloSender({ client, users, logger: deps.logger, now: deps.now, templates, audience: deps.noticeAudience }),
    users,
    ...(templates !== undefined ? { templateUsage: () => templates.usage() } : {}),
    async close () {
      await webhook.drain()
    },
  }
}

export { zaloWindow, type ZaloWindow, type ZaloUsers } from './users.ts'
export { zaloSignature } from './signature.ts'
