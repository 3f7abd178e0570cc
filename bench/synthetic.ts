// Realistic synthetic catalogues and queries for the search benchmark (issue 14): records grown from the
// real ones the way national catalogues grow (another verb on the same object, a qualifier for another
// applicant or case, a title borrowed within a field, aliases reworded), and queries of five kinds with
// the record each one means. Deterministic: the same seed gives the same catalogue and queries.
import type { Procedure } from '../src/catalogue/schema.ts'

/** Verbs that start Vietnamese procedure titles; a synthetic record swaps one for another. */
const VERBS = ['Đăng ký', 'Cấp', 'Cấp lại', 'Cấp đổi', 'Xác nhận', 'Gia hạn', 'Điều chỉnh', 'Thu hồi', 'Hủy',
  'Thông báo', 'Chấm dứt', 'Công nhận', 'Phê duyệt', 'Thẩm định', 'Giải quyết', 'Hỗ trợ', 'Chứng thực', 'Xóa']
/** Qualifiers of the kind national titles carry. */
const QUALIFIERS = ['đối với tổ chức', 'đối với hộ gia đình', 'cho người nước ngoài', 'trong khu công nghiệp',
  'tại cấp tỉnh', 'tại cấp huyện', 'trường hợp thay đổi chủ sở hữu', 'do thiên tai', 'cho người lao động',
  'đối với doanh nghiệp nhỏ và vừa', 'trong lĩnh vực nông nghiệp', 'trên môi trường điện tử', 'đối với cơ sở giáo dục',
  'cho học sinh khuyết tật', 'đối với tàu cá', 'trong khu kinh tế', 'đối với hợp tác xã', 'của đơn vị sự nghiệp công lập',
  'đối với người có công', 'cho thương binh', 'đối với công trình cấp III', 'tại cảng biển', 'trong trường hợp khẩn cấp',
  'đối với hàng hóa xuất khẩu', 'theo hình thức trực tuyến', 'đối với nhà đầu tư', 'của cơ quan trung ương']
/** Reworded alias openings. */
const ALIAS_LEADS = ['xin', 'làm', 'đi làm', 'nộp hồ sơ', 'hỏi về']

/** A small deterministic PRNG (mulberry32). */
export function rng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase()

/** The title without its leading verb ("Đăng ký khai sinh" → "khai sinh"). */
function objectOf (title: string): string {
  const lower = title.toLowerCase()
  const verb = [...VERBS].sort((a, b) => b.length - a.length).find((v) => lower.startsWith(v.toLowerCase() + ' '))
  return verb === undefined ? title : title.slice(verb.length + 1)
}

/**
 * The real records plus synthetic ones up to `n`. Every synthetic title is new (no two records share a
 * folded title); ids are unique; aliases are the source's reworded with the new record's qualifier.
 */
export function syntheticCatalogue (real: readonly Procedure[], n: number, seed = 7): Procedure[] {
  const r = rng(seed)
  const out: Procedure[] = [...real]
  const titles = new Set(real.map((p) => fold(p.title)))
  const byField = new Map<string, Procedure[]>()
  for (const p of real) byField.set(p.field, [...(byField.get(p.field) ?? []), p])
  let attempts = 0
  while (out.length < n && attempts < n * 50) {
    attempts++
    const src = pick(r, real)
    const kind = r()
    let title: string
    let qualifier = ''
    if (kind < 0.35) {
      // Another verb on the same object.
      title = `${pick(r, VERBS)} ${objectOf(src.title)}`
    } else if (kind < 0.75) {
      // The same procedure for another applicant or case.
      qualifier = pick(r, QUALIFIERS)
      title = `${src.title} ${qualifier}`
    } else {
      // A title borrowed within the field: this verb, another record's object, perhaps a qualifier.
      const other = pick(r, byField.get(src.field) ?? [src])
      qualifier = r() < 0.5 ? pick(r, QUALIFIERS) : ''
      title = `${pick(r, VERBS)} ${objectOf(other.title)}${qualifier ? ` ${qualifier}` : ''}`
    }
    if (titles.has(fold(title))) continue
    titles.add(fold(title))
    const aliases = src.aliases.slice(0, 3).map((a) => `${pick(r, ALIAS_LEADS)} ${a}${qualifier ? ` ${qualifier}` : ''}`)
    out.push({ ...src, id: `syn-${out.length}`, code: null, title, aliases, keywords: src.keywords.slice(0, 3) })
  }
  return out
}

export type QueryKind = 'exact' | 'no-marks' | 'typo' | 'fillers' | 'long'
export interface BenchQuery { kind: QueryKind, q: string, id: string }

const FILLER_OPEN = ['cho em hỏi', 'chị ơi cho hỏi', 'dạ cho tui hỏi', 'anh chị ơi', 'xin hỏi']
const FILLER_CLOSE = ['cần giấy tờ gì ạ', 'làm ở đâu vậy', 'mất bao lâu ạ', 'tốn bao nhiêu tiền', 'được không ạ']
const STORIES = ['nhà em ở ấp 3, hôm trước lên xã mà không gặp ai,', 'ba má em lớn tuổi rồi, em đi làm xa,',
  'em hỏi hoài mà chưa rõ, nay rảnh mới hỏi lại,', 'tuần trước em có ra ủy ban nhưng thiếu giấy,']

/** One typo in a folded text: a dropped, doubled or swapped letter in one word of four letters or more. */
function typo (r: () => number, text: string): string {
  const words = fold(text).split(' ')
  const long = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 4)
  if (long.length === 0) return words.join(' ')
  const [w, i] = pick(r, long)
  const k = 1 + Math.floor(r() * (w.length - 2))
  const op = r()
  words[i] = op < 0.4 ? w.slice(0, k) + w.slice(k + 1) : op < 0.7 ? w.slice(0, k) + w[k] + w.slice(k) : w.slice(0, k - 1) + w[k] + w[k - 1] + w.slice(k + 1)
  return words.join(' ')
}

/** `count` queries of the five kinds, over records drawn from the catalogue, each naming its record. */
export function benchQueries (records: readonly Procedure[], count: number, seed = 11): BenchQuery[] {
  const r = rng(seed)
  const kinds: QueryKind[] = ['exact', 'no-marks', 'typo', 'fillers', 'long']
  const out: BenchQuery[] = []
  for (let i = 0; i < count; i++) {
    const p = pick(r, records)
    const kind = kinds[i % kinds.length]!
    const t = p.title
    const q = kind === 'exact'
      ? t
      : kind === 'no-marks'
        ? fold(t)
        : kind === 'typo'
          ? typo(r, t)
          : kind === 'fillers'
            ? `${pick(r, FILLER_OPEN)} ${t.toLowerCase()} ${pick(r, FILLER_CLOSE)}`
            : `${pick(r, STORIES)} giờ em muốn ${t.toLowerCase()}, ${pick(r, FILLER_CLOSE)}`
    out.push({ kind, q, id: p.id })
  }
  return out
}
