import { SMTPServer } from "smtp-server";
import { freePort } from "@/db/embedded";

export type ReceivedMail = { from: string; to: string[]; raw: string; text: string; messageId: string | undefined; subject: string };

/** Undoes quoted-printable and RFC 2047 subjects so tests can read what a mail client shows. */
function decodeForReading(raw: string) {
  const qp = raw.replace(/=\r?\n/g, "").replace(/(=[0-9A-F]{2})+/g, (run) => Buffer.from(run.split("=").slice(1).map((h) => Number.parseInt(h, 16))).toString("utf8"));
  return qp.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, body: string) =>
    enc.toUpperCase() === "B" ? Buffer.from(body, "base64").toString("utf8") : body.replace(/_/g, " "),
  );
}

/** A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it receives. */
export async function startSmtpPeer(port?: number) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
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
          subject: /^Subject:\s*(.+(?:\r?\n[ \t].+)*)$/im.exec(text)?.[1]?.replace(/\r?\n[ \t]/g, " ").trim() ?? "",
        });
        callback();
      });
    },
  });
  const listenPort = port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, "127.0.0.1", () => resolve());
  });
  return {
    port: listenPort,
    url: `smtp://127.0.0.1:${listenPort}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
