import type { Reply } from '../conversation/types.ts'
import type { Db } from '../db/connect.ts'
import type { ChannelSender } from '../outbox/types.ts'
import type { FeaturePlugin } from '../services.ts'
import { lookupDossierAction } from '../conversation/types.ts'
import { telegramDeepLink } from '../../bots/telegram/deep-link.ts'

/** How long a web-chat notification waits for its reader. */
export const WEB_INBOX_KEEP_MS = 30 * 24 * 3600_000
const SESSION = /^[A-Za-z0-9_-]{8,64}$/

/** One delivered notification. */
export interface InboxItem { id: number, at: number, reply: Reply }

/** The web channel's delivery: the outbox "sends" into the session's inbox, the page reads it by polling. */
export interface WebInbox {
  sender: ChannelSender
  /** Items of `userId` after `afterId`, within the last 30 days, oldest first (at most 50). */
  list (userId: string, afterId: number): Promise<InboxItem[]>
}

/** The inbox in the `web_inbox` table (both engines). */
export function createWebInbox (db: Db, now: () => number = Date.now): WebInbox {
  const k = db.kysely
  let lastPrune = 0
  return {
    sender: {
      channel: 'web',
      async send (userId, reply) {
        const at = now()
        await k.insertInto('web_inbox').values({ user_id: userId, at, doc: JSON.stringify(reply) }).execute()
        if (at - lastPrune > 3600_000) {
          lastPrune = at
          await k.deleteFrom('web_inbox').where('at', '<', at - WEB_INBOX_KEEP_MS).execute()
        }
        return { ok: true }
      },
    },
    async list (userId, afterId) {
      const rows = await k.selectFrom('web_inbox').selectAll().where('user_id', '=', userId).where('id', '>', afterId)
        .where('at', '>=', now() - WEB_INBOX_KEEP_MS).orderBy('id').limit(50).execute()
      return rows.map((r) => ({ id: Number(r.id), at: Number(r.at), reply: JSON.parse(r.doc) as Reply }))
    },
  }
}

/** `GET /api/chat/inbox?sessionId=&after=` → `{ items: [{ id, at, text, buttons? }] }` for the web chat's polling. */
export function webInboxPlugin (inbox: WebInbox): FeaturePlugin {
  return {
    name: 'web-inbox',
    async register (app, opts) {
      // Other channels the subscribe button offers: a Telegram deep link to this dossier when the bot's
      // username is configured, and whether the Zalo OA is connected (then: send the code there).
      app.get<{ Querystring: { d?: string } }>('/api/chat/channels', async (request) => {
        const code = (request.query.d ?? '').slice(0, 40)
        const bot = opts.config.telegram?.botUsername
        const telegram = bot !== undefined && code !== '' ? telegramDeepLink(bot, lookupDossierAction(code)) : undefined
        return { ...(telegram !== undefined ? { telegram } : {}), zalo: opts.config.zalo !== undefined }
      })
      app.get<{ Querystring: { sessionId?: string, after?: string } }>('/api/chat/inbox', async (request, reply) => {
        const { sessionId = '', after = '0' } = request.query
        if (!SESSION.test(sessionId)) return reply.code(400).send({ error: 'bad_request', message: 'sessionId must be 8–64 characters of A-Z a-z 0-9 _ -' })
        const afterId = Number.isSafeInteger(Number(after)) ? Math.max(0, Number(after)) : 0
        const items = await inbox.list(sessionId, afterId)
        reply.header('cache-control', 'no-store')
        return { items: items.map((i) => ({ id: i.id, at: new Date(i.at).toISOString(), text: i.reply.text, ...(i.reply.buttons !== undefined ? { buttons: i.reply.buttons } : {}) })) }
      })
    },
  }
}
