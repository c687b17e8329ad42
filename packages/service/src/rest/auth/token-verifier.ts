import type { Caller } from '@simple-rest/module-contract';
import type { FastifyBaseLogger } from 'fastify';
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { AuthSettings } from '../../config/index.js';

/** How far `exp` and `nbf` may be off between the provider's clock and ours. */
export const CLOCK_TOLERANCE_S = 30;

/**
 * Asymmetric algorithms only: `none` is never accepted, nor an HMAC algorithm, whose "secret"
 * an attacker could take from the provider's public keys.
 */
export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface VerifierOptions {
  /** Keys to verify with instead of the provider's (tests, the conformance kit). */
  readonly keys?: JWTVerifyGetKey;
  /**
   * After an attempt to fetch the keys, whatever it gave, how long an unknown key waits for the
   * next one; 30 s by default, doubled after each failed attempt in a row (up to 16 times).
   */
  readonly refetchCooldownMs?: number;
}

/** A token that does not pass, with a reason for the log (never the token). */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

const DISCOVERY_TIMEOUT_MS = 2000;
/**
 * Tokens that passed, kept so a client's next requests with the same token skip the signature
 * check (an ES256 verification cost about 140 µs of CPU in the bench, docs/benchmarks.md): at most this many,
 * each for at most this long and never past its `exp`.
 */
const VERIFIED = { max: 10_000, ttlMs: 60_000 } as const;
const RETRY_MS = { first: 500, max: 30_000 };
const MAX_BACK_OFF = 16;

/** A provider's answer, read: the JSON of a 200 within the time-out, never through a redirect. */
async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS), redirect: 'error' });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/**
 * The provider's key set, cached for good. A token naming a key not in it fetches the set again,
 * at most once per cooldown counted from the last attempt (not, as jose's remote set counts, from
 * the last success: a failing provider would then be asked on every request), with back-off after
 * failures; while a fetch is pending or the cooldown runs, unknown keys are refused at once.
 */
class ProviderKeys {
  #keys: JWTVerifyGetKey;
  #lastAttempt = performance.now();
  #failures = 0;
  #pending: Promise<void> | undefined;

  private constructor(
    readonly url: string,
    readonly cooldownMs: number,
    keySet: JSONWebKeySet,
  ) {
    this.#keys = createLocalJWKSet(keySet);
  }

  static async fetch(url: string, cooldownMs: number): Promise<ProviderKeys> {
    return new ProviderKeys(url, cooldownMs, (await fetchJson(url)) as JSONWebKeySet);
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await this.#keys(header, token);
    } catch (error) {
      const unknownKey = (error as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY';
      const next = this.#lastAttempt + this.cooldownMs * Math.min(2 ** this.#failures, MAX_BACK_OFF);
      if (!unknownKey || this.#pending !== undefined || performance.now() < next) throw error;
      this.#pending = this.#refetch().finally(() => {
        this.#pending = undefined;
      });
      await this.#pending.catch(() => {
        throw error;
      });
      return this.#keys(header, token);
    }
  };

  async #refetch(): Promise<void> {
    this.#lastAttempt = performance.now();
    try {
      this.#keys = createLocalJWKSet((await fetchJson(this.url)) as JSONWebKeySet);
      this.#failures = 0;
    } catch (error) {
      this.#failures += 1;
      throw error;
    }
  }
}

/**
 * Verifies access tokens with the provider's keys: found through its discovery document's
 * `jwks_uri`, fetched once at start (retried until they come: /readyz waits for them), cached for
 * good, and fetched again when a token names a key not in the cache (ProviderKeys), so a key the
 * provider adds is taken without a restart and a provider that is down changes nothing for tokens
 * signed with a known key.
 */
export class TokenVerifier {
  #keys: JWTVerifyGetKey | undefined;
  #ready = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #verified = new LRUCache<string, Caller>({ max: VERIFIED.max });

  constructor(
    readonly settings: AuthSettings,
    readonly options: VerifierOptions = {},
  ) {
    if (options.keys) {
      this.#keys = options.keys;
      this.#ready = true;
    }
  }

