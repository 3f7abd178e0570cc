import type { FastifyBaseLogger } from 'fastify'
import { Telegraf, type Context } from 'telegraf'
import { message } from 'telegraf/filters'
import type { Update } from 'telegraf/types'
import { ACTIONS, type ConversationCore, type Reply } from '../../src/conversation/types.ts'
import type { Outbox } from '../../src/outbox/types.ts'
import { TEXTS } from '../common/texts.ts'
import { actionFromStartPayload } from './deep-link.ts'
import { prepareTelegramReplies } from './render.ts'

/** Options of createTelegramBot. */
export interface TelegramBotOptions {
  token: string
  apiRoot: string
  botUsername?: string
  core: ConversationCore
  outbox: Outbox
  logger: FastifyBaseLogger
}

/** Message kinds the bot cannot read: answered with a polite "text only" message. */
const NON_TEXT = ['photo', 'sticker', 'voice', 'audio', 'video', 'video_note', 'document', 'animation',
  'location', 'venue', 'contact', 'poll', 'dice', 'story']

/** The telegraf bot and the entry point the webhook route feeds. */
export interface TelegramBot {
  telegraf: Telegraf
  /** Handles one update; `log` (the request's logger) receives the errors, tagged with the update id. */
  handleUpdate (update: Update, log: FastifyBaseLogger): Promise<void>
}

/**
 * Builds the telegraf bot that translates updates for the conversation core. Replies are not sent from
 * here: they are queued in the outbox (dedupe key = the update id), whose Telegram sender delivers them.
 * Never launched: the Fastify route feeds it.
 */
export function createTelegramBot (options: TelegramBotOptions): TelegramBot {
  const { core, outbox, logger } = options
  const bot = new Telegraf(options.token, {
    handlerTimeout: 8000,
    telegram: { apiRoot: options.apiRoot, webhookReply: false },
  })
  const username = options.botUsername ?? 'bot'
  bot.botInfo = {
    id: Number(options.token.split(':')[0]) || 0,
    is_bot: true,
    first_name: username,
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  }

  const loggers = new WeakMap<object, FastifyBaseLogger>()
  const log = (ctx: Context): FastifyBaseLogger =>
    loggers.get(ctx.update) ?? logger.child({ channel: 'telegram', updateId: ctx.update.update_id })

  async function deliver (ctx: Context, userId: string, replies: Reply[]): Promise<void> {
    const prepared = prepareTelegramReplies(replies)
    if (prepared.length === 0) return
    await outbox.enqueue({
      channel: 'telegram',
      userId,
      replies: prepared,
      kind: 'reply',
      dedupeKey: `telegram:update:${ctx.update.update_id}`,
    })
  }

  async function answer (ctx: Context, userId: string, input: { text: string } | { action: string }): Promise<void> {
    let replies: Reply[]
    try {
      replies = await core.handle({ channel: 'telegram', userId, ...input })
    } catch (err) {
      log(ctx).error({ err }, 'conversation core failed')
      replies = [{ text: TEXTS.apology }]
    }
    await deliver(ctx, userId, replies)
  }

  bot.start((ctx) => answer(ctx, String(ctx.chat.id), { action: actionFromStartPayload(ctx.payload) }))
  bot.help((ctx) => answer(ctx, String(ctx.chat.id), { action: ACTIONS.help }))
  bot.on(message('text'), (ctx) => answer(ctx, String(ctx.chat.id), { text: ctx.message.text }))

  bot.on('callback_query', async (ctx) => {
    try {
      await ctx.answerCbQuery()
    } catch (err) {
      log(ctx).warn({ err }, 'answerCallbackQuery failed')
    }
    const query = ctx.callbackQuery
    const data = 'data' in query ? query.data : undefined
    if (data === undefined || data === '') return
    const chatId = query.message?.chat.id ?? query.from.id
    await answer(ctx, String(chatId), { action: data })
  })

  bot.on('message', async (ctx) => {
    if (!NON_TEXT.some((key) => key in ctx.message)) return
    log(ctx).info({ kinds: Object.keys(ctx.message).filter((k) => NON_TEXT.includes(k)) }, 'non-text message')
    await deliver(ctx, String(ctx.chat.id), [{ text: TEXTS.textOnly }])
  })

  bot.catch((err, ctx) => {
    log(ctx).error({ err }, 'telegram update failed')
  })
  return {
    telegraf: bot,
    async handleUpdate (update, updateLog) {
      loggers.set(update, updateLog)
      await bot.handleUpdate(update)
    },
  }
}
