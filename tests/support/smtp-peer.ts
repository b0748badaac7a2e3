import net from "node:net";
import { SMTPServer } from "smtp-server";
import { freePort } from "@/db/embedded";

export type ReceivedMail = { from: string; to: string[]; raw: string; text: string; messageId: string | undefined; subject: string };

/** Undoes quoted-printable and RFC 2047 subjects so tests can read what a mail client shows. */
function decodeForReading(raw: string) {
  const qp = raw.replace(/=\r?\n/g, "").replace(/(=[0-9A-F]{2})+/g, (run) =>
    Buffer.from(
      run
        .split("=")
        .slice(1)
        .map((h) => Number.parseInt(h, 16)),
    ).toString("utf8"),
  );
  return qp.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, body: string) =>
    enc.toUpperCase() === "B" ? Buffer.from(body, "base64").toString("utf8") : body.replace(/_/g, " "),
  );
}

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it receives.
 * With `holdMailFromMs` (changeable later through `holdMailFrom(ms)`) it answers MAIL FROM only
 * after that long: a slow server, with each message still in flight and nothing accepted yet.
 */
export async function startSmtpPeer(port?: number, opts: { holdMailFromMs?: number } = {}) {
  const received: ReceivedMail[] = [];
  let holdMs = opts.holdMailFromMs ?? 0;
  const held = new Map<string, { timer: NodeJS.Timeout; answer: () => void }>();
  const release = (sessionId: string) => {
    const waiting = held.get(sessionId);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    held.delete(sessionId);
    waiting.answer();
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onMailFrom(_address, session, callback) {
      if (holdMs <= 0) return callback();
      const timer = setTimeout(() => release(session.id), holdMs);
      held.set(session.id, { timer, answer: () => callback() });
    },
    onClose(session) {
      // A client that hung up while held (e.g. a killed worker) never gets an answer.
      const waiting = held.get(session.id);
      if (waiting) clearTimeout(waiting.timer);
      held.delete(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const text = decodeForReading(raw);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          text,
          messageId: /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim(),
          subject:
            /^Subject:\s*(.+(?:\r?\n[ \t].+)*)$/im
              .exec(text)?.[1]
              ?.replace(/\r?\n[ \t]/g, " ")
              .trim() ?? "",
        });
        callback();
      });
    },
  });
  // A client vanishing mid-session (a killed worker) is an error of that connection, not ours.
  server.on("error", () => undefined);
  const listenPort = port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, "127.0.0.1", () => resolve());
  });
  return {
    port: listenPort,
    url: `smtp://127.0.0.1:${listenPort}`,
    received,
    /** From now on, hold MAIL FROM this long (0: answer at once, and release those held now). */
    holdMailFrom: (ms: number) => {
      holdMs = ms;
      if (ms <= 0) for (const sessionId of [...held.keys()]) release(sessionId);
    },
    /** How many sessions wait for their MAIL FROM answer right now. */
    held: () => held.size,
    stop: () => {
      for (const waiting of held.values()) clearTimeout(waiting.timer);
      held.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * An SMTP server that greets and then never answers again (a hung mail relay): a raw socket on
 * 127.0.0.1, so nothing in it can time out on its own.
 */
export async function startStallingSmtpServer() {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    socket.write("220 stall.test ESMTP ready\r\n");
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** Connections made so far. */
    connections: () => connections,
    /** Connections still open. */
    open: () => sockets.size,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
