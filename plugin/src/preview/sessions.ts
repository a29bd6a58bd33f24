import { randomBytes } from 'node:crypto';

/**
 * Sign-in sessions of the local portal, in memory: a random token in an HttpOnly, SameSite=Strict cookie
 * names the signed-in user. Restarting the server signs everybody out.
 */

export const SESSION_COOKIE = 'cpq_session';

/** A session unused this long is gone. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;

export type Session = { token: string; userId: string; createdAt: number; lastSeenAt: number };

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  public constructor(
    private readonly idleMs: number = SESSION_IDLE_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** A new session for `userId` with a fresh 256-bit token. */
  public create(userId: string): Session {
    this.sweep();
    const at = this.now();
    const session: Session = { token: randomBytes(32).toString('base64url'), userId, createdAt: at, lastSeenAt: at };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The live session of a token (and marks it used), or undefined. */
  public get(token: string | undefined): Session | undefined {
    if (token === undefined || token === '') return undefined;
    const session = this.sessions.get(token);
    if (!session) return undefined;
    const at = this.now();
    if (at - session.lastSeenAt > this.idleMs) {
      this.sessions.delete(token);
      return undefined;
    }
    session.lastSeenAt = at;
    return session;
  }

  public destroy(token: string | undefined): void {
    if (token !== undefined) this.sessions.delete(token);
  }

  public get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const at = this.now();
    for (const [token, session] of this.sessions) {
      if (at - session.lastSeenAt > this.idleMs) this.sessions.delete(token);
    }
  }
}
