import Holidays from 'date-holidays'
import { describe, expect, it } from 'vitest'
import { loadHolidays } from '../../src/dossiers/holidays.ts'
import { hungKingsDate, lastDayOfChap, lunarToSolar, tetDate } from '../../src/dossiers/lunar.ts'

// date-holidays (test-only dependency) is the independent, well-kept reference for the lunar dates.
const reference = new Holidays('VN')
function referenceDate (year: number, name: string): string {
  const h = reference.getHolidays(year).find((x) => x.name === name)
  if (h === undefined) throw new Error(`date-holidays has no "${name}" in ${year}`)
  return h.date.slice(0, 10)
}

describe('lunar calendar (UTC+7)', () => {
  it.each([2026, 2027, 2028, 2029, 2030])('%i: Tết and Giỗ Tổ agree with date-holidays', (year) => {
    expect(tetDate(year)).toBe(referenceDate(year, 'Tết Nguyên Đán'))
    expect(hungKingsDate(year)).toBe(referenceDate(year, 'Giỗ tổ Hùng Vương'))
    expect(lunarToSolar(15, 8, year)).toBe(referenceDate(year, 'Tết Trung thu'))
  })

  it('knows well-known dates', () => {
    expect(tetDate(2026)).toBe('2026-02-17')
    expect(tetDate(2027)).toBe('2027-02-06')
    expect(hungKingsDate(2027)).toBe('2027-04-16')
    expect(lastDayOfChap(2024)).toBe(30) // 9/2/2024 was 30 Tết
    expect(lastDayOfChap(2027)).toBe(29)
  })
})

describe('holiday files follow the lunar calendar', () => {
  const years = loadHolidays('data/holidays')
  const weekday = (d: string): number => new Date(`${d}T00:00:00Z`).getUTCDay()
  const addDays = (d: string, n: number): string => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

  it.each([2026, 2027])('%i lists every weekday of Tết (last day of tháng Chạp to mùng 4) and Giỗ Tổ or its observed day', (year) => {
    const y = years.find((x) => x.year === year)!
    const off = new Set(y.holidays.map((h) => h.date))
    const tet = tetDate(year)
    for (let i = -1; i <= 3; i++) {
      const d = addDays(tet, i)
      if (![0, 6].includes(weekday(d))) expect(off.has(d), d).toBe(true)
    }
    const gio = hungKingsDate(year)
    const observed = weekday(gio) === 0 ? addDays(gio, 1) : weekday(gio) === 6 ? addDays(gio, 2) : gio
    expect(off.has(observed), observed).toBe(true)
  })
})
