import { describe, expect, it } from 'vitest'
import { MAX_BUTTON_VALUE_BYTES } from '../../src/conversation/types.ts'
import { extractDossierCode, MAX_CODE_LENGTH } from '../../src/dossiers/code.ts'
import { renderDetail, renderNotification, renderPublicView } from '../../src/dossiers/messages.ts'
import { nextStepText } from '../../src/dossiers/next-step.ts'
import { formatVnDateTime } from '../../src/dossiers/time.ts'
import type { DetailView, PublicView, StatusCode } from '../../src/dossiers/types.ts'

const LONG_CODE = 'ABCDEFG.ABCDEFGH.ABCDEF-200221-000001'
const view = (over: Partial<PublicView> = {}): PublicView => ({
  code: '000.00.04.H51-260302-0001',
  procedure: { id: 'dang-ky-tam-tru', title: 'Đăng ký tạm trú' },
  receivedAt: '2026-03-02T09:00:00+07:00',
  dueAt: '2026-03-05T09:00:00+07:00',
  status: 4,
  statusLabel: 'Đang xử lý',
  overdue: false,
  dueSoon: false,
  nextStep: 'Hồ sơ đang được giải quyết.',
  applicant: 'N*** V*** A',
  ...over,
})
const office = { place: 'Trung tâm Phục vụ hành chính công nơi Anh/Chị đã nộp hồ sơ', hours: 'Thứ Hai – Thứ Sáu: sáng 7:00–11:00, chiều 13:00–17:00', fee: '15.000 đồng' }
const step = (status: StatusCode, over: Record<string, unknown> = {}): string =>
  nextStepText({ status, dueAt: '2026-03-05T09:00:00+07:00', overdue: false, ...over }, office)

describe('dates for Vietnamese readers', () => {
  it('formats 15:00 on Friday 20 February 2026', () => {
    expect(formatVnDateTime(new Date('2026-02-20T08:00:00Z'))).toBe('15:00 thứ Sáu, 20/02/2026')
  })
})

describe('next step per status', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as StatusCode[])('status %i has a polite next step', (s) => {
    expect(step(s)).toMatch(/Anh\/Chị/)
  })

  it('status 5 says which documents, where, and until when', () => {
    const text = step(5, { missingDocuments: ['Giấy xác nhận cư trú', 'Ảnh 4x6'], respondBy: '2026-03-10T17:00:00+07:00' })
    expect(text).toContain('Anh/Chị cần bổ sung: Giấy xác nhận cư trú; Ảnh 4x6.')
    expect(text).toContain(office.place)
    expect(text).toContain('trước 17:00 thứ Ba, 10/03/2026')
  })

  it('status 6 says what to pay and where', () => {
    expect(step(6)).toMatch(/nộp phí, lệ phí.*Cổng Dịch vụ công.*15\.000 đồng/)
  })

  it('status 9 says to bring the receipt and ID card, with office hours', () => {
    expect(step(9)).toContain('mang giấy tiếp nhận hồ sơ và căn cước')
    expect(step(9)).toContain('7:00–11:00')
  })

  it('a late dossier starts with an apology and the new date', () => {
    expect(step(4, { overdue: true, apology: { newDueAt: '2026-03-10T17:00:00+07:00' } }))
      .toMatch(/^Chúng tôi thành thật xin lỗi .* Ngày hẹn trả mới: 17:00 thứ Ba, 10\/03\/2026\./)
    expect(step(4, { overdue: true })).toMatch(/^Chúng tôi thành thật xin lỗi vì hồ sơ đã quá hẹn trả/)
  })
})

describe('replies', () => {
  it('offers «Nhận thông báo khi có thay đổi» and «Xem chi tiết» after a public view', () => {
    expect(renderPublicView(view()).buttons).toEqual([
      { label: 'Nhận thông báo khi có thay đổi', value: 'ds:000.00.04.H51-260302-0001' },
      { label: 'Xem chi tiết', value: 'dv:000.00.04.H51-260302-0001' },
    ])
  })

  it('offers «Hủy nhận thông báo» when already subscribed', () => {
    expect(renderPublicView(view(), { subscribed: true }).buttons?.[0]).toEqual({ label: 'Hủy nhận thông báo', value: 'du:000.00.04.H51-260302-0001' })
  })

  it('keeps button values within 40 bytes for the longest recognisable code', () => {
    expect(extractDossierCode(LONG_CODE)).toBe(LONG_CODE)
    expect(LONG_CODE).toHaveLength(MAX_CODE_LENGTH)
    const reply = renderPublicView(view({ code: LONG_CODE }))
    for (const b of reply.buttons ?? []) expect(Buffer.byteLength(b.value)).toBeLessThanOrEqual(MAX_BUTTON_VALUE_BYTES)
  })

  it('shows the lateness next to the status', () => {
    expect(renderPublicView(view({ overdue: true })).text).toContain('Tình trạng: Đang xử lý — trễ hẹn')
    expect(renderPublicView(view({ dueSoon: true })).text).toContain('sắp đến hẹn trả')
  })

  it('lists documents to add and the history in the detail', () => {
    const { apology: _none, ...base } = view({ status: 5, statusLabel: 'Yêu cầu bổ sung giấy tờ' })
    const detail: DetailView = {
      ...base,
      applicantName: 'Nguyễn Văn An',
      history: [{ at: '2026-03-02T09:00:00+07:00', status: 2 }, { at: '2026-03-03T10:30:00+07:00', status: 5, note: 'Thiếu giấy xác nhận' }],
      missingDocuments: ['Giấy xác nhận cư trú'],
    }
    const text = renderDetail(detail).text
    expect(text).toContain('• Giấy xác nhận cư trú')
    expect(text).toContain('• 10:30 03/03/2026: Yêu cầu bổ sung giấy tờ — Thiếu giấy xác nhận')
  })

  it('a notification to an unverified subscriber offers the details and unsubscribing', () => {
    expect(renderNotification(view()).buttons?.map((b) => b.label)).toEqual(['Xem chi tiết', 'Hủy nhận thông báo'])
  })
})
