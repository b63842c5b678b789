import { runAction } from '../../../shared/runner.js';
import { main, post } from './main.js';

// HTTPS_PROXY / HTTP_PROXY / NO_PROXY for global fetch. Loaded only when a proxy is set: its HTTP client
// (undici) is otherwise most of the step's start-up time, on every run.
if (['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name])) {
  await (await import('../../../shared/proxy.js')).installProxySupport();
}
await runAction({ main, post });
