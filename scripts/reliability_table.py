#!/usr/bin/env python3
"""Turns the rows of the reliability tests (JSON lines, see tests/reliability.rs) into the
Markdown table of RELIABILITY.md: one line per case and transport, summed over every run."""

import json
import sys


def main(path):
    groups = {}
    order = []
    with open(path) as lines:
        for line in lines:
            line = line.strip()
            if not line:
                continue
            row = json.loads(line)
            key = (row["case"], row["transport"])
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(row)

    out = [
        "| Fault or bad input | Transport | Runs | Tried | Sent | Delivered | Duplicated "
        "| Rejected | Lost | Notes (last run) | Test |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for key in order:
        rows = groups[key]
        total = lambda field: sum(r[field] for r in rows)
        binary, _, name = rows[-1]["test"].partition("::")
        out.append(
            "| {} | {} | {} | {:,} | {:,} | {:,} | {:,} | {:,} | {:,} | {} | `{}` `{}` |".format(
                key[0].replace("|", "\\|"),
                key[1],
                len(rows),
                total("tried"),
                total("sent"),
                total("delivered"),
                total("duplicated"),
                total("rejected"),
                total("lost"),
                rows[-1]["notes"].replace("|", "\\|"),
                binary,
                name,
            )
        )
    print("\n".join(out))
    lost = sum(r["lost"] for rows in groups.values() for r in rows)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
