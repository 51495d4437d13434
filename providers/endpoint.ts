/** True for a loopback host: 127.0.0.0/8, ::1 (bracketed or not) or localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/**
 * True for an endpoint on a loopback address: a local API peer, never a cloud. kubeline sends
 * such an endpoint no cloud credentials (ARCHITECTURE.md, config). Takes a URL
 * (`http://127.0.0.1:4566`) or a `host[:port]` (`127.0.0.1:8443`, `[::1]:8443`).
 */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined || endpoint.trim() === '') return false;
  const text = endpoint.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      return isLoopbackHost(new URL(text).hostname);
    } catch {
      return false;
    }
  }
  const host = /^(?:\[([^\]]+)\]|([^:]+))(?::\d+)?$/.exec(text);
  return host ? isLoopbackHost(host[1] ?? host[2] ?? '') : false;
}
