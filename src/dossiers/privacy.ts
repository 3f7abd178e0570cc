import { createHash, randomInt, timingSafeEqual } from 'node:crypto'

/** Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I/L). */
export const LOOKUP_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
/** Length of generated lookup codes (31^6 ≈ 887 million values). */
export const LOOKUP_CODE_LENGTH = 6

/**
 * A new random lookup code (second factor printed on the receipt), e.g. `K7M2QX`. Always mixes letters
 * and digits: an all-letter code typed alone in the chat reads as a word, not as a code.
 */
export function newLookupCode (): string {
  for (;;) {
    let s = ''
    for (let i = 0; i < LOOKUP_CODE_LENGTH; i++) s += LOOKUP_ALPHABET[randomInt(LOOKUP_ALPHABET.length)]
    if (/\d/.test(s) && /[A-Z]/.test(s)) return s
  }
}

/**
 * Masks a person's name for anonymous views: every word becomes its first letter, followed by `***`
 * except for the last word ("Nguyễn Văn An" → "N*** V*** A"). Reveals no more than initials.
 */
export function maskName (name: string): string {
  const words = name.normalize('NFC').trim().split(/\s+/).filter((w) => w !== '')
  if (words.length === 0) return '***'
  return words.map((w, i) => {
    const first = Array.from(w)[0]?.toLocaleUpperCase('vi') ?? ''
    return i === words.length - 1 && words.length > 1 ? first : `${first}***`
  }).join(' ')
}

/**
 * Normalises a Vietnamese phone number to digits (`+84 912 345 678` → `0912345678`).
 * Returns null unless it has 9–11 digits after normalisation.
 */
export function normalizePhone (raw: string): string | null {
  let digits = raw.replace(/[\s.\-()]/g, '')
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`
  else if (digits.startsWith('84') && digits.length === 11) digits = `0${digits.slice(2)}`
  if (!/^\d{9,11}$/.test(digits)) return null
  return digits
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b))

/**
 * True when `factor` is the dossier's lookup code (case and spaces ignored) or the last 4 digits of
 * its phone. Compared in constant time; both candidates are always compared.
 */
export function matchesFactor (factor: string, lookupCode: string, phone: string): boolean {
  const given = factor.replace(/[\s.-]/g, '').toUpperCase()
  if (given === '') return false
  const byCode = same(given, lookupCode.toUpperCase())
  const byPhone = same(given, phone.slice(-4))
  return /^\d{4}$/.test(given) ? byPhone || byCode : byCode
}
