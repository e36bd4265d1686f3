/** Espruino's built-in NetworkJS (libs/network/js): routes the built-in sockets to JavaScript callbacks. */
declare function require(name: "NetworkJS"): { create(callbacks: object): object };
