import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the flaky fake does with one Bot API call. */
export type Behaviour = 'ok' | 'hang' | { status: number, retryAfter?: number }

/** A fake Bot API on 127.0.0.1 whose answers follow `plan(callIndex, msSinceFirstCall)`. */
export interface FlakyTelegram {
  url: string
  token: string
  /** Successful sendMessage calls, in the order they were accepted. */
  delivered: Array<{ chatId: string, text: string }>
  calls: number
  close (): Promise<void>
}

export async function startFlakyTelegram (plan: (call: number, elapsedMs: number) => Behaviour, delayMs = 0): Promise<FlakyTelegram> {
  const token = '123456:CHAOS-token_abcdefghijklmnop'
  const hanging = new Set<ServerResponse>()
  let first: number | undefined
  let messageId = 1
  const fake: FlakyTelegram = {
    url: '',
    token,
    delivered: [],
    calls: 0,
    async close () {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? ''
      let body: Record<string, unknown> = {}
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> } catch {}
      const answer = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(payload))
      }
      if (method !== 'sendMessage') return answer(200, { ok: true, result: true })
      const now = Date.now()
      first ??= now
      const behaviour = plan(fake.calls++, now - first)
      if (behaviour === 'hang') { hanging.add(res); return }
      if (behaviour !== 'ok') {
        const params = behaviour.retryAfter !== undefined ? { parameters: { retry_after: behaviour.retryAfter } } : {}
        return answer(behaviour.status, { ok: false, error_code: behaviour.status, description: behaviour.status === 429 ? `Too Many Requests: retry after ${behaviour.retryAfter ?? 1}` : 'Bad Gateway', ...params })
      }
      setTimeout(() => {
        fake.delivered.push({ chatId: String(body.chat_id), text: String(body.text) })
        answer(200, { ok: true, result: { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'private' }, text: body.text } })
      }, delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}
