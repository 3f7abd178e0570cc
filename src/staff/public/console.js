// The staff console (/staff): sign-in, "Hôm nay", "Tiếp nhận", "Thông báo", "Hồ sơ", "Câu hỏi chưa trả lời",
// "Nhập CSV", "Nhật ký". Renders with DOM calls only (never innerHTML with data).
import { inboxCount, inboxPage, statsPage } from './inbox.js'

const app = document.getElementById('app')
const nav = document.getElementById('nav')
const who = document.getElementById('who')
const logoutButton = document.getElementById('logout')
let csrf = ''

const STATUS = { 1: 'Mới đăng ký', 2: 'Được tiếp nhận', 3: 'Không được tiếp nhận', 4: 'Đang xử lý', 5: 'Yêu cầu bổ sung giấy tờ', 6: 'Yêu cầu thực hiện nghĩa vụ tài chính', 7: 'Công dân yêu cầu rút hồ sơ', 8: 'Dừng xử lý', 9: 'Đã xử lý xong', 10: 'Đã trả kết quả' }

function h (tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v)
    else if (k === 'text') el.textContent = v
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c))
  return el
}

async function api (method, url, body, isForm = false) {
  const headers = {}
  if (method !== 'GET') headers['x-csrf-token'] = csrf
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json'
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : isForm ? body : JSON.stringify(body), credentials: 'same-origin' })
  const type = res.headers.get('content-type') ?? ''
  const data = type.includes('json') ? await res.json() : await res.text()
  if (res.status === 401 && !url.endsWith('/login')) { showLogin(); throw new Error('Cần đăng nhập') }
  return { status: res.status, data }
}

const fmt = (iso) => iso ? new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : ''
const toLocalInput = (iso) => {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000)
  return d.toISOString().slice(0, 16)
}
const fromLocalInput = (v) => v ? `${v}:00+07:00` : undefined
const message = (text, cls = 'error') => h('p', { class: cls, role: cls === 'error' ? 'alert' : 'status', text })
const vnd = (n) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`
const ROUTES = { zalo: 'Zalo', 'zalo-phone': 'Zalo (tin mẫu tới số điện thoại)', telegram: 'Telegram', web: 'Web chat', terminal: 'Thử nghiệm' }
const CONSENT_LABEL = 'Công dân đồng ý nhận thông báo qua Zalo (tin mẫu, có tính phí cho cơ quan) tại số điện thoại đã đăng ký'

function show (...nodes) { app.replaceChildren(...nodes) }

function showLogin (error) {
  nav.hidden = true
  logoutButton.hidden = true
  who.textContent = ''
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true })
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })
  const out = h('div')
  if (error) out.append(message(error))
  const form = h('form', { class: 'card', id: 'login' },
    h('h1', { text: 'Đăng nhập quầy một cửa' }),
    h('label', { for: 'username', text: 'Tên đăng nhập' }), user,
    h('label', { for: 'password', text: 'Mật khẩu' }), pass,
    h('p', {}, h('button', { type: 'submit', text: 'Đăng nhập' })), out)
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const r = await api('POST', '/api/staff/login', { username: user.value, password: pass.value })
    if (r.status === 200) { csrf = r.data.csrfToken; signedIn(r.data); return }
    out.replaceChildren(message(r.status === 429 ? 'Sai mật khẩu quá nhiều lần. Vui lòng thử lại sau 15 phút.' : 'Tên đăng nhập hoặc mật khẩu không đúng.'))
  })
  show(form)
}

function signedIn (session) {
  nav.hidden = false
  logoutButton.hidden = false
  who.textContent = `${session.username} (${session.role === 'admin' ? 'quản trị' : 'cán bộ'})`
  inboxCount(api)
  route()
}

logoutButton.addEventListener('click', async () => {
  await api('POST', '/api/staff/logout')
  csrf = ''
  location.hash = ''
  showLogin()
})

function dossierTable (items) {
  if (items.length === 0) return h('p', { text: 'Không có hồ sơ nào.' })
  return h('table', { id: 'dossiers' },
    h('thead', {}, h('tr', {}, ['Mã hồ sơ', 'Người nộp', 'Thủ tục', 'Ngày nhận', 'Hẹn trả', 'Tình trạng'].map((t) => h('th', { text: t })))),
    h('tbody', {}, items.map((d) => h('tr', {},
      h('td', {}, h('a', { href: `#hs/${encodeURIComponent(d.code)}`, class: 'mono', text: d.code })),
      h('td', { text: `${d.applicantName} · ${d.phone}` }),
      h('td', { text: d.procedure.title }),
      h('td', { text: fmt(d.receivedAt) }),
      h('td', { class: d.overdue ? 'overdue' : '', text: fmt(d.dueAt) + (d.overdue ? ' (trễ hẹn)' : '') }),
      h('td', { text: d.statusLabel })))))
}

