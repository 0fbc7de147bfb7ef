#!/usr/bin/env python3
"""`make demo`'s affiliate: posts sample leads to `leadrelay serve`, follows each one until
it is final, and prints a summary per offer. Standard library only.

    demo_traffic.py BASE_URL TOKEN PLAN_JSON

PLAN_JSON: [{"offer": "irev", "count": 5, "duplicate": false}, ...], posted in order; a
group with "after_previous": true waits until every lead posted before it is final.
Exit status 0 only when every lead reached a final outcome (accepted, rejected or error).
"""
import json
import sys
import time
import urllib.error
import urllib.request

FINAL = {"accepted", "rejected", "error"}


def call(method, url, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def lead(offer, n, email):
    return {
        "offer_id": offer, "first_name": "Anna", "last_name": "Schmidt", "email": email,
        "phone": "+49 151 %08d" % (12000000 + n), "country": "DE", "language": "de",
        "ip": "203.0.113.%d" % (n % 250 + 1), "password": "Demo-pass-%d!" % n,
        "sub_id": "demo", "click_id": "c-%d" % n,
    }


def wait_final(base, token, posted, limit=120):
    deadline = time.time() + limit
    states = {}
    while time.time() < deadline:
        for lead_id in posted:
            if states.get(lead_id, {}).get("state") not in FINAL:
                _, answer = call("GET", "%s/api/v1/leads/%s" % (base, lead_id), token)
                states[lead_id] = answer
        done = sum(1 for s in states.values() if s.get("state") in FINAL)
        print("\r  final: %d/%d" % (done, len(posted)), end="", flush=True)
        if done == len(posted):
            print()
            return states
        time.sleep(0.2)
    print()
    return states


def main():
    base, token, plan = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    posted = {}  # lead id -> offer
    states = {}
    n = 0
    for group in plan:
        if group.get("after_previous"):
            print("waiting for the leads posted so far to be final before posting to %s" % group["offer"])
            states.update(wait_final(base, token, list(posted)))
        for i in range(group["count"]):
            n += 1
            # A group marked "duplicate" sends its first e-mail address again as its last lead.
            again = group.get("duplicate") and i == group["count"] - 1
            email = "demo-%s-%d@example.com" % (group["offer"], 0 if again else i)
            status, answer = call("POST", base + "/api/v1/leads", token, lead(group["offer"], n, email))
            if status != 202:
                print("\n  POST refused: %d %s" % (status, json.dumps(answer)))
                return 1
            posted[answer["id"]] = group["offer"]
            print("\r  posted %d leads (202 each)" % len(posted), end="", flush=True)
        print()
    states.update(wait_final(base, token, list(posted)))
    summary = {}
    for lead_id, offer in posted.items():
        state = states.get(lead_id, {})
        row = summary.setdefault(offer, {"sent": 0, "accepted": 0, "rejected": {}, "error": 0, "unfinished": 0})
        row["sent"] += 1
        word = state.get("state")
        if word == "accepted":
            row["accepted"] += 1
        elif word == "rejected":
            reason = state.get("reason") or "(none)"
            row["rejected"][reason] = row["rejected"].get(reason, 0) + 1
        elif word == "error":
            row["error"] += 1
        else:
            row["unfinished"] += 1
    print()
    print("%-10s %5s %9s  %-34s %6s" % ("offer", "sent", "accepted", "rejected by reason", "error"))
    for offer, row in summary.items():
        rejected = ", ".join("%s %d" % item for item in sorted(row["rejected"].items())) or "-"
        print("%-10s %5d %9d  %-34s %6d" % (offer, row["sent"], row["accepted"], rejected, row["error"]))
    unfinished = sum(row["unfinished"] for row in summary.values())
    if unfinished:
        print("%d leads did not reach a final outcome" % unfinished)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
