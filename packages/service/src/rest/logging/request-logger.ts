import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger, whose pino child is made when the request first logs. Most requests log
 * nothing with the access log off, and a child costs the serialization of its bindings on every
 * request (about 0.7 µs with Fastify's check of each new logger, docs/benchmarks.md). What it
 * writes is the child's, line for line; bindings added before then (setBindings, as tracing
 * does) go into the child when it is made.
 */
export class RequestLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger;
  #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  get #logger(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  get level(): LevelWithSilentOrString {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: LevelWithSilentOrString) {
    this.#logger.level = level;
  }

  setBindings(bindings: Bindings): void {
    if (this.#child === undefined) this.#bindings = { ...this.#bindings, ...bindings };
    else (this.#child as FastifyBaseLogger & { setBindings(bindings: Bindings): void }).setBindings(bindings);
  }

  /** A child of this one, made as lazily: its lines carry these bindings, then its own. */
  child(bindings: Bindings, options: ChildLoggerOptions = {}): FastifyBaseLogger {
    if (this.#child !== undefined) return this.#child.child(bindings, options);
    return new RequestLogger(this.#parent, { ...this.#bindings, ...bindings }, { ...this.#options, ...options });
  }

  #log(level: Level, args: unknown[]): void {
    (this.#logger[level] as (...args: unknown[]) => void)(...args);
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  silent(): void {}
}