async function today () {
  const q = h('input', { id: 'q', placeholder: 'Mã hồ sơ, tên hoặc số điện thoại', type: 'search' })
  const filter = h('select', { id: 'filter' },
    h('option', { value: '', text: 'Tất cả hồ sơ' }),
    h('option', { value: 'received=today', text: 'Nhận hôm nay' }),
    h('option', { value: 'due=today', text: 'Hẹn trả hôm nay' }),
    h('option', { value: 'due=tomorrow', text: 'Hẹn trả ngày làm việc tới' }),
    h('option', { value: 'due=overdue', text: 'Trễ hẹn' }),
    h('option', { value: 'status=5,6', text: 'Chờ công dân bổ sung' }))
  const list = h('div')
  const load = async () => {
    const params = new URLSearchParams(filter.value)
    if (q.value.trim() !== '') params.set('q', q.value.trim())
    const r = await api('GET', `/api/staff/dossiers?${params}`)
    list.replaceChildren(h('p', { text: `${r.data.total} hồ sơ` }), dossierTable(r.data.items))
  }
  const form = h('form', { class: 'card row', id: 'find' }, h('div', {}, h('label', { for: 'q', text: 'Tìm' }), q), h('div', {}, h('label', { for: 'filter', text: 'Lọc' }), filter), h('div', {}, h('button', { type: 'submit', text: 'Tìm' })))
  form.addEventListener('submit', (e) => { e.preventDefault(); load() })
  filter.addEventListener('change', load)
  show(h('h1', { text: 'Hôm nay' }), form, list)
  await load()
}

