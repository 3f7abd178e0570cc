import { defineConfig } from 'vitest/config'

/** Fault tests (`npm run test:faults`): real server processes killed with SIGKILL, both engines. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
})
