import type { Caller } from '@simple-rest/module-contract';
import type { FastifyBaseLogger } from 'fastify';
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { AuthSettings } from '../config.js';

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
  /** After a fetch of the keys, how long an unknown key waits for the next one; 30 s by default. */
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
const RETRY_MS = { first: 500, max: 30_000 };

/**
 * Verifies access tokens with the provider's keys: found through its discovery document's
 * `jwks_uri`, fetched once at start (retried until they come: /readyz waits for them), cached for
 * good, and fetched again when a token names a key not in the cache (at most once per cooldown),
 * so a key the provider adds is taken without a restart and a provider that is down changes
 * nothing for tokens signed with a known key.
 */
export class TokenVerifier {
  #keys: (JWTVerifyGetKey & { reload?: () => Promise<void> }) | undefined;
  #ready = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

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
    const response = await fetch(discoveryUrl, {
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`${discoveryUrl} answered ${response.status}`);
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== this.settings.issuer && document.issuer !== `${this.settings.issuer}/`) {
      throw new Error(`${discoveryUrl} names the issuer ${String(document.issuer)}, not AUTH_ISSUER`);
    }
    if (typeof document.jwks_uri !== 'string' || !/^https?:\/\//.test(document.jwks_uri)) {
      throw new Error(`${discoveryUrl} has no http(s) jwks_uri`);
    }
    const keys = createRemoteJWKSet(new URL(document.jwks_uri), {
      cacheMaxAge: Number.POSITIVE_INFINITY,
      cooldownDuration: this.options.refetchCooldownMs ?? 30_000,
      timeoutDuration: DISCOVERY_TIMEOUT_MS,
    });
    await keys.reload();
    this.#keys = keys;
  }

  /** The caller a token names, once its signature, issuer, audience and times are checked. */
  async verify(token: string): Promise<Caller> {
    if (this.#keys === undefined) throw new InvalidTokenError('the keys are not fetched yet');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keys, {
        issuer: [this.settings.issuer, `${this.settings.issuer}/`],
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      // jose's errors carry a code; a failed fetch of the keys is a plain TypeError.
      throw new InvalidTokenError((error as { code?: string }).code ?? (error as Error).name);
    }
    return { subject: String(payload.sub), scopes: scopesOf(payload), claims: payload };
  }
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
