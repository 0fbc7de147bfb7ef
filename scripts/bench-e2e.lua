-- wrk script of the end-to-end benchmark (scripts/bench-e2e.sh, docs/performance.md):
-- posts about LEADS distinct leads in all (unique e-mail address and phone number, and the
-- `ip` irev.lua requires) to POST /api/v1/leads with the affiliate's key, then stops;
-- counts the answers by status and prints one summary line at the end.
--
-- wrk -t2 -c64 -d600s -s scripts/bench-e2e.lua http://127.0.0.1:PORT/api/v1/leads -- TOKEN LEADS THREADS
--   TOKEN: the key's token (leadrelay-bench e2e-target); LEADS: how many to post; THREADS:
--   wrk's -t. Each thread stops once its share is answered; requests already on their way
--   then are posted too (at most one per connection), so a few more leads than LEADS arrive.

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  local token, leads, count = args[1], tonumber(args[2]), tonumber(args[3])
  if not token or not leads or not count then
    error("bench-e2e.lua: pass the key's token, the number of leads and wrk's thread count after --")
  end
  share = math.ceil(leads / count)
  sent, answered, accepted, refused = 0, 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

local body_format = '{"offer_id":"bench","first_name":"Anna","last_name":"Bench","ip":"203.0.113.7",'
  .. '"email":"lead-%d-%d@example.com","phone":"+49151%d%07d","country":"DE","sub_id":"s1"}'

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, string.format(body_format, thread_number, sent, thread_number, sent))
end

function response(status)
  answered = answered + 1
  if status == 202 then accepted = accepted + 1 else refused = refused + 1 end
  if answered >= share then wrk.thread:stop() end
end

function done(summary, latency)
  local got, other = 0, 0
  for _, thread in ipairs(threads) do
    got = got + thread:get("accepted")
    other = other + thread:get("refused")
  end
  local e = summary.errors
  io.write(string.format(
    "wrk requests=%d seconds=%.3f acknowledged=%d non_202=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration / 1e6, got, other, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
