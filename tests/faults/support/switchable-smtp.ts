/**
 * The SMTP server of the fault suite, switchable between behaviours while the app keeps the same
 * SMTP_URL: a front TCP port (what the app connects to) and a real smtp-server behind it.
 * - `accept`: a working server; every message is kept with its Message-ID;
 * - `refuse`: the real server answers 554 to MAIL FROM (a relay refusing mail);
 * - `stall`: the front greets (220) and then never answers again (a hung relay);
 * - `slow`: MAIL FROM is answered only after `slowMs` (each message stays in flight, nothing
 *   accepted yet), so a worker can be killed in the middle of a delivery.
 */
import net from "node:net";
import { SMTPServer } from "smtp-server";
import { freePort } from "@/db/embedded";

export type SmtpMode = "accept" | "refuse" | "stall" | "slow";
export type ReceivedMessage = { messageId: string | undefined; to: string[]; subject: string; at: number };

export async function startSwitchableSmtp(opts: { slowMs?: number } = {}) {
  let mode: SmtpMode = "accept";
  let slowMs = opts.slowMs ?? 8_000;
  const received: ReceivedMessage[] = [];
  const held = new Map<string, { timer: NodeJS.Timeout; answer: () => void }>();
  const release = (id: string) => {
    const waiting = held.get(id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    held.delete(id);
    waiting.answer();
  };

  const backend = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onMailFrom(_address, session, callback) {
      if (mode === "refuse") return callback(Object.assign(new Error("5.7.1 Relaying refused (fault suite)"), { responseCode: 554 }));
      if (mode !== "slow") return callback();
      const timer = setTimeout(() => release(session.id), slowMs);
      held.set(session.id, { timer, answer: () => callback() });
    },
    onClose(session) {
      // A client that hung up while held (a killed worker) never gets its answer.
      const waiting = held.get(session.id);
      if (waiting) clearTimeout(waiting.timer);
      held.delete(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({
          messageId: /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim(),
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: /^Subject:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? "",
          at: Date.now(),
        });
        callback();
      });
    },
  });
  backend.on("error", () => undefined);
  const backendPort = await freePort();
  await new Promise<void>((resolve, reject) => {
    backend.once("error", reject);
    backend.listen(backendPort, "127.0.0.1", () => resolve());
  });

  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    if (mode === "stall") {
      socket.write("220 stall.fault-suite ESMTP ready\r\n");
      return;
    }
    const upstream = net.connect(backendPort, "127.0.0.1");
    upstream.on("error", () => socket.destroy());
    socket.on("close", () => upstream.destroy());
    upstream.on("close", () => socket.destroy());
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(port, "127.0.0.1", () => resolve());
  });

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    mode: () => mode,
    setMode(next: SmtpMode, opts2: { slowMs?: number } = {}) {
      if (opts2.slowMs) slowMs = opts2.slowMs;
      const previous = mode;
      mode = next;
      // Sessions stalled after the greeting stay hung until the client gives up; sessions held
      // by `slow` get their answer as soon as the server is fast again.
      if (previous === "slow" && next !== "slow") for (const id of [...held.keys()]) release(id);
    },
    /** Sessions waiting for their MAIL FROM answer right now. */
    held: () => held.size,
    stop: async () => {
      for (const waiting of held.values()) clearTimeout(waiting.timer);
      held.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => backend.close(() => resolve()));
    },
  };
}

export type SwitchableSmtp = Awaited<ReturnType<typeof startSwitchableSmtp>>;
