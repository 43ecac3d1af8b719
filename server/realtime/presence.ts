import type { User } from '../../protocol/model.js';

/** Users listed in a presence message at most; `viewers` stays exact beyond it. */
export const MAX_LISTED_USERS = 100;

/**
 * Who is on each page, counted by user rather than socket: two tabs or two browsers of one person
 * are one viewer. In memory on purpose: presence is about live connections, which die with the process.
 */
export class PresenceTracker {
  private readonly rooms = new Map<string, Map<string, { name: string; sockets: Set<string> }>>();

  /** True when the room's user list changed. */
  join(room: string, user: User, socketId: string): boolean {
    let users = this.rooms.get(room);
    if (!users) this.rooms.set(room, (users = new Map()));
    const entry = users.get(user.id);
    if (entry) {
      entry.sockets.add(socketId);
      if (entry.name === user.name) return false;
      entry.name = user.name;
      return true;
    }
    users.set(user.id, { name: user.name, sockets: new Set([socketId]) });
    return true;
  }

  /** True when the room's user list changed. */
  leave(room: string, userId: string, socketId: string): boolean {
    const users = this.rooms.get(room);
    const entry = users?.get(userId);
    if (!users || !entry || !entry.sockets.delete(socketId)) return false;
    if (entry.sockets.size > 0) return false;
    users.delete(userId);
    if (users.size === 0) this.rooms.delete(room);
    return true;
  }

  view(room: string): { viewers: number; users: User[] } {
    const users = this.rooms.get(room);
    if (!users) return { viewers: 0, users: [] };
    const list: User[] = [];
    for (const [id, { name }] of users) {
      if (list.length >= MAX_LISTED_USERS) break;
      list.push({ id, name });
    }
    return { viewers: users.size, users: list };
  }

  roomCount(): number {
    return this.rooms.size;
  }
}
