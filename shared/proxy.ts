// Proxy support for runners behind a forward proxy: every outbound request of an action honours
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case forms), as curl and the runner itself do.
// - global fetch (registry API, npm advisories...): undici's EnvHttpProxyAgent as the global dispatcher;
// - the AWS SDK's clients: Node agents with `proxyEnv` (awsRequestHandler, used by shared/aws.ts);
// - health probes (shared/http-probe.ts): the same agents, per request, from `proxyEnv`.
import http from 'node:http';
import https from 'node:https';

type Env = Readonly<Record<string, string | undefined>>;

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

/** The proxy variables of `env`, as Node's agents take them; undefined when no proxy is set. */
export function proxyEnvOf(env: Env = process.env): http.ProxyEnv | undefined {
  if (!PROXY_VARIABLES.some((name) => env[name])) return undefined;
  const picked: Record<string, string> = {};
  for (const name of [...PROXY_VARIABLES, 'NO_PROXY', 'no_proxy']) {
    const value = env[name];
    if (value) picked[name] = value;
  }
  return picked;
}

/**
 * Routes global fetch through the proxy the environment names (NO_PROXY honoured). Does nothing without a
 * proxy, so that the default dispatcher stays; undici is loaded only then (it is a large part of a step's
 * start-up). Returns whether it installed one.
 */
export async function installProxySupport(env: Env = process.env): Promise<boolean> {
  const proxyEnv = proxyEnvOf(env);
  if (!proxyEnv) return false;
  const { EnvHttpProxyAgent, setGlobalDispatcher } = await import('undici');
  setGlobalDispatcher(
    new EnvHttpProxyAgent({
      httpProxy: proxyEnv.HTTP_PROXY ?? proxyEnv.http_proxy,
      httpsProxy: proxyEnv.HTTPS_PROXY ?? proxyEnv.https_proxy ?? proxyEnv.HTTP_PROXY ?? proxyEnv.http_proxy,
      noProxy: proxyEnv.NO_PROXY ?? proxyEnv.no_proxy ?? '',
    }),
  );
  return true;
}

/**
 * The AWS SDK's request handler options when a proxy is set: keep-alive agents that go through it (Node's
 * agents read HTTP(S)_PROXY and NO_PROXY from `proxyEnv`). Undefined without a proxy: the SDK's default.
 */
export function awsRequestHandler(
  env: Env = process.env,
): { httpAgent: http.Agent; httpsAgent: https.Agent } | undefined {
  const proxyEnv = proxyEnvOf(env);
  if (!proxyEnv) return undefined;
  return {
    httpAgent: new http.Agent({ keepAlive: true, proxyEnv }),
    httpsAgent: new https.Agent({ keepAlive: true, proxyEnv }),
  };
}
