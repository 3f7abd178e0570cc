import { describe, expect, it } from 'vitest'
import type { TimeLimit } from '../../src/dossiers/calendar.ts'
import { toVnIso } from '../../src/dossiers/time.ts'
import { realCalendar } from './helpers.ts'

const cal = realCalendar()
const at = (iso: string): Date => new Date(iso)
const due = (received: string, limit: TimeLimit): string => toVnIso(cal.dueDate(at(received), limit))

describe('working days', () => {
  it.each([
    ['2026-02-16T10:00:00+07:00', false, 'Tết 2026 (29 tháng Chạp)'],
    ['2026-02-20T10:00:00+07:00', false, 'Tết 2026 (mùng 4)'],
    ['2026-02-23T10:00:00+07:00', true, 'first Monday after Tết 2026'],
    ['2026-04-26T10:00:00+07:00', false, 'Giỗ Tổ 2026 falls on a Sunday'],
    ['2026-04-27T10:00:00+07:00', false, '…and is taken on Monday 27/4'],
    ['2027-05-03T10:00:00+07:00', false, '1/5/2027 is a Saturday: Monday 3/5 off'],
    ['2025-04-26T10:00:00+07:00', true, 'Saturday 26/4/2025 worked in exchange for 2/5'],
    ['2025-05-02T10:00:00+07:00', false, 'Friday 2/5/2025 swapped'],
    ['2026-03-07T10:00:00+07:00', false, 'an ordinary Saturday'],
    ['2026-03-06T23:30:00+07:00', true, 'Friday 23:30 local is still Friday (UTC says 16:30)'],
    ['2026-03-06T17:30:00Z', false, '17:30 UTC Friday is Saturday 00:30 in Vietnam'],
  ])('%s is a working day: %s (%s)', (iso, expected) => {
    expect(cal.isWorkingDay(at(iso))).toBe(expected)
  })

  it.each([
    ['2026-01-02T10:00:00+07:00', false, 'Friday 2/1/2026 swapped for Saturday 10/1'],
    ['2026-01-10T10:00:00+07:00', true, 'Saturday 10/1/2026 worked'],
    ['2026-08-22T10:00:00+07:00', true, 'Saturday 22/8/2026 worked'],
    ['2026-08-31T10:00:00+07:00', false, 'Monday 31/8/2026 swapped'],
  ])('2026 swap: %s is a working day: %s (%s)', (iso, expected) => {
    expect(cal.isWorkingDay(at(iso))).toBe(expected)
  })

  it('counts the National Day 2026 swap: 3 working days from Friday 28/08/2026 10:00 ends Monday 07/09/2026', () => {
    expect(due('2026-08-28T10:00:00+07:00', { value: 3, unit: 'working-days' })).toMatch(/^2026-09-07T/)
  })

  it('names the holiday', () => {
    expect(cal.holidayName(at('2026-02-17T08:00:00+07:00'))).toBe('Tết Nguyên đán')
  })
})

describe('due dates', () => {
  it.each<[string, string, TimeLimit, string]>([
    ['3 working days over Tết 2026', '2026-02-13T10:00:00+07:00', { value: 3, unit: 'working-days' }, '2026-02-25T10:00:00+07:00'],
    ['2 working days over the observed Giỗ Tổ', '2026-04-24T09:00:00+07:00', { value: 2, unit: 'working-days' }, '2026-04-29T09:00:00+07:00'],
    ['same day, received before the 15:00 cut-off', '2026-03-05T14:59:00+07:00', { value: 0, unit: 'same-day', cutoff: '15:00' }, '2026-03-05T17:00:00+07:00'],
    ['same day, received at 15:30 → next working day', '2026-03-05T15:30:00+07:00', { value: 0, unit: 'same-day', cutoff: '15:00' }, '2026-03-06T17:00:00+07:00'],
    ['same day, Friday 15:30 before Tết → after Tết', '2026-02-13T15:30:00+07:00', { value: 0, unit: 'same-day', cutoff: '15:00' }, '2026-02-23T17:00:00+07:00'],
    ['same day, received on a Saturday', '2026-03-07T09:00:00+07:00', { value: 0, unit: 'same-day' }, '2026-03-09T17:00:00+07:00'],
    ['5 calendar days ending on a Sunday → Monday', '2026-04-28T10:00:00+07:00', { value: 5, unit: 'days' }, '2026-05-04T17:00:00+07:00'],
    ['5 working days from the same start', '2026-04-28T10:00:00+07:00', { value: 5, unit: 'working-days' }, '2026-05-07T10:00:00+07:00'],
    ['8 hours across a night and a lunch break', '2026-03-02T15:00:00+07:00', { value: 8, unit: 'hours' }, '2026-03-03T15:00:00+07:00'],
    ['4 hours skip the lunch break', '2026-03-02T10:00:00+07:00', { value: 4, unit: 'hours' }, '2026-03-02T16:00:00+07:00'],
    ['received on Saturday: 3 working days end Wednesday evening', '2026-03-07T10:00:00+07:00', { value: 3, unit: 'working-days' }, '2026-03-11T17:00:00+07:00'],
    ['received after closing time counts from the next morning', '2026-03-02T18:00:00+07:00', { value: 1, unit: 'working-days' }, '2026-03-03T17:00:00+07:00'],
    ['1 month, end of month clamped, rolled past the weekend', '2026-01-30T10:00:00+07:00', { value: 1, unit: 'months' }, '2026-03-02T17:00:00+07:00'],
    ['half a working day is 4 office hours', '2026-03-02T09:00:00+07:00', { value: 0.5, unit: 'working-days' }, '2026-03-02T15:00:00+07:00'],
  ])('%s', (_name, received, limit, expected) => {
    expect(due(received, limit)).toBe(expected)
  })

  it('counts 30 calendar days and 30 working days differently', () => {
    const start = '2026-03-02T09:00:00+07:00'
    expect(due(start, { value: 30, unit: 'days' })).toBe('2026-04-01T17:00:00+07:00')
    expect(due(start, { value: 30, unit: 'working-days' })).toBe('2026-04-13T09:00:00+07:00')
  })

  it('counts office minutes across a weekend, Tết and the lunch break', () => {
    expect(cal.workingMinutesBetween(at('2026-02-13T16:00:00+07:00'), at('2026-02-23T08:00:00+07:00'))).toBe(120)
    expect(cal.workingMinutesBetween(at('2026-03-02T10:00:00+07:00'), at('2026-03-02T14:00:00+07:00'))).toBe(120)
  })

  it('one working day from a Friday afternoon before Tết is the Monday after', () => {
    expect(toVnIso(cal.addWorkingDays(at('2026-02-13T16:00:00+07:00'), 1))).toBe('2026-02-23T16:00:00+07:00')
  })
})
