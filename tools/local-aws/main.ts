// The local ECS/ECR stand-in as a process: `node --import ./scripts/ts-register.mjs tools/local-aws/main.ts`.
// Configured by LOCAL_AWS_* variables (README.md); stops everything it started on SIGTERM/SIGINT.
import { optionsFromEnv, startLocalAws } from './index.js';

async function main(): Promise<void> {
  const options = optionsFromEnv(process.env);
  const verbose = process.env['LOCAL_AWS_LOG'] !== '0';
  const localAws = await startLocalAws(options, {
    log: (message) => {
      if (verbose) process.stderr.write(`local-aws: ${message}\n`);
    },
  });
  process.stdout.write(`local-aws listening on ${localAws.url}\n`);
  const stop = (): void => {
    localAws.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`local-aws: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`local-aws: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
