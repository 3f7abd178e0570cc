// `npm run chat`: the conversation core in a terminal, for staff and demos. Buttons are shown numbered;
// type the number of a button to press it, or type a question. Ctrl+D or "thoát" to quit.
import { createInterface } from 'node:readline'
import { loadConfig } from '../config.ts'
import { createServices } from '../compose.ts'
import type { Button } from '../conversation/types.ts'

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' })
const services = await createServices(config)
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
// Take the iterator at once so piped input is not lost while the first reply is computed.
const lines = rl[Symbol.asyncIterator]()
let buttons: Button[] = []

async function say (msg: { text?: string, action?: string }): Promise<void> {
  const replies = await services.conversation.handle({ channel: 'terminal', userId: 'terminal', ...msg })
  buttons = []
  for (const r of replies) {
    process.stdout.write(`\n${r.text}\n`)
    for (const b of r.buttons ?? []) {
      buttons.push(b)
      process.stdout.write(`  [${buttons.length}] ${b.label}\n`)
    }
  }
}

await say({ action: 'start' })
process.stdout.write('\nAnh/Chị: ')
for await (const line of { [Symbol.asyncIterator]: () => lines }) {
  const t = line.trim()
  if (/^(thoat|thoát|exit|quit)$/i.test(t)) break
  const m = /^\[?(\d{1,2})\]?$/.exec(t)
  const b = m !== null ? buttons[Number(m[1]) - 1] : undefined
  await say(b !== undefined ? { action: b.value } : { text: line })
  process.stdout.write('\nAnh/Chị: ')
}
rl.close()
for (const close of [...services.closers].reverse()) await close()
process.exit(0)
