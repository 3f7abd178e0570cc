// "Hỏi cán bộ" (#inbox, #inbox/<id>): citizens who asked for a person, longest waiting first, the
// conversation with the procedure card and dossier status beside it; claim, reply, one-click card or
// dossier status, close. "Thống kê" (#stats): the desk's weekly measures. DOM calls only (never innerHTML).
const CHANNEL = { telegram: 'Telegram', zalo: 'Zalo', web: 'Web chat' }
const WINDOW = {
  free: 'Zalo: trong 48 giờ kể từ tin nhắn cuối của công dân — trả lời miễn phí.',
  paid: 'Zalo: đã quá 48 giờ — vẫn trả lời được đến hết 7 ngày (tính phí).',
  closed: 'Zalo: đã quá 7 ngày — không gửi tin nhắn được. Vui lòng gọi điện cho công dân.',
  unknown: 'Zalo: chưa rõ lần nhắn cuối của công dân.',
}
const AUTHOR = { citizen: 'Công dân', bot: 'Trợ lý tự động', staff: 'Cán bộ', system: 'Hệ thống' }
const DELIVERY = { pending: 'đang gửi', sent: 'đã gửi', failed: 'không gửi được', undeliverable: 'không gửi được' }

const waited = (m) => m < 60 ? `${m} phút` : m < 1440 ? `${Math.floor(m / 60)} giờ ${m % 60} phút` : `${Math.floor(m / 1440)} ngày ${Math.floor((m % 1440) / 60)} giờ`
let timer

/** Shows the number of tickets waiting for an officer beside the menu entry. */
export async function inboxCount (api) {
  const badge = document.getElementById('inbox-count')
  if (!badge) return
  try {
    const r = await api('GET', '/api/staff/tickets')
    const waiting = r.status === 200 ? r.data.items.filter((t) => t.status === 'open').length : 0
    badge.textContent = waiting > 0 ? String(waiting) : ''
    badge.hidden = waiting === 0
  } catch {}
}

export async function inboxPage (ui, id) {
  clearInterval(timer)
  const { h, api, show } = ui
  const r = await api('GET', '/api/staff/tickets')
  const items = r.status === 200 ? r.data.items : []
  const list = items.length === 0
    ? h('p', { id: 'no-tickets', text: 'Không có yêu cầu nào đang chờ.' })
    : h('ul', { id: 'tickets', class: 'tickets' }, items.map((t) => h('li', { class: t.id === id ? 'active' : '' },
      h('a', { href: `#inbox/${t.id}`, 'data-ticket': t.id },
        h('b', { text: `#${t.id} · ${CHANNEL[t.channel] ?? t.channel} ` }),
        h('span', { class: t.status === 'open' ? 'pill wait' : 'pill', text: t.status === 'open' ? 'Chờ nhận' : `${t.claimedBy} đang xử lý` }),
        h('div', { text: `${t.firstReplyAt ? 'Đã trả lời sau' : 'Đã chờ'} ${waited(t.waitingMinutes)}` }),
        t.procedureTitle ? h('div', { class: 'muted', text: t.procedureTitle }) : null,
        t.lastMessage ? h('div', { class: 'muted', text: t.lastMessage.text.slice(0, 90) }) : null))))
  const pane = h('section', { id: 'ticket', class: 'card' })
  show(h('h1', { text: 'Hỏi cán bộ' }), h('div', { class: 'inbox' }, h('div', {}, list), pane))
  inboxCount(api)
  if (id === undefined || Number.isNaN(id)) {
    pane.append(h('p', { text: 'Chọn một yêu cầu bên trái (người chờ lâu nhất ở trên cùng).' }))
    timer = setInterval(() => { if (location.hash === '#inbox') inboxPage(ui); else clearInterval(timer) }, 15_000)
    return
  }
  await ticketPane(ui, pane, id)
}

