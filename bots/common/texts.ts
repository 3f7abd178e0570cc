/** Vietnamese texts the channel adapters send on their own, without asking the conversation core. */
export const TEXTS = {
  /** Answer to photos, stickers, voice notes, files, locations … */
  textOnly: 'Dạ, hiện em chỉ đọc được tin nhắn chữ. Anh/Chị vui lòng gõ câu hỏi bằng chữ, ví dụ: "làm căn cước cho con" hoặc "đăng ký khai sinh".',
  /** Sent when the core failed on a message. */
  apology: 'Xin lỗi Anh/Chị, hệ thống đang gặp sự cố. Anh/Chị vui lòng thử lại sau ít phút.',
  /** Placeholder text for a reply that has buttons but no text (both platforms need a text). */
  chooseBelow: 'Mời Anh/Chị chọn:',
  /** Heading of the numbered list of choices when a platform cannot show them all as buttons. */
  typeNumber: 'Anh/Chị gõ số thứ tự để chọn:',
} as const
