// ESLint flat config: @eslint/js recommended + typescript-eslint recommended (no type
// information needed) for src/ and test/, plus the repo's own .mjs scripts and configs.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

// Node's globals (process, console, URL, fetch, …) for the plain-JS scripts, taken from
// the running Node itself rather than from an extra dependency.
const nodeGlobals = Object.fromEntries(
  [...Object.getOwnPropertyNames(globalThis), 'process', 'Buffer', 'console', '__dirname', '__filename', 'require', 'module', 'exports']
    .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))
    .map((name) => [name, 'readonly'])
)

export default defineConfig(
  {
    ignores: ['dist/**', 'docs/**', 'node_modules/**', 'coverage/**', '.tmp/**', '**/*.d.ts', 'test/gen/.out-*/**']
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'gen/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // `_`-prefixed names are deliberately unused (fp-ts style placeholders).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }
      ]
    }
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: nodeGlobals }
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' }
  }
)
