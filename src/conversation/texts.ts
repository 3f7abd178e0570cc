import type { Button } from './types.ts'

/** Vietnamese texts of the dialogue. Short, polite (Anh/Chị), readable on a phone. */
export const T = {
  greeting: 'Xin chào Anh/Chị! Em là trợ lý Trợ giúp thân thiện của Trung tâm Phục vụ hành chính công. Em có thể giúp:\n' +
    '• Tra cứu thủ tục: cần giấy tờ gì, lệ phí, thời hạn, nộp ở đâu\n' +
    '• Tra cứu tình trạng hồ sơ đã nộp (theo mã trên giấy hẹn)\n' +
    '• Giờ làm việc, địa chỉ, số điện thoại\n\n' +
    'Anh/Chị cứ gõ câu hỏi, ví dụ: "làm giấy khai sinh", "sổ đỏ", "chứng thực bản sao".',
  help: 'Anh/Chị có thể gõ tự nhiên, có dấu hay không dấu đều được, ví dụ:\n' +
    '• "làm giấy khai sinh cho con"\n• "đăng ký tạm trú cần gì"\n• "phí bao nhiêu?" (sau khi xem một thủ tục)\n' +
    '• Mã hồ sơ trên giấy hẹn, ví dụ 000.00.04.H51-200221-0001\n\nHoặc chọn một mục bên dưới.',
  emptyText: 'Dạ, Anh/Chị chưa nhập nội dung. Anh/Chị gõ tên thủ tục hoặc câu hỏi giúp em nhé, ví dụ "đăng ký kết hôn".',
  tooLong: 'Dạ, tin nhắn hơi dài nên em chỉ đọc phần đầu. Anh/Chị hỏi ngắn gọn giúp em để em trả lời chính xác hơn nhé.',
  askSearch: 'Anh/Chị gõ tên thủ tục hoặc việc cần làm giúp em, ví dụ: "làm căn cước", "đăng ký thường trú", "xin giấy phép xây dựng".',
  askDossier: 'Anh/Chị gõ mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả giúp em (ví dụ: 000.00.04.H51-200221-0001).',
  choose: 'Em tìm thấy một số thủ tục gần giống. Anh/Chị chọn đúng thủ tục cần làm giúp em (hoặc gõ số thứ tự):',
  notFound: 'Dạ, em chưa tìm thấy thủ tục phù hợp với câu hỏi này. Em đã ghi lại để cán bộ bổ sung.\n' +
    'Anh/Chị thử gõ ngắn gọn tên việc cần làm (ví dụ "khai sinh", "sổ đỏ"), chọn lĩnh vực, hoặc liên hệ cán bộ một cửa:',
  noCurrent: 'Anh/Chị đang hỏi về thủ tục nào ạ? Anh/Chị gõ tên thủ tục giúp em, ví dụ "phí đăng ký tạm trú".',
  badChoice: 'Dạ, em không thấy lựa chọn này trong danh sách vừa rồi. Anh/Chị bấm nút hoặc gõ lại tên thủ tục giúp em.',
  thanks: 'Dạ, không có chi ạ! Chúc Anh/Chị làm thủ tục thuận lợi. Cần gì Anh/Chị cứ nhắn em nhé.',
  bye: 'Dạ, chào Anh/Chị! Khi cần Anh/Chị cứ nhắn em nhé.',
  fields: 'Các lĩnh vực thủ tục. Anh/Chị chọn một lĩnh vực:',
  offices: 'Anh/Chị chọn xã/phường để xem địa chỉ, giờ làm việc và số điện thoại:',
  staff: 'Dạ, Anh/Chị có thể gặp trực tiếp cán bộ bộ phận một cửa (Trung tâm Phục vụ hành chính công xã/phường) trong giờ làm việc:',
  dossierUnavailable: 'Dạ, em nhận ra mã hồ sơ nhưng chức năng tra cứu hồ sơ chưa sẵn sàng. Anh/Chị vui lòng liên hệ bộ phận một cửa để được hỗ trợ:',
  unknownAction: 'Dạ, nút này đã cũ hoặc không còn hiệu lực. Anh/Chị chọn lại trong menu giúp em nhé.',
  didYouMean: 'Có phải Anh/Chị muốn hỏi một trong các thủ tục sau? Anh/Chị bấm chọn (hoặc gõ số thứ tự) giúp em:',
  otherChoices: 'Nếu Anh/Chị hỏi thủ tục khác, bấm chọn bên dưới:',
  smallTalk: 'Dạ, em đây ạ. Anh/Chị cần hỏi thủ tục gì, hay tra cứu hồ sơ đã nộp, cứ nhắn em nhé.',
  smallTalkCard: (title: string): string => `Dạ vâng ạ. Anh/Chị cần em nói rõ thêm phần nào của thủ tục «${title}» thì bấm nút bên dưới, hoặc hỏi em thủ tục khác nhé.`,
  frustrated: 'Dạ, em xin lỗi vì chưa hiểu đúng ý Anh/Chị. Anh/Chị thử gõ ngắn gọn tên việc cần làm (ví dụ "khai sinh", "sổ đỏ"), hoặc gặp trực tiếp cán bộ một cửa:',
  complaint: 'Dạ, em rất tiếc vì việc của Anh/Chị chưa được giải quyết như mong đợi. Anh/Chị gửi mã hồ sơ in trên giấy hẹn để em tra cứu ngay, hoặc gặp trực tiếp cán bộ một cửa:',
  complaintFormal: 'Nếu muốn khiếu nại chính thức, Anh/Chị xem thủ tục «Giải quyết khiếu nại lần đầu».',
  noInfo: (title: string): string => `Dạ, em chưa có thông tin này cho thủ tục «${title}». Em đã ghi lại để cán bộ bổ sung. Anh/Chị hỏi trực tiếp cán bộ một cửa giúp em:`,
  hoursHead: '🕐 Giờ làm việc của bộ phận một cửa (Trung tâm Phục vụ hành chính công) các xã/phường:',
  hoursWeekend: 'Thứ Bảy, Chủ nhật và ngày lễ không tiếp nhận trực tiếp (trừ ngày làm bù theo lịch của Nhà nước). Anh/Chị có thể nộp hồ sơ trực tuyến bất cứ lúc nào trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn).',
  pickOffice: 'Anh/Chị chọn xã/phường để xem địa chỉ và số điện thoại:',
  unknownAddress: '(em chưa có số nhà, tên đường chính xác; Anh/Chị hỏi thêm tại địa phương)',
  unknownPhone: 'em chưa có số điện thoại công bố của đơn vị này; Anh/Chị đến trực tiếp trong giờ làm việc',
  unknownHours: '(giờ hành chính thông thường; em chưa có lịch riêng của đơn vị)',
  whichOne: 'Nếu Anh/Chị hỏi nơi thuộc Mỹ Xuyên cũ, mời bấm nút bên dưới; với nơi khác, em chưa có thông tin.',
  // Talking to a person (issue 13).
  handoffOpened: 'Dạ, em đã chuyển yêu cầu của Anh/Chị cho cán bộ một cửa.',
  handoffAgain: 'Dạ, yêu cầu gặp cán bộ của Anh/Chị đã được ghi nhận.',
  handoffClaimed: 'Cán bộ đang xử lý yêu cầu của Anh/Chị và sẽ trả lời tại đây.',
  handoffMeanwhile: 'Anh/Chị cứ nhắn nội dung cần hỏi, cán bộ sẽ trả lời ngay trong cuộc trò chuyện này. Trong lúc chờ, em vẫn trả lời mã hồ sơ và câu hỏi thủ tục. Khi không cần nữa, Anh/Chị gõ «kết thúc».',
  handoffUrgent: 'Nếu cần gấp:',
  forwarded: '📨 Em đã chuyển tin nhắn cho cán bộ.',
  botMark: '🤖 Trợ lý tự động trả lời (cán bộ vẫn đọc được tin nhắn của Anh/Chị):',
  staffMark: '👤 Cán bộ một cửa:',
  ticketEnded: 'Dạ, em đã kết thúc cuộc trò chuyện với cán bộ. Em tiếp tục hỗ trợ Anh/Chị; khi cần gặp cán bộ, Anh/Chị bấm «Gặp cán bộ».',
  ticketClosedByStaff: 'Cán bộ đã kết thúc cuộc trò chuyện. Em (trợ lý tự động) tiếp tục hỗ trợ Anh/Chị; khi cần gặp cán bộ lần nữa, Anh/Chị bấm «Gặp cán bộ».',
  offerHandoff: 'Dạ, em chưa giúp được Anh/Chị. Anh/Chị có muốn nhắn trực tiếp cho cán bộ một cửa không?',
  staffOffer: 'Anh/Chị cũng có thể nhắn cho cán bộ ngay tại đây.',
  survey: 'Thông tin này có giúp Anh/Chị không phải đi lại không?',
  surveyUp: 'Dạ, em cảm ơn Anh/Chị! Nếu muốn, Anh/Chị gõ thêm góp ý (không bắt buộc).',
  surveyDown: 'Dạ, em xin lỗi vì thông tin chưa giúp được Anh/Chị. Anh/Chị gõ góp ý để cán bộ bổ sung (không bắt buộc), hoặc nhắn trực tiếp cho cán bộ.',
  surveyDone: 'Dạ, em đã ghi nhận ý kiến của Anh/Chị rồi ạ. Cảm ơn Anh/Chị!',
  surveySkip: 'Dạ vâng ạ. Anh/Chị cần hỏi gì thêm cứ nhắn em nhé.',
  commentThanks: 'Dạ, em đã ghi nhận góp ý và chuyển cho cán bộ. Cảm ơn Anh/Chị!',
  noPhoneDesks: (who: string): string => `${who} chưa công bố số điện thoại; Anh/Chị đến trực tiếp trong giờ làm việc`,
  otherDesks: 'Các nơi khác chưa công bố số điện thoại; Anh/Chị đến trực tiếp trong giờ làm việc',
}

