import { ApiKeyEntity } from '../api-keys/api-key.entity';

// Every entity, for the app and the migration CLI. Add new entities here.
export const ENTITIES = [ApiKeyEntity];
