import { CreateTransfers1763900200000 } from './1763900200000-CreateTransfers';

// Migrations of the p2p module, in timestamp order; collected by migrations/index.ts.
export const P2P_MIGRATIONS: Function[] = [CreateTransfers1763900200000];
