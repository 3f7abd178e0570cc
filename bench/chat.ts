// Chat latency (issue 8: p99 ≤ 10 ms): 1,000 sequential POST /api/chat search questions over a real socket
// against the app in this process (keep-alive node:http client, 10 sessions). `npm run bench` runs it in a fresh process
// of its own (`--json`), so the heap left by the other sections does not show in its tail.
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/config.ts'
import { createServices } from '../src/compose.ts'
import { buildApp } from '../src/app.ts'
import { load1 } from './proc.ts'
import type { Section } from './summary.ts'

const QUESTIONS = ['lam giay khai sanh cho be', 'đăng ký tạm trú cần gì', 'sao y cccd', 'làm sổ đỏ', 'xin giấy phép xây dựng',
  'giấy xác nhận độc thân', 'đăng ký hộ kinh doanh', 'trợ cấp thất nghiệp', 'chứng thực chữ ký', 'tiền già']

export async function benchChat (quick = false): Promise<Section> {
  const n = quick ? 300 : 1000
  const dataDir = mkdtempSync(join(tmpdir(), 'tgtt-bench-chat-'))
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', CHAT_RATE_PER_IP: '100000', CHAT_RATE_PER_SESSION: '100000' })
  const services = await createServices(config)
  const app = await buildApp(config, services, { logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}/api/chat`
  // node:http, not fetch: undici's response objects outlive two scavenges (they are tracked for
  // finalisation), so the client's own garbage was promoted and made every scavenge of this shared heap
  // 5–10 ms — the client's cost, counted as the server's tail.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const post = (i: number) => new Promise<void>((resolve, reject) => {
    const body = JSON.stringify({ sessionId: `bench-session-${i % 10}`, text: QUESTIONS[i % QUESTIONS.length] })
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume()
      res.on('end', () => { if (res.statusCode === 200) resolve(); else reject(new Error(`status ${res.statusCode ?? 0}`)) })
    })
    req.on('error', reject)
    req.end(body)
  })
  for (let i = 0; i < 100; i++) await post(i) // warm-up
  const lat: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await post(i)
    lat.push(performance.now() - t)
  }
  const load = load1()
  agent.destroy()
  await app.close()
  for (const close of [...services.closers].reverse()) await close()
  rmSync(dataDir, { recursive: true, force: true })
  lat.sort((a, b) => a - b)
  const at = (q: number): number => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? Number.NaN
  const p = (q: number): string => at(q).toFixed(2)
  return {
    summary: [{ metric: `chat p99 ms, ${n} sequential requests`, value: p(0.99), target: '≤ 10', ok: at(0.99) <= 10, load }],
    markdown: ['### Web chat, sequential', '', `${n} sequential POST /api/chat search questions over a real socket (keep-alive node:http client, conversation state in the SQLite store).`, '',
      '| requests | p50 ms | p90 ms | p99 ms | max ms | load avg |', '|---|---|---|---|---|---|', `| ${n} | ${p(0.5)} | ${p(0.9)} | ${p(0.99)} | ${lat.at(-1)!.toFixed(2)} | ${load.toFixed(1)} |`].join('\n'),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const section = await benchChat(process.argv.includes('--quick'))
  process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(section)}\n` : `${section.markdown}\n`)
}
