/**
 * Sweeps kept in Redis beside the runs (`deno task serve --redis`): each in
 * a hash (`prefix:sweep:ID`: its file, state and lease), indexed by creation
 * time, so every node lists every sweep and one node at a time drives it.
 * Leases and saves are scripts, atomic on the server.
 *
 * @module
 */
import type { Redis } from "ioredis";
import type { RedisKeys } from "./redis_runs.ts";
import {
  parseSweepState,
  readableRecords,
  type SweepState,
  type SweepStore,
} from "./sweep_store.ts";

/** KEYS: sweep; ARGV: owner, until, now. Free, expired or ours: take it. */
const LEASE = `
local f = redis.call('HMGET', KEYS[1], 'status', 'owner', 'leaseUntil')
if f[1] ~= 'running' then return 0 end
if f[2] and f[2] ~= ARGV[1] and tonumber(f[3] or '0') >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'leaseUntil', ARGV[2])
return 1
`;

/** KEYS: sweep; ARGV: owner, until, previous owner or "". */
const TAKE_OVER = `
local f = redis.call('HMGET', KEYS[1], 'status', 'owner')
if f[1] ~= 'running' or (f[2] or '') ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'leaseUntil', ARGV[2])
return 1
`;

/**
 * KEYS: sweep; ARGV: owner, now or "", then field/value pairs written only while owner
 * holds it (unexpired at now, when given); none: the lease ends.
 */
const AS_OWNER = `
local f = redis.call('HMGET', KEYS[1], 'owner', 'leaseUntil')
if f[1] ~= ARGV[1] then return 0 end
if ARGV[2] ~= '' and tonumber(f[2] or '0') < tonumber(ARGV[2]) then return 0 end
if #ARGV == 2 then redis.call('HDEL', KEYS[1], 'owner', 'leaseUntil') return 1 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
return 1
`;

/**
 * A {@linkcode SweepStore} on Redis under `keys` (those of the runs).
 *
 * @example
 * ```ts ignore
 * const redis = await connectRedis(url, { failFast: true });
 * const sweeps = createRedisSweepStore(redis, redisKeys());
 * ```
 */
export function createRedisSweepStore(redis: Redis, keys: RedisKeys): SweepStore {
  const ok = (answer: unknown) => answer === 1;
  /** The state's fields are read now: a save sent later does not see later changes. */
  const write = async (id: string, state: SweepState, owner: string, now: string) => {
    const fields = [
      ["status", state.status],
      ["trials", JSON.stringify(state.trials)],
      ["decisions", JSON.stringify(state.decisions)],
    ].flat();
    return ok(await redis.eval(AS_OWNER, 1, keys.sweep(id), owner, now, ...fields));
  };
  return {
    async insert(record, owner, leaseUntil) {
      await redis.multi().hset(keys.sweep(record.id), {
        id: record.id,
        file: JSON.stringify(record.file),
        createdAt: record.createdAt,
        status: record.status,
        trials: JSON.stringify(record.trials),
        decisions: JSON.stringify(record.decisions),
        owner,
        leaseUntil: String(leaseUntil),
      }).zadd(keys.sweepIndex, Date.parse(record.createdAt), record.id).exec();
    },
    save: (id, state, owner) => write(id, state, owner, ""),
    claim: (id, state, owner, now) => write(id, state, owner, String(now)),
    async list() {
      const ids = await redis.zrange(keys.sweepIndex, 0, -1);
      const multi = redis.multi();
      for (const id of ids) multi.hgetall(keys.sweep(id));
      const hashes = ((await multi.exec()) ?? []).map(([, hash]) => hash as Record<string, string>)
        .filter((hash) => hash.id !== undefined); // removed meanwhile
      return readableRecords(hashes, (hash) => ({
        id: hash.id,
        file: JSON.parse(hash.file),
        createdAt: hash.createdAt,
        ...parseSweepState(hash as { status: string; trials: string; decisions: string }),
        stopRequested: hash.stop === "1",
        ...(hash.owner ? { owner: hash.owner, leaseUntil: Number(hash.leaseUntil) } : {}),
      }), keys.sweepIndex);
    },
    async requestStop(id) {
      await redis.hset(keys.sweep(id), "stop", "1");
    },
    async lease(id, owner, until, now) {
      return ok(await redis.eval(LEASE, 1, keys.sweep(id), owner, String(until), String(now)));
    },
    async takeOver(id, owner, until, previous) {
      return ok(
        await redis.eval(TAKE_OVER, 1, keys.sweep(id), owner, String(until), previous ?? ""),
      );
    },
    async release(id, owner) {
      await redis.eval(AS_OWNER, 1, keys.sweep(id), owner, "");
    },
  };
}
