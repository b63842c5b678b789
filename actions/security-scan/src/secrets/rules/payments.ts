// Payments. Stripe: sk_live_/rk_live_ secret and restricted keys, sk_test_/rk_test_ test keys, whsec_
// webhook signing secrets (docs.stripe.com/keys); Square: sq0atp- access tokens and sq0csp- OAuth secrets,
// EAAA production tokens (developer.squareup.com); PayPal/Braintree access_token$production$...;
// Shopify shpat_/shpca_/shppa_/shpss_ + 32 hex (shopify.dev, access tokens); Razorpay rzp_live_;
// Flutterwave FLWSECK-...-X; Adyen AQE...; Plaid access-production-<uuid>; GoCardless live_; Coinbase
// Commerce by name; Paystack sk_live_ (shared Stripe shape).
import { ALNUM, BASE64URL, HEX, rand, uuid } from '../fake.js';
import type { SecretRule } from '../types.js';
import { prefixedToken } from './shape.js';

function stripe(prefix: string, id: string, description: string, severity?: 'medium'): SecretRule {
  return prefixedToken({
    id,
    ruleId: 'secret-stripe',
    description,
    prefix,
    body: 'A-Za-z0-9',
    alphabet: ALNUM,
    length: [24, 247],
    minEntropy: 3.5,
    ...(severity ? { severity } : {}),
  });
}

function shopify(prefix: string, id: string, description: string): SecretRule {
  return prefixedToken({
    id,
    ruleId: 'secret-shopify',
    description,
    prefix,
    body: 'a-fA-F0-9',
    alphabet: HEX,
    length: 32,
  });
}

