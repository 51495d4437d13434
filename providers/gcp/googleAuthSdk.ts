/*
 * google-auth-library, loaded only when the in-cluster pass needs Google tokens; imported here by
 * name for the reason loggingSdk.ts gives: a CommonJS package imported dynamically loses its
 * names in the Lambda bundle.
 */
import { GoogleAuth } from 'google-auth-library';

export { GoogleAuth };