async function receive () {
  const code = h('input', { id: 'code', required: true, placeholder: 'VD: 000.00.04.H51-261202-0001' })
  const search = h('input', { id: 'procedure-search', type: 'search', placeholder: 'Tên thủ tục hoặc mã thủ tục quốc gia (VD: khai sinh, 1.001193)' })
  const choices = h('div', { class: 'choices', id: 'procedures' })
  const name = h('input', { id: 'name', required: true, autocomplete: 'off' })
  const phone = h('input', { id: 'phone', required: true, inputmode: 'tel', autocomplete: 'off' })
  const received = h('input', { id: 'received', type: 'datetime-local', value: toLocalInput(new Date().toISOString()) })
  const due = h('input', { id: 'due', type: 'datetime-local' })
  const consent = h('input', { id: 'receive-zalo-consent', type: 'checkbox' })
  const out = h('div', { id: 'result' })
  let procedure = ''
  const propose = async () => {
    if (procedure === '') return
    const r = await api('GET', `/api/staff/due?procedure=${encodeURIComponent(procedure)}&receivedAt=${encodeURIComponent(fromLocalInput(received.value) ?? '')}`)
    if (r.status === 200) due.value = toLocalInput(r.data.dueAt)
  }
  let timer
  search.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      const r = await api('GET', `/api/staff/procedures?q=${encodeURIComponent(search.value)}`)
      choices.replaceChildren(...r.data.items.map((p) => {
        const radio = h('input', { type: 'radio', name: 'procedure', value: p.id })
        radio.addEventListener('change', () => { procedure = p.id; propose() })
        return h('label', {}, radio, `${p.title}${p.code ? ` (${p.code})` : ''}`)
      }))
      if (r.data.items.length === 0) choices.replaceChildren(h('p', { text: 'Không tìm thấy thủ tục. Thử từ khác.' }))
    }, 250)
  })
  received.addEventListener('change', propose)
  const form = h('form', { class: 'card', id: 'receive' },
    h('label', { for: 'code', text: 'Mã hồ sơ (từ phần mềm một cửa)' }), code,
    h('label', { for: 'procedure-search', text: 'Thủ tục' }), search, choices,
    h('div', { class: 'row' }, h('div', {}, h('label', { for: 'name', text: 'Họ tên người nộp' }), name), h('div', {}, h('label', { for: 'phone', text: 'Số điện thoại' }), phone)),
    h('div', { class: 'row' }, h('div', {}, h('label', { for: 'received', text: 'Ngày nhận' }), received), h('div', {}, h('label', { for: 'due', text: 'Hẹn trả (đề xuất theo ngày làm việc, có thể sửa)' }), due)),
    h('label', { class: 'check', for: 'receive-zalo-consent' }, consent, CONSENT_LABEL),
    h('p', {}, h('button', { type: 'submit', text: 'Tiếp nhận' })), out)
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    if (procedure === '') { out.replaceChildren(message('Vui lòng chọn thủ tục.')); return }
    const body = { procedure, applicantName: name.value, phone: phone.value, receivedAt: fromLocalInput(received.value), status: 2, ...(due.value ? { dueAt: fromLocalInput(due.value) } : {}), ...(consent.checked ? { zaloConsent: true } : {}) }
    const r = await api('PUT', `/api/staff/dossiers/${encodeURIComponent(code.value.trim())}`, body)
    if (r.status === 200 || r.status === 201) {
      out.replaceChildren(h('p', { class: 'ok', role: 'status' }, `Đã tiếp nhận hồ sơ ${r.data.code}. Mã tra cứu: `, h('b', { id: 'lookup', text: r.data.lookupCode }), `. Hẹn trả: ${fmt(r.data.dueAt)}. `),
        h('p', {}, h('a', { id: 'slip-link', href: `/staff/dossiers/${encodeURIComponent(r.data.code)}/slip`, text: 'In phiếu theo dõi' }), ' · ', h('a', { href: `#hs/${encodeURIComponent(r.data.code)}`, text: 'Xem hồ sơ' })))
    } else {
      out.replaceChildren(message(`Không lưu được: ${r.data.message ?? r.status}`))
    }
  })
  show(h('h1', { text: 'Tiếp nhận hồ sơ' }), form)
}

