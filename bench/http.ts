// Chat API under load (issue 14): autocannon against the compiled server (`node dist/src/bundle/main.js`, a child
// process with a fresh SQLite DATA_DIR) and against bare Fastify in the same run, for the ratio.
// 1. bare Fastify, 50 connections; 2. POST /api/chat, 50 connections, 2,000 rotating sessions;
// 3. RSS of a fresh server after 30,000 messages over 6,000 sessions. `npx tsx bench/http.ts [--quick]`.
import autocannon from 'autocannon'
import type { SummaryRow } from './summary.ts'
import { fmt, load1, mb, rssOf, startChild, startServer, type Child } from './proc.ts'

/**
 * What the citizens of one session send, in turn (message k of a session is SCRIPT[k % length]). Free
 * questions (with and without tone marks, Telex, fillers, some the bot cannot answer), follow-ups about the
 * procedure in view, thanks. `{q}` is the session's own question, `{q2}` another one.
 */
const SCRIPT = ['{q}', 'phí bao nhiêu', '{q2}', 'cần giấy tờ gì', 'mất mấy ngày', 'cảm ơn em']
export const QUESTIONS = [
  'lam giay khai sanh cho be', 'đăng ký tạm trú cần gì', 'sao y cccd', 'làm sổ đỏ', 'xin giấy phép xây dựng nhà ở',
  'giấy xác nhận độc thân', 'đăng ký hộ kinh doanh', 'trợ cấp thất nghiệp', 'chứng thực chữ ký', 'tiền già',
  'cho em hỏi thủ tục đăng ký kết hôn ạ', 'ddawng kys thuowngf tru', 'cap lai so do bi mat', 'hôm nay ăn gì',
  'lam can cuoc cho con 14 tuoi', 'báo tử cho bà nội', 'tách thửa đất', 'đổi giấy phép lái xe', 'karaoke gần đây',
  'mai táng phí', 'xin xác nhận hộ nghèo', 'chuyển mục đích sử dụng đất lên thổ cư', 'ly hôn ở đâu', 'đăng ký lại khai sinh',
]

/** The text of request number `i` when requests rotate over `sessions` sessions. */
export function chatRequest (i: number, sessions: number): { sessionId: string, text: string } {
  const s = i % sessions
  const k = Math.floor(i / sessions)
  const step = SCRIPT[k % SCRIPT.length] ?? '{q}'
  const text = step.replace('{q}', QUESTIONS[s % QUESTIONS.length] ?? '').replace('{q2}', QUESTIONS[(s + 7 + k) % QUESTIONS.length] ?? '')
  return { sessionId: `bench-session-${String(s).padStart(6, '0')}`, text }
}

/** Limits of the server under test: rate limits high enough that the load is not refused. */
export const CHAT_ENV = { CHAT_RATE_PER_IP: '100000000', CHAT_RATE_PER_SESSION: '1000000' }

interface Load {
  rps: number
  p50: number
  p99: number
  max: number
  requests: number
  errors: number
  timeouts: number
  non2xx: number
  load: number
}

/** Runs autocannon on `POST url/api/chat` over rotating sessions: for `seconds`, or `amount` requests. */
async function hammer (url: string, options: { connections: number, sessions: number, seconds?: number, amount?: number }): Promise<Load> {
  let i = 0
  const result = await autocannon({
    url: `${url}/api/chat`,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.seconds ?? 10 }),
    timeout: 10,
    requests: [{
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify(chatRequest(i++, options.sessions)) }),
    }],
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    load: load1(),
  }
}

/** Warms a server up (JIT, caches) with a short burst that is not measured. */
async function warm (child: Child, sessions: number): Promise<void> {
  await hammer(child.url, { connections: 10, sessions, amount: 2000 })
}

export interface HttpResult { markdown: string, summary: SummaryRow[] }

