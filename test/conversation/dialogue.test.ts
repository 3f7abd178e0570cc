import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { loadLexicon } from '../../src/catalogue/lexicon.ts'
import { createProcedureSearch } from '../../src/catalogue/search.ts'
import { createConversation } from '../../src/conversation/core.ts'
import { createMemoryStateStore, STATE_TTL_MS } from '../../src/conversation/state.ts'
import { createMemoryUnansweredLog, type UnansweredLog } from '../../src/conversation/unanswered.ts'
import type { ConversationCore, Reply } from '../../src/conversation/types.ts'

const catalogue = loadCatalogue('data')
const search = createProcedureSearch(catalogue.procedures, loadLexicon('data'))
let clock = Date.UTC(2026, 10, 27, 2, 0)
const now = (): number => clock

async function makeCore (): Promise<{ core: ConversationCore, unanswered: UnansweredLog }> {
  const unanswered = createMemoryUnansweredLog(now)
  const core = createConversation({ catalogue, search, states: createMemoryStateStore(now), unanswered, now })
  return { core, unanswered }
}

const all = (r: Reply[]): string => r.map((x) => x.text).join('\n')
const buttons = (r: Reply[]): string[] => r.flatMap((x) => x.buttons ?? []).map((b) => b.value)

/** Each step: a text (or `#action`) and fragments that must (or, with `!`, must not) appear in the replies. */
type Step = [input: string, expects: string[]]
const flows: Array<[name: string, steps: Step[]]> = [
  ['greeting shows the menu', [['xin chào', ['Xin chào', '#m:search', '#m:dossier']]]],
  ['a confident question opens the card with sections', [
    ['lam giay khai sanh cho be', ['ĐĂNG KÝ KHAI SINH', 'Giấy tờ cần nộp', 'Tờ khai đăng ký khai sinh', 'Thời hạn', '15:00', 'Miễn lệ phí', 'Nguồn:', '#s:l:dang-ky-khai-sinh']],
  ]],
  ['follow-up aspect questions answer just that section', [
    ['đăng ký tạm trú', ['ĐĂNG KÝ TẠM TRÚ']],
    ['phí bao nhiêu?', ['Phí, lệ phí', '!Giấy tờ cần nộp']],
    ['mất mấy ngày', ['Thời hạn', '3 ngày làm việc', '!Phí, lệ phí']],
    ['cần giấy tờ gì', ['Giấy tờ cần nộp']],
  ]],
  ['an aspect question naming another procedure switches to it', [
    ['đăng ký khai sinh', ['ĐĂNG KÝ KHAI SINH']],
    ['lệ phí đăng ký thường trú', ['Đăng ký thường trú', '20.000']],
  ]],
  ['sibling procedures are offered as a choice, and ordinals pick from it', [
    ['chứng thực', ['Có phải Anh/Chị muốn hỏi', 'bản sao', 'chữ ký']],
    ['cái thứ hai', ['📌']],
  ]],
  ['a bare number picks from the last list', [
    ['chứng thực', ['1.']],
    ['1', ['📌']],
  ]],
  ['an ordinal without a list is searched, not guessed', [['số 3', ['!📌']]]],
  ['off-topic gets the fallback and the menu, no random procedure', [
    ['hôm nay ăn gì', ['chưa tìm thấy', '#m:fields', '!📌']],
  ]],
  ['out of scope is redirected politely', [['thủ tục ly hôn', ['Tòa án']]]],
  ['office hours and old unit names', [
    ['giờ làm việc', ['xã/phường', '#o:xa-hoa-tu']],
    ['địa chỉ ủy ban xã Hòa Tú 1', ['xã Hòa Tú 1 thuộc xã Hòa Tú', 'Giờ làm việc', 'em chưa có số điện thoại công bố', '!chờ địa phương', '!cần xác nhận']],
  ]],
  ['browse by field with paging', [
    ['#m:fields', ['lĩnh vực', '#f:0:0']],
    ['#f:0:0', ['Hộ tịch', '#p:dang-ky-khai-sinh', '#f:0:1']],
    ['#f:0:1', ['trang 2']],
  ]],
  ['a dossier code never goes to procedure search', [
    ['hồ sơ 000.00.04.H51-200221-0001 của tôi tới đâu rồi', ['!📌', '!chưa tìm thấy thủ tục']],
  ]],
  ['thanks and goodbye', [['cảm ơn nhiều nha', ['không có chi']], ['tạm biệt', ['chào Anh/Chị']]]],
  ['bad input: empty, emoji, stale button, huge text', [
    ['   ', ['chưa nhập nội dung']],
    ['🙂🙂🙂', ['chưa nhập nội dung']],
    ['#s:l:khong-ton-tai', ['không còn hiệu lực']],
    ['#zzz', ['không còn hiệu lực']],
    [`đăng ký khai sinh ${'a'.repeat(3000)}`, ['hơi dài']],
  ]],
]

describe('dialogue flows', () => {
  it.each(flows)('%s', async (_name, steps) => {
    const { core } = await makeCore()
    const user = `u${Math.random()}`
    for (const [input, expects] of steps) {
      const msg = input.startsWith('#') && input.length > 1
        ? { channel: 'web' as const, userId: user, action: input.slice(1) }
        : { channel: 'web' as const, userId: user, text: input }
      const replies = await core.handle(msg)
      const text = all(replies)
      const values = buttons(replies)
      for (const e of expects) {
        if (e.startsWith('!#')) expect(values, `${input} → buttons`).not.toContain(e.slice(2))
        else if (e.startsWith('#')) expect(values, `${input} → buttons`).toContain(e.slice(1))
        else if (e.startsWith('!')) expect(text, `${input}`).not.toContain(e.slice(1))
        else expect(text.toLowerCase(), `${input}`).toContain(e.toLowerCase())
      }
      for (const r of replies) {
        expect(r.text.length).toBeLessThanOrEqual(3500)
        for (const b of r.buttons ?? []) expect(Buffer.byteLength(b.value)).toBeLessThanOrEqual(40)
      }
    }
  })
})

describe('state and logging', () => {
  let ctx: Awaited<ReturnType<typeof makeCore>>
  beforeAll(async () => { ctx = await makeCore() })
  afterAll(() => { clock = Date.UTC(2026, 10, 27, 2, 0) })

  it('forgets the current procedure after 30 idle minutes', async () => {
    await ctx.core.handle({ channel: 'web', userId: 'idle', text: 'đăng ký khai sinh' })
    expect(all(await ctx.core.handle({ channel: 'web', userId: 'idle', text: 'phí bao nhiêu' }))).toContain('Phí, lệ phí')
    clock += STATE_TTL_MS + 1000
    expect(all(await ctx.core.handle({ channel: 'web', userId: 'idle', text: 'phí bao nhiêu' }))).toContain('thủ tục nào')
  })

  it('keeps users apart', async () => {
    await ctx.core.handle({ channel: 'web', userId: 'a', text: 'đăng ký khai sinh' })
    expect(all(await ctx.core.handle({ channel: 'telegram', userId: 'a', text: 'phí bao nhiêu' }))).toContain('thủ tục nào')
  })

  it('logs unanswered questions without digits that could be personal data', async () => {
    await ctx.core.handle({ channel: 'zalo', userId: 'x', text: 'nghe nhạc số 0912345678' })
    const list = await ctx.unanswered.list()
    expect(list.total).toBeGreaterThan(0)
    expect(list.items[0]).toMatchObject({ channel: 'zalo' })
    expect(list.items[0]!.text).not.toMatch(/\d{4}/)
  })
})
