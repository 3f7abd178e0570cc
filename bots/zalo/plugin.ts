import type { FastifyBaseLogger } from 'fastify'
import type { ConversationCore, Reply } from '../../src/conversation/types.ts'
import type { Outbox } from '../../src/outbox/types.ts'
import type { FeaturePlugin } from '../../src/services.ts'
import type { SeenIds } from '../../src/db/seen-store.ts'
import { TEXTS } from '../common/texts.ts'
import { checkZaloEvent } from './event-schema.ts'
import { translateZaloEvent, type ZaloEvent } from './events.ts'
import { prepareZaloReplies } from './render.ts'
import { verifyZaloSignature, ZALO_SIGNATURE_HEADER } from './signature.ts'
import type { ZaloUsers } from './users.ts'

/** Options of zaloWebhook. */
export interface ZaloPluginOptions {
  appId: string
  oaSecretKey: string
  core: ConversationCore
  outbox: Outbox
  users: ZaloUsers
  /** Recent event ids (`msg_id`): a re-delivered event is acknowledged and not handled again. */
  seen: SeenIds
  /** Answer Zalo after at most this long even if the core is still busy (Zalo wants 200 within 2 s). */
  ackAfterMs?: number
  /** Wall clock (ms epoch) for the events' freshness check; default Date.now. */
  now?: () => number
}

/** The Zalo webhook plugin and a way to wait for events still being handled after their 200. */
export interface ZaloWebhook {
  plugin: FeaturePlugin
  /** Resolves when every accepted event has been handled (shutdown, tests). */
  drain (): Promise<void>
}

const headerOf = (v: string | string[] | undefined): string | undefined => typeof v === 'string' ? v : undefined

/**
 * `POST /webhooks/zalo`. The plugin is encapsulated, so its raw-body parser (needed for the signature,
 * which covers the exact bytes received) applies to this route only. Answers 401 on a missing or wrong
 * signature, 400 on malformed JSON, otherwise 200, within `ackAfterMs` even when the core is slow.
 */
export function zaloWebhook (options: ZaloPluginOptions): ZaloWebhook {
  const { core, outbox, users, seen } = options
  const ackAfterMs = options.ackAfterMs ?? 1500
  const inFlight = new Set<Promise<void>>()

  /** Answers one event (its reply queued in the outbox); false when that failed. */
  async function handle (event: Exclude<ZaloEvent, { kind: 'ignore' }>, log: FastifyBaseLogger): Promise<boolean> {
    try {
      await users.touch(event.userId)
      let replies: Reply[] = [{ text: TEXTS.textOnly }]
      if (event.kind === 'ask') {
        try {
          replies = await core.handle({ channel: 'zalo', userId: event.userId, ...event.input })
        } catch (err) {
          log.error({ err }, 'conversation core failed')
          replies = [{ text: TEXTS.apology }]
        }
      }
      const prepared = prepareZaloReplies(replies)
      if (prepared.length > 0) {
        await outbox.enqueue({ channel: 'zalo', userId: event.userId, replies: prepared, kind: 'reply', dedupeKey: `zalo:${event.dedupeId}` })
      }
      return true
    } catch (err) {
      log.error({ err }, 'zalo event failed')
      return false
    }
  }

  const plugin: FeaturePlugin = {
    name: 'zalo',
    async register (app) {
      app.removeAllContentTypeParsers()
      app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => { done(null, body) })

      app.post('/webhooks/zalo', {
        bodyLimit: 64 * 1024,
        async onRequest (request, reply) {
          if (headerOf(request.headers[ZALO_SIGNATURE_HEADER]) === undefined) {
            request.log.warn({ channel: 'zalo' }, 'webhook rejected: no signature')
            await reply.code(401).send({ error: 'unauthorized' })
          }
        },
      }, async (request, reply) => {
        const raw = request.body
        let body: unknown
        try {
          body = Buffer.isBuffer(raw) ? JSON.parse(raw.toString('utf8')) : undefined
        } catch {
          body = undefined
        }
        if (!Buffer.isBuffer(raw)) return reply.code(400).send({ error: 'bad_request' })
        const isObject = typeof body === 'object' && body !== null && !Array.isArray(body)
        const fields = (isObject ? body : {}) as Record<string, unknown>
        const timestamp = typeof fields.timestamp === 'string' || typeof fields.timestamp === 'number' ? String(fields.timestamp) : ''
        const signature = headerOf(request.headers[ZALO_SIGNATURE_HEADER])
        if (!verifyZaloSignature(signature, { appId: options.appId, rawBody: raw, timestamp, oaSecretKey: options.oaSecretKey })) {
          if (!isObject) {
            request.log.warn({ channel: 'zalo', length: raw.length }, 'webhook body is not a JSON object')
            return reply.code(400).send({ error: 'bad_request' })
          }
          request.log.warn({ channel: 'zalo' }, 'webhook rejected: bad signature')
          return reply.code(401).send({ error: 'unauthorized' })
        }
        if (!isObject) {
          // Correctly signed but not an event: acknowledged (a non-2xx would only make Zalo re-deliver it).
          request.log.warn({ channel: 'zalo', length: raw.length }, 'signed webhook body is not a JSON object; ignored')
          return reply.code(200).send({ ok: true })
        }
        const check = checkZaloEvent(fields, (options.now ?? Date.now)())
        if (check !== 'ok') {
          request.log.warn({ channel: 'zalo', reason: check }, 'signed webhook event not handled')
          return reply.code(200).send({ ok: true })
        }
        const event = translateZaloEvent(fields)
        const log = request.log.child({ channel: 'zalo', event: String(fields.event_name ?? '') })
        if (event.kind === 'ignore') return reply.code(200).send({ ok: true })
        if (!await seen.add(event.dedupeId)) {
          log.info({ dedupeId: event.dedupeId }, 'duplicate event ignored')
          return reply.code(200).send({ ok: true })
        }
        const work: Promise<void> = handle(event, log.child({ dedupeId: event.dedupeId }))
          // Handled: a re-delivery is a duplicate from now on (see SeenIds: until then a crash leaves it
          // unfinished, and a re-delivery is handled again; the outbox's dedupe key keeps its reply single).
          .then(async (handled) => { if (handled) await seen.finish(event.dedupeId) })
          .catch((err: unknown) => { log.error({ err }, 'could not mark the zalo event handled') })
          .finally(() => { inFlight.delete(work) })
        inFlight.add(work)
        let timer: NodeJS.Timeout | undefined
        await Promise.race([work, new Promise<void>((resolve) => { timer = setTimeout(resolve, ackAfterMs) })])
        clearTimeout(timer)
        return reply.code(200).send({ ok: true })
      })
    },
  }

  return {
    plugin,
    async drain () {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
  }
}
