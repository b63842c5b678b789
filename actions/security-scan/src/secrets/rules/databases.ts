// Database and service connection strings that carry a password. URIs follow RFC 3986 userinfo
// (scheme://user:password@host), as documented by PostgreSQL ("Connection URIs"), MySQL ("Connecting
// Using URI-Like Strings"), MongoDB ("Connection String URI Format"), Redis, RabbitMQ (AMQP URI spec),
// SQLAlchemy; JDBC URLs carry password= (or Oracle thin user/password@); ODBC/ADO.NET connection strings
// are Key=Value; pairs with Password= or Pwd= (Microsoft "Connection string syntax").
import { ALNUM, DIGITS, LOWER_ALNUM, rand } from '../fake.js';
import type { CheckResult, SecretRule } from '../types.js';

/** Words people put where the password goes in docs and samples. */
const NOT_A_PASSWORD =
  /^(?:pass(?:word|wd)?|pwd|pw|secret|user|username|root|admin|guest|test|postgres|mysql|redis|mongo|rabbitmq|\$\w+|%\w+%?)$/i;

/** A host that cannot be reached from where the code runs: loopback, or a name reserved by RFC 2606/6761. */
export function isUnreachableHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    /^(?:localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0|(?:some|my|your)?host(?:name)?|server|db|database)$/.test(
      name,
    ) ||
    /\.(?:test|example|invalid|localhost)$/.test(name) ||
    /(?:^|\.)example\.(?:com|org|net)$/.test(name)
  );
}

/** Passwords that describe themselves (`somepassword`, `mysecretpassword`, `dbpass`): documentation values. */
const DESCRIBED_PASSWORD = /pass(?:word|wd)?$|^pass|secret|^some|^my[-_]?pass/i;

function checkUrl(secret: string, match: RegExpExecArray): CheckResult {
  if (NOT_A_PASSWORD.test(secret) || DESCRIBED_PASSWORD.test(secret) || secret.length < 3) return 'reject';
  const host = match.groups?.['host'] ?? '';
  return isUnreachableHost(host) ? 'reject' : 'ok';
}

const PASSWORD = (): string => `${rand(ALNUM, 12)}${rand('!#%^*-_', 1)}${rand(DIGITS, 2)}`;

function uriRule(
  id: string,
  ruleId: string,
  description: string,
  schemes: string,
  keywords: string[],
  sample: (password: string) => string[],
): SecretRule {
  return {
    id,
    ruleId,
    description,
    keywords,
    pattern: new RegExp(
      `\\b(?:${schemes})(?:\\+[a-z0-9]+)?:\\/\\/(?<user>[^:/@\\s"'\`]{0,100}):(?<secret>[^@/\\s"'\`]{1,200})@(?<host>\\[[0-9a-fA-F:]+\\]|[^/:?#,\\s"'\`]+)`,
      'gi',
    ),
    check: checkUrl,
    examples: () => ({
      positive: sample(PASSWORD()),
      negative: [
        sample('${DB_PASSWORD}')[0]!,
        sample(PASSWORD())[0]!.replace(/@[^/:]+/, '@localhost'),
        sample('password')[1]!,
        sample('somepassword')[0]!,
      ],
    }),
  };
}

