// Fastify's internal symbols, untyped there: the key of a reply's own header object (steps.ts).
declare module 'fastify/lib/symbols.js' {
  const symbols: { readonly kReplyHeaders: symbol };
  export default symbols;
}
