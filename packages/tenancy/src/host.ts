import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';

const ASCII_HOST = /^[a-z0-9.-]+$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const PORT = /^[0-9]{1,5}$/;

/**
 * Normalises a `Host` header (or a configured domain) to the lower-case ASCII host name it names:
 * strips the port (also after a bracketed IPv6 address), a trailing dot, and converts IDN labels to
 * punycode. IPv4 stays as is; IPv6 is returned without brackets. Anything that is not a host name or
 * IP literal returns `null`.
 *
 *   normalizeHost('Acme.LocalHost:8000') === 'acme.localhost'
 *   normalizeHost('bücher.example.com.') === 'xn--bcher-kva.example.com'
 *   normalizeHost('[::1]:8000') === '::1'
 *   normalizeHost('a b') === null
 */
export function normalizeHost(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  let host = raw.trim();
  if (host.length === 0 || host.length > 300) return null;

  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end < 0) return null;
    const rest = host.slice(end + 1);
    if (rest !== '' && !(rest.startsWith(':') && validPort(rest.slice(1)))) return null;
    const ip = host.slice(1, end).toLowerCase();
    return isIP(ip) === 6 ? ip : null;
  }

  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    if (host.indexOf(':') !== colon) {
      // Bare IPv6 without brackets (not valid in a Host header, but accepted in configuration).
      const ip = host.toLowerCase();
      return isIP(ip) === 6 ? ip : null;
    }
    if (!validPort(host.slice(colon + 1))) return null;
    host = host.slice(0, colon);
  }

  host = host.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.length === 0) return null;

  if (!ASCII_HOST.test(host)) {
    // Unicode (IDN) or garbage: let WHATWG URL's domainToASCII decide; it returns '' when invalid.
    if (/[\s/\\?#@%:*"'<>|^`{}[\]_,;=!$&()+~]/.test(host)) return null;
    const ascii = domainToASCII(host);
    if (!ascii) return null;
    host = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
    if (!ASCII_HOST.test(host)) return null;
  }

  if (host.length > 253) return null;
  if (isIP(host) === 4) return host;
  const labels = host.split('.');
  for (const label of labels) if (!LABEL.test(label)) return null;
  // All-numeric last label that is not a full IPv4 address (e.g. "1.2.3" or "999.1.1.1") is garbage.
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
  return host;
}

function validPort(p: string): boolean {
  return PORT.test(p) && Number(p) <= 65535;
}

/** Whether a normalised host is an IP literal. */
export function isIpHost(host: string): boolean {
  return isIP(host) !== 0;
}
