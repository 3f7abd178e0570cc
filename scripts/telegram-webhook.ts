/**
 * Registers or removes the Telegram webhook (run once per deployment, not at boot):
 *   npm run telegram:webhook -- https://bot.example.gov.vn   → setWebhook(<url>/webhooks/telegram)
 *   npm run telegram:webhook -- --delete                       → deleteWebhook
 * Reads TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET and TELEGRAM_API_ROOT like the server does.
 */
import { deleteTelegramWebhook, setTelegramWebhook } from '../bots/telegram/admin.ts'
import { loadConfig } from '../src/config.ts'

const USAGE = 'usage: npm run telegram:webhook -- <public https url> | --delete\n'

async function main (args: string[]): Promise<number> {
  const config = loadConfig(process.env)
  if (config.telegram === undefined) {
    process.stderr.write('TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET must be set.\n')
    return 1
  }
  const [arg] = args
  if (args.length !== 1 || arg === undefined || arg === '--help') {
    process.stderr.write(USAGE)
    return 1
  }
  if (arg === '--delete') {
    await deleteTelegramWebhook(config.telegram)
    process.stdout.write('Webhook deleted.\n')
    return 0
  }
  const url = await setTelegramWebhook(config.telegram, arg)
  process.stdout.write(`Webhook set: ${url} (allowed updates: message, callback_query; secret token sent).\n`)
  return 0
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (err) {
  // Messages from the Bot API never contain the token (telegraf redacts it from network errors).
  process.stderr.write(`Failed: ${(err as Error).message}\n`)
  process.exitCode = 1
}
