/**
 * A TCP forwarder on a fixed loopback port in front of a server, that can go "down": its port is
 * closed (connections refused, like a server that is not running) and reopened on the same port,
 * so the app keeps its configured URL across the outage.
 */
import net from "node:net";
import { freePort } from "@/db/embedded";

export async function startTcpSwitch(target: { host: string; port: number }) {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => sockets.delete(socket));
        const upstream = net.connect(target.port, target.host);
        upstream.on("error", () => socket.destroy());
        upstream.on("close", () => socket.destroy());
        socket.on("close", () => upstream.destroy());
        socket.pipe(upstream);
        upstream.pipe(socket);
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        server = s;
        resolve();
      });
    });
  const close = async () => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    isUp: () => server !== null,
    /** Refuses every connection from now on (and drops the open ones). */
    down: close,
    up: async () => {
      if (!server) await listen();
    },
    stop: close,
  };
}

export type TcpSwitch = Awaited<ReturnType<typeof startTcpSwitch>>;
