export * from "./studio";
export * from "./bookings";
export * from "./notifications";
export * from "./users";
export * from "./calendars";
export * from "./admin";