async function ticketPane (ui, pane, id) {
  const { h, api, message, fmt } = ui
  const r = await api('GET', `/api/staff/tickets/${id}`)
  if (r.status !== 200) { pane.replaceChildren(message('Không tìm thấy yêu cầu này.')); return }
  const d = r.data
  const t = d.ticket
  const out = h('div', { id: 'ticket-result' })
  const messages = h('div', { id: 'messages', class: 'messages' })
  const renderMessages = (list) => {
    messages.replaceChildren(...list.map((m) => h('div', { class: `line ${m.author}` },
      h('small', { text: `${AUTHOR[m.author] ?? m.author}${m.staff ? ` ${m.staff}` : ''} · ${fmt(new Date(m.at).toISOString())}${m.delivery ? ` · ${DELIVERY[m.delivery] ?? m.delivery}` : ''}` }),
      m.text)))
    messages.scrollTop = messages.scrollHeight
  }
  renderMessages(d.messages)
  const act = async (method, url, body, okText) => {
    const res = await api(method, url, body)
    if (res.status === 200) {
      // The list beside it changes too (status, waiting time).
      await inboxPage(ui, id)
      document.getElementById('ticket')?.prepend(message(okText, 'ok'))
    } else {
      out.replaceChildren(message(res.data.message ?? `Lỗi ${res.status}`))
    }
    return res
  }
  const open = t.status !== 'closed'
  const text = h('textarea', { id: 'reply-text', rows: 3, maxlength: 2000, placeholder: 'Nội dung trả lời công dân', disabled: !open })
  const form = h('form', { id: 'reply-form' }, h('label', { for: 'reply-text', text: 'Trả lời' }), text,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'reply-send', text: 'Gửi', disabled: !open || d.zalo?.canReply === false }),
      t.status === 'open' ? h('button', { type: 'button', class: 'secondary', id: 'claim', text: 'Nhận xử lý', onclick: () => act('POST', `/api/staff/tickets/${id}/claim`, undefined, 'Anh/Chị đã nhận yêu cầu này.') }) : null,
      d.procedure && open ? h('button', { type: 'button', class: 'secondary', id: 'send-card', text: 'Gửi thông tin thủ tục', onclick: () => act('POST', `/api/staff/tickets/${id}/send`, { procedure: d.procedure.id }, 'Đã gửi thông tin thủ tục.') }) : null,
      d.dossier && open ? h('button', { type: 'button', class: 'secondary', id: 'send-dossier', text: 'Gửi tình trạng hồ sơ', onclick: () => act('POST', `/api/staff/tickets/${id}/send`, { dossier: d.dossier.code }, 'Đã gửi tình trạng hồ sơ.') }) : null,
      open ? h('button', { type: 'button', class: 'secondary', id: 'close', text: 'Kết thúc', onclick: () => act('POST', `/api/staff/tickets/${id}/close`, undefined, 'Đã kết thúc. Công dân được hỏi ý kiến về thông tin nhận được.') }) : null),
    out)
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    if (text.value.trim() === '') return
    await act('POST', `/api/staff/tickets/${id}/reply`, { text: text.value }, 'Đã gửi trả lời.')
  })
  const status = t.status === 'open' ? 'Chờ nhận' : t.status === 'claimed' ? `${t.claimedBy} đang xử lý` : `Đã kết thúc (${t.closedBy === 'citizen' ? 'công dân' : t.closedBy})`
  const side = h('aside', {},
    d.zalo ? h('p', { id: 'zalo-window', class: d.zalo.canReply ? 'pill' : 'pill warn', text: WINDOW[d.zalo.window] }) : null,
    d.zalo?.closesAt ? h('p', { class: 'muted', text: `Miễn phí đến ${fmt(new Date(d.zalo.freeUntil).toISOString())}; trả lời được đến ${fmt(new Date(d.zalo.closesAt).toISOString())}.` }) : null,
    d.dossier
      ? h('section', { id: 'ticket-dossier' }, h('h2', { text: 'Hồ sơ' }),
        h('p', {}, h('a', { href: `#hs/${encodeURIComponent(d.dossier.code)}`, class: 'mono', text: d.dossier.code })),
        h('p', { text: d.dossier.procedureTitle }),
        h('p', {}, 'Tình trạng: ', h('span', { class: 'pill', text: d.dossier.statusLabel })),
        h('p', { class: d.dossier.overdue ? 'overdue' : '', text: `Hẹn trả: ${fmt(d.dossier.dueAt)}${d.dossier.overdue ? ' (trễ hẹn)' : ''}` }),
        h('p', { class: 'muted', text: `Điện thoại đăng ký: ${d.dossier.phone}` }))
      : null,
    d.procedure
      ? h('section', { id: 'ticket-procedure' }, h('h2', { text: 'Thủ tục đang hỏi' }), h('div', { class: 'card-text', text: d.procedure.card }))
      : h('p', { class: 'muted', text: 'Công dân chưa xem thủ tục nào.' }))
  pane.replaceChildren(
    h('h2', { text: `Yêu cầu #${t.id} · ${CHANNEL[t.channel] ?? t.channel}` }),
    h('p', {}, h('span', { id: 'ticket-status', class: t.status === 'open' ? 'pill wait' : 'pill', text: status }),
      ` Mở lúc ${fmt(new Date(t.openedAt).toISOString())} · công dân được hẹn trước ${fmt(new Date(t.expectedAt).toISOString())} · ${t.firstReplyAt ? 'đã trả lời sau' : 'đã chờ'} ${waited(t.waitingMinutes)}`),
    h('div', { class: 'ticket-grid' }, h('div', {}, messages, form), side))
  messages.scrollTop = messages.scrollHeight
  clearInterval(timer)
  // New lines from the citizen appear without reloading (the reply being typed is kept).
  timer = setInterval(async () => {
    if (location.hash !== `#inbox/${id}`) { clearInterval(timer); return }
    const again = await api('GET', `/api/staff/tickets/${id}`)
    if (again.status === 200 && again.data.messages.length !== messages.childElementCount) renderMessages(again.data.messages)
  }, 5000)
}

