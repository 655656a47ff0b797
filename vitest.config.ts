import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'model/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // expect.poll waits for a condition (a remote edit arriving) up to this bound; on a loaded 2-core
    // machine (browser tests beside the load tests) convergence can take more than the 1 s default.
    expect: { poll: { timeout: 10_000 } },
  },
})
