import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Catalogue } from '../catalogue/load.ts'
import type { Config } from '../config.ts'
import { normalizeDossierCode } from '../dossiers/code.ts'
import type { DossierStore } from '../dossiers/store.ts'
import { formatVnDate, formatVnDateTime } from '../dossiers/time.ts'
import { STATUS_LABELS } from '../dossiers/types.ts'
import type { PluginOptions } from '../services.ts'
import { lookupDossierAction } from '../conversation/types.ts'
import { telegramDeepLink } from '../../bots/telegram/deep-link.ts'

// `../staff/` (not `./`): the same path from this file and from the production bundle in dist/src/bundle/.
const PUBLIC_DIR = fileURLToPath(new URL('../staff/public/', import.meta.url))
const SHELL = readFileSync(join(PUBLIC_DIR, 'console.html'), 'utf8')

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** `PUBLIC_URL`, or the address this request came to (so the demo works without configuration). */
export function publicBase (config: Pick<Config, 'publicUrl'>, request: FastifyRequest): string {
  return config.publicUrl ?? `${request.protocol}://${request.host}`
}

/** Links a slip's QR codes open. */
export function slipLinks (base: string, code: string, botUsername?: string): { web: string, telegram?: string | undefined } {
  return {
    web: `${base}/?d=${encodeURIComponent(code)}`,
    ...(botUsername !== undefined ? { telegram: telegramDeepLink(botUsername, lookupDossierAction(code)) } : {}),
  }
}

/** A QR code as a data: URL (the qrcode package is loaded on the first slip or poster, not at start-up). */
const qr = async (text: string, width: number): Promise<string> =>
  (await import('qrcode')).default.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width })

function page (title: string, css: string, body: string): string {
  const extra = css === 'print.css' ? '' : `<link rel="stylesheet" href="/staff/assets/${css}">`
  return '<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${esc(title)}</title><link rel="stylesheet" href="/staff/assets/print.css">${extra}</head><body>${body}</body></html>`
}

