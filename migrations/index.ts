import { CreateApiKeys1763900000000 } from './1763900000000-CreateApiKeys';
import { CreateGatewayExchanges1763900001000 } from './1763900001000-CreateGatewayExchanges';
import { CreatePayments1763900002000 } from './1763900002000-CreatePayments';

// Migrations are listed explicitly (no glob) so they load the same way under Jest, ts and compiled JS.
// Append new ones in timestamp order; never edit one that has landed.
export const MIGRATIONS = [CreateApiKeys1763900000000, CreateGatewayExchanges1763900001000, CreatePayments1763900002000];
