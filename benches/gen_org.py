#!/usr/bin/env python3
"""Writes a large, realistic organization snapshot for benchmarks.

The accounts are copies of the example organization's accounts
(fixtures/snapshots/reference-drifted.json: real ARN shapes, the reference's
settings and its planted drift), so every finding a copy yields is one a real
KubeRocketCI account can have. Account 0 is the management account; the others
cycle through Production, Shared and Development, each with its own id, name
and ARNs. `--scale K` repeats each account's resources K times (names and ARNs
suffixed), which multiplies the resource-level findings; `--gaps F` denies one
service in a share F of the accounts (a coverage gap, as AccessDenied does);
`--hostile` puts markup in some account names and tags, as an attacker who can
tag an account would.

    benches/gen_org.py --accounts 100 --scale 4 --output /tmp/org.json
    archaudit check /tmp/org.json --format html --output /tmp/org.html

About 100 findings per workload account at --scale 4 (10,000 for 100
accounts). The output is deterministic for a given set of flags.
"""
import argparse
import copy
import json
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.path.join(ROOT, "fixtures/snapshots/reference-drifted.json")
ROLES = ["production", "shared", "development"]
# Collections that hold one item per account and region, not resources to repeat.
SINGLETONS = {("ecr", "registries")}
DENIABLE = ["ecr", "eks", "elbv2", "rds", "ssm", "secretsmanager", "logs", "wafv2"]


def templates(base):
    """The example's accounts by role (management included)."""
    out = {}
    for account in base["accounts"]:
        out[account["account"]["tags"].get("archaudit:role")] = account
    return out


def account_id(index):
    return f"{200000000000 + index * 7919:012d}"


def suffix_item(item, j):
    """A copy of a resource with its name, id and ARN (and the ARNs of its
    parts, such as listeners) made unique by `-j`."""
    item = copy.deepcopy(item)

    def walk(node, top):
        for key in ("arn", "name", "id", "uri") if top else ("arn",):
            value = node.get(key)
            if isinstance(value, str):
                node[key] = f"{value}-{j}"
        for value in node.values():
            for child in value if isinstance(value, list) else []:
                if isinstance(child, dict):
                    walk(child, False)

    walk(item, True)
    return item


def scale_account(account, scale):
    if scale <= 1:
        return
    for section, value in account.items():
        if section in ("account", "regions", "coverage") or not isinstance(value, dict):
            continue
        for collection, items in value.items():
            if not isinstance(items, list) or (section, collection) in SINGLETONS:
                continue
            value[collection] = items + [
                suffix_item(item, j) for j in range(1, scale) for item in items
            ]


def generate(accounts, scale, gaps, hostile, seed=7):
    rng = random.Random(seed)
    with open(BASE) as f:
        base = json.load(f)
    by_role = templates(base)
    out = {
        "schema_version": base["schema_version"],
        "generated_at": base["generated_at"],
        "organization": base["organization"],
        "accounts": [],
    }
    management = base["organization"]["management_account_id"]
    for i in range(accounts):
        role = "management" if i == 0 else ROLES[(i - 1) % len(ROLES)]
        template = by_role[role]
        old_id = template["account"]["id"]
        new_id = management if i == 0 else account_id(i)
        text = json.dumps(template).replace(old_id, new_id)
        account = json.loads(text)
        if i > 0:
            account["account"]["name"] = f"krci-{role}-{i:03d}"
            account["account"]["email"] = f"aws+{role}-{i:03d}@example.com"
            account["account"]["arn"] = (
                f"arn:aws:organizations::{management}:account/"
                f"{base['organization']['id']}/{new_id}"
            )
        scale_account(account, scale)
        if i > 0 and rng.random() < gaps:
            service = rng.choice(DENIABLE)
            for c in account["coverage"]:
                if c["service"] == service:
                    c["status"] = "error"
                    c["error"] = "AccessDenied"
                    c["message"] = (
                        f"AccessDenied: User: arn:aws:sts::{new_id}:assumed-role/"
                        f"OrganizationAccountAccessRole/archaudit is not authorized"
                    )
            for collection in account[service]:
                if isinstance(account[service][collection], list):
                    account[service][collection] = []
        if hostile and i % 10 == 5:
            account["account"]["tags"]["Owner"] = (
                "</script><script>document.title='pwned'</script>"
            )
            account["account"]["name"] += " <img src=x onerror=alert(1)>"
        out["accounts"].append(account)
    out["accounts"].sort(key=lambda a: a["account"]["id"])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--gaps", type=float, default=0.05)
    parser.add_argument("--hostile", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    org = generate(args.accounts, args.scale, args.gaps, args.hostile, args.seed)
    with open(args.output, "w") as f:
        json.dump(org, f)
    resources = sum(
        len(items)
        for a in org["accounts"]
        for section, value in a.items()
        if isinstance(value, dict) and section != "account"
        for items in value.values()
        if isinstance(items, list)
    )
    print(f"wrote {args.output}: {len(org['accounts'])} accounts, about {resources} resources")


if __name__ == "__main__":
    main()
