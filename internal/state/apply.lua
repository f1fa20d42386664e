-- Rampart state: one request's operations (state.Batch), run atomically.
-- KEYS[1]: the client IP's flag key ("-" when there is no IP); KEYS[1+i]: hit i's counter.
-- ARGV[1]: now (ms); then per hit: interval (ms), limit, hold (ms), flag for (ms), reason.
-- Returns: flag ("SINCE|UNTIL|REASON" or ""), new flag (0/1), then per hit: count, over (0/1).
local buckets = 20
local now = tonumber(ARGV[1])
local flag = false
if KEYS[1] ~= "-" then
  flag = redis.call("GET", KEYS[1])
end
local newflag = 0
local out = {"", 0}
local n = (#ARGV - 1) / 5
for i = 1, n do
  local key = KEYS[i + 1]
  local a = 1 + (i - 1) * 5
  local interval = tonumber(ARGV[a + 1])
  local limit = tonumber(ARGV[a + 2])
  local hold = tonumber(ARGV[a + 3])
  local flagfor = tonumber(ARGV[a + 4])
  local reason = ARGV[a + 5]
  if flagfor > 0 and flag then
    out[#out + 1] = 0
    out[#out + 1] = 0
  else
    local width = math.floor(interval / buckets)
    if width < 1 then width = 1 end
    local b = math.floor(now / width)
    redis.call("HINCRBY", key, tostring(b), 1)
    local all = redis.call("HGETALL", key)
    local sum = 0
    for j = 1, #all, 2 do
      local bk = tonumber(all[j])
      local c = tonumber(all[j + 1])
      if bk > b - buckets then
        sum = sum + c
      elseif bk == b - buckets then
        sum = sum + math.floor(c * (width - (now % width)) / width)
      else
        redis.call("HDEL", key, all[j])
      end
    end
    redis.call("PEXPIRE", key, interval + width)
    local over = 0
    if sum > limit then
      over = 1
      if hold > 0 then
        redis.call("SET", key .. ":h", "1", "PX", hold)
      end
    elseif redis.call("EXISTS", key .. ":h") == 1 then
      over = 1
    end
    if over == 1 and flagfor > 0 and not flag and KEYS[1] ~= "-" then
      flag = tostring(now) .. "|" .. tostring(now + flagfor) .. "|" .. reason
      redis.call("SET", KEYS[1], flag, "PX", flagfor)
      newflag = 1
    end
    out[#out + 1] = sum
    out[#out + 1] = over
  end
end
if flag then out[1] = flag end
out[2] = newflag
return out
