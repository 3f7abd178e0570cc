import { describe, expect, it } from 'vitest'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { followUpText } from '../../src/conversation/follow-ups.ts'

const catalogue = loadCatalogue('data')

describe('follow-up answers from the record', () => {
  it('say each thing once: a shorter line another line already says is left out', () => {
    const text = followUpText(catalogue.byId.get('dang-ky-khai-sinh')!, 'late')!
    const lines = text.split('\n').filter((l) => l.startsWith('• '))
    expect(lines.filter((l) => /miễn lệ phí/i.test(l))).toHaveLength(1)
    expect(text).toContain('60 ngày')
    expect(text).toContain('quá hạn')
  })

  it('every record answers its follow-ups without a repeated line', () => {
    for (const p of catalogue.procedures) {
      for (const topic of ['copies', 'online', 'late', 'proxy'] as const) {
        const lines = (followUpText(p, topic) ?? '').split('\n').filter((l) => l.startsWith('• '))
        expect(new Set(lines).size, `${p.id} ${topic}`).toBe(lines.length)
      }
    }
  })
})
