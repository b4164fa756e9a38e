export { API_ORIGINS, createTokenHandler } from './handler.ts';
export type { AuthorizeResult, Logger, RateLimitOptions, SingleUseTokenType, TokenHandlerOptions } from './handler.ts';
export { ApiError } from './errors.ts';
export { createRedisRateLimitStore, MemoryRateLimitStore } from './rate-limit.ts';
export type { RateLimitHit, RateLimitStore, RedisEval, UsageLimit } from './rate-limit.ts';
export type { TextToSpeechOptions } from './text-to-speech.ts';
export type { Allowlist } from './speech-upstream.ts';
export { clientIp } from './client-ip.ts';
