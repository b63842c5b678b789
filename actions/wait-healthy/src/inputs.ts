import { ConfigurationError } from '../../../shared/errors.js';
import { getDuration, getList } from '../../../shared/inputs.js';

export interface WaitHealthyInputs {
  urls: URL[];
  timeoutMs: number;
}

export function readInputs(): WaitHealthyInputs {
  const rawUrls = getList('urls');
  if (rawUrls.length === 0) throw new ConfigurationError('Input "urls" is required: give at least one URL.');
  const urls = rawUrls.map((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigurationError(
        `Input "urls" has "${raw}", which is not a URL (e.g. https://app.example.com/health).`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigurationError(`Input "urls" has "${raw}": only http and https URLs can be checked.`);
    }
    return url;
  });
  return { urls, timeoutMs: getDuration('timeout', 300_000, { minMs: 1000 }) };
}
