import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCalendar } from '../../src/dossiers/calendar.ts'
import { loadHolidays } from '../../src/dossiers/holidays.ts'
import { answerEta } from '../../src/handoff/eta.ts'
import { etaText } from '../../src/conversation/intents/handoff.ts'
import { recentWeeks, weekOf } from '../../src/handoff/weeks.ts'

const calendar = createCalendar(loadHolidays(join('data', 'holidays')))
const at = (local: string): number => Date.parse(`${local}+07:00`)
const say = (local: string): string => etaText(answerEta(calendar, at(local)), at(local))

describe('when an officer will answer (office hours and the working-day calendar)', () => {
  it.each([
    ['2026-12-08T10:15:00', 'Cán bộ đang trong giờ làm việc, dự kiến trả lời Anh/Chị trước 14:30 hôm nay.'],
    ['2026-12-08T08:00:00', 'Cán bộ đang trong giờ làm việc, dự kiến trả lời Anh/Chị trước 10:00 hôm nay.'],
    ['2026-12-08T11:30:00', 'Bây giờ là giờ nghỉ trưa, nên cán bộ sẽ trả lời trong giờ làm việc, dự kiến trước 15:00 hôm nay.'],
    ['2026-12-08T06:30:00', 'Bây giờ là ngoài giờ làm việc, nên cán bộ sẽ trả lời trong giờ làm việc, dự kiến trước 9:00 hôm nay.'],
    ['2026-12-08T16:30:00', 'Cán bộ đang trong giờ làm việc, dự kiến trả lời Anh/Chị trước 8:30 thứ Tư, 09/12/2026.'],
    ['2026-12-08T21:00:00', 'Bây giờ là ngoài giờ làm việc, nên cán bộ sẽ trả lời trong giờ làm việc, dự kiến trước 9:00 thứ Tư, 09/12/2026.'],
    ['2026-12-05T20:00:00', 'Hôm nay là ngày nghỉ cuối tuần, nên cán bộ sẽ trả lời trong giờ làm việc, dự kiến trước 9:00 thứ Hai, 07/12/2026.'],
  ])('%s → %s', (local, expected) => {
    expect(say(local)).toBe(expected)
  })

  it('names the public holiday and skips every day off (Tết 2026: 16–20 February)', () => {
    const text = say('2026-02-17T09:00:00')
    expect(text).toMatch(/^Hôm nay là ngày nghỉ lễ \(.*Tết.*\), nên cán bộ sẽ trả lời trong giờ làm việc, dự kiến trước 9:00 thứ Hai, 23\/02\/2026\.$/)
  })

  it('counts a Saturday worked in exchange as a working day (10 January 2026)', () => {
    expect(answerEta(calendar, at('2026-01-10T08:00:00'))).toMatchObject({ inHours: true, weekend: false, expectedAt: at('2026-01-10T10:00:00') })
  })
})

describe('weeks of the statistics', () => {
  it('start on Monday, Vietnam time', () => {
    expect(weekOf(at('2026-12-06T23:59:00'))).toBe('2026-11-30')
    expect(weekOf(at('2026-12-07T00:00:00'))).toBe('2026-12-07')
    expect(weekOf(Date.parse('2026-12-06T17:30:00Z'))).toBe('2026-12-07')
    expect(recentWeeks(at('2026-12-09T10:00:00'), 3)).toEqual(['2026-12-07', '2026-11-30', '2026-11-23'])
  })
})
