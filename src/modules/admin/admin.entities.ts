// Entities of this module, collected by src/database/entities.ts (app and migration CLI).
export const ADMIN_ENTITIES: Function[] = [];
