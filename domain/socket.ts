import { z } from 'zod';
import { boundedText, portNumber, TEXT_MAX } from './limits';

/**
 * The sockets of a process, ready for the watch issue: nothing collects or stores them yet. A
 * socket is untrusted input like the rest of a snapshot, bounded by domain/limits.
 */
const text = boundedText;

export const SOCKET_PROTOCOLS = ['tcp', 'tcp6', 'udp', 'udp6'] as const;

/** TCP states in the Linux kernel's words (include/net/tcp_states.h, as `ss` prints them). */
export const TCP_STATES = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
] as const;

/** The most sockets one process reports (a busy server holds thousands; more is a hostile snapshot). */
export const SOCKETS_PER_PROCESS_MAX = 65_536;

/** One socket of a process: TCP has a state, UDP (connectionless) has none (null). */
export const socketSchema = z
  .object({
    protocol: z.enum(SOCKET_PROTOCOLS),
    localAddress: text(TEXT_MAX.address),
    localPort: portNumber,
    remoteAddress: text(TEXT_MAX.address),
    remotePort: portNumber,
    state: z.enum(TCP_STATES).nullable(),
  })
  .refine((s) => (s.protocol.startsWith('tcp') ? s.state !== null : s.state === null), {
    message: 'a TCP socket has a state and a UDP socket none',
    path: ['state'],
  });
export type SocketRecord = z.infer<typeof socketSchema>;

/**
 * The `connections` field of a process, not in domain/process.ts's schema yet: a snapshot carrying
 * `connections` has them ignored today, and validating them would refuse snapshots accepted now.
 * The watch issue adds `connections: connectionsField` to processSchema (older collectors omit it:
 * none), a `run_process_sockets` table with its mapping beside db/queries/process-rows.ts, and the
 * places that show it (a column in the layout, the JSON field list, the UI).
 */
export const connectionsField = z
  .array(socketSchema)
  .max(SOCKETS_PER_PROCESS_MAX)
  .default(() => []);
