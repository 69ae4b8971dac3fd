// Migrations of the status module, in timestamp order; collected by migrations/index.ts.
export const STATUS_MIGRATIONS: Function[] = [];
