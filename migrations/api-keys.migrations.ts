import { KeyKindsAndCustomerSessions1764000000000 } from './1764000000000-KeyKindsAndCustomerSessions';
import { RecordCreatorKind1764000001000 } from './1764000001000-RecordCreatorKind';
import { CreateAdminActions1764000002000 } from './1764000002000-CreateAdminActions';

// Migrations of the trust model (api-keys; creator kind on payments, transfers and saved cards), in
// timestamp order; collected by migrations/index.ts.
export const API_KEYS_MIGRATIONS: Function[] = [
  KeyKindsAndCustomerSessions1764000000000,
  RecordCreatorKind1764000001000,
  CreateAdminActions1764000002000,
];
