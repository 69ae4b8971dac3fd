// Migrations of the outbound-events module, in timestamp order; collected by migrations/index.ts.
export const OUTBOUND_EVENTS_MIGRATIONS: Function[] = [];
