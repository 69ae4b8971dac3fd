// Migrations of the p2p module, in timestamp order; collected by migrations/index.ts.
export const P2P_MIGRATIONS: Function[] = [];
