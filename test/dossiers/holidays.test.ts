import { describe, expect, it } from 'vitest'
import { checkHolidayYear, loadHolidays, type HolidayYear } from '../../src/dossiers/holidays.ts'

describe('holiday data', () => {
  const years = loadHolidays('data/holidays')

  it('ships 2025, 2026 and 2027', () => {
    expect(years.map((y) => y.year)).toEqual(expect.arrayContaining([2025, 2026, 2027]))
  })

  it.each([2025, 2026, 2027])('%i has New Year, Tết, 30/4 and National Day', (year) => {
    const y = years.find((x) => x.year === year)
    const dates = new Set(y?.holidays.map((h) => h.date))
    expect(dates.has(`${year}-01-01`)).toBe(true)
    expect(dates.has(`${year}-04-30`)).toBe(true)
    expect(dates.has(`${year}-09-02`)).toBe(true)
    expect(y?.holidays.filter((h) => h.name.startsWith('Tết Nguyên đán')).length).toBeGreaterThanOrEqual(5)
  })

  it('2026 matches the announced days', () => {
    const y = years.find((x) => x.year === 2026)
    expect(y?.status).toBe('official')
    expect(y?.holidays.map((h) => h.date)).toEqual(['2026-01-01', '2026-01-02', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19',
      '2026-02-20', '2026-04-27', '2026-04-30', '2026-05-01', '2026-08-31', '2026-09-01', '2026-09-02'])
    // Official swaps: Friday 2/1 for Saturday 10/1 (12729/VPCP-KGVX), Monday 31/8 for Saturday 22/8.
    expect(y?.workingWeekends.map((h) => h.date)).toEqual(['2026-01-10', '2026-08-22'])
  })

  it('rejects a holiday recorded on a weekend instead of its observed day', () => {
    const bad: HolidayYear = { year: 2026, status: 'verify', source: 'x', verifiedAt: null, holidays: [{ date: '2026-04-26', name: 'Giỗ Tổ' }], workingWeekends: [] }
    expect(checkHolidayYear(bad)).toEqual([expect.stringContaining('falls on a weekend')])
  })
})
