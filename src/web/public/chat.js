// Web chat client: plain ES module, no build step. Talks to POST /api/chat.
const log = document.getElementById('log')
const form = document.getElementById('form')
const input = document.getElementById('text')
const send = document.getElementById('send')
const big = document.getElementById('big')

const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(36).slice(2)).replace(/[^A-Za-z0-9_-]/g, '')
let sessionId = localStorage.getItem('tgtt.session') || newId()
localStorage.setItem('tgtt.session', sessionId)

function setBig (on) {
  document.body.classList.toggle('big', on)
  big.setAttribute('aria-pressed', String(on))
  localStorage.setItem('tgtt.big', on ? '1' : '0')
}
setBig(localStorage.getItem('tgtt.big') === '1')
big.addEventListener('click', () => setBig(!document.body.classList.contains('big')))
document.getElementById('reset').addEventListener('click', () => {
  sessionId = newId()
  localStorage.setItem('tgtt.session', sessionId)
  log.textContent = ''
  post({ action: 'start' })
})

function bubble (text, who) {
  const div = document.createElement('div')
  div.className = `msg ${who}`
  div.textContent = text
  log.appendChild(div)
  div.scrollIntoView({ block: 'end' })
  return div
}

// While an officer has the chat (a reply offers «Kết thúc», h:end), their answers are polled every 3 s.
let handoffUntil = 0
function buttons (list) {
  if (list.some((b) => b.value === 'h:end')) handoffUntil = Date.now() + 30 * 60_000
  const wrap = document.createElement('div')
  wrap.className = 'buttons'
  for (const b of list) {
    const btn = document.createElement('button')
    btn.type = 'button'
    btn.textContent = b.label
    btn.addEventListener('click', async () => {
      bubble(b.label, 'me')
      await post({ action: b.value })
      if (b.value.startsWith('ds:')) offerChannels(b.value.slice(3))
    })
    wrap.appendChild(btn)
  }
  log.appendChild(wrap)
  wrap.scrollIntoView({ block: 'end' })
}

// After subscribing here: the same dossier can also be followed on Telegram or Zalo.
async function offerChannels (code) {
  try {
    const res = await fetch(`/api/chat/channels?d=${encodeURIComponent(code)}`)
    if (!res.ok) return
    const c = await res.json()
    if (c.telegram) {
      const div = bubble('Anh/Chị cũng có thể nhận thông báo qua Telegram: ', 'bot')
      const a = document.createElement('a')
      a.href = c.telegram
      a.rel = 'noopener'
      a.textContent = 'mở Telegram'
      div.appendChild(a)
    }
    if (c.zalo) bubble(`Hoặc qua Zalo: quan tâm Zalo OA của Trung tâm rồi gửi mã hồ sơ ${code}.`, 'bot')
  } catch {}
}

async function post (payload) {
  send.disabled = true
  const typing = bubble('Đang trả lời…', 'bot typing')
  try {
    const res = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId, ...payload }),
    })
    typing.remove()
    if (res.status === 429) { bubble('Anh/Chị gửi hơi nhanh, vui lòng đợi một chút rồi gửi lại nhé.', 'bot err'); return }
    if (!res.ok) { bubble('Xin lỗi, hệ thống đang bận. Anh/Chị vui lòng thử lại sau ít phút.', 'bot err'); return }
    const data = await res.json()
    for (const r of data.replies || []) {
      bubble(r.text, 'bot')
      if (r.buttons && r.buttons.length) buttons(r.buttons)
    }
  } catch {
    typing.remove()
    bubble('Không kết nối được máy chủ. Anh/Chị kiểm tra mạng rồi thử lại nhé.', 'bot err')
  } finally {
    send.disabled = false
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault()
  const text = input.value.trim()
  if (!text) { input.focus(); return }
  bubble(text, 'me')
  input.value = ''
  post({ text })
})
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit() }
})

// Notifications (dossier status changes, officers' replies) for this session: checked at once (shown on
// the next visit within 30 days) and every 9 seconds while the page is open (3 s while an officer has the chat).
let inboxAfter = Number(localStorage.getItem(`tgtt.inbox.${sessionId}`) || 0)
async function checkInbox () {
  try {
    const res = await fetch(`/api/chat/inbox?sessionId=${encodeURIComponent(sessionId)}&after=${inboxAfter}`)
    if (!res.ok) return
    const data = await res.json()
    for (const item of data.items || []) {
      const div = bubble(item.text, 'bot notice')
      div.setAttribute('data-notification', String(item.id))
      if (item.buttons && item.buttons.length) buttons(item.buttons)
      inboxAfter = Math.max(inboxAfter, item.id)
      localStorage.setItem(`tgtt.inbox.${sessionId}`, String(inboxAfter))
    }
  } catch {}
}
let ticks = 0
setInterval(() => { if (Date.now() < handoffUntil || ++ticks % 3 === 0) checkInbox() }, 3_000)
checkInbox()

// Deep link: /?d=<dossier code> shows its status (slip QR codes), /?q=... asks at once, /?p=<procedure id> opens a card (QR codes at the desk).
const params = new URLSearchParams(location.search)
if (params.get('d')) post({ action: `d:${params.get('d')}` })
else if (params.get('p')) post({ action: `p:${params.get('p')}` })
else if (params.get('q')) { bubble(params.get('q'), 'me'); post({ text: params.get('q') }) } else post({ action: 'start' })
