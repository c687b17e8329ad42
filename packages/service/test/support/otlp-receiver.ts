import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A span as OTLP/JSON encodes it (ids in hex), with its attributes flattened to values. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly traceState?: string;
  readonly name: string;
  /** 2 is SERVER, 3 is CLIENT. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly status?: { readonly code?: number; readonly message?: string };
  readonly resource: Readonly<Record<string, string | number | boolean>>;
}

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}

const flatten = (attributes: readonly KeyValue[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        (value.intValue === undefined ? undefined : Number(value.intValue)) ??
        value.doubleValue ??
        value.boolValue ??
        '',
    ]),
  ) as Record<string, string | number | boolean>;

/**
 * An OTLP/HTTP receiver on a loopback port: it accepts what an exporter POSTs to /v1/traces as
 * JSON and keeps every span, so a test can wait for the one it expects.
 */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      contentTypes.push(String(request.headers['content-type']));
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      const payload = JSON.parse(body) as {
        resourceSpans?: {
          resource?: { attributes?: KeyValue[] };
          scopeSpans?: { spans?: Record<string, unknown>[] }[];
        }[];
      };
      for (const { resource, scopeSpans = [] } of payload.resourceSpans ?? []) {
        for (const { spans: received = [] } of scopeSpans) {
          for (const span of received) {
            spans.push({
              ...(span as unknown as ReceivedSpan),
              attributes: flatten(span.attributes as KeyValue[]),
              resource: flatten(resource?.attributes),
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    /** The first span that matches, waiting up to `timeoutMs` for it to arrive. */
    async waitForSpan(matches: (span: ReceivedSpan) => boolean, timeoutMs = 10_000): Promise<ReceivedSpan> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const span = spans.find(matches);
        if (span) return span;
        if (Date.now() > deadline)
          throw new Error(`no such span within ${timeoutMs} ms; received ${JSON.stringify(spans.map((s) => s.name))}`);
        await sleep(50);
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
