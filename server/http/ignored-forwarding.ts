import type http from 'node:http';
import type { Logger } from '../log.js';
import { capKey } from '../realtime/connection-cap.js';
import { CLIENT_FORWARDING, peerAddress } from './client-address.js';

/**
 * Peers remembered (by the cap's key: an IPv4 address, an IPv6 /64) as sending forwarding headers that
 * were not used. A deployment has a proxy or a few; this bounds what a client inventing headers from
 * many addresses can make the server hold, and the warning lines it can make it write.
 */
export const REMEMBERED_PEERS = 1024;

/** Why a forwarding header did not name the client. */
type Cause = 'peer_not_trusted' | 'no_x_forwarded_for';

const FIX: Record<Cause, string> = {
  peer_not_trusted:
    'this peer is not in GLOSS_TRUSTED_PROXIES, so the header is not believed and every client it forwards shares its one connection cap (GLOSS_MAX_CONNECTIONS_PER_ADDRESS): if it is your reverse proxy, add its address to GLOSS_TRUSTED_PROXIES',
  no_x_forwarded_for:
    'this trusted proxy sends no X-Forwarded-For, the only header read for the client address, so every client it forwards shares its one connection cap (GLOSS_MAX_CONNECTIONS_PER_ADDRESS): have it set X-Forwarded-For',
};

/**
 * Handshakes whose forwarding header (`X-Forwarded-For`, `Forwarded`, `X-Real-IP`) did not name the
 * client, so the connection cap counted the peer. Behind a reverse proxy that is not in
 * GLOSS_TRUSTED_PROXIES, all its clients then share one cap, and the operator would first hear of it
 * from users refused `too_many_connections`: the first such handshake from each peer is a
 * `forwarded_header_ignored` warning naming the peer and the fix, and a later `too_many_connections`
 * refusal of that address names it as the likely cause.
 *
 * The warning names the headers, never their values: those are the client's text, and the peer's
 * address (the socket's, which nobody can write) is what the operator needs to act.
 */
export class IgnoredForwarding {
  readonly #causes = new Map<string, Cause>();
  #handshakes = 0;
  #fullSaid = false;

  constructor(
    private readonly log: Logger,
    private readonly trusted: ReadonlySet<string>,
  ) {}

  /** Handshakes so far whose forwarding header was ignored (`gloss_forwarded_header_ignored_total`). */
  get handshakes(): number {
    return this.#handshakes;
  }

  /** Looks at one handshake; warns the first time its peer sends a forwarding header that is not used. */
  note(req: http.IncomingMessage): void {
    const peer = peerAddress(req);
    const ignored = this.#ignored(req, peer);
    if (ignored === null) return;
    this.#handshakes++;
    const key = capKey(peer);
    if (this.#causes.has(key)) return;
    if (this.#causes.size >= REMEMBERED_PEERS) {
      if (!this.#fullSaid) this.log.warn('forwarded_header_peers_full', { remembered: REMEMBERED_PEERS, note: 'further peers sending ignored forwarding headers are not named; see the forwarded_header_ignored lines before this one' });
      this.#fullSaid = true;
      return;
    }
    this.#causes.set(key, ignored.cause);
    this.log.warn('forwarded_header_ignored', { peer, headers: ignored.headers, cause: ignored.cause, setting: ignored.cause === 'peer_not_trusted' ? 'GLOSS_TRUSTED_PROXIES' : undefined, fix: FIX[ignored.cause] });
  }

  /**
   * The fields a `too_many_connections` refusal of `address` adds when that address sends forwarding
   * headers that are not used (remembered, or on this very handshake once the memory is full): most
   * likely a proxy whose clients share one cap.
   */
  refusalHint(req: http.IncomingMessage, address: string): Record<string, string> {
    const peer = peerAddress(req);
    const cause = this.#causes.get(capKey(address)) ?? (address === peer ? this.#ignored(req, peer)?.cause : undefined);
    return cause === undefined ? {} : { likelyCause: 'forwarded_header_ignored', fix: FIX[cause] };
  }

  #ignored(req: http.IncomingMessage, peer: string): { cause: Cause; headers: string[] } | null {
    const sent = CLIENT_FORWARDING.filter((name) => req.headers[name] !== undefined);
    if (sent.length === 0) return null;
    if (!this.trusted.has(peer)) return { cause: 'peer_not_trusted', headers: sent };
    // A trusted proxy's X-Forwarded-For is read (client-address.ts); its other headers alone are not.
    return sent.includes('x-forwarded-for') ? null : { cause: 'no_x_forwarded_for', headers: sent };
  }
}
