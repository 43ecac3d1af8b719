/** Rooms are keyed by tenant and normalized page key; a tenant never contains '|', so keys cannot collide. */
export function roomOf(tenant: string, pageKey: string): string {
  return `${tenant}|${pageKey}`;
}

export function tenantOfRoom(room: string): string {
  return room.slice(0, room.indexOf('|'));
}
