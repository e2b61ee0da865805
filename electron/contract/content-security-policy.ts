// The one Content-Security-Policy of the window, wherever it is served from: Electron main sets it
// on the app's responses, the browser host on every HTTP response. No remote origin and no inline
// script anywhere; the only connection the page may open is to its own workstation.

/**
 * @param websocketOrigin the browser host's own `ws://host:port`, the only socket the page may open;
 *   omitted in Electron, where the window talks through the preload and opens no socket at all.
 */
export function contentSecurityPolicy(websocketOrigin?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Vue sets style attributes at run time; styles cannot run code, scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    websocketOrigin ? `connect-src 'self' ${websocketOrigin}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
