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
