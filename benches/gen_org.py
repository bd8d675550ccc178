#!/usr/bin/env python3
"""Writes a large, realistic organization snapshot for benchmarks.

The accounts are copies of the example organization's accounts
(fixtures/snapshots/reference-drifted.json: real ARN shapes, the reference's
settings and its planted drift), so every finding a copy yields is one a real
KubeRocketCI account can have. Account 0 is the management account; the others
cycle through Production, Shared and Development, each with its own id, name
and ARNs.

Size: `--resources N` repeats each resource list of a member account (names,
ids and ARNs suffixed) until the account holds about N resources (the
management account keeps its own few); `--scale K` instead repeats every
account's resources K times. `--gaps F` denies one service in a share F of the
accounts (a coverage gap, as AccessDenied does); `--hostile` puts markup in
some account names and tags, as an attacker who can tag an account would.

    benches/gen_org.py --accounts 100 --resources 1000 --gaps 0 --output /tmp/org.json
    archaudit check /tmp/org.json --format json --output /tmp/report.json

    benches/gen_org.py --accounts 100 --scale 4 --output /tmp/org.json
    archaudit check /tmp/org.json --format html --output /tmp/org.html

Accounts are written one at a time (compact JSON, sorted by id), so a
generator run for a million resources needs the memory of one account, not of
the file. The output is deterministic for a given set of flags.
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


def collections(account):
    """(section, collection, items) of every resource list of an account."""
    for section, value in account.items():
        if section in ("account", "regions", "coverage") or not isinstance(value, dict):
            continue
        for collection, items in value.items():
            if isinstance(items, list):
                yield section, collection, items


def resource_count(account):
    return sum(len(items) for _, _, items in collections(account))


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
    for section, collection, items in list(collections(account)):
        if (section, collection) in SINGLETONS:
            continue
        account[section][collection] = items + [
            suffix_item(item, j) for j in range(1, scale) for item in items
        ]


def plan(accounts, base):
    """(index, role, id) of every account, sorted by id as a snapshot is."""
    management = base["organization"]["management_account_id"]
    out = []
    for i in range(accounts):
        role = "management" if i == 0 else ROLES[(i - 1) % len(ROLES)]
        out.append((i, role, management if i == 0 else account_id(i)))
    return sorted(out, key=lambda p: p[2])


def make_account(base, template, i, role, new_id, scale, rng, gaps, hostile):
    management = base["organization"]["management_account_id"]
    old_id = template["account"]["id"]
    account = json.loads(json.dumps(template).replace(old_id, new_id))
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
    return account


def generate(out, accounts, scale, resources, gaps, hostile, seed=7):
    """Writes the snapshot to `out`; returns (accounts, resources) written."""
    with open(BASE) as f:
        base = json.load(f)
    by_role = templates(base)
    # Members are written in index order (their ids grow with it; the
    # management account's sorts last), so the gap draws follow the index.
    rng = random.Random(seed)
    header = {
        "schema_version": base["schema_version"],
        "generated_at": base["generated_at"],
        "organization": base["organization"],
    }
    out.write(json.dumps(header)[:-1] + ', "accounts": [')
    total = 0
    for n, (i, role, new_id) in enumerate(plan(accounts, base)):
        template = by_role[role]
        if resources and i > 0:
            k = max(1, round(resources / max(1, resource_count(template))))
        else:
            k = 1 if resources else scale
        account = make_account(
            base, template, i, role, new_id, k, rng, gaps, hostile
        )
        total += resource_count(account)
        out.write((", " if n else "") + json.dumps(account))
    out.write("]}")
    return accounts, total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument(
        "--resources", type=int, default=0,
        help="about this many resources per member account (instead of --scale)",
    )
    parser.add_argument("--gaps", type=float, default=0.05)
    parser.add_argument("--hostile", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    with open(args.output, "w") as out:
        accounts, resources = generate(
            out, args.accounts, args.scale, args.resources, args.gaps, args.hostile, args.seed
        )
    print(f"wrote {args.output}: {accounts} accounts, {resources} resources")


if __name__ == "__main__":
    main()
