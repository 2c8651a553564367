import type { Reporter, TestModule } from 'vitest/node'
import { defineConfig } from 'vitest/config'

/**
 * Prints one plain closing line, `vitest: N passed, N failed[, N skipped]`, after the
 * default summary, so a CI log reader sees the counts as the run's last line.
 */
class ClosingLine implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = unhandledErrors.length
    let skipped = 0
    for (const m of testModules) {
      let failedTests = 0
      for (const t of m.children.allTests()) {
        const state = t.result().state
        if (state === 'passed') passed += 1
        else if (state === 'failed') failedTests += 1
        else skipped += 1
      }
      failed += failedTests
      // A file that failed with no failed test: a syntax error, or a failing beforeAll (its tests skipped).
      if (failedTests === 0 && m.state() === 'failed') failed += 1
    }
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`)
  }
}

const exclude = ['**/node_modules/**', 'dist/**', 'docs/**', '.tmp/**']

export default defineConfig({
  test: {
    reporters: ['default', new ClosingLine()],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...exclude, 'test/packaging.test.ts'],
          sequence: { groupOrder: 0 }
        }
      },
      {
        // Builds, packs and installs the package, then runs and type-checks a consumer:
        // CPU-heavy, so it runs alone, after the unit tests (a higher groupOrder).
        extends: true,
        test: {
          name: 'packaging',
          include: ['test/packaging.test.ts'],
          exclude,
          testTimeout: 120_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
})
