import type { SetTimer } from '../../src/outbox/outbox.ts'

/** A clock the tests move by hand; timers fire when their time is reached. */
export interface ManualClock {
  now: () => number
  setTimer: SetTimer
  advance (ms: number): void
}

export function createManualClock (start = Date.UTC(2025, 0, 6, 2, 0, 0)): ManualClock {
  let t = start
  let timers: Array<{ at: number, fn: () => void }> = []
  return {
    now: () => t,
    setTimer (fn, ms) {
      const timer = { at: t + ms, fn }
      timers.push(timer)
      return () => { timers = timers.filter((x) => x !== timer) }
    },
    advance (ms) {
      const end = t + ms
      for (;;) {
        const due = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0]
        if (due === undefined) break
        timers = timers.filter((x) => x !== due)
        t = Math.max(t, due.at)
        due.fn()
      }
      t = end
    },
  }
}