async function dossier (code) {
  const r = await api('GET', `/api/staff/dossiers/${encodeURIComponent(code)}`)
  if (r.status !== 200) { show(h('h1', { text: 'Hồ sơ' }), message('Không tìm thấy hồ sơ.')); return }
  const d = r.data
  const status = h('select', { id: 'status' }, Object.entries(STATUS).map(([k, v]) => h('option', { value: k, text: `${k}. ${v}`, selected: Number(k) === d.status })))
  const note = h('textarea', { id: 'note', rows: 2, placeholder: 'Ghi chú gửi công dân (không bắt buộc)' })
  const missing = h('textarea', { id: 'missing', rows: 3, placeholder: 'Mỗi dòng một giấy tờ (khi yêu cầu bổ sung)' })
  const newDue = h('input', { id: 'new-due', type: 'datetime-local' })
  const out = h('div', { id: 'status-result' })
  const form = h('form', { class: 'card', id: 'status-form' },
    h('h2', { text: 'Đổi tình trạng' }),
    h('label', { for: 'status', text: 'Tình trạng' }), status,
    h('label', { for: 'note', text: 'Ghi chú / lý do' }), note,
    h('label', { for: 'missing', text: 'Giấy tờ cần bổ sung' }), missing,
    h('label', { for: 'new-due', text: 'Xin lỗi và hẹn lại ngày (lý do ghi ở ô Ghi chú)' }), newDue,
    h('p', {}, h('button', { type: 'submit', text: 'Lưu và thông báo' })), out)
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const body = { status: Number(status.value) }
    if (note.value.trim()) body.note = note.value.trim()
    const docs = missing.value.split('\n').map((s) => s.trim()).filter(Boolean)
    if (docs.length > 0) body.missingDocuments = docs
    if (newDue.value) body.newDueAt = fromLocalInput(newDue.value)
    const s = await api('POST', `/api/staff/dossiers/${encodeURIComponent(d.code)}/status`, body)
    if (s.status === 200) { await dossier(d.code); app.prepend(message('Đã lưu. Công dân đăng ký nhận tin sẽ được thông báo.', 'ok')) } else out.replaceChildren(message(`Không lưu được: ${s.data.message ?? s.status}`))
  })
  const n = d.notifications
  const consent = h('input', { id: 'zalo-consent', type: 'checkbox', checked: n.deskConsent !== null })
  const consentState = h('span', { id: 'zalo-consent-state', class: 'muted', text: n.deskConsent ? `Ghi nhận ${fmt(n.deskConsent.at)} (${n.deskConsent.staff})` : '' })
  consent.addEventListener('change', async () => {
    const r = await api('POST', `/api/staff/dossiers/${encodeURIComponent(d.code)}/zalo-consent`, { consent: consent.checked })
    if (r.status !== 200) { consent.checked = !consent.checked; consentState.textContent = 'Không lưu được.'; return }
    consentState.textContent = r.data.deskConsent ? `Đã ghi nhận đồng ý ${fmt(r.data.deskConsent.at)} (${r.data.deskConsent.staff})` : 'Đã ghi nhận công dân không đồng ý.'
  })
  const who = (s) => `${ROUTES[s.channel] ?? s.channel}${s.verified ? ' (đã xác minh)' : ''}${s.templateConsent ? ', đồng ý tin mẫu' : ''}`
  show(
    h('h1', {}, 'Hồ sơ ', h('span', { class: 'mono', text: d.code })),
    h('section', { class: 'card', id: 'detail' },
      h('p', {}, h('b', { text: d.procedure.title })),
      h('p', { text: `Người nộp: ${d.applicantName} · ${d.phone}` }),
      h('p', {}, 'Mã tra cứu: ', h('b', { class: 'mono', id: 'detail-lookup', text: d.lookupCode })),
      h('p', { text: `Ngày nhận: ${fmt(d.receivedAt)} · Hẹn trả: ${fmt(d.dueAt)}${d.overdue ? ' (trễ hẹn)' : ''}` }),
      h('p', {}, 'Tình trạng: ', h('span', { class: 'pill', id: 'detail-status', text: d.statusLabel })),
      d.missingDocuments.length > 0 ? h('p', { text: `Cần bổ sung: ${d.missingDocuments.join('; ')}` }) : null,
      h('p', {}, h('a', { href: `/staff/dossiers/${encodeURIComponent(d.code)}/slip`, text: 'In phiếu theo dõi' }))),
    form,
    h('section', { class: 'card' }, h('h2', { text: 'Lịch sử' }),
      h('table', {}, h('tbody', {}, d.history.map((e) => h('tr', {}, h('td', { text: fmt(e.at) }), h('td', { text: e.label ?? STATUS[e.status] }), h('td', { text: e.note ?? '' })))))),
    h('section', { class: 'card', id: 'notifications' }, h('h2', { text: 'Thông báo' }),
      h('p', { text: n.subscribers.length === 0 ? 'Chưa ai đăng ký nhận thông báo.' : `Đăng ký nhận tin: ${n.subscribers.map(who).join('; ')}` }),
      h('label', { class: 'check', for: 'zalo-consent' }, consent, CONSENT_LABEL), consentState,
      n.undelivered.length === 0 ? h('p', { text: 'Không có thông báo nào bị lỗi.' }) : h('div', {}, h('p', { class: 'error', text: 'Không gửi được (vui lòng gọi điện cho công dân):' }), h('ul', {}, n.undelivered.map((u) => h('li', { text: `${ROUTES[u.to] ?? u.channel}: ${u.reasonText || u.reason || u.status}` }))))))
}

