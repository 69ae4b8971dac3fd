// Migrations of the wallets module, in timestamp order; collected by migrations/index.ts.
export const WALLETS_MIGRATIONS: Function[] = [];
