// What an admin operation on an authorisation does (two-step terminals, API.md §6).
export enum PaymentOperationKind {
  CHARGE = 'charge',
  CANCEL = 'cancel',
}
