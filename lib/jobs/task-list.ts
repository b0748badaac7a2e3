import type { TaskList } from "graphile-worker";
import { z } from "zod";
import type { Database } from "@/db/client";
import { deliverNotification } from "@/lib/notifications/deliver-notification";

const notificationPayload = z.object({ notificationId: z.string().uuid() });

/** Every background job Holdfast runs, by name. Handlers throw to be retried with backoff. */
export function createTaskList(db: Database): TaskList {
  return {
    deliver_notification: async (payload, helpers) => {
      const { notificationId } = notificationPayload.parse(payload);
      const outcome = await deliverNotification(db, notificationId, { finalAttempt: helpers.job.attempts >= helpers.job.max_attempts });
      helpers.logger.debug(`notification ${notificationId}: ${outcome}`);
    },
  };
}
