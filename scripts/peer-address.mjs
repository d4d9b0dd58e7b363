// The TCP peer of each request, for the app: Next's route handlers never see the socket, and
// Next keeps any X-Forwarded-For a client sends. Every HTTP server this process creates from now on
// (Next's, when scripts/start.mjs runs `next start` in-process) writes the socket's remote address
// into PEER_HEADER before anything else reads the request, replacing whatever a client sent
// under that name. The app trusts the header only when the marker below is set in its process,
// so a server started some other way never believes a client's copy.
import http from 'node:http';
import https from 'node:https';

export const PEER_HEADER = 'x-proclens-peer';
/** globalThis[PEER_MARKER] names the header once stamping is on (read by server/auth/client-address.ts). */
export const PEER_MARKER = Symbol.for('proclens.peer-address-header');

function stamp(req) {
  req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? '';
}

export function stampPeerAddresses() {
  if (globalThis[PEER_MARKER]) return;
  for (const mod of [http, https]) {
    const create = mod.createServer;
    mod.createServer = function createStampedServer(...args) {
      const server = create.apply(this, args);
      // First listener: runs before the one createServer was given.
      server.prependListener('request', stamp);
      return server;
    };
  }
  globalThis[PEER_MARKER] = PEER_HEADER;
}
