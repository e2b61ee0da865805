import { contentSecurityPolicy } from '../contract/content-security-policy.ts'

/**
 * Sent with every response, errors and redirects included. `host` is the checked Host header, so
 * the page may open a WebSocket to its own origin and to nothing else.
 */
export function securityHeaders(host: string | null): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(host ? `ws://${host}` : undefined),
    'X-Content-Type-Options': 'nosniff',
    // The first address carries the token: it must never travel on as a referrer.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=()',
    // Clinical pages are not kept in any cache.
    'Cache-Control': 'no-store',
  }
}
