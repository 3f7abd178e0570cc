// `npm run demo`: starts the server on a throw-away data dir seeded with sample dossiers in every
// national status (1–10), prints their codes and second factors, and removes the dir on exit.
// `npm run demo -- --seed-only` seeds, prints and exits.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalogue } from '../src/catalogue/load.ts'
import type { WorkingCalendar } from '../src/dossiers/calendar.ts'
import { createDossierFeature } from '../src/dossiers/setup.ts'
import { openDatabase } from '../src/db/connect.ts'
import { createAuditStore, createDossierStore } from '../src/db/dossier-store.ts'
import { localInstant, localParts, toVnIso } from '../src/dossiers/time.ts'
import { STATUS_LABELS, type StatusCode } from '../src/dossiers/types.ts'
import { createAttemptStore } from '../src/db/attempt-store.ts'
import { createStaffStore } from '../src/db/staff-store.ts'
import { createStaffAccounts } from '../src/staff/accounts.ts'

const STAFF_TOKEN = 'demo-staff-token-0123456789'
/** The demo's console account (admin), printed at start. */
export const DEMO_ACCOUNT = { username: 'demo', password: 'demo-quay-mot-cua' }
const PORT = process.env.PORT ?? '3000'

interface Sample {
  seq: number
  procedure: string
  name: string
  lookupCode: string
  /** Received this many working days ago, at `hour`. */
  ago: number
  hour: number
  /** Status changes after reception: [working days after reception, status, extra]. */
  steps: Array<[number, StatusCode, Record<string, unknown>?]>
  what: string
}

/** Fixed codes and second factors (phone ends with 100<seq>, e.g. 1001). */
export const SAMPLES: Sample[] = [
  { seq: 1, procedure: 'dang-ky-thuong-tru', name: 'Nguyễn Văn An', lookupCode: 'KH2M7A', ago: 0, hour: 8.5, steps: [], what: 'mới đăng ký' },
  { seq: 2, procedure: 'dang-ky-tam-tru', name: 'Trần Thị Bình', lookupCode: 'TR3N8B', ago: 0, hour: 9, steps: [[0, 2]], what: 'vừa tiếp nhận' },
  { seq: 3, procedure: 'dang-ky-thanh-lap-ho-kinh-doanh', name: 'Lê Văn Cường', lookupCode: 'PQ4X9C', ago: 1, hour: 10, steps: [[0, 3, { note: 'Hồ sơ chưa có chữ ký của chủ hộ kinh doanh' }]], what: 'không được tiếp nhận' },
  { seq: 4, procedure: 'dang-ky-tam-tru', name: 'Phạm Thị Dung', lookupCode: 'MD5Y2D', ago: 2, hour: 7.5, steps: [[0, 2], [1, 4]], what: 'đang xử lý, sắp đến hẹn' },
  { seq: 5, procedure: 'dang-ky-bien-dong-chuyen-nhuong-tang-cho', name: 'Thạch Sa Quênh', lookupCode: 'BS6Z3E', ago: 9, hour: 9, steps: [[0, 2], [1, 4], [6, 4, { newDueAt: 3, note: 'Cần xác minh ranh giới thửa đất với xã bên cạnh' }]], what: 'có thư xin lỗi và hẹn mới' },
  { seq: 6, procedure: 'cap-giay-xac-nhan-tinh-trang-hon-nhan', name: 'Võ Thị Hạnh', lookupCode: 'TC7W4F', ago: 2, hour: 9, steps: [[0, 2], [1, 5, { missingDocuments: ['Bản sao trích lục ly hôn', 'Tờ khai theo mẫu có chữ ký của người yêu cầu'], respondBy: 4 }]], what: 'cần bổ sung giấy tờ' },
  { seq: 7, procedure: 'chuyen-muc-dich-su-dung-dat', name: 'Đặng Văn Khoa', lookupCode: 'RT8V5G', ago: 5, hour: 10, steps: [[0, 2], [1, 4], [4, 6, { respondBy: 5 }]], what: 'chờ nộp nghĩa vụ tài chính' },
  { seq: 8, procedure: 'dang-ky-thay-doi-noi-dung-ho-kinh-doanh', name: 'Huỳnh Thị Lan', lookupCode: 'DX9U6H', ago: 3, hour: 8, steps: [[0, 2], [1, 7]], what: 'công dân rút hồ sơ' },
  { seq: 9, procedure: 'tach-thua-hoac-hop-thua-dat', name: 'Kim Văn Minh', lookupCode: 'KQ2T7J', ago: 6, hour: 9, steps: [[0, 2], [1, 4], [3, 8, { note: 'Thửa đất đang có tranh chấp' }]], what: 'dừng xử lý' },
  { seq: 10, procedure: 'dang-ky-khai-sinh', name: 'Lý Thị Ngọc', lookupCode: 'NH3S8K', ago: 0, hour: 8, steps: [[0, 2], [0, 9]], what: 'đã có kết quả' },
  { seq: 11, procedure: 'dang-ky-ket-hon', name: 'Sơn Văn Phúc', lookupCode: 'HX4R9M', ago: 1, hour: 8, steps: [[0, 2], [0, 9], [1, 10]], what: 'đã trả kết quả' },
]

