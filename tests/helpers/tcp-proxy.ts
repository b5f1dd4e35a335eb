// A TCP proxy on loopback that can freeze: while frozen it stops moving bytes both ways on
// every connection and leaves new ones hanging, the way a stalled database server or a
// broken network path looks to a client. For the outage tests. Not for production code.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let frozen = false;
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    if (frozen) {
      client.pause();
      upstream.pause();
    } else flow(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const each = (f: (s: net.Socket) => void) => {
    for (const [a, b] of pairs) {
      f(a);
      f(b);
    }
  };
  function flow([a, b]: [net.Socket, net.Socket]): void {
    a.pipe(b);
    b.pipe(a);
  }
  return {
    port,
    freeze() {
      frozen = true;
      // Unpiped first: a pipe resumes its source whenever the destination drains.
      each((s) => {
        s.unpipe();
        s.pause();
      });
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) flow(pair);
    },
    close: () =>
      new Promise((resolve) => {
        each((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