/** Buttons of the handoff. */
export const HANDOFF_BUTTONS = {
  end: { label: 'Kết thúc', value: 'h:end' },
  open: { label: '👤 Nhắn cán bộ', value: 'h:open' },
  afterFailures: { label: '👤 Nhắn cán bộ', value: 'h:open:f' },
  afterComplaint: { label: '👤 Nhắn cán bộ', value: 'h:open:c' },
  skip: { label: 'Bỏ qua', value: 'fb:skip' },
} as const satisfies Record<string, Button>

/** The main menu buttons. */
export const MENU: Button[] = [
  { label: '🔎 Tra cứu thủ tục', value: 'm:search' },
  { label: '📂 Thủ tục theo lĩnh vực', value: 'm:fields' },
  { label: '📋 Tra cứu hồ sơ', value: 'm:dossier' },
  { label: '🏛 Giờ làm việc, địa chỉ', value: 'm:office' },
  { label: '👤 Gặp cán bộ', value: 'm:staff' },
]

/** Topics the commune centre does not handle, and where to go instead. Matched on folded text. */
export const OUT_OF_SCOPE: Array<{ words: string[], text: string }> = [
  { words: ['ly hon', 'ly di', 'bo chong', 'bo vo'], text: 'Dạ, việc ly hôn do Tòa án nhân dân khu vực giải quyết, không làm tại xã/phường. Anh/Chị nộp đơn tại Tòa án nơi vợ hoặc chồng cư trú.' },
  { words: ['hoc lai xe', 'thi bang lai', 'thi lai xe', 'hoc bang lai'], text: 'Dạ, học và thi giấy phép lái xe do các cơ sở đào tạo lái xe tổ chức, không làm tại xã/phường. (Nếu cần đổi giấy phép lái xe, Anh/Chị gõ "đổi giấy phép lái xe".)' },
  { words: ['nop thue', 'quyet toan thue', 'thue thu nhap', 'ma so thue', 'thue online'], text: 'Dạ, việc thuế do cơ quan thuế giải quyết. Anh/Chị dùng ứng dụng eTax Mobile hoặc trang thuedientu.gdt.gov.vn, hoặc đến cơ quan thuế gần nhất.' },
  { words: ['tim viec', 'xin viec', 'viec lam them', 'tuyen dung'], text: 'Dạ, để tìm việc làm Anh/Chị liên hệ Trung tâm Dịch vụ việc làm thành phố Cần Thơ. (Nếu mất việc và cần trợ cấp, Anh/Chị gõ "trợ cấp thất nghiệp".)' },
  { words: ['ho chieu'], text: 'Dạ, hộ chiếu do Phòng Quản lý xuất nhập cảnh Công an thành phố cấp; Anh/Chị có thể nộp trực tuyến trên Cổng Dịch vụ công quốc gia.' },
]
