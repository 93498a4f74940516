import type { Readable } from 'node:stream';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';

/** What smtp-server's connection objects offer that we use (its typings leave them `any`). */
interface Connection {
  id: string;
  send(code: number, message: string): void;
}

/**
 * A total time limit on one DATA phase. The socket's idle timeout restarts at every byte, so a
 * client sending one byte every 30 s could hold a connection (and the message so far) forever;
 * past `ms` we answer 421 — which makes smtp-server close the connection — and end the message
 * stream so the handler lets go of it. Returns the function that cancels the deadline.
 */
export function dataDeadline(server: SMTPServer, session: SMTPServerSession, stream: Readable, ms: number): () => void {
  const timer = setTimeout(() => {
    const connection = [...(server.connections as Set<Connection>)].find((c) => c.id === session.id);
    connection?.send(421, `4.4.2 the message took longer than ${Math.round(ms / 1000)} s to send; closing`);
    stream.destroy(Object.assign(new Error('DATA time limit passed'), { code: 'EDATATIME' }));
  }, ms);
  timer.unref();
  return () => clearTimeout(timer);
}