  /** True once the keys have been fetched. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Fetches the discovery document and the keys, again and again with a growing pause until they come. */
  start(log: FastifyBaseLogger): void {
    if (this.#ready) return;
    const attempt = async (pauseMs: number): Promise<void> => {
      try {
        await this.#load();
        this.#ready = true;
        log.info({ issuer: this.settings.issuer }, 'token keys fetched');
      } catch (error) {
        log.warn(
          { issuer: this.settings.issuer, reason: (error as Error).message, retryInMs: pauseMs },
          'token keys not fetched',
        );
        if (this.#stopped) return;
        this.#timer = setTimeout(() => void attempt(Math.min(pauseMs * 2, RETRY_MS.max)), pauseMs);
        this.#timer.unref();
      }
    };
    void attempt(RETRY_MS.first);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #load(): Promise<void> {
    const discoveryUrl = `${this.settings.issuer}/.well-known/openid-configuration`;
    const document = (await fetchJson(discoveryUrl)) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== this.settings.issuer && document.issuer !== `${this.settings.issuer}/`) {
      throw new Error(`${discoveryUrl} names the issuer ${String(document.issuer)}, not AUTH_ISSUER`);
    }
    if (typeof document.jwks_uri !== 'string' || !/^https?:\/\//.test(document.jwks_uri)) {
      throw new Error(`${discoveryUrl} has no http(s) jwks_uri`);
    }
    // Keys for an https issuer come over https too: a plain-http jwks_uri would let anyone on
    // the path swap them.
    if (this.settings.issuer.startsWith('https:') && !document.jwks_uri.startsWith('https:')) {
      throw new Error(`${discoveryUrl} names a jwks_uri that is not https under an https issuer`);
    }
    const keys = await ProviderKeys.fetch(document.jwks_uri, this.options.refetchCooldownMs ?? 30_000);
    this.#keys = keys.getKey;
  }

  /** The caller a token names, once its signature, issuer, audience and times are checked. */
  async verify(token: string): Promise<Caller> {
    const known = this.#verified.get(token);
    if (known !== undefined) return known;
    if (this.#keys === undefined) throw new InvalidTokenError('the keys are not fetched yet');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keys, {
        issuer: [this.settings.issuer, `${this.settings.issuer}/`],
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
        ...(this.settings.tokenType !== undefined && { typ: this.settings.tokenType }),
      }));
    } catch (error) {
      // jose's errors carry a code; a failed fetch of the keys is a plain TypeError.
      throw new InvalidTokenError((error as { code?: string }).code ?? (error as Error).name);
    }
    // RFC 7519 makes `sub` a string; a number or an object would be a different caller once printed.
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('sub is not a string');
    const caller: Caller = Object.freeze({ subject: payload.sub, scopes: scopesOf(payload), claims: payload });
    const untilExpiry = (payload.exp ?? 0) * 1000 - Date.now();
    if (untilExpiry > 0) this.#verified.set(token, caller, { ttl: Math.min(VERIFIED.ttlMs, untilExpiry) });
    return caller;
  }
}

/** Who checks tokens: a verifier for a provider, `disabled`, or nobody (routes that declare scopes then refuse every request). */
export function verifierFor(
  auth: (AuthSettings & VerifierOptions) | 'disabled' | undefined,
): TokenVerifier | 'disabled' | undefined {
  if (auth === undefined || auth === 'disabled') return auth;
  const { issuer, audience, tokenType, ...options } = auth;
  return new TokenVerifier({ issuer, audience, ...(tokenType !== undefined && { tokenType }) }, options);
}

/** The scopes a token grants: `scope`, space-separated (RFC 8693), or `scp`, an array or a string. */
export function scopesOf(payload: JWTPayload): string[] {
  const { scope, scp } = payload as { scope?: unknown; scp?: unknown };
  const listed =
    typeof scope === 'string'
      ? scope.split(' ')
      : Array.isArray(scp)
        ? scp
        : typeof scp === 'string'
          ? scp.split(' ')
          : [];
  return listed.filter((value): value is string => typeof value === 'string' && value !== '');
}
