/**
 * The bounds of everything a client may send, in one place. The API's request schemas, the App's
 * admission and the CLI (which runs the same admission before it sends) all read them from here, so a
 * refusal names the same limit whoever asked. Every value is generous for real use and small enough
 * that nothing a client sends can bloat the store or a log line.
 */

/** The largest request body the API reads: a bigger one is refused before it is parsed. */
export const maxRequestBytes = 64 * 1024;

/** A resource name (Kubernetes' limit for a DNS subdomain); rdd's own names are at most 68. */
export const maxNameLength = 253;

/** Any `rdd set` value as sent; no property accepts more (vm.socket may use it all). */
export const maxPropertyValueLength = 4096;

/** `vm.socket`: Linux's PATH_MAX. */
export const maxSocketPathLength = 4096;

/** `kubernetes.version`: `v1.34.6` or a channel name, with room to spare. */
export const maxKubernetesVersionLength = 32;

/** How much of a refused value a message quotes: enough to recognise it, never the whole of a huge one. */
export const maxQuotedLength = 64;

/** `"text"` for a message; a longer text is cut, saying how long it was. */
export function quoteForMessage(text: string): string {
  if (text.length <= maxQuotedLength) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, maxQuotedLength))}… (${text.length} characters)`;
}
