/** How long a join, sync or operation may wait for the server's answer before it counts as failed. */
export const ACK_TIMEOUT_MS = 15_000;
