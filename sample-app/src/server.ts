// Entry point: read the configuration from the environment, serve, and stop gracefully on SIGTERM/SIGINT.
import { startServer } from './app.js';
import { ConfigError, describeDatabase, loadConfig } from './config.js';
import { StoreError } from './db.js';
import { exitOnSignals } from './shutdown.js';

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

try {
  const { config, warnings } = loadConfig(process.env);
  for (const warning of warnings) log(`warning: ${warning}`);
  const running = await startServer(config, { log });
  exitOnSignals({
    target: process,
    log,
    exit: (code) => process.exit(code),
    stop: async () => {
      const { forced } = await running.stop();
      log(forced ? 'stopped (cut requests that outlived the shutdown timeout)' : 'stopped');
    },
  });
  // Announced only once a signal would stop it gracefully: a SIGTERM right after this line must not kill it.
  const scheme = config.tls === undefined ? 'http' : 'https';
  log(
    `flaskr ${config.appVersion} listening on ${scheme}://${config.host}:${running.port} (database ${describeDatabase(config)})`,
  );
} catch (error) {
  // One line, no stack, for mistakes in the environment; anything else keeps its stack.
  const message =
    error instanceof ConfigError || error instanceof StoreError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
