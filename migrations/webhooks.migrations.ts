// Migrations of the webhooks module, in timestamp order; collected by migrations/index.ts.
export const WEBHOOKS_MIGRATIONS: Function[] = [];
