import { describe, expect, it } from 'vitest'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { loadLexicon } from '../../src/catalogue/lexicon.ts'
import { createProcedureSearch } from '../../src/catalogue/search.ts'
import { createConversation } from '../../src/conversation/core.ts'
import { createMemoryStateStore } from '../../src/conversation/state.ts'
import { createMemoryUnansweredLog } from '../../src/conversation/unanswered.ts'
import type { Reply } from '../../src/conversation/types.ts'
import { createDossierPort } from '../../src/dossiers/chat.ts'
import { CODE, dossierBody, makeService } from '../dossiers/helpers.ts'

const catalogue = loadCatalogue('data')
const search = createProcedureSearch(catalogue.procedures, loadLexicon('data'))

async function makeCore () {
  const now = (): number => Date.UTC(2026, 2, 2, 3, 0)
  const unanswered = createMemoryUnansweredLog(now)
  const t = makeService()
  await t.service.upsert(CODE, dossierBody(), 'lan')
  const dossiers = createDossierPort(t.service)
  const core = createConversation({ catalogue, search, states: createMemoryStateStore(now), unanswered, dossiers, now })
  return { core, unanswered }
}

const all = (r: Reply[]): string => r.map((x) => x.text).join('\n')
const values = (r: Reply[]): string[] => r.flatMap((x) => x.buttons ?? []).map((b) => b.value)

/**
 * Each step: what the citizen types, then fragments that must appear in the replies (`!` must not,
 * `#` a button value, `!#` no such button value, `~` logged as unanswered, `!~` not logged).
 */
