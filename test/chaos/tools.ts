/** Seeded pseudo-random numbers (mulberry32) and payload builders for the chaos suite. */
export interface Rng {
  next (): number
  int (n: number): number
  pick<T> (list: readonly T[]): T
  chance (p: number): boolean
}

export function createRng (seed: number): Rng {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)] as (typeof list)[number],
    chance: (p) => next() < p,
  }
}

const WORDS = ['làm giấy khai sinh', 'lam can cuoc', 'sổ đỏ', 'tiền già', 'chứng thực', 'hộ khẩu', '000.00.04.H51-260302-0001',
  'xin chào', '/start', '/help', 'p:khai-sinh', '#a:help', 'dv:000.00.04.H51-260302-0001', 'K7M2QX', '5678', 'help', 'start']
const ODD = ['', ' ', '\u0000', '\uD800', '\uFFFF', '🙂🙂🙂', '\u202Eabc', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd',
  '%00', '%', '%%', '{"a":', '\\u0000', 'null', 'undefined', 'NaN', '-0', '1e309', '__proto__', 'constructor', 'toString',
  'a'.repeat(5000), 'á'.repeat(3000), '\r\n\r\n', '$' + '{7*7}', '{{7*7}}', 'x'.repeat(70)]

/** A random string: everyday questions, codes, factors and hostile oddities. */
export function randomString (rng: Rng): string {
  const r = rng.next()
  if (r < 0.4) return rng.pick(WORDS)
  if (r < 0.75) return rng.pick(ODD)
  if (r < 0.9) return rng.pick(WORDS) + rng.pick(ODD)
  let s = ''
  const n = rng.int(40)
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(0x3000))
  return s
}

const KEYS = ['text', 'action', 'sessionId', 'id', 'chat', 'message', 'update_id', 'data', '__proto__', 'constructor', 'status',
  'procedure', 'timestamp', 'event_name', 'sender', 'msg_id', 'verify', 'x', '']

/** A random JSON value of bounded depth. */
export function randomJson (rng: Rng, depth = 3): unknown {
  const r = rng.int(depth <= 0 ? 5 : 8)
  switch (r) {
    case 0: return null
    case 1: return rng.chance(0.5)
    case 2: return rng.pick([0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308, 42, 5_551_234_567])
    case 3: case 4: return randomString(rng)
    case 5: return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth - 1))
    default: {
      const o: Record<string, unknown> = {}
      const n = rng.int(4)
      for (let i = 0; i < n; i++) o[rng.pick(KEYS)] = randomJson(rng, depth - 1)
      return o
    }
  }
}

/** A deep copy of `base` with 1–3 random leaves or branches replaced by random JSON. */
export function mutate (rng: Rng, base: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>
  const times = 1 + rng.int(3)
  for (let k = 0; k < times; k++) {
    let node: unknown = copy
    for (let d = 0; d < 4; d++) {
      if (typeof node !== 'object' || node === null) break
      const keys = Object.keys(node)
      if (keys.length === 0) break
      const key = rng.pick(keys)
      const child = (node as Record<string, unknown>)[key]
      if (typeof child !== 'object' || child === null || rng.chance(0.35)) {
        if (rng.chance(0.15)) delete (node as Record<string, unknown>)[key]
        else (node as Record<string, unknown>)[key] = randomJson(rng, 2)
        break
      }
      node = child
    }
  }
  return copy
}

/** One row of the suite's summary table. */
export interface SummaryRow { scenario: string, runs: number, result: string, ok: boolean }

const rows: SummaryRow[] = []
export const summary = {
  add (row: SummaryRow): void { rows.push(row) },
  /** The table, printed once at the end. */
  render (): string {
    const head = ['scenario', 'runs', 'result', 'pass']
    const body = rows.map((r) => [r.scenario, String(r.runs), r.result, r.ok ? 'yes' : 'NO'])
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)))
    const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`
    return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n')
  },
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
