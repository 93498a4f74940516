import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Simulates the target going away: drops every open connection and refuses new ones. */
  cut(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to `targetPort` that a test can cut, to make a dependency (Postgres)
 * unreachable for one service instance without stopping it for everyone else.
 */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await done;
  };
  return { port, cut: close, close };
}
