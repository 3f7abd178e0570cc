import { Telegram } from 'telegraf'
import type { Config } from '../../src/config.ts'

type TelegramConfig = NonNullable<Config['telegram']>

/** The path Telegram posts updates to (see plugin.ts). */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram'

/** `<public url>/webhooks/telegram`, unless the url already ends with that path. */
export function webhookUrlFor (publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '')
  return base.endsWith(TELEGRAM_WEBHOOK_PATH) ? base : `${base}${TELEGRAM_WEBHOOK_PATH}`
}

function client (config: TelegramConfig): Telegram {
  return new Telegram(config.token, { apiRoot: config.apiRoot, webhookReply: false })
}

/**
 * Registers the webhook with Telegram: the secret token and `allowed_updates` are always sent
 * (omitting allowed_updates would keep whatever was set before). Returns the url registered.
 */
export async function setTelegramWebhook (config: TelegramConfig, publicUrl: string): Promise<string> {
  const url = webhookUrlFor(publicUrl)
  if (!url.startsWith('https://') && !url.startsWith('http://127.0.0.1') && !url.startsWith('http://localhost')) {
    throw new Error('the webhook url must start with https://')
  }
  await client(config).setWebhook(url, {
    secret_token: config.webhookSecret,
    allowed_updates: ['message', 'callback_query'],
    drop_pending_updates: false,
  })
  return url
}

/** Removes the webhook (updates then queue up at Telegram for 24 hours). */
export async function deleteTelegramWebhook (config: TelegramConfig): Promise<void> {
  await client(config).deleteWebhook()
}
