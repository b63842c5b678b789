// SigV4 verification when local-aws knows the credentials: the SDK's own signatures pass, others fail as on AWS.
import { DescribeLogGroupsCommand, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient, ListClustersCommand, ListTasksCommand } from '@aws-sdk/client-ecs';

import { startLocalAws, type LocalAws } from '../../../tools/local-aws/index.js';
import { parseCredentials } from '../../../tools/local-aws/protocol.js';

let localAws: LocalAws;
const good = { accessKeyId: 'AKIDLOCALGOOD', secretAccessKey: 'the-right-secret' };

beforeAll(async () => {
  localAws = await startLocalAws({
    port: 0,
    firstFrontDoorPort: 0,
    credentials: { [good.accessKeyId]: good.secretAccessKey },
  });
});
afterAll(() => localAws.close());

const client = <T>(Client: new (config: object) => T, credentials = good): T =>
  new Client({ endpoint: localAws.url, region: 'eu-west-1', credentials, maxAttempts: 1 });

describe('SigV4 verification', () => {
  it('accepts what the SDK signs with the known credentials, for ECS, ECR and CloudWatch Logs', async () => {
    const ecs = client(ECSClient);
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    // A query-less POST with a body the signature covers, and a second operation on the same connection.
    await expect(ecs.send(new ListTasksCommand({ cluster: 'none' }))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
    expect((await client(ECRClient).send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
    expect((await client(CloudWatchLogsClient).send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
  });

  it('refuses a wrong secret and an unknown access key the way AWS does', async () => {
    const wrongSecret = client(ECSClient, { ...good, secretAccessKey: 'not-it' });
    await expect(wrongSecret.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringMatching(/^The request signature we calculated does not match/) as unknown,
    });
    const unknownKey = client(ECSClient, { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: 'x' });
    await expect(unknownKey.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('reads LOCAL_AWS_CREDENTIALS pairs', () => {
    expect(parseCredentials('AKID1:s1, AKID2:s:2')).toEqual({ AKID1: 's1', AKID2: 's:2' });
    expect(() => parseCredentials('AKID1')).toThrow(/accessKeyId:secret/);
  });
});
