/**
 * The version of fp-aws, as in `package.json` (a test keeps the two in step).
 *
 * @since 0.1.0
 */

/**
 * @category constants
 * @since 0.1.0
 */
export const VERSION = '0.1.0'