function usageCard (t) {
  if (t === null) return h('section', { class: 'card', id: 'template-usage' }, h('h2', { text: 'Tin mẫu Zalo' }), h('p', { text: 'Chưa cấu hình tin mẫu Zalo (ZBS): sau 7 ngày công dân không nhắn, thông báo qua Zalo không gửi được.' }))
  const [year, month] = t.month.split('-')
  const share = t.budgetVnd > 0 ? Math.min(100, Math.round(t.costVnd * 100 / t.budgetVnd)) : 100
  return h('section', { class: 'card', id: 'template-usage' },
    h('h2', { text: `Tin mẫu Zalo tháng ${month}/${year}` }),
    h('p', {}, h('b', { id: 'usage-count', text: `${t.count} tin` }), ' · chi phí ', h('b', { id: 'usage-cost', text: vnd(t.costVnd) }), ` / ngân sách ${vnd(t.budgetVnd)} (${share}%)`),
    h('p', { id: 'usage-today', text: `Hôm nay: ${t.dayCount}/${t.dailyLimit} tin${t.zalo ? ` · Zalo báo còn ${t.zalo.remainingQuota}/${t.zalo.dailyQuota} tin trong ngày` : ''}` }),
    h('p', { class: 'muted', text: `Đơn giá: ${vnd(t.unitPriceVnd)}/tin qua số điện thoại, ${vnd(t.uidUnitPriceVnd)}/tin qua tài khoản Zalo.` }))
}

function noticeTable (id, items, last) {
  if (items.length === 0) return h('p', { id, text: last === 'queued' ? 'Không có thông báo nào đang chờ.' : 'Không có thông báo nào bị lỗi.' })
  return h('table', { id },
    h('thead', {}, h('tr', {}, ['Hồ sơ', 'Người nộp', 'Điện thoại', 'Gửi qua', 'Lý do', last === 'queued' ? 'Gửi lại lúc' : 'Lúc'].map((t) => h('th', { text: t })))),
    h('tbody', {}, items.map((i) => h('tr', {},
      h('td', {}, i.code ? h('a', { href: `#hs/${encodeURIComponent(i.code)}`, class: 'mono', text: i.code }) : ''),
      h('td', { text: i.applicantName ?? '' }),
      h('td', {}, i.phone ? h('a', { href: `tel:${i.phone}`, text: i.phone }) : ''),
      h('td', { text: ROUTES[i.to] ?? i.to }),
      h('td', { text: i.reasonText || i.reason || '' }),
      h('td', { text: fmt(last === 'queued' ? i.nextAttemptAt : i.at) })))))
}

async function notifications () {
  const [bad, queued] = await Promise.all([api('GET', '/api/staff/notifications?status=undeliverable'), api('GET', '/api/staff/notifications?status=queued')])
  if (bad.status !== 200 || queued.status !== 200) { show(h('h1', { text: 'Thông báo' }), message('Không tải được danh sách.')); return }
  show(h('h1', { text: 'Thông báo' }),
    usageCard(bad.data.templates),
    h('section', { class: 'card' }, h('h2', { text: 'Không gửi được — vui lòng gọi điện cho công dân' }), noticeTable('undeliverable', bad.data.items, 'undeliverable')),
    h('section', { class: 'card' }, h('h2', { text: 'Đang chờ gửi' }), noticeTable('queued', queued.data.items, 'queued')))
}

