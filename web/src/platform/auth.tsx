/** Who is logged in: GET /api/auth/me on load, login, logout, and the permissions that decide menus and buttons. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
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
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const refresh = useCallback(async () => {
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
    void refresh();
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
