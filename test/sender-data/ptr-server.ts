import dns2 from 'dns2';

/** A real DNS server on loopback (dns2, UDP) answering PTR queries from a map ip → host name. */
export interface PtrServer {
  /** `127.0.0.1:<port>`: what DNS_SERVERS is set to. */
  server: string;
  records: Map<string, string>;
  queries: string[];
  close(): Promise<void>;
}

function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

export async function startPtrServer(records: Record<string, string> = {}): Promise<PtrServer> {
  const map = new Map(Object.entries(records));
  const queries: string[] = [];
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = dns2.Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      if (q) {
        queries.push(q.name);
        for (const [ip, name] of map) {
          if (reverseName(ip) === q.name.toLowerCase() && q.type === dns2.Packet.TYPE.PTR) {
            response.answers.push({ name: q.name, type: dns2.Packet.TYPE.PTR, class: dns2.Packet.CLASS.IN, ttl: 60, domain: name } as never);
          }
        }
        if (response.answers.length === 0) response.header.rcode = 3; // NXDOMAIN
      }
      send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  return { server: `127.0.0.1:${addresses.udp!.port}`, records: map, queries, close: async () => void (await server.close()) };
}
