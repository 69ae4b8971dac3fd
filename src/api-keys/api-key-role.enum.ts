export enum ApiKeyRole {
  CLIENT = 'client',
  ADMIN = 'admin',
}