/** Runs the chat load benchmark; `quick` shortens every phase. */
export async function benchHttp (quick = false): Promise<HttpResult> {
  const seconds = quick ? 4 : 20
  const rows: string[] = []
  const summary: SummaryRow[] = []
  const line = (what: string, r: Load, rss?: number): string =>
    `| ${what} | ${Math.round(r.rps).toLocaleString('en')} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${r.requests.toLocaleString('en')} | ${r.errors} / ${r.timeouts} / ${r.non2xx} | ${rss === undefined ? '' : mb(rss)} | ${r.load.toFixed(1)} |`

  process.stderr.write('bench http: bare Fastify…\n')
  const bare = await startChild(['--import', 'tsx', 'bench/bare-fastify.ts'], {})
  let bareLoad: Load
  try {
    await warm(bare, 2000)
    bareLoad = await hammer(bare.url, { connections: 50, sessions: 2000, seconds })
    rows.push(line('bare Fastify, 50 connections', bareLoad, rssOf(bare.pid)))
  } finally {
    await bare.stop()
  }

  process.stderr.write('bench http: chat API, 2,000 rotating sessions…\n')
  const server = await startServer(CHAT_ENV)
  let chat: Load
  try {
    await warm(server, 2000)
    chat = await hammer(server.url, { connections: 50, sessions: 2000, seconds })
    rows.push(line('POST /api/chat, 50 connections, 2,000 sessions', chat, rssOf(server.pid)))
    const ten = await hammer(server.url, { connections: 10, sessions: 2000, seconds: Math.ceil(seconds / 2) })
    rows.push(line('POST /api/chat, 10 connections, 2,000 sessions', ten, rssOf(server.pid)))
  } finally {
    await server.stop()
  }
  const ratio = chat.rps / bareLoad.rps
  summary.push(
    { metric: 'chat API req/s (50 conn., 2,000 sessions)', value: Math.round(chat.rps).toLocaleString('en'), target: '≥ 2,500', ok: chat.rps >= 2500, load: chat.load },
    { metric: 'chat API / bare Fastify', value: ratio.toFixed(3), target: '≥ 0.06', ok: ratio >= 0.06, load: chat.load },
    { metric: 'chat API p99 ms, timeouts', value: `${fmt(chat.p99)}, ${chat.timeouts}`, target: '≤ 50, 0', ok: chat.p99 <= 50 && chat.timeouts === 0 && chat.errors === 0 && chat.non2xx === 0, load: chat.load }
  )

  const messages = quick ? 5000 : 30_000
  const sessions = quick ? 1000 : 6000
  process.stderr.write(`bench http: RSS after ${messages} messages over ${sessions} sessions…\n`)
  const fresh = await startServer(CHAT_ENV)
  try {
    const before = rssOf(fresh.pid)
    const r = await hammer(fresh.url, { connections: 50, sessions, amount: messages })
    const after = rssOf(fresh.pid)
    rows.push(line(`fresh server: ${messages.toLocaleString('en')} messages over ${sessions.toLocaleString('en')} sessions (RSS before ${mb(before)} MB)`, r, after))
    summary.push({ metric: `chat RSS MB after ${messages.toLocaleString('en')} msgs / ${sessions.toLocaleString('en')} sessions`, value: mb(after), target: '≤ 200', ok: after <= 200 * 2 ** 20, load: r.load })
  } finally {
    await fresh.stop()
  }

  return {
    summary,
    markdown: [
      '### Chat API under load',
      '',
      'autocannon (in the bench process) against the compiled server (`node dist/src/bundle/main.js`, a child process, fresh SQLite',
      `DATA_DIR, rate limits raised) and against bare Fastify (a constant JSON reply) in the same run; ${seconds} s per row.`,
      `Each session sends in turn: ${SCRIPT.map((s) => `"${s}"`).join(', ')} — {q} one of ${QUESTIONS.length} citizen questions`,
      '(tone marks or not, Telex, typos, fillers, some off-topic). Sessions rotate, so state is read and written for thousands',
      `of conversations. Chat API / bare Fastify = **${ratio.toFixed(3)}**.`,
      '',
      '| run | req/s | p50 ms | p99 ms | max ms | requests | errors / timeouts / non-2xx | RSS MB | load avg |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n'),
  }
}

if (process.argv[1]?.endsWith('bench/http.ts') === true) {
  const r = await benchHttp(process.argv.includes('--quick'))
  process.stdout.write(`${r.markdown}\n`)
}
