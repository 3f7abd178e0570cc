// Telegram webhook → reply under a steady load (issue 14): the compiled server (child process, fresh SQLite
// DATA_DIR) with its Telegram channel pointed at the fake Bot API of test/helpers (in this process).
// Updates are posted at a steady rate, each from a new chat; every 50th is delivered twice, as Telegram
// does when it retries. Reply latency = webhook sent → first sendMessage of that chat received by the fake.
// `npx tsx bench/telegram.ts [--quick]`.
import { Agent, request } from 'node:http'
import { startFakeTelegram, telegramUpdates } from '../test/helpers/fake-telegram.ts'
import { QUESTIONS } from './http.ts'
import { cpuMsOf, fmt, load1, mb, rssOf, startServer } from './proc.ts'
import type { Section } from './summary.ts'

const SECRET = 'bench_secret_token'
const FIRST_CHAT = 800_000_000

/** Posts one update; resolves with the HTTP status. */
function post (url: URL, agent: Agent, update: unknown): Promise<number> {
  const body = JSON.stringify(update)
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-telegram-bot-api-secret-token': SECRET },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)) })
    req.on('error', reject)
    req.end(body)
  })
}

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN
}

/** Runs the webhook benchmark: `updates` updates at `perSecond`; returns its section. */
export async function benchTelegram (quick = false): Promise<Section> {
  const updates = quick ? 300 : 5000
  const perSecond = 20
  const window = quick ? 100 : 1000
  const received = new Map<number, { first: number, texts: string[] }>()
  const fake = await startFakeTelegram({
    onCall (call) {
      if (call.apiMethod !== 'sendMessage') return
      const body = call.body as { chat_id: number | string, text: string }
      const chat = Number(body.chat_id)
      const r = received.get(chat) ?? { first: performance.now(), texts: [] }
      r.texts.push(body.text)
      received.set(chat, r)
    },
  })
  // The fake keeps every call for tests; the benchmark needs only the timings above.
  const keepCalls = setInterval(() => { fake.calls.length = 0 }, 1000)
  const server = await startServer({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url })
  const agent = new Agent({ keepAlive: true, maxSockets: 16 })
  const url = new URL('/webhooks/telegram', server.url)
  const sentAt = new Map<number, number>()
  let non200 = 0
  const rssBefore = rssOf(server.pid)
  const loadAtStart = load1()
  // Server CPU time at the edges of the first and last windows: CPU per update depends far less on what
  // else runs on the machine than latency does, so it shows growth with history more reliably.
  const cpuAt = new Map<number, number>()
  try {
    // Warm-up (JIT, caches), not measured: a few seconds of the same traffic from other chats.
    const warmUp = quick ? 40 : 100
    process.stderr.write(`bench telegram: ${warmUp} warm-up updates, then ${updates} at ${perSecond}/s…\n`)
    for (let i = 0; i < warmUp; i++) {
      await post(url, agent, telegramUpdates.text(QUESTIONS[i % QUESTIONS.length] ?? 'tạm trú', { updateId: 800_000_000 + i, chatId: 700_000_000 + i }))
      await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond))
    }
    const t0 = performance.now()
    const inflight: Array<Promise<void>> = []
    for (let i = 0; i < updates; i++) {
      const due = t0 + (i * 1000) / perSecond
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      const chatId = FIRST_CHAT + i
      const update = telegramUpdates.text(QUESTIONS[i % QUESTIONS.length] ?? 'tạm trú', { updateId: 900_000_000 + i, chatId })
      if (i === 0 || i === window || i === updates - window) cpuAt.set(i, cpuMsOf(server.pid))
      sentAt.set(chatId, performance.now())
      // Like Telegram: a non-2xx answer or a broken connection is retried (after 1 s, up to 5 times).
      const send = async (): Promise<void> => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const status = await post(url, agent, update).catch(() => 0)
          if (status === 200) return
          non200++
          await new Promise((resolve) => setTimeout(resolve, 1000))
        }
      }
      inflight.push(send())
      // Telegram re-delivers an update it is unsure about: the re-delivery must not be answered again.
      if (i % 50 === 25) inflight.push(new Promise((resolve) => setTimeout(resolve, 200)).then(send))
    }
    await Promise.all(inflight)
    cpuAt.set(updates, cpuMsOf(server.pid))
    // Wait for the outbox to drain: stop when every chat has a reply or nothing arrived for 10 s.
    let last = received.size
    let quietSince = performance.now()
    while (received.size < updates && performance.now() - quietSince < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      if (received.size !== last) { last = received.size; quietSince = performance.now() }
    }
    await new Promise((resolve) => setTimeout(resolve, 1500)) // late duplicates, if any
  } finally {
    clearInterval(keepCalls)
    agent.destroy()
  }
  const rssAfter = rssOf(server.pid)
  const load = load1()
  await server.stop()
  await fake.close()

  const latency: number[] = []
  let lost = 0
  let duplicated = 0
  let messages = 0
  for (let i = 0; i < updates; i++) {
    const chat = FIRST_CHAT + i
    const r = received.get(chat)
    if (r === undefined) { lost++; latency.push(Number.NaN); continue }
    latency.push(r.first - (sentAt.get(chat) ?? r.first))
    messages += r.texts.length
    duplicated += r.texts.length - new Set(r.texts).size
  }
  const ok = (xs: number[]): number[] => xs.filter((x) => !Number.isNaN(x))
  const first = ok(latency.slice(0, window))
  const lastW = ok(latency.slice(-window))
  const all = ok(latency)
  const drift = pct(lastW, 0.5) / pct(first, 0.5)
  const p99 = pct(all, 0.99)
  const cpuFirst = ((cpuAt.get(window) ?? Number.NaN) - (cpuAt.get(0) ?? Number.NaN)) / window
  const cpuLast = ((cpuAt.get(updates) ?? Number.NaN) - (cpuAt.get(updates - window) ?? Number.NaN)) / window
  const summary = [
    { metric: `Telegram reply p99 ms (${updates.toLocaleString('en')} updates at ${perSecond}/s)`, value: fmt(p99), target: '≤ 100', ok: p99 <= 100, load },
    { metric: `Telegram p50 last / first ${window.toLocaleString('en')}`, value: drift.toFixed(2), target: '≤ 1.2', ok: drift <= 1.2, load },
    { metric: `Telegram server CPU ms per update, first → last ${window.toLocaleString('en')}`, value: `${cpuFirst.toFixed(2)} → ${cpuLast.toFixed(2)}`, target: 'last ≤ 1.2 × first', ok: cpuLast <= 1.2 * cpuFirst, load },
    { metric: 'Telegram lost, duplicated, non-200 (retried)', value: `${lost}, ${duplicated}, ${non200}`, target: '0, 0, 0', ok: lost === 0 && duplicated === 0 && non200 === 0, load },
    { metric: 'Telegram server RSS MB after', value: mb(rssAfter), target: '≤ 250', ok: rssAfter <= 250 * 2 ** 20, load },
  ]
  return {
    summary,
    markdown: [
      '### Telegram webhook → reply',
      '',
      `${updates.toLocaleString('en')} text updates posted to \`POST /webhooks/telegram\` at a steady ${perSecond}/s, each from a new chat (so`,
      'conversation state, seen update ids and the outbox grow by one row per update), every 50th delivered twice; the',
      'compiled server queues the reply in the outbox, whose sender posts it to the fake Bot API. Latency: webhook sent →',
      'first `sendMessage` of that chat received. Times in ms.',
      '',
      `| updates | p50 first ${window} | p99 first ${window} | p50 last ${window} | p99 last ${window} | p99 all | max | server CPU ms/update first → last ${window} | lost | duplicated | non-200 or refused (retried) | messages sent | RSS MB before → after | load avg start → end |`,
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${updates.toLocaleString('en')} | ${fmt(pct(first, 0.5))} | ${fmt(pct(first, 0.99))} | ${fmt(pct(lastW, 0.5))} | ${fmt(pct(lastW, 0.99))} | ${fmt(p99)} | ${fmt(pct(all, 1))} | ${cpuFirst.toFixed(2)} → ${cpuLast.toFixed(2)} | ${lost} | ${duplicated} | ${non200} | ${messages.toLocaleString('en')} | ${mb(rssBefore)} → ${mb(rssAfter)} | ${loadAtStart.toFixed(1)} → ${load.toFixed(1)} |`,
    ].join('\n'),
  }
}

if (process.argv[1]?.endsWith('bench/telegram.ts') === true) {
  const r = await benchTelegram(process.argv.includes('--quick'))
  process.stdout.write(`${r.markdown}\n`)
}
