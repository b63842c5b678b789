import { installProxySupport } from '../../../shared/proxy.js';
import { runAction } from '../../../shared/runner.js';
import { main } from './main.js';

await installProxySupport(); // HTTPS_PROXY / HTTP_PROXY / NO_PROXY for global fetch
await runAction({ main });
