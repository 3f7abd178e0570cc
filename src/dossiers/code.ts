/**
 * Dossier codes (mã hồ sơ): `<agency id>-<yymmdd received>-<daily sequence>`, e.g.
 * `000.00.04.H51-200221-0001`. Agency ids change with administrative mergers, so only their shape is
 * checked: dot-separated groups of letters/digits, at least one dot and one letter (the province
 * part such as `H51`; all-digit ids would be confused with IP addresses and amounts). A recognised
 * code is at most {@link MAX_CODE_LENGTH} characters, so `ds:<code>` always fits in 40 bytes.
 */

/** Longest code recognised: `ds:` + 37 characters = 40 bytes, the button value limit. */
export const MAX_CODE_LENGTH = 37

const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g
const SEP = String.raw`(?:[ \t]*-[ \t]*|[ \t]+)`
const CANDIDATE = new RegExp(
  String.raw`(?<![\p{L}\p{N}.])([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+)(${SEP}\d+)?(${SEP}\d+)?(?![\p{L}\p{N}]|[.,]\d)`,
  'gu'
)

function validDate (yymmdd: string): boolean {
  const y = 2000 + Number(yymmdd.slice(0, 2))
  const m = Number(yymmdd.slice(2, 4))
  const d = Number(yymmdd.slice(4, 6))
  if (m < 1 || m > 12 || d < 1) return false
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate()
}

function validAgency (agency: string): boolean {
  const parts = agency.split('.')
  if (parts.length < 2 || parts.some((p) => p === '' || p.length > 8)) return false
  return /[A-Z]/.test(agency)
}

function build (agency: string, date: string, seq: string): string | null {
  if (!validAgency(agency) || !validDate(date) || !/^\d{3,6}$/.test(seq)) return null
  const code = `${agency}-${date}-${seq}`
  return code.length <= MAX_CODE_LENGTH ? code : null
}

/** Splits `head` (agency with the date, and maybe the sequence, glued on) at fixed widths. */
function splitGlued (head: string, tailDigits: number): { agency: string, digits: string } | null {
  const m = new RegExp(String.raw`^(.*[A-Z0-9])(\d{${tailDigits}})$`).exec(head)
  if (m === null || m[1] === undefined || m[2] === undefined) return null
  if (m[1].endsWith('.')) return null
  return { agency: m[1], digits: m[2] }
}

/** Interprets one regex candidate; parts missing their dashes are split at the usual widths (6 + 4). */
function interpret (head: string, p1?: string, p2?: string): string | null {
  const a = head.toUpperCase()
  const d1 = p1?.replace(/\D/g, '')
  const d2 = p2?.replace(/\D/g, '')
  if (d1 !== undefined && d2 !== undefined) return d1.length === 6 ? build(a, d1, d2) : null
  if (d1 !== undefined) {
    if (d1.length === 10) return build(a, d1.slice(0, 6), d1.slice(6))
    const glued = splitGlued(a, 6)
    return glued === null ? null : build(glued.agency, glued.digits, d1)
  }
  const glued = splitGlued(a, 10)
  return glued === null ? null : build(glued.agency, glued.digits.slice(0, 6), glued.digits.slice(6))
}

/**
 * Letter O typed for zero: inside a run of digits, dots and dashes that already holds three digits
 * ("000.00.O4.H51-261120-OOO6"), every O/o is read as 0. Words are left alone.
 */
function zeroForO (text: string): string {
  // Agency ids start with dotted digit groups ("000.00.04."): O there is always a zero.
  const agency = text.replace(/(?<![\p{L}\p{N}])[0-9oO]{2,3}(?:\.[0-9oO]{2}){1,2}\./gu, (head) => head.replace(/[oO]/g, '0'))
  return agency.replace(/(?<![\p{L}\p{N}])[0-9oO][0-9oO.\- ]*[0-9oO](?![\p{L}])/gu, (run) => {
    const digits = run.replace(/[^0-9]/g, '').length
    return digits >= 3 && /[oO]/.test(run) ? run.replace(/[oO]/g, '0') : run
  })
}

/**
 * Finds a dossier code inside a free-text message and returns it normalised, or null. Accepts lower
 * case, spaces around the dashes, en/em dashes, spaces instead of dashes, and missing dashes when the
 * split is unambiguous (date of 6 digits, sequence of 4), and letter O for zero among digits. Plain numbers, phone numbers, dates, money
 * amounts and procedure codes (`1.001193`) are not codes.
 */
export function extractDossierCode (text: string): string | null {
  const unified = zeroForO(text.replace(DASHES, '-'))
  for (const m of unified.matchAll(CANDIDATE)) {
    const head = m[1]
    if (head === undefined) continue
    const code = interpret(head, m[2], m[3])
    if (code !== null) return code
  }
  return null
}

/**
 * Normalises a code typed or pasted by a person: upper case, no spaces, one kind of dash. When the
 * result is a recognisable code (dashes possibly missing) its canonical form is returned.
 */
export function normalizeDossierCode (s: string): string {
  return parseDossierCode(s) ?? s.replace(DASHES, '-').replace(/\s+/g, '').toUpperCase()
}

/** The canonical code when `s` is exactly one dossier code (nothing else around it), else null. */
export function parseDossierCode (s: string): string | null {
  const trimmed = s.trim()
  const code = extractDossierCode(trimmed)
  if (code === null) return null
  const bare = (x: string): string => x.replace(DASHES, '-').replace(/[\s-]/g, '').toUpperCase()
  return bare(code) === bare(trimmed) ? code : null
}

const SHORT = /(?<![\p{L}\p{N}.-])(\d{6})([ \t]*-[ \t]*|[ \t]+)?(\d{3,6})(?![\p{L}\p{N}]|[.,]\d)/gu
/** The part of a code after the agency ("261207-0003"): what a citizen may type without the agency id. */
export const SHORT_CODE = /^\d{6}-\d{3,6}$/

/**
 * A dossier code typed without its agency id ("261207-0003", "261207 0003", "2612070003"), as
 * `<yymmdd>-<sequence>`, or null. The date must be a real date from 2020 to next year, so phone and ID
 * numbers (0912…, 079…) and amounts are not taken; glued digits must be exactly 6 + 4. Only used when no
 * full code is in the message: the store then finds the dossier with that ending, if only one has it.
 */
export function extractShortDossierCode (text: string, now = new Date()): string | null {
  const unified = zeroForO(text.replace(DASHES, '-'))
  const maxYear = (now.getUTCFullYear() % 100) + 1
  for (const m of unified.matchAll(SHORT)) {
    const [, date, sep, seq] = m as unknown as [string, string, string | undefined, string]
    const year = Number(date.slice(0, 2))
    if (year < 20 || year > maxYear || !validDate(date)) continue
    if (sep === undefined && seq.length !== 4) continue
    return `${date}-${seq}`
  }
  return null
}

/** A second factor as typed: the last 4 phone digits, or a lookup code of 6–8 letters and digits. */
export const FACTOR_SHAPE = /^(?:\d{4}|(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{6,8})$/

/**
 * The second factor typed in the same message as dossier code `code` ("…-0006 mã KH2M7A", "…-0006 1006"),
 * or null. Parts of the code itself (its date, its sequence) are never taken for a factor.
 */
export function factorBesideCode (text: string, code: string): string | null {
  const bare = code.replace(/[.-]/g, '')
  for (const token of text.split(/[^A-Za-z0-9]+/)) {
    if (FACTOR_SHAPE.test(token) && !bare.includes(token.toUpperCase())) return token.toUpperCase()
  }
  return null
}
