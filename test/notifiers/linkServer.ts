import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Serves a run's objects on 127.0.0.1 to signed links only, as a presigned-URL store would: a
 * link names the object and its lifetime and carries an HMAC of both, and anything else is 403.
 */
export interface LinkServer {
  link(key: string, lifetimeSeconds: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startLinkServer(objects: ReadonlyMap<string, string>): Promise<LinkServer> {
  const secret = randomBytes(16);
  const sign = (key: string, lifetime: string) =>
    createHmac('sha256', secret).update(`${key}\n${lifetime}`).digest('hex');
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const key = decodeURIComponent(url.pathname.slice(1));
    const lifetime = url.searchParams.get('lifetime') ?? '';
    const body = objects.get(key);
    if (body === undefined || url.searchParams.get('signature') !== sign(key, lifetime)) {
      response.writeHead(403).end('denied');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    link: async (key, lifetimeSeconds) => {
      const lifetime = String(lifetimeSeconds);
      const path = key.split('/').map(encodeURIComponent).join('/');
      return `http://127.0.0.1:${port}/${path}?lifetime=${lifetime}&signature=${sign(key, lifetime)}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
