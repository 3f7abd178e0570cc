import { createHash } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One HTTP call the fake received. */
export interface ZaloCall {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** Parsed JSON or form body. */
  body: Record<string, unknown>
}

export interface FakeZaloOptions {
  appId?: string
  appSecret?: string
  accessToken?: string
  refreshToken?: string
  /** When false, any access token is accepted (handy for manual runs). Default true. */
  strictTokens?: boolean
  port?: number
  onCall?: (call: ZaloCall) => void
  /** Template messages Zalo accepts per day before answering -144 (the OA's daily quota). Default 20,000. */
  templateQuota?: number
}

/** A template message the fake accepted. */
export interface DeliveredTemplate {
  route: 'phone' | 'uid'
  /** By phone: the number as sent (`84…`). */
  phone?: string
  /** By user id. */
  userId?: string
  templateId: string
  data: Record<string, string>
  trackingId?: string
}

export interface FakeZalo {
  /** Base url, to use as both ZALO_OA_API_BASE and ZALO_OAUTH_BASE. */
  url: string
  calls: ZaloCall[]
  /** Calls of `POST /v3.0/oa/message/cs`. */
  sends (): ZaloCall[]
  /** The messages that were accepted, with their recipient. */
  delivered (): Array<{ userId: string, text: string, buttons: Array<{ title: string, type: string, payload: string }> }>
  /** Calls of `POST /v4/oa/access_token`. */
  refreshes (): ZaloCall[]
  /** The pair the fake currently accepts. */
  tokens: { accessToken: string, refreshToken: string }
  /** Makes the current access token invalid (the next send gets -216), as after 25 hours. */
  expireAccessToken (): void
  /** The next send gets `{ error, message }` (queue; one per call). */
  respondNext (error: number, message?: string): void
  /** Calls of the two template endpoints (by phone `POST /message/template`, by user id `POST /v3.0/oa/message/template`). */
  templateSends (): ZaloCall[]
  /** Template messages accepted, in order. */
  templatesDelivered (): DeliveredTemplate[]
  /** The next template send (either endpoint) gets `{ error, message }` (queue; one per call). */
  respondNextTemplate (error: number, message?: string): void
  /** Calls of `GET /message/quota`. */
  quotaCalls (): ZaloCall[]
  /** Runs when a send arrives, before it is answered (e.g. to read the token file at that moment). */
  onSend?: (call: ZaloCall) => void
  close (): Promise<void>
}

async function readBody (req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text))
  }
  try { return JSON.parse(text) as Record<string, unknown> } catch { return { raw: text } }
}

