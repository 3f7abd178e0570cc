import { defineConfig } from 'vitest/config'

/** `npm run test:chaos`: the attack-and-fault suite (issue 12), a few minutes, all traffic on 127.0.0.1. */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
})
