/** The paths of the tutorial's four answers, as the load generator asks them (rotate.lua). */
export declare const CONTRACT_PATHS: readonly string[];
/** The contract's body for a request URL; undefined for any other URL. */
export declare function contractBody(url: string): string | undefined;