export const demoCode = (seq: number): string => `000.00.04.H51-261120-${String(seq).padStart(4, '0')}`
const phone = (seq: number): string => `09123${String(1000 + seq).padStart(5, '0')}`

/** The instant `n` working days before (negative) or after `from`, at local `hour`. */
function workingDay (calendar: WorkingCalendar, from: Date, n: number, hour: number): Date {
  const p = localParts(from)
  let day = localInstant(p.year, p.month, p.day, Math.round(hour * 60))
  const step = n < 0 ? -1 : 1
  for (let left = Math.abs(n); left > 0;) {
    day = new Date(day.getTime() + step * 86_400_000)
    if (calendar.isWorkingDay(day)) left--
  }
  return day
}

async function seed (dataDir: string): Promise<void> {
  const today = new Date()
  let clock = today
  const db = await openDatabase({ dataDir })
  const feature = await createDossierFeature({ store: createDossierStore(db), audit: createAuditStore(db), catalogueDir: 'data', catalogue: loadCatalogue('data'), now: () => clock })
  const { service, calendar } = feature
  for (const s of SAMPLES) {
    const received = new Date(Math.min(workingDay(calendar, today, -s.ago, s.hour).getTime(), today.getTime()))
    clock = received
    await service.upsert(demoCode(s.seq), { procedure: s.procedure, applicantName: s.name, phone: phone(s.seq), receivedAt: toVnIso(received), status: 1, lookupCode: s.lookupCode }, 'demo')
    for (const [after, status, extra = {}] of s.steps) {
      clock = new Date(Math.min(workingDay(calendar, received, after, s.hour + 1).getTime(), today.getTime()))
      const body: Record<string, unknown> = { status, ...extra }
      for (const k of ['newDueAt', 'respondBy'] as const) {
        if (typeof extra[k] === 'number') body[k] = toVnIso(workingDay(calendar, today, extra[k], 17))
      }
      await service.updateStatus(demoCode(s.seq), body, 'demo')
    }
  }
  clock = today
  const rows = ['| code | status | lookup code | phone (last 4) | sample |', '|---|---|---|---|---|']
  for (const s of SAMPLES) {
    const v = await service.publicView(demoCode(s.seq))
    rows.push(`| \`${demoCode(s.seq)}\` | ${v?.status ?? '?'} ${STATUS_LABELS[v?.status ?? 1]} | \`${s.lookupCode}\` | ${phone(s.seq).slice(-4)} | ${s.what}${v?.overdue === true ? ' (trễ hẹn)' : ''} |`)
  }
  await createStaffAccounts({ store: createStaffStore(db), attempts: createAttemptStore(db), audit: createAuditStore(db) })
    .put(DEMO_ACCOUNT.username, DEMO_ACCOUNT.password, 'admin', 'demo')
  await feature.close()
  await db.close()
  process.stdout.write(`\nDemo dossiers in ${dataDir}:\n\n${rows.join('\n')}\n\n` +
    `Staff console: http://localhost:${PORT}/staff  user \`${DEMO_ACCOUNT.username}\`  password \`${DEMO_ACCOUNT.password}\` (admin)\n\n` +
    `Try:  curl -s localhost:${PORT}/api/dossiers/${demoCode(5)}\n` +
    `      curl -s 'localhost:${PORT}/api/dossiers/${demoCode(6)}?verify=${SAMPLES[5]?.lookupCode ?? ''}'\n` +
    `      curl -s -H 'authorization: Bearer ${STAFF_TOKEN}' localhost:${PORT}/api/staff/audit\n` +
    '      or type a code into the web chat.\n\n')
}

const dataDir = mkdtempSync(join(tmpdir(), 'tro-giup-demo-'))
const cleanup = (): void => rmSync(dataDir, { recursive: true, force: true })
await seed(dataDir)
if (process.argv.includes('--seed-only')) {
  cleanup()
} else {
  const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, DATA_DIR: dataDir, PORT, STAFF_TOKENS: process.env.STAFF_TOKENS ?? `demo:${STAFF_TOKEN}` },
  })
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { child.kill(sig) })
  child.on('exit', (code) => {
    cleanup()
    process.exit(code ?? 0)
  })
}