export const DATABASE_RULES: SecretRule[] = [
  uriRule(
    'postgres-uri',
    'secret-database-connection-string',
    'PostgreSQL connection URI with password',
    'postgres(?:ql)?|postgis|cockroachdb|redshift|timescaledb',
    ['postgres', 'postgis', 'cockroachdb', 'redshift', 'timescale'],
    (p) => [
      `DATABASE_URL=postgres://app:${p}@db.prod.acme-corp.io:5432/app`,
      `url: "postgresql+psycopg2://analytics:${p}@10.0.3.12/warehouse"`,
    ],
  ),
  uriRule(
    'mysql-uri',
    'secret-database-connection-string',
    'MySQL/MariaDB connection URI with password',
    'mysql|mysqlx|mariadb',
    ['mysql', 'mariadb'],
    (p) => [
      `DATABASE_URL=mysql://root:${p}@mysql-primary.acme-corp.io:3306/shop`,
      `engine = create_engine("mysql+pymysql://shop:${p}@rds.acme-corp.io/shop")`,
    ],
  ),
  uriRule(
    'mongodb-uri',
    'secret-mongodb',
    'MongoDB connection string with password',
    'mongodb(?:\\+srv)?',
    ['mongodb'],
    (p) => [
      `MONGO_URL=mongodb+srv://svc:${p}@cluster0.${rand(LOWER_ALNUM, 5)}.mongodb.net/prod?retryWrites=true`,
      `mongoose.connect('mongodb://admin:${p}@mongo-1.acme-corp.io:27017,mongo-2.acme-corp.io:27017/db')`,
    ],
  ),
  uriRule(
    'redis-uri',
    'secret-database-connection-string',
    'Redis connection URI with password',
    'rediss?|valkey',
    ['redis', 'valkey'],
    (p) => [
      `REDIS_URL=redis://:${p}@cache.acme-corp.io:6379/0`,
      `url: "rediss://default:${p}@eu1-redis.upstash.io:6379"`,
    ],
  ),
  uriRule(
    'amqp-uri',
    'secret-database-connection-string',
    'AMQP (RabbitMQ) URI with password',
    'amqps?',
    ['amqp'],
    (p) => [
      `AMQP_URL=amqp://orders:${p}@rabbit.acme-corp.io:5672/vhost`,
      `broker_url = "amqps://worker:${p}@b-1234.mq.us-east-1.amazonaws.com:5671"`,
    ],
  ),
  uriRule(
    'mssql-uri',
    'secret-database-connection-string',
    'SQL Server connection URI with password',
    'mssql|sqlserver',
    ['mssql', 'sqlserver'],
    (p) => [
      `DB=mssql://sa:${p}@sql01.acme-corp.io:1433/sales`,
      `url = "mssql+pyodbc://report:${p}@sql.acme-corp.io/dw?driver=ODBC+Driver+18"`,
    ],
  ),
  uriRule(
    'clickhouse-uri',
    'secret-database-connection-string',
    'ClickHouse connection URI with password',
    'clickhouse',
    ['clickhouse'],
    (p) => [
      `CLICKHOUSE_URL=clickhouse://default:${p}@ch.acme-corp.io:9000/events`,
      `dsn: "clickhouse+native://ingest:${p}@10.1.2.3:9440/logs"`,
    ],
  ),
  uriRule(
    'neo4j-uri',
    'secret-database-connection-string',
    'Neo4j connection URI with password',
    'neo4j(?:\\+s{1,2}c?)?|bolt',
    ['neo4j', 'bolt'],
    (p) => [
      `NEO4J_URI=neo4j+s://neo4j:${p}@${rand(LOWER_ALNUM, 8)}.databases.neo4j.io`,
      `uri = "bolt://graph:${p}@graph.acme-corp.io:7687"`,
    ],
  ),
  uriRule(
    'couchdb-uri',
    'secret-database-connection-string',
    'CouchDB/Cassandra/Elasticsearch URI with password',
    'couchdb|cassandra|elasticsearch|opensearch',
    ['couchdb', 'cassandra', 'elasticsearch', 'opensearch'],
    (p) => [
      `COUCH=couchdb://admin:${p}@couch.acme-corp.io:5984`,
      `hosts: ["elasticsearch://elastic:${p}@es.acme-corp.io:9200"]`,
    ],
  ),
  uriRule('ldap-uri', 'secret-ldap', 'LDAP URI with bind password', 'ldaps?', ['ldap'], (p) => [
    `LDAP_URL=ldaps://cn=admin:${p}@ldap.acme-corp.io:636`,
    `url: "ldap://binduser:${p}@dc1.corp.acme-corp.io"`,
  ]),
  uriRule('ftp-uri', 'secret-ftp', 'FTP/SFTP URI with password', 's?ftps?', ['ftp'], (p) => [
    `DEPLOY_TARGET=ftp://deploy:${p}@ftp.acme-corp.io/www`,
    `remote = "sftp://backup:${p}@files.acme-corp.io:22/backups"`,
  ]),
  uriRule(
    'smtp-uri',
    'secret-smtp',
    'SMTP URI with password',
    'smtps?|submission',
    ['smtp', 'submission'],
    (p) => [
      `EMAIL_URL=smtp://mailer:${p}@smtp.sendgrid.net:587`,
      `MAILER_DSN=smtps://notifications:${p}@email-smtp.eu-west-1.amazonaws.com:465`,
    ],
  ),
  {
    id: 'jdbc-password',
    ruleId: 'secret-database-connection-string',
    description: 'JDBC URL with password',
    keywords: ['jdbc:'],
    pattern:
      /jdbc:[a-z0-9]+:(?:thin:(?<user>[\w.$-]+)\/(?<secret2>[^@\s"'`]{3,})@|[^\s"'`]*?[;?&:](?:password|pwd)=(?<secret>[^;&\s"'`]{3,}))/gi,
    check: (secret) => (NOT_A_PASSWORD.test(secret) ? 'reject' : 'ok'),
    examples: () => ({
      positive: [
        `spring.datasource.url=jdbc:mysql://db.acme-corp.io:3306/shop?user=shop&password=${PASSWORD()}`,
        `url = "jdbc:sqlserver://sql.acme-corp.io:1433;databaseName=dw;user=etl;password=${PASSWORD()};encrypt=true"`,
        `jdbc:oracle:thin:scott/${PASSWORD()}@ora.acme-corp.io:1521:ORCL`,
      ],
      negative: [
        'jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}',
        'spring.datasource.url=jdbc:mysql://db.acme-corp.io:3306/shop',
        'jdbc:mysql://db.acme-corp.io/shop?password=password',
      ],
    }),
  },
  {
    id: 'odbc-password',
    ruleId: 'secret-database-connection-string',
    description: 'ODBC / ADO.NET connection string with password',
    keywords: ['pwd=', 'password=', 'pwd =', 'password ='],
    pattern:
      /(?:server|data source|host|address|addr|network address|dsn|driver|initial catalog|database|user id|uid)\s*=[^;"'\n]*;[^"'\n]*?\b(?:password|pwd)\s*=\s*(?<secret>\{[^}\n]{3,}\}|[^;"'\s][^;"'\n]{2,})/gi,
    check: (secret) => (NOT_A_PASSWORD.test(secret.replace(/^\{|\}$/g, '')) ? 'reject' : 'ok'),
    examples: () => ({
      positive: [
        `"Default": "Server=tcp:sql.acme-corp.io,1433;Initial Catalog=shop;User ID=shop;Password=${PASSWORD()};Encrypt=True;"`,
        `conn = pyodbc.connect("DRIVER={ODBC Driver 18 for SQL Server};SERVER=sql01;DATABASE=dw;UID=etl;PWD=${PASSWORD()}")`,
        `Host=pg.acme-corp.io;Database=app;Username=app;Password=${PASSWORD()}`,
      ],
      negative: [
        'Server=sql01;Database=dw;User Id=etl;Password=${DB_PASSWORD};',
        'Server=sql01;Database=dw;Trusted_Connection=True;',
        'Data Source=sql01;Initial Catalog=dw;User ID=sa;Password=password;',
      ],
    }),
  },
  uriRule(
    'http-basic-auth',
    'secret-basicauth',
    'URL with embedded credentials (basic auth)',
    'https?|wss?|git|svn|ssh',
    ['://'],
    (p) => [
      `const url = "https://deploy:${p}@hooks.acme-corp.io/hook";`,
      `git remote add origin https://ci-bot:${p}@git.acme-corp.io/team/repo.git`,
    ],
  ),
];
