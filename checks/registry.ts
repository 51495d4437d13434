import { apiServerNotPublic } from './endpoint/apiServerNotPublic.js';
import type { Check } from './types.js';

/** Every check kubeline ships, in catalogue order. An explicit list: bundle-safe, no file scanning. */
export const CHECKS: readonly Check[] = Object.freeze([apiServerNotPublic]);
