// Public surface of the ePay sandbox emulator.
export { startSandbox, SANDBOX_DEFAULTS, type RunningSandbox } from './sandbox.server';
export { SandboxStateStore } from './sandbox-state.store';
export {
  TEST_CARDS,
  CARD_PROFILES,
  GOOGLE_PAY_LAST4,
  type TestCard,
  type CardProfile,
} from './sandbox-test-cards.constant';
export { ROUTE_NAMES, type RouteName } from './sandbox-routes.constant';
export { ACS_APPROVE_OTP } from './sandbox-three-ds.service';
export type {
  ActiveFault,
  CaptureMode,
  FaultSpec,
  FaultType,
  PaymentTransaction,
  PaymentView,
  PostLinkDelivery,
  PostLinkOptions,
  SandboxControl,
  SandboxOptions,
  SavedCard,
  SeedQuirks,
  StatusName,
  TokenRecord,
  TransferTransaction,
  TransferView,
} from './sandbox.types';
export { encryptCryptogram, startPostLinkReceiver, driveAcs, readForm } from './sandbox-testing.util';
export type { CryptogramCard, PostLinkReceiver, ReceivedPostLink, AcsResult } from './sandbox-testing.util';
export { SandboxTestClient, LONG_SCOPE, type TestCardData } from './sandbox-test-client.util';
