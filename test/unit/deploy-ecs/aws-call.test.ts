import { ConfigurationError } from '../../../shared/errors.js';
import { callAws, explainAwsError, type CallContext } from '../../../actions/deploy-ecs/src/aws-call.js';

const context: CallContext = {
  operation: 'ecs:UpdateService',
  subject: 'service web in cluster prod',
  region: 'eu-west-1',
};

function awsError(name: string, status = 400, message = 'denied'): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('explainAwsError', () => {
  it('names the permission on AccessDenied', () => {
    const error = explainAwsError(
      awsError('AccessDeniedException', 400, 'User: x is not authorized to perform: ecs:UpdateService'),
      context,
    );
    expect(error.message).toBe(
      'AWS denied ecs:UpdateService on service web in cluster prod in eu-west-1 (AccessDeniedException): allow "ecs:UpdateService" for the role this job runs as (see the README\'s IAM section).',
    );
  });

  it('says expired credentials are expired, not denied', () => {
    expect(
      explainAwsError(
        awsError('ExpiredTokenException', 400, 'The security token included in the request is expired'),
        context,
      ).message,
    ).toMatch(/credentials expired during ecs:UpdateService .*role-duration-seconds/);
  });

  it('says credentials are missing rather than denied', () => {
    expect(
      explainAwsError(
        awsError('CredentialsProviderError', 0, 'Could not load credentials from any providers'),
        context,
      ).message,
    ).toMatch(/^No AWS credentials for ecs:UpdateService: run aws-actions\/configure-aws-credentials/);
  });

  it.each([
    ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
    [
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided.',
    ],
    ['InvalidClientTokenId', 'The security token included in the request is invalid.'],
  ])('gives credential advice, not a permission to add, on %s', (name, message) => {
    const error = explainAwsError(awsError(name, 400, message), context);
    expect(error.message).toMatch(
      new RegExp(
        `^AWS refused the credentials for ecs:UpdateService in eu-west-1 \\(${name}\\): .*no IAM permission would help\\. Check that aws-actions/configure-aws-credentials ran before this step.*the role.*region`,
      ),
    );
    expect(error.message).not.toMatch(/allow "ecs:/);
  });

  it('turns a missing cluster or service into a configuration error naming the input', () => {
    const cluster = explainAwsError(awsError('ClusterNotFoundException'), context);
    expect(cluster).toBeInstanceOf(ConfigurationError);
    expect(cluster.message).toMatch(/^Input "cluster" names a cluster that does not exist in eu-west-1/);
    const service = explainAwsError(awsError('ServiceNotFoundException'), context);
    expect(service).toBeInstanceOf(ConfigurationError);
    expect(service.message).toMatch(/^Input "services" names service web in cluster prod/);
  });

  it('passes ECS validation messages through', () => {
    expect(explainAwsError(awsError('ClientException', 400, 'Too many containers.'), context).message).toBe(
      'ECS refused ecs:UpdateService on service web in cluster prod: Too many containers.',
    );
  });
});

describe('callAws', () => {
  it('retries throttling with jittered, growing delays and then succeeds', async () => {
    const delays: number[] = [];
    const retries: string[] = [];
    let calls = 0;
    const result = await callAws(
      context,
      {
        sleep: (ms) => (delays.push(ms), Promise.resolve()),
        random: () => 0.5,
        onRetry: (line) => retries.push(line),
      },
      () => {
        calls++;
        return calls < 4
          ? Promise.reject(awsError('ThrottlingException', 400, 'Rate exceeded'))
          : Promise.resolve('ok');
      },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([250, 375, 625]);
    expect(retries[0]).toMatch(
      /ecs:UpdateService on service web in cluster prod: Rate exceeded; retry 1 in 250 ms/,
    );
  });

  it('fails at once on AccessDenied: waiting never fixes a permission', async () => {
    let calls = 0;
    const sleeps: number[] = [];
    await expect(
      callAws(context, { sleep: (ms) => (sleeps.push(ms), Promise.resolve()) }, () => {
        calls++;
        return Promise.reject(awsError('AccessDeniedException'));
      }),
    ).rejects.toThrow(/AWS denied ecs:UpdateService/);
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up on endless throttling after its attempts', async () => {
    let calls = 0;
    await expect(
      callAws(context, { sleep: () => Promise.resolve(), attempts: 3 }, () => {
        calls++;
        return Promise.reject(awsError('ThrottlingException', 400, 'Rate exceeded'));
      }),
    ).rejects.toThrow(
      /ecs:UpdateService on service web in cluster prod failed: ThrottlingException: Rate exceeded/,
    );
    expect(calls).toBe(3);
  });
});