/** Starts a fake Zalo OA API + OAuth server on 127.0.0.1 that records calls and rotates tokens. */
export async function startFakeZalo (options: FakeZaloOptions = {}): Promise<FakeZalo> {
  const appId = options.appId ?? '1234567890123456789'
  const appSecret = options.appSecret ?? 'app-secret-for-tests'
  const strict = options.strictTokens ?? true
  const calls: ZaloCall[] = []
  const programmed: Array<{ error: number, message: string }> = []
  const programmedTemplates: Array<{ error: number, message: string }> = []
  const templates: DeliveredTemplate[] = []
  const templateQuota = options.templateQuota ?? 20_000
  let generation = 1
  let messageId = 1
  const accepted: ZaloCall[] = []

  const fake: FakeZalo = {
    url: '',
    calls,
    sends: () => calls.filter((c) => c.path === '/v3.0/oa/message/cs'),
    delivered: () => accepted.map((c) => {
      const message = c.body.message as { text: string, attachment?: { payload: { buttons: Array<{ title: string, type: string, payload: string }> } } }
      return { userId: String((c.body.recipient as { user_id: string }).user_id), text: message.text, buttons: message.attachment?.payload.buttons ?? [] }
    }),
    refreshes: () => calls.filter((c) => c.path === '/v4/oa/access_token'),
    tokens: { accessToken: options.accessToken ?? 'access-1', refreshToken: options.refreshToken ?? 'refresh-1' },
    expireAccessToken () { fake.tokens.accessToken = `expired-${generation}-${Math.random()}` },
    respondNext (error, message = 'programmed error') { programmed.push({ error, message }) },
    templateSends: () => calls.filter((c) => c.method === 'POST' && (c.path === '/message/template' || c.path === '/v3.0/oa/message/template')),
    templatesDelivered: () => [...templates],
    respondNextTemplate (error, message = 'programmed template error') { programmedTemplates.push({ error, message }) },
    quotaCalls: () => calls.filter((c) => c.path === '/message/quota'),
    close: async () => { await new Promise<void>((resolve) => server.close(() => resolve())) },
  }

  const server = createServer((req, res) => {
    (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      const call: ZaloCall = { method: req.method ?? 'GET', path, headers: req.headers, body: await readBody(req) }
      calls.push(call)
      options.onCall?.(call)
      const answer = (body: unknown, status = 200): void => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (req.method === 'POST' && path === '/v3.0/oa/message/cs') {
        fake.onSend?.(call)
        const queued = programmed.shift()
        if (queued !== undefined) return answer(queued)
        if (strict && req.headers.access_token !== fake.tokens.accessToken) {
          return answer({ error: -216, message: 'Access token is invalid' })
        }
        accepted.push(call)
        const userId = (call.body.recipient as { user_id?: string } | undefined)?.user_id
        return answer({ error: 0, message: 'Success', data: { message_id: `msg-${messageId++}`, user_id: userId } })
      }
      // ZBS template message by phone (business API: an invalid token is -124) or by user id (OA API: -216).
      if (req.method === 'POST' && (path === '/message/template' || path === '/v3.0/oa/message/template')) {
        const byPhone = path === '/message/template'
        const queued = programmedTemplates.shift()
        if (queued !== undefined) return answer(queued)
        if (strict && req.headers.access_token !== fake.tokens.accessToken) {
          return answer(byPhone ? { error: -124, message: 'Access token is invalid' } : { error: -216, message: 'Access token is invalid' })
        }
        const b = call.body as { phone?: unknown, recipient?: { user_id?: unknown }, template_id?: unknown, template_data?: unknown, tracking_id?: unknown }
        const data = b.template_data
        if (typeof b.template_id !== 'string' || data === null || typeof data !== 'object' || Object.values(data).some((v) => typeof v !== 'string')) {
          return answer({ error: -112, message: 'Template data invalid' })
        }
        if (byPhone && (typeof b.phone !== 'string' || !/^84\d{9,10}$/.test(b.phone))) return answer({ error: -108, message: 'Phone number invalid' })
        if (!byPhone && typeof b.recipient?.user_id !== 'string') return answer({ error: -201, message: 'Invalid user id' })
        if (templates.length >= templateQuota) return answer({ error: -144, message: 'OA has exceeded the daily quota' })
        templates.push({
          route: byPhone ? 'phone' : 'uid',
          ...(byPhone ? { phone: b.phone as string } : { userId: b.recipient?.user_id as string }),
          templateId: b.template_id,
          data: data as Record<string, string>,
          ...(typeof b.tracking_id === 'string' ? { trackingId: b.tracking_id } : {}),
        })
        return answer({ error: 0, message: 'Success', data: { msg_id: `tpl-${messageId++}`, sent_time: String(Date.now()), quota: { dailyQuota: String(templateQuota), remainingQuota: String(templateQuota - templates.length) } } })
      }
      if (req.method === 'GET' && path === '/message/quota') {
        if (strict && req.headers.access_token !== fake.tokens.accessToken) return answer({ error: -124, message: 'Access token is invalid' })
        return answer({ error: 0, message: 'Success', data: { dailyQuota: String(templateQuota), remainingQuota: String(Math.max(0, templateQuota - templates.length)) } })
      }
      if (req.method === 'POST' && path === '/v4/oa/access_token') {
        const ok = req.headers.secret_key === appSecret && call.body.app_id === appId &&
          call.body.grant_type === 'refresh_token' && (!strict || call.body.refresh_token === fake.tokens.refreshToken)
        if (!ok) return answer({ error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid' })
        generation += 1
        fake.tokens = { accessToken: `access-${generation}`, refreshToken: `refresh-${generation}` }
        return answer({ access_token: fake.tokens.accessToken, refresh_token: fake.tokens.refreshToken, expires_in: '90000' })
      }
      return answer({ error: -404, message: 'Not found' }, 404)
    })().catch((err: unknown) => { res.writeHead(500); res.end(String(err)) })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}

/** A signed webhook delivery: the exact body bytes and the headers Zalo would send. */
export function signZaloEvent (event: object, appId: string, oaSecretKey: string): { payload: string, headers: Record<string, string> } {
  const payload = JSON.stringify(event)
  const timestamp = String((event as { timestamp?: unknown }).timestamp ?? '')
  const mac = createHash('sha256').update(appId + payload + timestamp + oaSecretKey).digest('hex')
  return { payload, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` } }
}

// Random start, so separate runs of scripts/fake-platforms.ts do not look like re-deliveries.
let nextMsgId = Math.floor(Math.random() * 1e9)
const OA_ID = '579745863508352884'

/** Builders of real-shaped Zalo OA webhook events (ids and timestamps are strings). */
export const zaloEvents = {
  text (appId: string, userId: string, text: string, msgId = `msgid-${nextMsgId++}`) {
    return {
      app_id: appId,
      user_id_by_app: `app-${userId}`,
      event_name: 'user_send_text',
      timestamp: String(Date.now()),
      sender: { id: userId },
      recipient: { id: OA_ID },
      message: { msg_id: msgId, text },
    }
  },
  follow (appId: string, userId: string) {
    return { app_id: appId, oa_id: OA_ID, user_id_by_app: `app-${userId}`, event_name: 'follow', timestamp: String(Date.now()), source: 'oa_profile', follower: { id: userId } }
  },
  image (appId: string, userId: string) {
    return {
      app_id: appId,
      user_id_by_app: `app-${userId}`,
      event_name: 'user_send_image',
      timestamp: String(Date.now()),
      sender: { id: userId },
      recipient: { id: OA_ID },
      message: { msg_id: `msgid-${nextMsgId++}`, text: '', attachments: [{ type: 'image', payload: { url: 'https://example.invalid/x.jpg', thumbnail: 'https://example.invalid/t.jpg' } }] },
    }
  },
  /** Echo of a message the OA sent (must be ignored, or the bot talks to itself). */
  oaSendText (appId: string, userId: string) {
    return {
      app_id: appId,
      event_name: 'oa_send_text',
      timestamp: String(Date.now()),
      sender: { id: OA_ID },
      recipient: { id: userId },
      message: { msg_id: `msgid-${nextMsgId++}`, text: 'Dạ, em chào Anh/Chị' },
    }
  },
}

/** The environment that points the server's Zalo channel at `fake` (app id and secrets as in `app`). */
export function zaloEnv (fake: FakeZalo, app: { appId: string, oaSecretKey: string, appSecret: string }): Record<string, string> {
  return {
    ZALO_APP_ID: app.appId,
    ZALO_OA_SECRET_KEY: app.oaSecretKey,
    ZALO_APP_SECRET: app.appSecret,
    ZALO_ACCESS_TOKEN: fake.tokens.accessToken,
    ZALO_REFRESH_TOKEN: fake.tokens.refreshToken,
    ZALO_OA_API_BASE: fake.url,
    ZALO_OAUTH_BASE: fake.url,
  }
}

/** Template message settings pointing at `fake` (`result` and `update` templates, a budget), as start-up reads them. */
export function zaloTemplateEnv (fake: FakeZalo, over: Record<string, string> = {}): Record<string, string> {
  return {
    ZALO_TEMPLATE_API_BASE: fake.url,
    ZALO_TEMPLATE_RESULT: '412345 ma_ho_so=code thu_tuc=procedure trang_thai=status ngay_hen=due_date buoc_tiep=next_step',
    ZALO_TEMPLATE_UPDATE: '412346 ma_ho_so=code thu_tuc=procedure trang_thai=status buoc_tiep=next_step',
    ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '500000',
    ZALO_TEMPLATE_UNIT_PRICE_VND: '300',
    ZALO_TEMPLATE_UID_UNIT_PRICE_VND: '200',
    ...over,
  }
}
