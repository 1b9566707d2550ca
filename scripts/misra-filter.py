#!/usr/bin/env python3
"""Keep the MISRA findings that Xenon enforces, and check deviation comments.

Reads the XML that `cppcheck --addon=misra --xml` wrote and the list of
adopted rules in docs/misra.md (the "Adopted rules" table). Prints each
finding of an adopted rule in a file under hypervisor/ (except the host-only
hypervisor/arch/fake/) and exits 1 if there is any. Also fails on:

  - a cppcheck-suppress comment (the deviation mechanism) without a reason
    after ';', or naming a MISRA rule that Xenon does not adopt;
  - a MISRA deviation that cppcheck reports as matching nothing
    (unmatchedSuppression, which needs --enable=information);
  - a cppcheck failure that means the addon did not look at a file.

Usage:
  misra-filter.py [--rules docs/misra.md] [--root DIR] RESULTS.xml
  misra-filter.py --list-deviations [--root DIR]
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

SCOPE = "hypervisor/"
EXCLUDED = ("hypervisor/arch/fake/",)
SOURCE_SUFFIXES = (".c", ".h")

# cppcheck reports these when it could not analyse (part of) a file, so the
# addon's silence about that file means nothing.
TOOL_FAILURES = {
    "syntaxError",
    "internalError",
    "internalAstError",
    "unknownMacro",
    "preprocessorErrorDirective",
    "failedToExecuteAddon",
    "cppcheckError",
    "misra-config",
}

ROW = re.compile(r"^\|\s*Rule\s+(\d+\.\d+)\s*\|([^|]*)\|([^|]*)\|")
SUPPRESS = re.compile(
    r"cppcheck-suppress(?:-[a-z]+)?\s*(\[[^\]]*\]|[A-Za-z0-9_.\-]+)"
    r"\s*(?:;(.*))?")
MISRA_ID = re.compile(r"^misra-c2012-(\d+\.\d+)$")


def read_rules(path):
    """Map "X.Y" -> (category, summary) from the Adopted rules table."""
    rules = {}
    in_section = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                in_section = line.strip().lower() == "## adopted rules"
                continue
            m = ROW.match(line) if in_section else None
            if m:
                rules[m.group(1)] = (m.group(2).strip(), m.group(3).strip())
    if not rules:
        sys.exit("misra-filter: no 'Rule X.Y' rows under '## Adopted rules' "
                 "in %s" % path)
    return rules


def rel(path, root):
    """Path relative to the repository root, with '/' separators."""
    p = os.path.relpath(os.path.abspath(path), root)
    return p.replace(os.sep, "/")


def in_scope(path):
    return path.startswith(SCOPE) and not path.startswith(EXCLUDED)


def iter_sources(root):
    for top in (SCOPE,):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(SOURCE_SUFFIXES):
                    path = rel(os.path.join(dirpath, name), root)
                    if in_scope(path):
                        yield path


def find_deviations(root):
    """Yield (path, line, [ids], reason) for each cppcheck-suppress comment."""
    for path in iter_sources(root):
        with open(os.path.join(root, path), encoding="utf-8",
                  errors="replace") as f:
            for n, text in enumerate(f, 1):
                m = SUPPRESS.search(text)
                if not m:
                    continue
                ids = [i.strip() for i in m.group(1).strip("[]").split(",")
                       if i.strip()]
                reason = (m.group(2) or "").strip()
                if reason.endswith("*/"):
                    reason = reason[:-2].strip()
                yield path, n, ids, reason


def check_deviations(root, rules):
    problems = []
    for path, line, ids, reason in find_deviations(root):
        where = "%s:%d" % (path, line)
        if len(reason) < 3:
            problems.append("%s: deviation of %s has no reason: write "
                            "'cppcheck-suppress ID ; REASON'"
                            % (where, ",".join(ids)))
        for i in ids:
            m = MISRA_ID.match(i)
            if i.startswith("misra") and not m:
                problems.append("%s: '%s' is not a MISRA rule id "
                                "(misra-c2012-X.Y)" % (where, i))
            elif m and m.group(1) not in rules:
                problems.append("%s: deviation of Rule %s, which Xenon does "
                                "not adopt (docs/misra.md): remove it"
                                % (where, m.group(1)))
    return problems


def location(err, root):
    loc = err.find("location")
    if loc is None:
        return "", 0, 0
    return (rel(loc.get("file", ""), root), int(loc.get("line", "0")),
            int(loc.get("column", "0")))


def check_results(path, root, rules):
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError) as e:
        return ["cannot read cppcheck results %s: %s" % (path, e)], 0, 0
    found, problems = set(), []
    ignored = 0
    for err in tree.getroot().iter("error"):
        eid = err.get("id", "")
        msg = err.get("msg", "")
        f, line, col = location(err, root)
        m = MISRA_ID.match(eid)
        if m:
            rule = m.group(1)
            if rule in rules and in_scope(f):
                cat, summary = rules[rule]
                found.add((f, line, col, rule, cat, summary))
            else:
                ignored += 1
        elif eid == "unmatchedSuppression":
            sid = msg.rsplit(":", 1)[-1].strip()
            if MISRA_ID.match(sid) and in_scope(f):
                problems.append("%s:%d: the deviation of %s for this line "
                                "matches no finding: remove it"
                                % (f, line, sid))
        elif eid in TOOL_FAILURES or eid.startswith("misra"):
            if not f or in_scope(f) or eid in ("failedToExecuteAddon",
                                               "internalError"):
                first = msg.split("Traceback")[0].strip()[:300]
                problems.append("%s:%d: cppcheck could not check this for "
                                "MISRA: %s [%s]" % (f or "?", line, first, eid))
    lines = ["%s:%d:%d: Rule %s (%s): %s [misra-c2012-%s]"
             % (f, line, col, rule, cat, summary, rule)
             for f, line, col, rule, cat, summary in sorted(found)]
    return problems + lines, len(found), ignored


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", nargs="?",
                    help="XML written by cppcheck --addon=misra --xml")
    ap.add_argument("--rules", default="docs/misra.md",
                    help="document with the Adopted rules table")
    ap.add_argument("--root", default=".", help="repository root")
    ap.add_argument("--list-deviations", action="store_true",
                    help="list the deviation comments in hypervisor/ and exit")
    args = ap.parse_args()
    root = os.path.abspath(args.root)

    if args.list_deviations:
        for path, line, ids, reason in find_deviations(root):
            print("%s:%d: %s: %s" % (path, line, ",".join(ids),
                                     reason or "(no reason)"))
        return 0
    if not args.results:
        ap.error("the cppcheck results file is required")

    rules = read_rules(os.path.join(root, args.rules))
    problems = check_deviations(root, rules)
    out, nfound, nignored = check_results(args.results, root, rules)
    problems += out
    for p in problems:
        print(p)
    if problems:
        print("misra: %d finding(s) of the %d adopted rules; %d finding(s) of "
              "other rules or outside %s ignored"
              % (nfound, len(rules), nignored, SCOPE))
        print("misra: fix the code, or record a deviation as docs/misra.md "
              "explains")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