type Step = [input: string, expects: string[]]
const flows: Array<[name: string, steps: Step[]]> = [
  // Small talk never opens a procedure.
  ['"dạ" gets a friendly answer', [['dạ', ['em đây', '!📌', '#m:search', '!~']]]],
  ['"vâng" gets a friendly answer', [['vâng', ['em đây', '!📌', '!Có phải']]]],
  ['"test" is not a procedure', [['test', ['em đây', '!📌', '!Có phải']]]],
  ['"ok" is not a procedure', [['ok', ['em đây', '!📌']]]],
  ['"a lô có ai không" is answered', [['a lô có ai không', ['em đây', '!📌']]]],
  ['"ừ" after a card offers its sections', [['đăng ký khai sinh', ['📌']], ['ừ', ['Đăng ký khai sinh', '#s:l:dang-ky-khai-sinh', '!📌']]]],

  // Places and offices.
  ['a commune named alone gets its office, even by a pre-2025 name', [['tôi ở xã Hòa Tú 1', ['xã Hòa Tú 1 thuộc xã Hòa Tú', '!Lý lịch', '!Có phải']]]],
  ['"thị trấn Mỹ Xuyên ở đâu" gets the ward office', [['thi tran my xuyen o dau', ['Phường Mỹ Xuyên', '!thủ tục nào']]]],
  ['"Phường 10 giờ thuộc xã nào" names the new ward', [['Phường 10 giờ thuộc xã nào', ['Phường 10 thuộc phường Mỹ Xuyên']]]],
  ['"p10 ở đâu" is understood', [['p10 o dau', ['Phường Mỹ Xuyên']]]],
  ['a place asked about right after a card gets that office, not the card\'s "where"', [['làm sổ hồng mất bao lâu', ['ngày làm việc']], ['thi tran my xuyen o dau', ['Phường Mỹ Xuyên', '!Nơi nộp']]]],
  ['a procedure asked for at a place is still the procedure', [['làm khai sinh ở xã Hòa Tú được không', ['ĐĂNG KÝ KHAI SINH']]]],
  ['hours are answered at once, then the office picker', [['sáng thứ 7 có nhận hồ sơ không', ['Giờ làm việc', 'Thứ Hai', '#o:xa-hoa-tu', '!thủ tục nào']]]],
  ['lunch time question gets the hours', [['buổi trưa có làm không', ['Giờ làm việc', '11:00']]]],
  ['"làm việc mấy giờ" gets the hours', [['ubnd xa lam viec may gio', ['Giờ làm việc', '7:00']]]],

  // "mất" means takes with bao lâu / bao nhiêu; lost with bị / làm mất.
  ['"làm sổ hồng mất bao lâu" is the time of a first certificate, not of a lost one', [['làm sổ hồng mất bao lâu', ['Thời hạn', '!do bị mất', '!Phí']]]],
  ['"bị mất sổ đỏ" is the lost-certificate procedure', [['bị mất sổ đỏ làm lại sao', ['bị mất']]]],
  ['"mất bao nhiêu tiền" is the fee', [['khai sinh mất bao nhiêu tiền', ['Phí, lệ phí', '!Thời hạn giải quyết']]]],
  ['"mất mấy ngày" is the time', [['tạm trú mất mấy ngày', ['Thời hạn', '3 ngày làm việc']]]],

  // A procedure and an aspect in one message: that aspect, directly.
  ['"đăng ký tạm trú mất bao lâu" answers 3 working days directly', [['đăng ký tạm trú mất bao lâu', ['Đăng ký tạm trú', '3 ngày làm việc', '!Có phải', '!Giấy tờ cần nộp']]]],
  ['"lệ phí đăng ký thường trú" answers the fee', [['lệ phí đăng ký thường trú', ['Đăng ký thường trú', 'Phí, lệ phí', '!Thời hạn giải quyết']]]],
  ['"khai tử nộp ở đâu" answers the place', [['khai tử nộp ở đâu', ['Nơi nộp', 'khai tử']]]],
  ['"mẫu tờ khai đăng ký kết hôn" answers the forms', [['mẫu tờ khai đăng ký kết hôn', ['Mẫu', 'kết hôn']]]],

  // Follow-ups stay on the current procedure.
  ['copies or originals, after a card', [['đăng ký khai sinh', ['📌']], ['có cần photo không', ['Đăng ký khai sinh', 'bản chính', '!Có phải', '!Chứng thực bản sao']]]],
  ['online submission, after a card', [['đăng ký khai sinh', ['📌']], ['nộp online được không', ['Đăng ký khai sinh', 'trực tuyến', '!chưa tìm thấy']]]],
  ['late registration, after a card', [['đăng ký khai sinh', ['📌']], ['trễ hạn có bị phạt không', ['Đăng ký khai sinh', '60 ngày']]]],
  ['on someone\'s behalf, after a card', [['đăng ký khai sinh', ['📌']], ['ông bà đi làm dùm được không', ['Đăng ký khai sinh', 'ông, bà', '!khai tử']]]],
  ['a follow-up the record cannot answer says so, with the desk, and is logged', [
    ['đăng ký khai sinh', ['📌']],
    ['có cần chụp hình không', ['chưa có thông tin này', 'Đăng ký khai sinh', '#o:xa-hoa-tu', '~']],
  ]],
  ['an aspect without any procedure asks which one and is logged', [['phí bao nhiêu', ['thủ tục nào', '#m:search', '~']]]],
  ['"Có phải…" choices for an unsure question', [['chứng thực', ['Có phải Anh/Chị muốn hỏi', '#p:chung-thuc-ban-sao']]]],

  // Complaints, frustration, a person.
  ['frustration gets an apology and a way to a person', [['bot ngu quá', ['xin lỗi', 'cán bộ', '#o:xa-hoa-tu', '!📌']]]],
  ['"hỏi hoài không hiểu" gets an apology', [['hỏi hoài không hiểu', ['xin lỗi', '!📌']]]],
  ['a complaint about a late dossier gets an apology, dossier lookup and a person, and is logged', [
    ['làm hồ sơ 2 tuần rồi chưa có, tôi muốn khiếu nại', ['rất tiếc', 'mã hồ sơ', '#m:dossier', '#p:giai-quyet-khieu-nai-lan-dau', '~']],
  ]],
  ['asking for a real person', [['cho tôi nói chuyện với người thật', ['cán bộ', 'Thứ Hai', '#o:xa-hoa-tu']]]],
  ['an unknown question gets the fallback with ways forward and is logged', [['con mèo nhà em bị lạc', ['chưa tìm thấy', '#m:fields', '#m:staff', '~']]]],

  // Real messages with a story: the procedure-bearing words decide.
  ['a long story about a birth opens the birth card', [['Chào em. Chị ở Hòa Tú 1, con chị mới sanh được 3 tuần, giờ chị muốn làm giấy khai sanh cho cháu thì cần đem theo giấy gì vậy em?', ['Đăng ký khai sinh', '!Lý lịch']]]],
  ['typos on short syllables', [['cải chín giấy khai sin sai năm sinh của má', ['cải chính']]]],
  ['"baó tử" with a story is the death registration', [['ba em mới mất hôm qua, lam giấy baó tử ở đâu ạ', ['khai tử']]]],
  ['doubled letters', [['xac nhan cu trru bao lau co', ['Xác nhận thông tin về cư trú']]]],

  // Dossier codes however typed, and the second factor.
  ['a code with spaces and lower case', [['hồ sơ 000.00.04.h51 260302 0001 sao rồi', ['N*** V*** A', '!chưa tìm thấy thủ tục', '!~']]]],
  ['a code with letter O for zero', [['000.00.O4.H51-260302-OOO1', ['N*** V*** A']]]],
  ['a code without the agency id', [['hồ sơ 260302-0001 của em sao rồi ạ', ['N*** V*** A', '!chưa tìm thấy thủ tục', '!~']]]],
  ['a code without the agency id and the lookup code in one message', [['260302 0001 K7M2QX', ['Nguyễn Văn An', '!~']]]],
  ['the lookup code in the same message shows the detail', [['000.00.04.H51-260302-0001 K7M2QX', ['Nguyễn Văn An', '!~']]]],
  ['the last 4 phone digits as the next message show the detail', [['000.00.04.H51-260302-0001', ['N*** V*** A']], ['5678', ['Nguyễn Văn An', '!~']]]],
  ['the lookup code as the next message is not logged as a question', [['000.00.04.H51-260302-0001', ['N*** V*** A']], ['mã K7M2QX', ['Nguyễn Văn An', '!~']]]],
]

