/**
 * Who is logged in: GET /api/auth/me on load, login, logout, and the permissions that decide menus and buttons.
 * The pages of a hall's devices and the public e-channel (kiosk, calling display, remote ticket, a slip's
 * follow link) do not ask: they carry their own credentials (a device token, a phone's code, a slip's link)
 * and would only log a 401 on every load. Should such a page lead into the console, `ensure()` asks then.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Me } from '../../../src/modules/auth/contract.ts';
import { ApiError, api, setUnauthorizedListener } from './api.ts';

export type { Me };

export interface LoginReply {
  me: Me;
  token: string;
  expiresAt: string;
}

interface AuthState {
  /** undefined while the first GET /api/auth/me is on its way; null when nobody is logged in. */
  me: Me | null | undefined;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<Me | null>;
  can: (permission: string) => boolean;
  /** Asks who is logged in if nobody has asked yet (on a device page the first load does not). */
  ensure: () => void;
}

/** The paths of the device and public pages (App.tsx), which never need the console's session. */
export const DEVICE_PATHS = /^\/(kiosk|display|m)(\/|$)/;

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const asked = useRef(false);

  const refresh = useCallback(async () => {
    asked.current = true;
    try {
      const next = await api.get<Me>('/api/auth/me');
      setMe(next);
      return next;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        setMe(null);
        return null;
      }
      // the server is unreachable: show the login page, which reports the problem when used
      setMe(null);
      return null;
    }
  }, []);

  useEffect(() => {
    if (!DEVICE_PATHS.test(window.location.pathname)) void refresh();
    setUnauthorizedListener(() => setMe(null));
    return () => setUnauthorizedListener(null);
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    const reply = await api.post<LoginReply>('/api/auth/login', { username, password });
    setMe(reply.me);
    return reply.me;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post<void>('/api/auth/logout');
    } finally {
      setMe(null);
    }
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      me,
      login,
      logout,
      refresh,
      can: (permission) => Boolean(me?.permissions.includes(permission)),
      ensure: () => {
        if (!asked.current) void refresh();
      },
    }),
    [me, login, logout, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

/** The logged-in person (inside the protected part of the console, where `me` is always set). */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
