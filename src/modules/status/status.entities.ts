// Entities of this module, collected by src/database/entities.ts (app and migration CLI).
export const STATUS_ENTITIES: Function[] = [];
