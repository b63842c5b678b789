/** Sink families as bits, so a sanitizer can clear some (encodeURIComponent) and leave others (SQL). */
export const FAMILY = {
  command: 1,
  code: 2,
  sql: 4,
  nosql: 8,
  xss: 16,
  ssrf: 32,
  path: 64,
  redirect: 128,
  proto: 256,
  deserialization: 512,
  template: 1024,
  cors: 2048,
} as const;
export type Family = keyof typeof FAMILY;
export const ALL_FAMILIES = 4095;
