export declare const PEER_HEADER: string;
export declare const PEER_MARKER: unique symbol;
export declare function stampPeerAddresses(): void;
