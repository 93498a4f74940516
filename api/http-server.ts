import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from '../shared/config/config.schema.ts';

/**
 * The HTTP server with our timeouts: a client that sends its headers or body slowly is cut with
 * 408 after HTTP_HEADERS_TIMEOUT / HTTP_REQUEST_TIMEOUT instead of holding a connection (and the
 * bytes it sent so far) for Node's default of 300 s.
 */
export function createHttpServer(app: RequestListener, config: Config): Server {
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT;
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(config.HTTP_HEADERS_TIMEOUT, requestTimeout);
  // Node checks both timeouts every `connectionsCheckingInterval` (30 s by default): check at least
  // twice per shortest limit, so a short configured limit is a real one.
  const connectionsCheckingInterval = Math.max(50, Math.min(30_000, Math.floor(headersTimeout / 2)));
  return createServer({ requestTimeout, headersTimeout, connectionsCheckingInterval }, app);
}

/** Listens and resolves once bound (rejects on EADDRINUSE and the like). */
export function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