export async function statsPage (ui) {
  clearInterval(timer)
  const { h, api, show } = ui
  const r = await api('GET', '/api/staff/stats?weeks=8')
  const weeks = r.status === 200 ? r.data.weeks : []
  const day = (w) => w.split('-').reverse().join('/')
  const pct = (x) => x === null ? '—' : `${Math.round(x * 100)}%`
  const min = (x) => x === null ? '—' : waited(x)
  const rows = weeks.map((w) => h('tr', {},
    h('td', { text: `Tuần từ ${day(w.week)}` }),
    h('td', { text: String(w.questions) }),
    h('td', { text: `${w.answered} (${pct(w.answeredShare)})` }),
    h('td', { text: `${w.handoffs.opened} (đã trả lời ${w.handoffs.replied}, đang chờ ${w.handoffs.waiting})` }),
    h('td', { text: `${min(w.handoffs.medianWaitMinutes)} (giờ hành chính: ${min(w.handoffs.medianWaitOfficeMinutes)})` }),
    h('td', { text: `👍 ${w.feedback.up} · 👎 ${w.feedback.down}` }),
    h('td', { text: `${w.dossiers.received} / ${w.dossiers.onTime} / ${w.dossiers.late} / ${w.dossiers.apologies}` })))
  const byProcedure = new Map()
  for (const w of weeks) {
    for (const p of w.feedback.byProcedure) {
      const x = byProcedure.get(p.title) ?? { title: p.title, up: 0, down: 0 }
      x.up += p.up
      x.down += p.down
      byProcedure.set(p.title, x)
    }
  }
  show(h('h1', { text: 'Thống kê' }),
    h('table', { id: 'stats' },
      h('thead', {}, h('tr', {}, ['Tuần', 'Câu hỏi', 'Trả lời được', 'Gặp cán bộ', 'Chờ trả lời (trung vị)', 'Giúp không phải đi lại?', 'Hồ sơ nhận / đúng hẹn / trễ hẹn / thư xin lỗi'].map((x) => h('th', { text: x })))),
      h('tbody', {}, rows)),
    h('h2', { text: '👍/👎 theo thủ tục (8 tuần)' }),
    byProcedure.size === 0
      ? h('p', { text: 'Chưa có ý kiến nào.' })
      : h('table', { id: 'stats-procedures' }, h('tbody', {}, [...byProcedure.values()].sort((a, b) => (b.up + b.down) - (a.up + a.down)).map((p) =>
        h('tr', {}, h('td', { text: p.title }), h('td', { text: `👍 ${p.up}` }), h('td', { text: `👎 ${p.down}` }))))))
}