/** Console pages: the shell at `/staff`, the follow-up slip and the posters. */
export function staffPages (deps: { store: DossierStore, catalogue: Catalogue }) {
  return async function register (app: FastifyInstance, opts: PluginOptions): Promise<void> {
    const { config } = opts
    const bot = config.telegram?.botUsername
    await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/staff/assets/', decorateReply: false, index: false, maxAge: '1h' })
    app.get('/staff', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(SHELL))

    app.get<{ Params: { code: string }, Querystring: { paper?: string } }>('/staff/dossiers/:code/slip', { preHandler: opts.staffAuth }, async (request, reply) => {
      const d = await deps.store.get(normalizeDossierCode(request.params.code))
      if (d === undefined) return reply.code(404).type('text/html; charset=utf-8').send(page('Không tìm thấy', 'print.css', '<p>Không tìm thấy hồ sơ.</p>'))
      const p = deps.catalogue.byId.get(d.procedureId)
      const links = slipLinks(publicBase(config, request), d.code, bot)
      const webQr = await qr(links.web, 360)
      const tgQr = links.telegram !== undefined ? await qr(links.telegram, 240) : undefined
      const paper = request.query.paper === 'r80' ? 'r80' : 'a6'
      const office = p?.receivingOffice ?? 'Trung tâm Phục vụ hành chính công'
      const body = `<nav class="noprint"><a href="/staff#hs/${encodeURIComponent(d.code)}">← Quay lại hồ sơ</a>
<button type="button" id="print">In phiếu</button>
<a href="?paper=a6">Khổ A6</a> <a href="?paper=r80">Giấy in nhiệt 80 mm</a></nav>
<article class="slip ${paper}" id="slip">
<h1>PHIẾU THEO DÕI HỒ SƠ</h1>
<p class="commune">${esc(config.communeName ?? deps.catalogue.offices.province)}</p>
<p class="office">${esc(office)}</p>
<dl>
<dt>Mã hồ sơ</dt><dd class="code">${esc(d.code)}</dd>
<dt>Thủ tục</dt><dd>${esc(p?.title ?? d.procedureId)}</dd>
<dt>Ngày nhận</dt><dd>${esc(formatVnDateTime(new Date(d.receivedAt)))}</dd>
<dt>Hẹn trả</dt><dd>${esc(formatVnDate(new Date(d.apology?.newDueAt ?? d.dueAt)))}</dd>
<dt>Mã tra cứu</dt><dd class="lookup">${esc(d.lookupCode)}</dd>
</dl>
<figure class="qr web"><img id="qr-web" alt="Mã QR mở trang tra cứu hồ sơ" src="${webQr}"><figcaption>Quét để xem tình trạng hồ sơ trên điện thoại<br><small>${esc(links.web)}</small></figcaption></figure>
${tgQr !== undefined && links.telegram !== undefined ? `<figure class="qr tg"><img id="qr-telegram" alt="Mã QR mở Telegram" src="${tgQr}"><figcaption>Telegram: ${esc(links.telegram)}</figcaption></figure>` : ''}
<p class="zalo">Zalo: quan tâm Zalo OA của Trung tâm rồi gửi mã hồ sơ <b>${esc(d.code)}</b> để tra cứu và nhận thông báo.</p>
<p class="note">Mã tra cứu dùng để xem chi tiết hồ sơ. Vui lòng giữ kín, không chia sẻ.</p>
</article>
<script src="/staff/assets/print.js"></script>`
      return reply.type('text/html; charset=utf-8').send(page(`Phiếu theo dõi ${d.code}`, paper === 'r80' ? 'print-80.css' : 'print.css', body))
    })

    app.get<{ Querystring: { procedure?: string } }>('/staff/posters', { preHandler: opts.staffAuth }, async (request, reply) => {
      const base = publicBase(config, request)
      const id = request.query.procedure ?? ''
      const p = id === '' ? undefined : deps.catalogue.byId.get(id)
      const web = p === undefined ? `${base}/` : `${base}/?p=${encodeURIComponent(p.id)}`
      const tg = bot === undefined ? undefined : p === undefined ? `https://t.me/${bot}` : telegramDeepLink(bot, `p:${p.id}`)
      const bring = p === undefined
        ? ['Hỏi thủ tục cần làm, giấy tờ cần mang', 'Tra cứu hồ sơ bằng mã trên phiếu hẹn', 'Nhận thông báo khi hồ sơ có kết quả']
        : p.documents.submit.slice(0, 3).map((doc) => doc.name)
      const options = deps.catalogue.procedures.map((x) => `<option value="${esc(x.id)}"${x.id === id ? ' selected' : ''}>${esc(x.title)}</option>`).join('')
      const body = `<form class="noprint" method="get" action="/staff/posters"><label>Áp phích cho <select name="procedure"><option value="">Cả quầy (mọi thủ tục)</option>${options}</select></label>
<button type="submit">Xem</button> <button type="button" id="print">In</button> <a href="/staff">← Bảng điều khiển</a></form>
<article class="poster">
<h1>${esc(p?.title ?? 'Hỏi đáp thủ tục hành chính')}</h1>
<p class="lead">Quét mã để hỏi trợ lý trên điện thoại</p>
<img id="qr-poster" class="big" alt="Mã QR" src="${await qr(web, 700)}">
<p class="url">${esc(web)}</p>
<h2>${p === undefined ? 'Trợ lý giúp Anh/Chị' : 'Cần mang theo'}</h2>
<ol>${bring.map((b) => `<li>${esc(b)}</li>`).join('')}</ol>
${tg !== undefined ? `<p class="tg">Telegram: ${esc(tg)}</p>` : ''}
</article><script src="/staff/assets/print.js"></script>`
      return reply.type('text/html; charset=utf-8').send(page('Áp phích', 'poster.css', body))
    })
  }
}

/** Status labels for the console's select (shared with the page script through the API). */
export const STATUS_OPTIONS = Object.entries(STATUS_LABELS).map(([code, label]) => ({ code: Number(code), label }))
