import type { Actor } from './policy.ts';

/** Who a request acts as, and through which credential. */
export interface Principal {
  actor: Actor;
  credentialId: string;
  via: 'session' | 'token';
  /** The initial password, or an expired one, must be changed before anything else. */
  mustChangePassword: boolean;
}
