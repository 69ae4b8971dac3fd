import { WidgetSessionEntity } from './widget-session.entity';

// Entities of this module, collected by src/database/entities.ts (app and migration CLI).
export const WIDGET_ENTITIES: Function[] = [WidgetSessionEntity];
