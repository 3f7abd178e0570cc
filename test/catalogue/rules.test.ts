import { describe, expect, it } from 'vitest'
import { HEDGE_PATTERNS } from '../../src/catalogue/audit.ts'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { loadLexicon } from '../../src/catalogue/lexicon.ts'
import { addDays, factsOn, vnDate } from '../../src/catalogue/rules.ts'
import { procedureSchema, type Procedure } from '../../src/catalogue/schema.ts'
import { createProcedureSearch } from '../../src/catalogue/search.ts'
import { dropRepeats, feeText, renderCard, timeText } from '../../src/conversation/card.ts'
import { createConversation } from '../../src/conversation/core.ts'
import { createMemoryStateStore } from '../../src/conversation/state.ts'
import { createMemoryUnansweredLog } from '../../src/conversation/unanswered.ts'
import { testCore } from '../helpers/core.ts'

const catalogue = loadCatalogue('data')
const card = catalogue.byId.get('cap-doi-cap-lai-the-can-cuoc')!
const VNEID = 'tài khoản định danh điện tử mức 2'

describe('dates', () => {
  it('uses the Vietnam date (UTC+7)', () => {
    expect(vnDate(Date.UTC(2026, 11, 31, 16, 59))).toBe('2026-12-31')
    expect(vnDate(Date.UTC(2026, 11, 31, 17, 0))).toBe('2027-01-01')
    expect(addDays('2027-01-30', 30)).toBe('2027-03-01')
  })
})

describe('ID-card fee: 50% until 31/12/2026 (TT 64/2025)', () => {
  it('shows the halved fee on 31/12/2026 and announces the full fee', () => {
    const t = feeText(card, { today: '2026-12-31' })
    expect(t).toContain('25.000 đồng')
    expect(t).toContain('Từ 01/01/2027, lệ phí là cấp đổi: 50.000 đồng/thẻ; cấp lại: 70.000 đồng/thẻ')
  })

  it('shows the full fee from 01/01/2027, without the halved one', () => {
    const t = feeText(card, { today: '2027-01-01' })
    expect(t).toContain('50.000 đồng/thẻ')
    expect(t).not.toContain('25.000')
    expect(t).not.toContain('Từ 01/01/2027')
  })

  it('announces the change only within 30 days', () => {
    expect(feeText(card, { today: '2026-12-01' })).not.toContain('Từ 01/01/2027')
    expect(feeText(card, { today: '2026-12-02' })).toContain('Từ 01/01/2027')
  })
})

