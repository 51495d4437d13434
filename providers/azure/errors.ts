/** The fields of the Azure SDKs' RestError that say what Resource Manager answered. */
interface ArmErrorFields {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly request?: unknown;
}

/**
 * ARM error messages by the request that got them. The SDKs' pagers replace the message of the
 * ARM error body with "Pagination failed with unexpected statusCode 403"; the pipeline keeps the
 * body here so the reason can still say which action on which scope was refused.
 */
const errorMessages = new WeakMap<object, string>();

/** Keeps `error.message` of an ARM error body for the request it answered. */
export function rememberArmErrorBody(request: object, body: string | null | undefined): void {
  if (!body) return;
  try {
    const parsed: unknown = JSON.parse(body);
    const message =
      typeof parsed === 'object' && parsed !== null && 'error' in parsed
        ? (parsed.error as { message?: unknown } | null)?.message
        : undefined;
    if (typeof message === 'string' && message !== '') errorMessages.set(request, message);
  } catch {
    // A body that is not JSON carries no ARM message; the status and code still describe the error.
  }
}

/**
 * Renames an Azure SDK error so describeCallError puts the ARM error code first, as an operator
 * searches for it (`AuthorizationFailed`, `SubscriptionNotFound`, `ResourceNotFound`), with the
 * HTTP status. Timeouts stay AbortErrors and unparseable bodies become SyntaxErrors, so they read
 * as "timed out" and "malformed response". The original error is kept as the cause.
 */
export function describeArmError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  if (error.name === 'AbortError') return error;
  const { code, statusCode, request } = error as Error & ArmErrorFields;
  const status = typeof statusCode === 'number' ? statusCode : undefined;
  if (code === 'PARSE_ERROR' || error.name === 'SyntaxError' || /JSON|parse/i.test(error.message)) {
    const malformed = new Error(
      `Resource Manager sent a body that is not JSON${status ? ` (HTTP ${status})` : ''}`,
      { cause: error },
    );
    malformed.name = 'SyntaxError';
    return malformed;
  }
  const kept = typeof request === 'object' && request !== null ? errorMessages.get(request) : undefined;
  const message = kept ?? error.message.split('\n')[0] ?? '';
  const named = new Error(`${status ? `HTTP ${status}: ` : ''}${message}`, { cause: error });
  named.name = typeof code === 'string' && code !== '' ? code : error.name;
  return named;
}