describe('understanding real messages', () => {
  it.each(flows)('%s', async (_name, steps) => {
    const { core, unanswered } = await makeCore()
    const user = `u${Math.random()}`
    for (const [input, expects] of steps) {
      const before = (await unanswered.list()).total
      const replies = await core.handle({ channel: 'zalo', userId: user, text: input })
      const text = all(replies)
      const logged = (await unanswered.list()).total > before
      for (const e of expects) {
        if (e === '~') expect(logged, `${input} → logged`).toBe(true)
        else if (e === '!~') expect(logged, `${input} → not logged`).toBe(false)
        else if (e.startsWith('!#')) expect(values(replies), `${input} → buttons`).not.toContain(e.slice(2))
        else if (e.startsWith('#')) expect(values(replies), `${input} → buttons`).toContain(e.slice(1))
        else if (e.startsWith('!')) expect(text.toLowerCase(), input).not.toContain(e.slice(1).toLowerCase())
        else expect(text.toLowerCase(), input).toContain(e.toLowerCase())
      }
    }
  })
})

describe('the unanswered log', () => {
  it('keeps tone marks as typed and redacts personal data', async () => {
    const { core, unanswered } = await makeCore()
    await core.handle({ channel: 'zalo', userId: 'p', text: 'con mèo tên Mướp nhà tôi bị lạc, ai thấy gọi 0912 345 678 hoặc báo số 089123456789, mã KH2M7A' })
    const [entry] = (await unanswered.list()).items
    expect(entry?.text).toContain('con mèo tên «tên» nhà tôi')
    expect(entry?.text).toContain('«số điện thoại»')
    expect(entry?.text).toContain('«số»')
    expect(entry?.text).not.toMatch(/0912|089123456789|KH2M7A|Mướp/)
    expect(entry?.reason).toBe('not-found')
  })

  it('redacts dossier codes and names after "tên"', async () => {
    const { core, unanswered } = await makeCore()
    await core.handle({ channel: 'web', userId: 'q', text: 'em tên là Trần Thị Bình, hỏi chuyện con mèo 000.00.04.H51-260302-0099x' })
    const text = (await unanswered.list()).items[0]?.text
    expect(text).toContain('em tên là «tên»')
    expect(text).not.toMatch(/Trần Thị Bình|260302/)
  })

  it('counts the same question typed with and without tone marks together', async () => {
    const { core, unanswered } = await makeCore()
    await core.handle({ channel: 'web', userId: 'r', text: 'nuôi chó cần giấy gì' })
    await core.handle({ channel: 'web', userId: 's', text: 'nuoi cho can giay gi' })
    expect((await unanswered.list()).top[0]).toEqual({ text: 'nuôi chó cần giấy gì', count: 2 })
  })
})