async function unanswered () {
  const r = await api('GET', '/api/staff/unanswered/groups')
  const aliases = await api('GET', '/api/staff/aliases')
  const rows = (r.status === 200 ? r.data.items : []).map((g) => {
    const search = h('input', { type: 'search', placeholder: 'Tìm thủ tục', 'aria-label': 'Tìm thủ tục' })
    const pick = h('select', { 'aria-label': 'Thủ tục' }, h('option', { value: '', text: '— chọn thủ tục —' }))
    search.addEventListener('change', async () => {
      const p = await api('GET', `/api/staff/procedures?q=${encodeURIComponent(search.value)}`)
      pick.replaceChildren(...p.data.items.map((x) => h('option', { value: x.id, text: x.title })))
    })
    const out = h('span')
    const attach = h('button', { type: 'button', text: 'Gắn vào thủ tục' })
    attach.addEventListener('click', async () => {
      if (!pick.value) return
      const a = await api('POST', '/api/staff/aliases', { procedure: pick.value, phrase: g.text })
      out.replaceChildren(a.status === 201 || a.status === 200 ? message('Đã gắn. Trợ lý hiểu câu này từ bây giờ.', 'ok') : message(a.data.message ?? 'Lỗi'))
    })
    const off = h('button', { type: 'button', class: 'secondary', text: 'Không liên quan' })
    off.addEventListener('click', async () => {
      const a = await api('POST', '/api/staff/unanswered/off-topic', { text: g.text })
      out.replaceChildren(a.status === 200 ? message('Đã đánh dấu không liên quan.', 'ok') : message('Lỗi'))
    })
    return h('tr', {}, h('td', { text: g.text }), h('td', { text: String(g.count) }), h('td', { text: g.reason ?? '' }), h('td', {}, search, pick, attach, ' ', off, out))
  })
  const aliasRows = (aliases.status === 200 ? aliases.data.items : []).map((a) => {
    const del = h('button', { type: 'button', class: 'secondary', text: 'Xoá' })
    del.addEventListener('click', async () => { await api('DELETE', `/api/staff/aliases/${a.id}`); unanswered() })
    return h('tr', {}, h('td', { text: a.phrase }), h('td', { text: a.procedureTitle ?? a.procedure }), h('td', { text: a.addedBy }), h('td', {}, del))
  })
  show(h('h1', { text: 'Câu hỏi chưa trả lời' }),
    rows.length === 0 ? h('p', { text: 'Chưa có câu hỏi nào.' }) : h('table', { id: 'unanswered' }, h('thead', {}, h('tr', {}, ['Câu hỏi', 'Số lần', 'Lý do', ''].map((t) => h('th', { text: t })))), h('tbody', {}, rows)),
    h('h2', { text: 'Cụm từ đã dạy trợ lý' }),
    h('table', { id: 'aliases' }, h('tbody', {}, aliasRows)))
}

function downloadLink (rows) {
  const csv = '\uFEFFcode,lookupCode\r\n' + rows.map((r) => `${r.code},${r.lookupCode}`).join('\r\n') + '\r\n'
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  return h('a', { id: 'download', href: url, download: 'ma-tra-cuu.csv', text: `Tải danh sách mã hồ sơ và mã tra cứu (${rows.length} hồ sơ, CSV)` })
}

