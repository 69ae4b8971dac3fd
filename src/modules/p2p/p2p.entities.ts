import { TransferEntity } from './transfer.entity';
import { TransferEventEntity } from './transfer-event.entity';

// Entities of this module, collected by src/database/entities.ts (app and migration CLI).
export const P2P_ENTITIES: Function[] = [TransferEntity, TransferEventEntity];
