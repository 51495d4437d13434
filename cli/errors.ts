/** Bad command-line usage: printed on one line, exit 64. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
