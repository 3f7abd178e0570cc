import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { webhookUrlFor } from '../../../bots/telegram/admin.ts'
import { startFakeTelegram, type FakeTelegram } from '../../helpers/fake-telegram.ts'
import { TELEGRAM_SECRET } from '../harness.ts'

const run = promisify(execFile)
let telegram: FakeTelegram

beforeEach(async () => { telegram = await startFakeTelegram() })
afterEach(async () => { await telegram.close() })

const script = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/telegram-webhook.ts', ...args], {
  env: { PATH: process.env.PATH, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET, TELEGRAM_API_ROOT: telegram.url },
})

describe('npm run telegram:webhook', () => {
  it('registers <url>/webhooks/telegram with the secret token and allowed_updates', async () => {
    const { stdout } = await script(['https://bot.example.gov.vn/'])
    expect(stdout).toContain('https://bot.example.gov.vn/webhooks/telegram')
    expect(stdout).not.toContain(telegram.token)
    expect(telegram.callsTo('setWebhook').map((c) => c.body)).toEqual([{
      url: 'https://bot.example.gov.vn/webhooks/telegram',
      secret_token: TELEGRAM_SECRET,
      allowed_updates: ['message', 'callback_query'],
      drop_pending_updates: false,
    }])
  })

  it('removes the webhook with --delete', async () => {
    await script(['--delete'])
    expect(telegram.callsTo('deleteWebhook')).toHaveLength(1)
  })

  it('exits non-zero when the Bot API refuses', async () => {
    telegram.respondNext('setWebhook', { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook' } })
    await expect(script(['https://bot.example.gov.vn'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('bad webhook') })
  })

  it('does not append the path twice', () => {
    expect(webhookUrlFor('https://x.vn/webhooks/telegram')).toBe('https://x.vn/webhooks/telegram')
    expect(webhookUrlFor('https://x.vn/bot')).toBe('https://x.vn/bot/webhooks/telegram')
  })
})
