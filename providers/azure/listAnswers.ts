import { isRawObject } from '../reader.js';

/** What a list call takes to show each page's raw answer (the SDKs' `onResponse` operation option). */
export interface ListPageOptions {
  readonly onResponse: (response: { readonly status: number; readonly parsedBody?: unknown }) => void;
}

/**
 * Watches a list call's answers: `malformed` is true once a successful answer parsed as JSON but had
 * no `value` list, which the SDK's pager would otherwise hand over as an empty page. A body that is
 * no JSON at all is the SDK's own error to report.
 */
export function listAnswers(): { readonly options: ListPageOptions; malformed(): boolean } {
  let malformed = false;
  return {
    options: {
      onResponse: (response) => {
        const body = response.parsedBody;
        if (
          response.status >= 200 &&
          response.status < 300 &&
          body !== undefined &&
          !(isRawObject(body) && Array.isArray(body.value))
        )
          malformed = true;
      },
    },
    malformed: () => malformed,
  };
}
