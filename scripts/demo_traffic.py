#!/usr/bin/env python3
"""`make demo`'s affiliate: posts sample leads to `leadrelay serve`, follows each one until
it is final, and prints a summary per offer. Standard library only.

    demo_traffic.py BASE_URL TOKEN PLAN_JSON

PLAN_JSON: [{"offer": "irev", "count": 5, "duplicate": false, "reject": 1}, ...], posted
in order; a group with "after_previous": true waits until every lead posted before it is
final; "reject" leads of a group get an e-mail address with "+reject" (the sandbox's
networks turn them down after a while). Once every lead is final, it follows the accepted
leads' stages (brought back by the service's status polling and by the networks'
postbacks) until each is final or STAGE_SECONDS (default 60) ran out.
Exit status 0 only when every lead reached a final outcome (accepted, rejected or error)
and every accepted lead got a stage back from its network.
"""
import json
import sys
import time
import urllib.error
import urllib.request

FINAL = {"accepted", "rejected", "error"}
FINAL_STAGES = {"approve", "cancel", "trash"}


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


def wait_stages(base, token, accepted, limit):
    """Follows the accepted leads until each has a final stage (or the time runs out)."""
    deadline = time.time() + limit
    stages = {}
    while time.time() < deadline:
        for lead_id in accepted:
            if stages.get(lead_id) not in FINAL_STAGES:
                _, answer = call("GET", "%s/api/v1/leads/%s" % (base, lead_id), token)
                stages[lead_id] = answer.get("stage")
        done = sum(1 for s in stages.values() if s in FINAL_STAGES)
        print("\r  final stage: %d/%d" % (done, len(accepted)), end="", flush=True)
        if done == len(accepted):
            break
        time.sleep(0.5)
    print()
    return stages


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
            # The group's "reject" leads after its first (the first may be sent again as a duplicate).
            rejecting = 1 <= i <= group.get("reject", 0)
            email = "demo-%s-%d%s@example.com" % (group["offer"], 0 if again else i, "+reject" if rejecting else "")
            # A "sync" group registers each lead synchronously (?wait=10): the answer is the
            # outcome in Track360's shape, or 202 when the wait runs out.
            path = "/api/v1/leads?wait=10" if group.get("sync") else "/api/v1/leads"
            status, answer = call("POST", base + path, token, lead(group["offer"], n, email))
            if status == 200 and group.get("sync"):
                shown = answer.get("autoLoginUrl") if answer.get("success") else answer.get("error")
                print("\n  registered synchronously: success=%s %s" % (answer.get("success"), shown), end="")
            elif status != 202:
                print("\n  POST refused: %d %s" % (status, json.dumps(answer)))
                return 1
            posted[answer["id"]] = group["offer"]
            if not group.get("sync"):
                print("\r  posted %d leads (202 each)" % len(posted), end="", flush=True)
        print()
    states.update(wait_final(base, token, list(posted)))
    accepted = [lead_id for lead_id in posted if states.get(lead_id, {}).get("state") == "accepted"]
    limit = float(sys.argv[4]) if len(sys.argv) > 4 else 60
    print("following the stages of %d accepted leads (polled and posted back by the networks)" % len(accepted))
    stages = wait_stages(base, token, accepted, limit)
    summary = {}
    for lead_id, offer in posted.items():
        state = states.get(lead_id, {})
        row = summary.setdefault(
            offer, {"sent": 0, "accepted": 0, "rejected": {}, "error": 0, "unfinished": 0, "stages": {}})
        row["sent"] += 1
        word = state.get("state")
        if word == "accepted":
            row["accepted"] += 1
            stage = stages.get(lead_id) or "none"
            row["stages"][stage] = row["stages"].get(stage, 0) + 1
        elif word == "rejected":
            reason = state.get("reason") or "(none)"
            row["rejected"][reason] = row["rejected"].get(reason, 0) + 1
        elif word == "error":
            row["error"] += 1
        else:
            row["unfinished"] += 1
    print()
    print("%-10s %5s %9s  %-26s %6s  %s" % ("offer", "sent", "accepted", "rejected by reason", "error", "stages of accepted"))
    for offer, row in summary.items():
        rejected = ", ".join("%s %d" % item for item in sorted(row["rejected"].items())) or "-"
        staged = ", ".join("%s %d" % item for item in sorted(row["stages"].items())) or "-"
        print("%-10s %5d %9d  %-26s %6d  %s" % (offer, row["sent"], row["accepted"], rejected, row["error"], staged))
    unfinished = sum(row["unfinished"] for row in summary.values())
    if unfinished:
        print("%d leads did not reach a final outcome" % unfinished)
        return 1
    unstaged = sum(row["stages"].get("none", 0) for row in summary.values())
    if unstaged:
        print("%d accepted leads got no stage back from their network" % unstaged)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
