export declare const SAME_FOR_EVERY_RESPONSE: Readonly<Record<string, string>>;
