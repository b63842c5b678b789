// Docker HEALTHCHECK probe (the base image has no curl or wget): exit 0 when /api/health-check answers 200.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const port = Number(process.env['PORT'] || 8080);
const tls = Boolean(process.env['TLS_CERT_PATH'] && process.env['TLS_KEY_PATH']);
const request = tls ? httpsRequest : httpRequest;

const probe = request(
  {
    host: '127.0.0.1',
    port,
    path: '/api/health-check',
    // No timeout of our own: the task definition's healthCheck.timeout (ECS kills this probe then) is the
    // one limit. A shorter one here failed healthy but busy tasks, which ECS then replaced.
    // The certificate names the service, not 127.0.0.1; this only asks our own process if it is up.
    rejectUnauthorized: false,
  },
  (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  },
);
probe.on('error', (error) => {
  process.stderr.write(`health check failed: ${error.message}\n`);
  process.exit(1);
});
probe.end();
