/**
 * The formatting of every file the generator writes: prettier 2 under fixed options, so that
 * the output does not depend on a user's prettier configuration.
 */
import * as prettier from 'prettier'

/** The prettier options of generated files (the repository's own style). */
export const PRETTIER: prettier.Options = {
  parser: 'typescript',
  printWidth: 120,
  semi: false,
  singleQuote: true,
  trailingComma: 'none',
  arrowParens: 'always',
  endOfLine: 'lf'
}

/** Formats one generated file. */
export const format = (text: string, filepath: string): string => prettier.format(text, { ...PRETTIER, filepath })
