// Entities of this module, collected by src/database/entities.ts (app and migration CLI).
export const OUTBOUND_EVENTS_ENTITIES: Function[] = [];
