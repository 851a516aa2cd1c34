// The process entry (dist/server.js): turns on Node's on-disk compile cache where Node has one (22.1+), so later
// starts skip compiling the bundle, then loads the companion. On older Node the call is absent and this is a no-op.
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./main.js');
