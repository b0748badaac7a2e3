/**
 * The per-file lifecycle of a real CalDAV server in an integration test: started before the
 * block's first test (skipped, with a message, where the binary is missing; a failure in CI),
 * optionally behind the fault proxy (reset after every test), and stopped after the block.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { serverAvailable, startCalDavServer, type CalDavServerKind, type RadicaleOptions, type RunningCalDavServer } from "./caldav-servers";
import { startFaultProxy, type FaultProxy } from "./fault-proxy";

/**
 * Stands for an object that a beforeAll creates later, so a describe block can name it while it
 * is being collected: every property read, method call and write goes to the object once it exists.
 */
function lateBound<T extends object>(what: string) {
  let value: T | undefined;
  const target = (): T => {
    if (!value) throw new Error(`${what} is not running (used outside its describe block, or before its beforeAll ran)`);
    return value;
  };
  const ref = new Proxy({} as T, {
    get(_, key) {
      // Probes by awaiting or printing code must not throw before the object exists.
      if (!value && (typeof key === "symbol" || key === "then")) return undefined;
      const t = target();
      const member: unknown = Reflect.get(t, key);
      return typeof member === "function" ? member.bind(t) : member;
    },
    set: (_, key, member) => Reflect.set(target(), key, member),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(target(), key),
  });
  return {
    ref,
    get current() {
      return value;
    },
    set current(next: T | undefined) {
      value = next;
    },
  };
}

/**
 * Call in a describe block (or at the top of a file). `available` is for `describe.skipIf(!available)`;
 * `server` and `proxy` may be used in the block's hooks and tests. `proxy` exists only with `faultProxy`.
 */
export function setupCalDavServer(kind: CalDavServerKind, opts: RadicaleOptions & { faultProxy?: boolean } = {}) {
  const available = serverAvailable(kind);
  const server = lateBound<RunningCalDavServer>(`the ${kind} server`);
  const proxy = lateBound<FaultProxy>(`the fault proxy in front of ${kind}`);
  beforeAll(async () => {
    if (!available) return;
    server.current = await startCalDavServer(kind, opts);
    if (opts.faultProxy) proxy.current = await startFaultProxy(server.current.baseUrl);
  });
  afterEach(() => {
    proxy.current?.reset();
  });
  afterAll(async () => {
    await proxy.current?.stop();
    await server.current?.stop();
  });
  return { available, server: server.ref, proxy: proxy.ref };
}
