/**
 * Splits `text` into chunks of at most `max` UTF-16 code units, preferring paragraph boundaries
 * (blank line), then line breaks, then spaces; a word longer than `max` is cut without breaking a
 * surrogate pair. Chunks are trimmed of the separator they were cut at; empty chunks are dropped.
 */
export function splitText (text: string, max: number): string[] {
  if (max < 2) throw new RangeError('max must be at least 2')
  const chunks: string[] = []
  let rest = text.trim()
  while (rest.length > max) {
    const cut = cutPoint(rest, max)
    const head = rest.slice(0, cut).trimEnd()
    if (head !== '') chunks.push(head)
    rest = rest.slice(cut).trimStart()
  }
  if (rest !== '') chunks.push(rest)
  return chunks
}

function cutPoint (text: string, max: number): number {
  const window = text.slice(0, max + 1)
  for (const sep of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(sep)
    // Cutting very early would make many tiny messages: accept a separator in the second half only.
    if (at > max / 2) return at
  }
  const code = text.charCodeAt(max - 1)
  const isHighSurrogate = code >= 0xd800 && code <= 0xdbff
  return isHighSurrogate ? max - 1 : max
}
