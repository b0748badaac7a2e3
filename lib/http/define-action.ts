import type { z } from "@/lib/zod";
import { getDb, type Database } from "@/db/client";
import { requireAdmin, type SessionUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/bookings/audit-context";
import { assertCustomerToken } from "@/lib/bookings/get-customer-booking";
import { actorFrom, type ClientInfo } from "./client-info";
import { actionClientInfo, parseActionInput, runAction, type ActionResult } from "./server-action";

/**
 * Who may call a server action: anyone (the booking flow; its rate limits stay in the action);
 * a signed-in admin (session read and role checked in the database here, the proxy in front of
 * /admin is only the first lock); or whoever holds a booking's signed manage link (`bookingId`
 * and `token` in the input, checked against the booking's current secret and the link's expiry).
 */
export type ActionAuth = "public" | "admin" | "customer-manage-token";

/** What a manage-link action's input must carry for the wrapper to check the link. */
export type ManageLinkInput = { bookingId: string; token: string };

export type ActionDefinition<A extends ActionAuth, S extends z.ZodType> = {
  auth: A;
  /** Parses the action's argument as the browser sent it; a failure is `invalid_input` with messages per field, and the handler does not run. */
  input: A extends "customer-manage-token" ? S & z.ZodType<ManageLinkInput> : S;
};

type AuthArgs<A extends ActionAuth> = A extends "admin" ? { user: SessionUser; actor: Actor } : unknown;

export type ActionHandlerArgs<A extends ActionAuth, I> = { input: I; db: Database; client: ClientInfo } & AuthArgs<A>;

/** `markAlertsReadAction()` may be called without an argument when its schema accepts `undefined`. */
type ActionParams<I> = undefined extends I ? [input?: I] : [input: I];

export type DefinedAction<I, T> = (...args: ActionParams<I>) => Promise<ActionResult<T>>;

const authOfAction = new WeakMap<object, ActionAuth>();

/**
 * A server action from its definition, in the order a request flows (CONVENTIONS.md): authorize
 * (admin: before the input is even looked at, so a stranger learns nothing of its shape), parse,
 * check the manage link (it is part of the input), then the handler. Every failure, thrown by any
 * step, comes back as the one `ActionResult` error shape the components read (runAction); nothing
 * throws to the browser, where production builds would mask the message.
 */
export function defineAction<A extends ActionAuth, S extends z.ZodType, T>(
  definition: ActionDefinition<A, S>,
  handler: (args: ActionHandlerArgs<A, z.output<S>>) => Promise<T>,
): DefinedAction<z.input<S>, T> {
  const action = async (...args: unknown[]): Promise<ActionResult<T>> =>
    runAction(async () => {
      const user = definition.auth === "admin" ? await requireAdmin() : undefined;
      const input = parseActionInput(definition.input, args[0]);
      const db = getDb();
      if (definition.auth === "customer-manage-token") {
        const link = input as ManageLinkInput;
        await assertCustomerToken(db, link.bookingId, link.token);
      }
      const client = await actionClientInfo();
      const authArgs = user ? { user, actor: actorFrom(client, "admin", user.id) } : {};
      return handler({ input, db, client, ...authArgs } as ActionHandlerArgs<A, z.output<S>>);
    });
  authOfAction.set(action, definition.auth);
  return action as DefinedAction<z.input<S>, T>;
}

/** The caller kind an action was defined with, or undefined when `value` was not made by defineAction (the tests check every action file). */
export function actionAuthOf(value: unknown): ActionAuth | undefined {
  return typeof value === "function" ? authOfAction.get(value) : undefined;
}
