import type { Config } from './config.js';

/** Settings that are valid but do not do what they say together: one line each, logged at start. */
export function configWarnings(config: Readonly<Config>): string[] {
  const warnings: string[] = [];
  if (!config.annasArchive.useCfBypass && config.bypass.useExternal) {
    warnings.push(
      'USING_EXTERNAL_BYPASSER=true is ignored: USE_CF_BYPASS=false turns off both the headless and the external bypasser (as in CWA-BD)',
    );
  }
  return warnings;
}
