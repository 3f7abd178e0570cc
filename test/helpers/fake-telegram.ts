import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One HTTP call the fake received. */
export interface RecordedCall {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** Parsed JSON or form body (raw string when neither). */
  body: unknown
  /** Bot API method, e.g. `sendMessage`. */
  apiMethod: string
  /** Token taken from `/bot<token>/…`. */
  token: string
}

/** A programmed answer: HTTP status and JSON body. */
export interface FakeResponse { status: number, body: unknown }

/** Ready-made Bot API error answers. */
export const telegramErrors = {
  tooManyRequests: (retryAfter: number): FakeResponse => ({
    status: 429,
    body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } },
  }),
  blocked: (): FakeResponse => ({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } }),
  serverError: (): FakeResponse => ({ status: 502, body: 'Bad Gateway' }),
}

export interface FakeTelegram {
  /** Base url, to use as TELEGRAM_API_ROOT. */
  url: string
  token: string
  calls: RecordedCall[]
  /** Calls of one Bot API method. */
  callsTo (apiMethod: string): RecordedCall[]
  /** The bodies of `sendMessage` calls that succeeded. */
  messages (): Array<{ chat_id: number | string, text: string, parse_mode?: string, reply_markup?: { inline_keyboard: Array<Array<{ text: string, callback_data: string }>> } }>
  /** The next call of `apiMethod` gets `response` instead of success (queue; one per call). */
  respondNext (apiMethod: string, response: FakeResponse): void
  /** The registered webhook (setWebhook / deleteWebhook). */
  webhook: { url: string, secretToken?: string, allowedUpdates?: string[] } | undefined
  close (): Promise<void>
}

export interface FakeTelegramOptions {
  token?: string
  botUsername?: string
  /** Default 0 (random). */
  port?: number
  /** Called for every recorded call (scripts/fake-platforms.ts logs them). */
  onCall?: (call: RecordedCall) => void
}

async function readBody (req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '') return {}
  if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text))
  }
  try { return JSON.parse(text) } catch { return text }
}