describe('TT 117/2026 waiver for level-2 VNeID holders, 15/08/2026 – 28/02/2027', () => {
  it('is an extra line with its condition only while in force', () => {
    expect(feeText(card, { today: '2026-08-14' })).not.toMatch(/Miễn lệ phí cấp đổi, cấp lại thẻ căn cước \(đến hết/)
    expect(feeText(card, { today: '2026-08-14' })).toContain('Từ 15/08/2026')
    for (const d of ['2026-08-15', '2027-02-28']) {
      const t = feeText(card, { today: d })
      expect(t).toContain(VNEID)
      expect(t).toContain('Miễn lệ phí cấp đổi, cấp lại thẻ căn cước (đến hết 28/02/2027)')
    }
    expect(feeText(card, { today: '2027-03-01' })).not.toContain(VNEID)
  })

  it('announces its end within 30 days', () => {
    expect(feeText(card, { today: '2027-01-29' })).not.toContain('Từ 01/03/2027')
    expect(feeText(card, { today: '2027-01-30' })).toContain('Từ 01/03/2027, ưu đãi cho công dân có tài khoản')
  })

  it('applies to residence fees and the 8.000 đ extract copy as well', () => {
    for (const id of ['dang-ky-thuong-tru', 'dang-ky-tam-tru', 'cap-ban-sao-trich-luc-ho-tich']) {
      const p = catalogue.byId.get(id)!
      expect(feeText(p, { today: '2026-12-02' }), id).toContain(VNEID)
      expect(feeText(p, { today: '2027-03-01' }), id).not.toContain(VNEID)
    }
  })
})

describe('time rules and channel rules (synthetic record)', () => {
  const base = catalogue.byId.get('dang-ky-thuong-tru')!
  const p: Procedure = procedureSchema.parse({
    ...structuredClone(base),
    rules: [
      { id: 'ngan-hon', kind: 'time', from: '2027-03-01', time: { value: 3, unit: 'working-days' }, sourceUrl: 'https://example.gov.vn/a' },
      { id: 'truc-tuyen-mien', kind: 'fee', channel: 'online', to: '2026-12-31', fee: { amount: 0, text: 'Miễn lệ phí', setByProvince: false }, sourceUrl: 'https://example.gov.vn/b' },
    ],
  })

  it('replaces the time limit from its first day and announces it before', () => {
    expect(timeText(p, { today: '2027-02-28' })).toContain('7 ngày làm việc')
    expect(timeText(p, { today: '2027-02-28' })).toContain('Từ 01/03/2027, thời hạn là 3 ngày làm việc.')
    expect(timeText(p, { today: '2027-03-01' })).toContain('3 ngày làm việc')
    expect(timeText(p, { today: '2027-03-01' })).not.toContain('7 ngày')
  })

  it('changes only its channel', () => {
    const on = factsOn(p, '2026-12-31')
    expect(on.channels.find((c) => c.channel === 'online')!.fee.text).toBe('Miễn lệ phí')
    expect(on.channels.find((c) => c.channel === 'direct')!.fee.amount).toBe(20000)
    expect(feeText(p, { today: '2026-12-31' })).toContain('Từ 01/01/2027, lệ phí là 10.000 đồng/lần đăng ký (nộp trực tuyến). (nộp trực tuyến)')
    expect(factsOn(p, '2027-01-01').channels.find((c) => c.channel === 'online')!.fee.amount).toBe(10000)
  })
})

describe('cards without hedges or repeats', () => {
  it('leaves out an unverified fact and sends the citizen to the desk once', () => {
    // Every shipped record now has a time source; take one away to reach the "no source" path.
    const base = catalogue.byId.get('chuyen-truong-hoc-sinh-trung-hoc-co-so')!
    const p = procedureSchema.parse({ ...structuredClone(base), sources: base.sources.filter((s) => !s.covers.includes('time')) })
    expect(p.review?.status).toBe('unverifiable')
    const text = renderCard(p, undefined, { today: '2026-12-02' }).map((r) => r.text).join('\n')
    expect(text.match(/Anh\/Chị hỏi cán bộ một cửa để biết thời hạn giải quyết hiện hành/g)).toHaveLength(1)
    expect(text).not.toMatch(/1 ngày làm việc/)
  })

  it('shows the sourced time of the lower-secondary school transfer with its source', () => {
    const p = catalogue.byId.get('chuyen-truong-hoc-sinh-trung-hoc-co-so')!
    const t = timeText(p, { today: '2026-12-02' })
    expect(t).toContain('1 ngày làm việc')
    expect(t).toMatch(/\(theo .*2\.002481.*Ninh Bình, truy cập 02\/12\/2026\)/)
    expect(t).not.toContain('hỏi cán bộ một cửa')
  })

  it('shows an unverifiable fact with its source and date', () => {
    const p = catalogue.byId.get('dang-ky-bien-dong-chuyen-nhuong-tang-cho')!
    expect(timeText(p, { today: '2026-12-02' })).toMatch(/\(theo .+Cổng Dịch vụ công quốc gia, 20\/07\/2026\)/)
  })

  it('drops repeated lines and bullets restating earlier text', () => {
    expect(dropRepeats('A:\n• Không thu phí, lệ phí\n\nLưu ý:\n• Không thu phí.\n\nX\nX')).toBe('A:\n• Không thu phí, lệ phí\n\nX')
  })

  it('prints no card with a repeated line, and no hedge in any audited card', () => {
    for (const p of catalogue.procedures) {
      const text = renderCard(p, undefined, { today: '2026-12-02' }).map((r) => r.text).join('\n')
      const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '')
      expect(new Set(lines).size, p.id).toBe(lines.length)
      if (p.review !== undefined) {
        for (const re of HEDGE_PATTERNS) expect(text, p.id).not.toMatch(re)
      }
    }
  })
})

describe('the conversation shows what applies on the day asked', () => {
  it('uses its clock on both sides of midnight 31/12/2026 (Vietnam time)', async () => {
    let clock = Date.UTC(2026, 11, 31, 16, 59)
    const now = (): number => clock
    const core = testCore(now)
    const ask = async (): Promise<string> => (await core.handle({ channel: 'web', userId: 'u', action: 's:l:cap-doi-cap-lai-the-can-cuoc' }))
      .map((r) => r.text).join('\n')
    expect(await ask()).toContain('25.000')
    clock = Date.UTC(2026, 11, 31, 17, 0)
    const after = await ask()
    expect(after).toContain('50.000')
    expect(after).not.toContain('25.000')
  })
})

describe('the desk contact', () => {
  it('names the receiving office and its published phone when a fact is left out', async () => {
    const base = catalogue.byId.get('dang-ky-dong-cap-the-bhyt-chi-tham-gia-bhyt')!
    const p = procedureSchema.parse({ ...structuredClone(base), office: 'city-centre', sources: [], review: { status: 'unverifiable', notes: [] } })
    const procedures = catalogue.procedures.map((x) => (x.id === p.id ? p : x))
    const cat = { ...catalogue, procedures, byId: new Map(procedures.map((x) => [x.id, x])) }
    const now = (): number => Date.UTC(2026, 11, 2, 3, 0)
    const core = createConversation({
      catalogue: cat,
      search: createProcedureSearch(cat.procedures, loadLexicon('data')),
      states: createMemoryStateStore(now),
      unanswered: createMemoryUnansweredLog(now),
      now,
    })
    const text = (await core.handle({ channel: 'web', userId: 'd', action: `s:t:${p.id}` })).map((r) => r.text).join('\n')
    expect(text).toContain('Anh/Chị hỏi cán bộ một cửa để biết thời hạn giải quyết hiện hành (Trung tâm Phục vụ hành chính công thành phố Cần Thơ, điện thoại 0292 3817 696).')
  })
})
