import { CreateWidgetSessions1763900201000 } from './1763900201000-CreateWidgetSessions';

// Migrations of the widget module, in timestamp order; collected by migrations/index.ts.
export const WIDGET_MIGRATIONS: Function[] = [CreateWidgetSessions1763900201000];
