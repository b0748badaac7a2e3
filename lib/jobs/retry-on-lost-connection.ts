/**
 * Retries a database write that records something which already happened outside (an SMTP server
 * accepted a mail) while the database is unreachable: a Postgres restart lasts seconds, and
 * throwing instead would run the job again and repeat the outside effect. Other errors are thrown
 * at once; after `budgetMs` the last connection error is.
 */
const CONNECTION_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "57P01", "57P02", "57P03", "08000", "08003", "08006"]);

export function isLostConnectionError(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; current && typeof current === "object" && depth < 4; depth += 1) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) return true;
    if (typeof message === "string" && /Connection terminated|connection is closed|Client has encountered a connection error/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export async function retryOnLostConnection<T>(write: () => Promise<T>, opts: { budgetMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (opts.budgetMs ?? 60_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!isLostConnectionError(err) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5_000)));
    }
  }
}
