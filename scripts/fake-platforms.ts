/**
 * Local stand-ins for the Telegram Bot API and the Zalo OA API, to try both channels without internet.
 *   npm run fake:platforms                                   start both fakes, print the env to use
 *   npm run fake:platforms -- send-telegram "xin chào"       post a text update to the bot server
 *   npm run fake:platforms -- send-telegram --button p:khai-sinh   post a button press
 *   npm run fake:platforms -- send-zalo "xin chào"           post a signed user_send_text event
 *   npm run fake:platforms -- send-zalo --button help        post a tapped button (payload #a:help)
 *   npm run fake:platforms -- send-zalo --follow             post a follow event
 * Env: FAKE_TELEGRAM_PORT (8081), FAKE_ZALO_PORT (8082), BOT_URL (http://127.0.0.1:3000).
 * A development tool: it prints message texts, which the server itself never logs.
 */
import { startFakeTelegram, telegramUpdates } from '../test/helpers/fake-telegram.ts'
import { signZaloEvent, startFakeZalo, zaloEvents, zaloTemplateEnv } from '../test/helpers/fake-zalo.ts'

const DEV = {
  telegramToken: '123456:FAKE_local_token_for_dev',
  telegramSecret: 'local-dev-secret',
  zaloAppId: '1234567890123456789',
  zaloOaSecretKey: 'local-oa-secret-key',
  zaloAppSecret: 'local-app-secret',
  zaloUser: '8404382937846123456',
}
const env = process.env
const botUrl = (env.BOT_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/+$/, '')
const out = (line: string): void => { process.stdout.write(`${line}\n`) }

async function serve (): Promise<void> {
  const telegramPort = Number(env.FAKE_TELEGRAM_PORT ?? 8081)
  const zaloPort = Number(env.FAKE_ZALO_PORT ?? 8082)
  const telegram = await startFakeTelegram({
    token: DEV.telegramToken,
    botUsername: 'thu_tuc_local_bot',
    port: telegramPort,
    onCall: (c) => {
      const body = c.body as { chat_id?: unknown, text?: string, reply_markup?: { inline_keyboard: Array<Array<{ text: string, callback_data: string }>> } }
      const buttons = body.reply_markup?.inline_keyboard.flat().map((b) => `[${b.text} → ${b.callback_data}]`).join(' ') ?? ''
      out(`[telegram] ${c.apiMethod}${body.chat_id !== undefined ? ` chat ${String(body.chat_id)}` : ''}${body.text !== undefined ? `\n${body.text}` : ''}${buttons !== '' ? `\n${buttons}` : ''}\n`)
    },
  })
  const zalo = await startFakeZalo({
    appId: DEV.zaloAppId,
    appSecret: DEV.zaloAppSecret,
    accessToken: 'fake-access-token',
    refreshToken: 'fake-refresh-token',
    strictTokens: false,
    port: zaloPort,
    onCall: (c) => {
      if (c.path.endsWith('/message/template')) {
        const to = typeof c.body.phone === 'string' ? `phone ${c.body.phone}` : `user ${String((c.body.recipient as { user_id?: unknown } | undefined)?.user_id)}`
        out(`[zalo] template ${String(c.body.template_id)} → ${to}\n${JSON.stringify(c.body.template_data)}\n`)
        return
      }
      const message = c.body.message as { text?: string, attachment?: { payload: { buttons: Array<{ title: string, payload: string }> } } } | undefined
      const buttons = message?.attachment?.payload.buttons.map((b) => `[${b.title} → ${b.payload}]`).join(' ') ?? ''
      out(`[zalo] ${c.path}${message?.text !== undefined ? `\n${message.text}` : ''}${buttons !== '' ? `\n${buttons}` : ''}\n`)
    },
  })
  out('Fake platforms running. Start the server with:\n')
  out([
    `TELEGRAM_BOT_TOKEN=${DEV.telegramToken}`,
    `TELEGRAM_WEBHOOK_SECRET=${DEV.telegramSecret}`,
    `TELEGRAM_API_ROOT=${telegram.url}`,
    'TELEGRAM_BOT_USERNAME=thu_tuc_local_bot',
    `ZALO_APP_ID=${DEV.zaloAppId}`,
    `ZALO_OA_SECRET_KEY=${DEV.zaloOaSecretKey}`,
    `ZALO_APP_SECRET=${DEV.zaloAppSecret}`,
    'ZALO_ACCESS_TOKEN=fake-access-token',
    'ZALO_REFRESH_TOKEN=fake-refresh-token',
    `ZALO_OA_API_BASE=${zalo.url}`,
    `ZALO_OAUTH_BASE=${zalo.url}`,
    // ZBS template messages after Zalo's 7-day window (templates and prices of the tests).
    ...Object.entries(zaloTemplateEnv(zalo)).map(([k, v]) => `${k}='${v}'`),
  ].map((l) => `export ${l}`).join('\n'))
  out('\nthen, in a third terminal: npm run fake:platforms -- send-telegram "xin chào"\n')
  const stop = (): void => {
    Promise.all([telegram.close(), zalo.close()]).finally(() => process.exit(0)).catch(() => {})
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

async function post (path: string, headers: Record<string, string>, payload: string): Promise<void> {
  const res = await fetch(`${botUrl}${path}`, { method: 'POST', headers, body: payload })
  out(`${path} → HTTP ${res.status} ${await res.text()}`)
  if (!res.ok) process.exitCode = 1
}

async function sendTelegram (args: string[]): Promise<void> {
  const update = args[0] === '--button' ? telegramUpdates.callback(args[1] ?? 'help') : telegramUpdates.text(args.join(' ') || 'xin chào')
  await post('/webhooks/telegram', {
    'content-type': 'application/json',
    'x-telegram-bot-api-secret-token': env.TELEGRAM_WEBHOOK_SECRET ?? DEV.telegramSecret,
  }, JSON.stringify(update))
}

async function sendZalo (args: string[]): Promise<void> {
  const appId = env.ZALO_APP_ID ?? DEV.zaloAppId
  const event = args[0] === '--follow'
    ? zaloEvents.follow(appId, DEV.zaloUser)
    : zaloEvents.text(appId, DEV.zaloUser, args[0] === '--button' ? `#a:${args[1] ?? 'help'}` : args.join(' ') || 'xin chào')
  const signed = signZaloEvent(event, appId, env.ZALO_OA_SECRET_KEY ?? DEV.zaloOaSecretKey)
  await post('/webhooks/zalo', signed.headers, signed.payload)
}

const [command, ...rest] = process.argv.slice(2)
try {
  if (command === undefined || command === 'serve') await serve()
  else if (command === 'send-telegram') await sendTelegram(rest)
  else if (command === 'send-zalo') await sendZalo(rest)
  else {
    process.stderr.write('usage: npm run fake:platforms [-- send-telegram <text> | --button <value>] [-- send-zalo <text> | --button <value> | --follow]\n')
    process.exitCode = 1
  }
} catch (err) {
  process.stderr.write(`Failed: ${(err as Error).message}\n`)
  process.exitCode = 1
}
