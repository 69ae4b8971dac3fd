// Migrations of the widget module, in timestamp order; collected by migrations/index.ts.
export const WIDGET_MIGRATIONS: Function[] = [];