/** Starts a fake Bot API on 127.0.0.1 that records every call and answers like Telegram. */
export async function startFakeTelegram (options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456:TEST-token_abcdefghijklmnop'
  const username = options.botUsername ?? 'thu_tuc_test_bot'
  const calls: RecordedCall[] = []
  const programmed = new Map<string, FakeResponse[]>()
  let messageId = 1
  const fake: FakeTelegram = {
    url: '',
    token,
    calls,
    callsTo: (apiMethod) => calls.filter((c) => c.apiMethod === apiMethod),
    messages: () => sentOk.map((c) => c.body as ReturnType<FakeTelegram['messages']>[number]),
    respondNext (apiMethod, response) {
      programmed.set(apiMethod, [...(programmed.get(apiMethod) ?? []), response])
    },
    webhook: undefined,
    close: async () => { await new Promise<void>((resolve) => server.close(() => resolve())) },
  }
  const sentOk: RecordedCall[] = []

  const server = createServer((req, res) => {
    (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path)
      const call: RecordedCall = {
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body: await readBody(req),
        apiMethod: match?.[2] ?? '',
        token: match?.[1] ?? '',
      }
      calls.push(call)
      options.onCall?.(call)
      const answer = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(typeof body === 'string' ? body : JSON.stringify(body))
      }
      if (match === null || call.token !== token) return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' })
      const queued = programmed.get(call.apiMethod)?.shift()
      if (queued !== undefined) return answer(queued.status, queued.body)
      const body = call.body as Record<string, unknown>
      switch (call.apiMethod) {
        case 'getMe':
          return answer(200, { ok: true, result: { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Test bot', username, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } })
        case 'sendMessage':
          sentOk.push(call)
          return answer(200, { ok: true, result: { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'private' }, text: body.text } })
        case 'setWebhook':
          fake.webhook = { url: String(body.url), secretToken: body.secret_token as string | undefined, allowedUpdates: body.allowed_updates as string[] | undefined }
          return answer(200, { ok: true, result: true, description: 'Webhook was set' })
        case 'deleteWebhook':
          fake.webhook = undefined
          return answer(200, { ok: true, result: true, description: 'Webhook was deleted' })
        case 'getWebhookInfo':
          return answer(200, { ok: true, result: { url: fake.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 } })
        default:
          return answer(200, { ok: true, result: true })
      }
    })().catch((err: unknown) => { res.writeHead(500); res.end(String(err)) })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}

// Random start, so separate runs of scripts/fake-platforms.ts do not look like re-deliveries.
let nextUpdateId = 700_000_000 + Math.floor(Math.random() * 100_000_000)
const citizen = { id: 5_551_234_567, is_bot: false, first_name: 'Lan', last_name: 'Nguyễn', language_code: 'vi' }

/** Builders of real-shaped Telegram updates (private chat with `citizen` unless told otherwise). */
export const telegramUpdates = {
  /** A text message; a leading `/command` gets its `bot_command` entity, as Telegram sends it. */
  text (text: string, options: { updateId?: number, chatId?: number } = {}) {
    const chatId = options.chatId ?? citizen.id
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text)
    return {
      update_id: options.updateId ?? nextUpdateId++,
      message: {
        message_id: 42,
        from: { ...citizen, id: chatId },
        chat: { id: chatId, first_name: citizen.first_name, last_name: citizen.last_name, type: 'private' },
        date: 1_732_700_000,
        text,
        ...(command !== null ? { entities: [{ offset: 0, length: command[0].length, type: 'bot_command' }] } : {}),
      },
    }
  },
  /** A press on an inline keyboard button under one of the bot's messages. */
  callback (data: string, options: { updateId?: number, chatId?: number } = {}) {
    const chatId = options.chatId ?? citizen.id
    return {
      update_id: options.updateId ?? nextUpdateId++,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from: { ...citizen, id: chatId },
        message: {
          message_id: 43,
          from: { id: 123456, is_bot: true, first_name: 'Thủ tục', username: 'thu_tuc_test_bot' },
          chat: { id: chatId, first_name: citizen.first_name, type: 'private' },
          date: 1_732_700_010,
          text: 'Mời Anh/Chị chọn:',
        },
        chat_instance: '-7385550000000000000',
        data,
      },
    }
  },
  /** A photo (with caption), the typical non-text message. */
  photo (options: { updateId?: number, chatId?: number } = {}) {
    const chatId = options.chatId ?? citizen.id
    return {
      update_id: options.updateId ?? nextUpdateId++,
      message: {
        message_id: 44,
        from: { ...citizen, id: chatId },
        chat: { id: chatId, first_name: citizen.first_name, type: 'private' },
        date: 1_732_700_020,
        photo: [{ file_id: 'AgACAgUAAxkBAAIBZ2VfakeId', file_unique_id: 'AQADfake', file_size: 1234, width: 90, height: 90 }],
        caption: 'giấy tờ của tôi',
      },
    }
  },
  /** A sticker. */
  sticker (options: { updateId?: number, chatId?: number } = {}) {
    const chatId = options.chatId ?? citizen.id
    return {
      update_id: options.updateId ?? nextUpdateId++,
      message: {
        message_id: 45,
        from: { ...citizen, id: chatId },
        chat: { id: chatId, first_name: citizen.first_name, type: 'private' },
        date: 1_732_700_030,
        sticker: { file_id: 'CAACAgIAAxkBfake', file_unique_id: 'AgADfake', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' },
      },
    }
  },
  /** An update type the bot does not handle (edited message). */
  editedMessage (options: { updateId?: number } = {}) {
    return {
      update_id: options.updateId ?? nextUpdateId++,
      edited_message: {
        message_id: 42,
        from: citizen,
        chat: { id: citizen.id, first_name: citizen.first_name, type: 'private' },
        date: 1_732_700_000,
        edit_date: 1_732_700_100,
        text: 'sửa lại',
      },
    }
  },
}

/** The citizen's chat id used by the builders. */
export const TELEGRAM_CITIZEN_ID = citizen.id
