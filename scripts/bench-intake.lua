-- wrk script of the intake benchmark (scripts/bench-intake.sh, docs/performance.md):
-- posts a distinct lead per request (unique e-mail address and phone number, so the
-- offer's duplicate check never fires) to POST /api/v1/leads with the affiliate's key,
-- counts the answers by status in each thread, and prints one summary line at the end.
--
-- wrk -c64 -d10s -s scripts/bench-intake.lua http://127.0.0.1:PORT/api/v1/leads -- TOKEN RUN
--   TOKEN: the key's token (leadrelay-bench intake-seed); RUN: a tag making this run's leads
--   distinct from other runs' on the same store.

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  local token, run = args[1], args[2] or "0"
  if not token then error("bench-intake.lua: pass the key's token after --") end
  tag = run .. "-" .. thread_number
  sent, accepted, refused = 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

local body_format = '{"offer_id":"bench","first_name":"Anna","last_name":"Bench",'
  .. '"email":"lead-%s-%d@example.com","phone":"+49151%d%07d","country":"DE","sub_id":"s1"}'

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, string.format(body_format, tag, sent, thread_number, sent))
end

function response(status)
  if status == 202 then accepted = accepted + 1 else refused = refused + 1 end
end

function done(summary, latency)
  local got, other = 0, 0
  for _, thread in ipairs(threads) do
    got = got + thread:get("accepted")
    other = other + thread:get("refused")
  end
  local e = summary.errors
  io.write(string.format(
    "wrk requests=%d seconds=%.3f accepted=%d non_202=%d socket_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration / 1e6, got, other, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