async function importPage () {
  const file = h('input', { id: 'csv', type: 'file', accept: '.csv,text/csv', required: true })
  const out = h('div', { id: 'import-result' })
  const send = async (dryRun) => {
    if (!file.files[0]) return
    const form = new FormData()
    form.append('file', file.files[0])
    const r = await api('POST', `/api/staff/dossiers/import-file?dryRun=${dryRun ? '1' : '0'}`, form, true)
    if (r.status !== 200) { out.replaceChildren(message(r.data.message ?? 'Lỗi')); return }
    const d = r.data
    out.replaceChildren(
      h('p', { class: 'ok', role: 'status', text: `${dryRun ? 'Thử: ' : 'Đã nhập: '}${d.imported} hồ sơ mới, ${d.updated} cập nhật, ${d.errors.length} lỗi.` }),
      ...(d.duplicates ?? []).map((x) => h('p', { text: `Mã ${x.code} xuất hiện ${x.lines.length} lần (dòng ${x.lines.join(', ')}): dùng dòng cuối.` })),
      d.errors.length > 0 ? h('ul', { id: 'import-errors' }, d.errors.map((e) => h('li', { class: 'error', text: `Dòng ${e.line}: ${e.message}` }))) : null,
      !dryRun && d.dossiers.length > 0 ? h('p', {}, downloadLink(d.dossiers)) : null)
  }
  const preview = h('button', { type: 'button', class: 'secondary', text: 'Xem trước (không lưu)' })
  preview.addEventListener('click', () => send(true))
  const form = h('form', { class: 'card', id: 'import' }, h('label', { for: 'csv', text: 'Tệp CSV từ phần mềm một cửa' }), file, h('p', {}, preview, ' ', h('button', { type: 'submit', text: 'Nhập' })), out)
  form.addEventListener('submit', (e) => { e.preventDefault(); send(false) })
  show(h('h1', { text: 'Nhập CSV' }), form)
}

async function audit () {
  const staff = h('input', { id: 'audit-staff', placeholder: 'Cán bộ' })
  const action = h('input', { id: 'audit-action', placeholder: 'Thao tác (login, login-failed, status …)' })
  const day = h('input', { id: 'audit-day', type: 'date' })
  const list = h('div')
  const load = async () => {
    const p = new URLSearchParams({ limit: '500' })
    if (staff.value) p.set('staff', staff.value)
    if (action.value) p.set('action', action.value)
    if (day.value) p.set('day', day.value)
    const r = await api('GET', `/api/staff/audit?${p}`)
    const items = r.data
    list.replaceChildren(h('table', { id: 'audit' }, h('thead', {}, h('tr', {}, ['Lúc', 'Cán bộ', 'Thao tác', 'Hồ sơ', 'Chi tiết'].map((t) => h('th', { text: t })))),
      h('tbody', {}, items.map((e) => h('tr', {}, h('td', { text: fmt(e.at) }), h('td', { text: e.staff }), h('td', { text: e.action }), h('td', { class: 'mono', text: e.code }), h('td', { text: JSON.stringify(e.details) }))))))
  }
  const form = h('form', { class: 'card row' }, h('div', {}, h('label', { text: 'Cán bộ' }), staff), h('div', {}, h('label', { text: 'Thao tác' }), action), h('div', {}, h('label', { text: 'Ngày' }), day), h('div', {}, h('button', { type: 'submit', text: 'Lọc' })))
  form.addEventListener('submit', (e) => { e.preventDefault(); load() })
  show(h('h1', { text: 'Nhật ký' }), form, list)
  await load()
}

async function route () {
  const hash = decodeURIComponent(location.hash.slice(1))
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.getAttribute('href') === `#${hash.split('/')[0]}`)
  const ui = { h, api, show, message, fmt }
  if (hash === 'inbox' || hash.startsWith('inbox/')) return inboxPage(ui, hash.startsWith('inbox/') ? Number(hash.slice(6)) : undefined)
  if (hash === 'stats') return statsPage(ui)
  if (hash.startsWith('hs/')) return dossier(hash.slice(3))
  if (hash === 'receive') return receive()
  if (hash === 'notifications') return notifications()
  if (hash === 'unanswered') return unanswered()
  if (hash === 'import') return importPage()
  if (hash === 'audit') return audit()
  return today()
}

window.addEventListener('hashchange', () => { if (csrf) route() })
const s = await fetch('/api/staff/session', { credentials: 'same-origin' })
if (s.status === 200) {
  const session = await s.json()
  csrf = session.csrfToken
  signedIn(session)
} else {
  showLogin()
}
