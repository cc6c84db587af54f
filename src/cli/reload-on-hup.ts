/**
 * `kill -HUP <pid>`: read the configuration file again and run on it, without a restart and
 * without dropping an event (ingest and delivery keep going; mapping happens at delivery, so what
 * is delivered after the reload uses the new subscriptions). A file with problems is logged and
 * changes nothing. What only a restart can apply is named in the log. `${VAR}` are read from the
 * relay's environment, which is the one it started with.
 */
import type { RelayConfig } from '../config/types.js';
import { ConfigError, configErrorText } from '../errors.js';
import type { Logger } from '../relay/logger.js';
import type { Relay } from '../relay/relay.js';

export interface ReloadSource {
  /** The configuration file, or undefined when the relay runs on the environment or the demo. */
  file: string | undefined;
  load(file: string): RelayConfig;
  /** Command-line overrides (`--port`) applied to the file again. */
  adjust(config: RelayConfig): RelayConfig;
}

/** Listen for SIGHUP; the returned function stops listening. */
export function reloadOnHup(relay: Relay, source: ReloadSource, logger: Logger): () => void {
  let queue = Promise.resolve();
  const onHup = () => {
    queue = queue.then(() => reload(relay, source, logger));
  };
  process.on('SIGHUP', onHup);
  return () => process.off('SIGHUP', onHup);
}

async function reload(relay: Relay, source: ReloadSource, logger: Logger): Promise<void> {
  if (source.file === undefined) {
    logger.warn(
      'SIGHUP: this relay runs without a configuration file (environment or demo); nothing to reload',
    );
    return;
  }
  let next: RelayConfig;
  try {
    next = source.adjust(source.load(source.file));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.error(
      { file: source.file, problems: configErrorText(error) },
      'SIGHUP: the configuration file has problems; nothing changed, the running configuration stays in force (fix the file and send SIGHUP again)',
    );
    return;
  }
  try {
    const { applied, restart } = await relay.reload(next);
    logger.info({ file: source.file, applied }, 'SIGHUP: configuration reloaded');
    if (restart.length > 0) {
      logger.warn(
        { needsRestart: restart },
        'SIGHUP: these changes take effect only after a restart; until then the running values stay',
      );
    }
  } catch (error) {
    logger.error({ err: error }, 'SIGHUP: reloading failed; the running configuration stays in force');
  }
}
