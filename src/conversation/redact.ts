import { extractDossierCode, extractShortDossierCode } from '../dossiers/code.ts'

/**
 * Removes personal data from a citizen's message before it is kept for staff (the unanswered log,
 * handoff transcripts), keeping the words and tone marks as typed so staff can read what was asked:
 * - dossier codes, with or without the agency id ("261207-0003") → «mã hồ sơ»;
 * - phone numbers (0xxxxxxxxx, +84…, with spaces, dots or dashes) → «số điện thoại»;
 * - ID numbers (CCCD 12 digits, CMND 9 digits) and any other run of 4+ digits → «số» (a year after
 *   "năm" is kept);
 * - lookup codes (6–8 letters and digits mixed, e.g. KH2M7A) → «mã tra cứu»;
 * - a name after "tên", "tên là", "họ tên", "tôi là" (up to four capitalised words) → «tên».
 */
export function redactPersonal (text: string): string {
  let s = text.normalize('NFC')
  // Everything below needs a digit (codes, phone and ID numbers, lookup codes) or a word that introduces
  // a name: most lines (a card's title, a question) have neither, and skip the expensive patterns.
  if (!/\d/.test(s) && !NAME_LEAD.test(s)) return s.replace(/\s+/g, ' ').trim()
  for (const find of [extractDossierCode, extractShortDossierCode]) {
    for (let code = find(s); code !== null; code = find(s)) {
      const next = replaceCode(s, code)
      if (next === s) break
      s = next
    }
  }
  s = s
    .replace(/(?:\+?84|0)(?:[\s.-]?\d){8,10}\b/g, '«số điện thoại»')
    .replace(/\b(?=[A-Za-z0-9]{6,8}\b)(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{6,8}\b/g, '«mã tra cứu»')
    .replace(/(?<!năm )\d(?:[\s.]?\d){3,}|(?<=năm )(?!(?:19|20)\d\d\b)\d(?:[\s.]?\d){3,}/giu, '«số»')
  s = s.replace(NAME_AFTER, (_m, lead: string) => `${lead}«tên»`)
  return s.replace(/\s+/g, ' ').trim()
}

/** What every lead word of {@link NAME_AFTER} contains. */
const NAME_LEAD = /[Tt]ên|TÊN| là/u
const UPPER_WORD = String.raw`\p{Lu}[\p{Ll}\p{M}]*`
const NAME_AFTER = new RegExp(
  String.raw`((?:^|[\s,.:;])(?:[Hh]ọ và tên|[Hh]ọ tên|[Tt]ên là|[Tt]ên|TÊN|[Tt]ôi là|[Ee]m là|[Cc]háu là)\s*:?\s*)${UPPER_WORD}(?:\s+${UPPER_WORD}){0,3}`,
  'gu'
)

/** Replaces the typed form of `code` (however it was spaced or cased) with a placeholder. */
function replaceCode (s: string, code: string): string {
  const chars = code.replace(/-/g, '').split('').map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const loose = new RegExp(chars.join(String.raw`[\s.\-–—]*`), 'i')
  return s.replace(loose, '«mã hồ sơ»')
}
