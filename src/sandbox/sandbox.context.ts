import type { SandboxKeys } from './sandbox-keys.util';
import type { PostLinkDispatcher } from './sandbox-postlink.dispatcher';
import type { SandboxStateStore } from './sandbox-state.store';

// What every route module needs; built once by startSandbox.
export interface SandboxContext {
  store: SandboxStateStore;
  keys: SandboxKeys;
  postLinks: PostLinkDispatcher;
  log: (line: string) => void;
}
