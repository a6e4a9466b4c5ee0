// The flags Debian's Chromium needs on this machine (TOOLCHAIN.md pitfall 11), in one place for every
// browser test and benchmark: without the background-networking ones Chromium floods the closed
// network with connection attempts.
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);
