/**
 * Lua scripts on Redis, through ioredis' own `defineCommand`: it sends EVALSHA and falls back to EVAL when the
 * server does not know the script yet (a restart, a new node), so no module repeats that dance. Each script is
 * defined once per connection, under a name of its own.
 */
import type { RedisConnection } from './redis-connection.js';

export interface LuaScript {
  /** Unique among the project's scripts: the command name on the connection derives from it. */
  readonly name: string;
  readonly lua: string;
}

export function luaScript(name: string, lua: string): LuaScript {
  return { name, lua };
}

type ScriptCommand = (numberOfKeys: number, ...keysAndArgs: Array<string | number>) => Promise<unknown>;

/** Runs `script` atomically with these KEYS and ARGV. */
export async function runScript(redis: RedisConnection, script: LuaScript, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
  const command = `autotaskSync_${script.name.replace(/[^A-Za-z0-9]/g, '_')}`;
  const commands = redis as unknown as Record<string, ScriptCommand | undefined>;
  // Without numberOfKeys, ioredis takes the key count as the first argument of each call.
  if (typeof commands[command] !== 'function') redis.defineCommand(command, { lua: script.lua });
  return (commands[command] as ScriptCommand).call(redis, keys.length, ...keys, ...args);
}
