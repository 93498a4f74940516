import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Where the service's notifications go during bench:e2e: a local SMTP sink (MAIL_RELAY_URL) and a
 * webhook receiver, both on loopback, both counting what they got. They run in the bench process,
 * so their CPU counts as the load generator's, not the service's.
 */
export interface LoopSinks {
  relayUrl: string;
  webhookUrl: string;
  mails(): number;
  deliveries(): number;
  close(): Promise<void>;
}

export async function startLoopSinks(): Promise<LoopSinks> {
  let mails = 0;
  let deliveries = 0;
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, cb) {
      stream.resume();
      stream.on('end', () => {
        mails++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const http = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      deliveries++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    relayUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    webhookUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`,
    mails: () => mails,
    deliveries: () => deliveries,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
      await new Promise<void>((r) => smtp.close(() => r()));
    },
  };
}
