import type { Actor } from './policy.ts';

/** Who a request acts as, and through which credential. */
export interface Principal {
  actor: Actor;
  credentialId: string;
  /** session, token; or phone: the e-channel's capability of a phone proven by a one-time code. */
  via: 'session' | 'token' | 'phone';
  /** For `phone`: the hash of the proven phone number. */
  phoneHash?: string;
  /** The initial password, or an expired one, must be changed before anything else. */
  mustChangePassword: boolean;
}
