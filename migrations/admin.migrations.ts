// Migrations of the admin module, in timestamp order; collected by migrations/index.ts.
export const ADMIN_MIGRATIONS: Function[] = [];
