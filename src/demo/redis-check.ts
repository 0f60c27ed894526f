/** The demo never hangs on a missing Redis: the same one quick check as every other command. */
export { assertRedisAnswers, RedisUnavailableError } from '../runtime/redis-check.js';
