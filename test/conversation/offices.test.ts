import { describe, expect, it } from 'vitest'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import type { Reply } from '../../src/conversation/types.ts'
import { testCore } from '../helpers/core.ts'

const catalogue = loadCatalogue('data')
const now = (): number => Date.UTC(2026, 11, 2, 3, 0)
const text = (r: Reply[]): string => r.map((x) => x.text).join('\n')

async function ask (message: string): Promise<Reply[]> {
  return testCore(now).handle({ channel: 'web', userId: 'o', text: message })
}

describe('offices', () => {
  it('says both meanings of the ambiguous "xã Thạnh Quới" and offers the Mỹ Xuyên one', async () => {
    const r = await ask('địa chỉ ủy ban xã Thạnh Quới')
    expect(text(r)).toContain('xã Thạnh Quới cũ của huyện Mỹ Xuyên, từ 01/7/2025 thuộc xã Gia Hòa')
    expect(text(r)).toContain('xã Thạnh Quới mới thành lập năm 2025')
    expect(r.flatMap((x) => x.buttons ?? []).map((b) => b.value)).toContain('o:xa-gia-hoa')
  })

  it('resolves "xã Thạnh Quới, huyện Mỹ Xuyên" to xã Gia Hòa', async () => {
    expect(text(await ask('địa chỉ ủy ban xã Thạnh Quới huyện Mỹ Xuyên'))).toContain('xã Thạnh Quới thuộc xã Gia Hòa')
  })

  it('never shows a placeholder as a fact, and shows sourced values with source and date', () => {
    for (const u of catalogue.offices.units) {
      for (const o of u.offices) {
        expect(`${o.address} ${o.phone} ${o.hours}`, o.name).not.toMatch(/cần xác nhận|chờ địa phương|chưa cập nhật/i)
        if (o.toBeConfirmed.length === 0) expect(o.sources.length, o.name).toBeGreaterThan(0)
      }
    }
  })

  it('states plainly what is not known', async () => {
    const t = text(await ask('địa chỉ ủy ban xã Hòa Tú'))
    expect(t).toContain('Điện thoại: em chưa có số điện thoại công bố')
    expect(t).not.toContain('Chưa có số điện thoại công bố')
  })
})
