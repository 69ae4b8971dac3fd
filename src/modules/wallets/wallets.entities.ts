// Entities of this module, collected by src/database/entities.ts (app and migration CLI).
export const WALLETS_ENTITIES: Function[] = [];
