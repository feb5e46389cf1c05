#!/usr/bin/env python3
"""Prints the key-custody matrix of docs/protocol.md from the design's rules (not from the code).

The rules, one per item an attacker holding the full POST/vault dump may learn:
  phone      = OP and AUTH                  (registration: OP layer, then AUTH)
  place      = OP and TAG and AUTH          (place record: OP, TAG, AUTH)
  card-owner = OP and TAG and AUTH          (personal-code record: OP, TAG, AUTH)
  find       = OP and USR                   (user entries found by find-tags of USR's find keys)
  visits     = OP and AUTH and USR          (user entry: OP, AUTH, USR)
  slot       = OP and ((TAG and TMP) or (AUTH and USR))   (SCAN = KDF(TAG, TMP) or from visits)
  identity   = slot and AUTH                (the contact reference inside is sealed to AUTH)
AUTH-other (a different authority's key) appears in no rule.
"""
import itertools

KEYS = ["OP", "AUTH", "AUTH-other", "USR", "TAG", "TMP"]
ITEMS = ["phone", "place", "card-owner", "find", "visits", "slot", "identity"]


def rules(op, a, _other, u, t, m):
    slot = op and ((t and m) or (a and u))
    return [op and a, op and t and a, op and t and a, op and u, op and a and u, slot, slot and a]


print("| " + " | ".join(KEYS + ITEMS) + " |")
print("|" + "|".join([":-:"] * (len(KEYS) + len(ITEMS))) + "|")
for bits in itertools.product([False, True], repeat=6):
    res = rules(*bits)
    cells = ["●" if b else "·" for b in bits] + ["opens" if r else "—" for r in res]
    print("| " + " | ".join(cells) + " |")