export const PAYMENT_RULES: SecretRule[] = [
  stripe('sk_live_', 'stripe-secret-key', 'Stripe live secret key'),
  stripe('rk_live_', 'stripe-restricted-key', 'Stripe live restricted key'),
  stripe('sk_test_', 'stripe-test-secret-key', 'Stripe test-mode secret key', 'medium'),
  stripe('rk_test_', 'stripe-test-restricted-key', 'Stripe test-mode restricted key', 'medium'),
  prefixedToken({
    id: 'stripe-webhook-secret',
    ruleId: 'secret-stripe',
    description: 'Stripe webhook signing secret',
    prefix: 'whsec_',
    body: 'A-Za-z0-9',
    alphabet: ALNUM,
    length: [32, 64],
    minEntropy: 3.5,
  }),
  prefixedToken({
    id: 'square-access-token',
    ruleId: 'secret-square',
    description: 'Square access token',
    prefix: 'sq0atp-',
    body: 'A-Za-z0-9_-',
    alphabet: BASE64URL,
    length: 22,
  }),
  prefixedToken({
    id: 'square-oauth-secret',
    ruleId: 'secret-square',
    description: 'Square OAuth application secret',
    prefix: 'sq0csp-',
    body: 'A-Za-z0-9_-',
    alphabet: BASE64URL,
    length: 43,
  }),
  prefixedToken({
    id: 'square-production-token',
    ruleId: 'secret-square',
    description: 'Square production access token (EAAA)',
    prefix: 'EAAA',
    body: 'A-Za-z0-9_-',
    alphabet: BASE64URL,
    length: 60,
    minEntropy: 4,
  }),
  {
    id: 'braintree-access-token',
    ruleId: 'secret-paypal',
    description: 'PayPal Braintree access token',
    keywords: ['access_token$'],
    pattern: /access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}/g,
    examples: () => ({
      positive: [
        `BRAINTREE_TOKEN=access_token$production$${rand('abcdefghijklmnopqrstuvwxyz0123456789', 16)}$${rand(HEX, 32)}`,
        `token: "access_token$sandbox$${rand('abcdefghijklmnopqrstuvwxyz0123456789', 16)}$${rand(HEX, 32)}"`,
      ],
      negative: [
        'access_token$production$<merchant>$<token>',
        `access_token$production$${rand(HEX, 16)}$short`,
      ],
    }),
  },
  {
    id: 'paypal-client-secret',
    ruleId: 'secret-paypal',
    description: 'PayPal REST client secret',
    keywords: ['paypal'],
    pattern: /paypal[\w-]*secret["']?\s*[:=]\s*["']?(?<secret>E[A-Za-z0-9_-]{79})(?![A-Za-z0-9_-])/gi,
    minEntropy: 4,
    examples: () => ({
      positive: [`PAYPAL_CLIENT_SECRET=E${rand(BASE64URL, 79)}`, `paypal_secret: "E${rand(ALNUM, 79)}"`],
      negative: [`PAYPAL_CLIENT_SECRET=E${rand(ALNUM, 30)}`, 'PAYPAL_CLIENT_SECRET=${PAYPAL_SECRET}'],
    }),
  },
  shopify('shpat_', 'shopify-access-token', 'Shopify Admin API access token'),
  shopify('shpca_', 'shopify-custom-app-token', 'Shopify custom app access token'),
  shopify('shppa_', 'shopify-private-app-token', 'Shopify private app access token'),
  shopify('shpss_', 'shopify-shared-secret', 'Shopify app shared secret'),
  prefixedToken({
    id: 'razorpay-live-key',
    ruleId: 'secret-razorpay',
    description: 'Razorpay live key id (with its secret nearby)',
    prefix: 'rzp_live_',
    body: 'A-Za-z0-9',
    alphabet: ALNUM,
    length: 14,
  }),
  prefixedToken({
    id: 'flutterwave-secret-key',
    ruleId: 'secret-flutterwave',
    description: 'Flutterwave secret key',
    prefix: 'FLWSECK-',
    body: 'a-hA-H0-9',
    alphabet: HEX,
    length: 32,
    suffix: '-X',
    exampleSuffix: () => '-X',
  }),
  prefixedToken({
    id: 'flutterwave-test-secret-key',
    ruleId: 'secret-flutterwave',
    description: 'Flutterwave test secret key',
    prefix: 'FLWSECK_TEST-',
    body: 'a-hA-H0-9',
    alphabet: HEX,
    length: 32,
    suffix: '-X',
    exampleSuffix: () => '-X',
    severity: 'medium',
  }),
  {
    id: 'plaid-access-token',
    ruleId: 'secret-plaid',
    description: 'Plaid access token',
    keywords: ['access-production-', 'access-development-'],
    pattern:
      /\baccess-(?:production|development)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    examples: () => ({
      positive: [`PLAID_ACCESS_TOKEN=access-production-${uuid()}`, `token: "access-development-${uuid()}"`],
      negative: ['access-production-<uuid>', 'access-sandbox-token'],
    }),
  },
  {
    id: 'plaid-secret',
    ruleId: 'secret-plaid',
    description: 'Plaid API secret',
    keywords: ['plaid'],
    pattern: /plaid[\w-]*secret["']?\s*[:=]\s*["']?(?<secret>[a-f0-9]{30})(?![a-f0-9])/gi,
    examples: () => ({
      positive: [`PLAID_SECRET=${rand(HEX, 30)}`, `plaid_secret: '${rand(HEX, 30)}'`],
      negative: [`PLAID_SECRET=${rand(HEX, 12)}`, 'PLAID_SECRET=<secret>'],
    }),
  },
  prefixedToken({
    id: 'gocardless-live-token',
    ruleId: 'secret-gocardless',
    description: 'GoCardless live access token',
    prefix: 'live_',
    body: 'A-Za-z0-9_=-',
    alphabet: BASE64URL,
    length: 40,
    minEntropy: 4,
  }),
  {
    id: 'adyen-api-key',
    ruleId: 'secret-adyen',
    description: 'Adyen API key',
    keywords: ['AQE'],
    exactCase: true,
    pattern: /\bAQE[A-Za-z0-9]{1,3}hmf[A-Za-z0-9+/=._-]{60,}/g,
    minEntropy: 4,
    examples: () => ({
      positive: [`ADYEN_API_KEY=AQEyhmf${rand(ALNUM, 120)}`, `apiKey: "AQEphmfx${rand(ALNUM, 100)}"`],
      negative: ['AQEyhmf', `AQEyhmf${rand(ALNUM, 20)}`],
    }),
  },
  {
    id: 'coinbase-api-secret',
    ruleId: 'secret-coinbase',
    description: 'Coinbase API secret',
    keywords: ['coinbase'],
    pattern:
      /coinbase[\w-]*secret["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9+/=_-]{32,88})(?![A-Za-z0-9+/=_-])/gi,
    minEntropy: 3.8,
    examples: () => ({
      positive: [`COINBASE_API_SECRET=${rand(ALNUM, 64)}`, `coinbase_secret: "${rand(BASE64URL, 44)}"`],
      negative: ['COINBASE_API_SECRET=changeme', `COINBASE_API_SECRET=${rand(ALNUM, 10)}`],
    }),
  },
];
