"""Fail on include or call cycles in core/ and arch/arm64/ (run by check.sh).

Two graphs, each checked within one layer at a time:

  include  header -> header it includes, over every header of hypervisor/
           but arch/fake/'s (resolved as the Makefile's -I options do).
           Any cycle fails.
  call     C file -> C file defining a function it calls, from the built
           objects ($O/hypervisor/.../*.c.o): each undefined symbol of one
           object against the global functions (nm type T) of the others.
           Data and the assembly files are left out: entry code is reached
           from the vector table, not called, and a variable is no call.
           A cycle between files of core/, or between files of arch/arm64/,
           fails, except inside the domain <-> event channel <-> grant table
           knot that Xen has too (ALLOWED), and through the edges KNOWN
           lists (cycles not yet broken; the list may only shrink).
           Skipped, with a note, when there is no build.

Calls from one layer into the other (core/ -> arch hooks -> core/) are the
arch interface and are not cycles here.

Usage: include-cycles.py [--obj-dir DIR] [--nm NM]
"""
import argparse
import os
import re
import subprocess
import sys

SRC = "hypervisor"
LAYERS = ("core", "arch/arm64")
# The host tests' stand-ins: not part of the hypervisor.
SKIP = SRC + "/arch/fake"
# The one knot allowed: a domain owns its event channels and grant table,
# and both look domains up (Xen has the same).
# event-2l.c and event-fifo.c are the event channel's two port layouts;
# event-poll.c is SCHEDOP_poll, a wait on event channel ports that the
# ports wake (Xen's evtchn_check_pollers()).
ALLOWED = {
    "core/domain.c", "core/event-channel.c", "core/event-2l.c",
    "core/event-fifo.c", "core/event-poll.c", "core/grant-table.c",
}
# Calls that still close a cycle, each with what would remove it. Remove
# an entry once its call is gone (the check notes entries that no longer
# match any call); never add one.
KNOWN: set = set()
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def strongly_connected(graph):
    """Tarjan's algorithm, iterative: the components of more than one
    node, or of one node with an edge to itself."""
    index = {}
    low = {}
    on_stack = set()
    stack = []
    comps = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    n = stack.pop()
                    on_stack.discard(n)
                    comp.append(n)
                    if n == node:
                        break
                if len(comp) > 1 or node in graph[node]:
                    comps.append(sorted(comp))
    return comps


def a_cycle(graph, comp, start=None):
    """A shortest cycle through start (default the component's first
    node), for the message."""
    members = set(comp)
    start = comp[0] if start is None else start
    prev = {start: None}
    queue = [start]
    for node in queue:
        for nxt in sorted(graph[node]):
            if nxt == start:
                path = [node]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if nxt in members and nxt not in prev:
                prev[nxt] = node
                queue.append(nxt)
    return [start]


def include_dirs():
    """Where <...> includes are looked for, as the Makefile's -I: every
    include/ directory of hypervisor/ (but the host stand-ins'), then
    hypervisor/ itself (<drivers/...>)."""
    dirs = []
    for d, subdirs, _ in os.walk(SRC):
        subdirs[:] = sorted(x for x in subdirs
                            if os.path.join(d, x) != SKIP)
        if os.path.basename(d) == "include":
            dirs.append(d)
    return dirs + [SRC]


def resolve_include(path, quoted, name, dirs):
    cands = [os.path.join(os.path.dirname(path), name)] if quoted else []
    cands += [os.path.join(d, name) for d in dirs]
    for cand in cands:
        if os.path.isfile(cand):
            return os.path.normpath(cand)
    return None


def include_graph():
    """Header -> headers it includes, over every header of hypervisor/
    (but the host stand-ins')."""
    dirs = include_dirs()
    graph = {}
    for d, subdirs, names in os.walk(SRC):
        subdirs[:] = sorted(x for x in subdirs
                            if os.path.join(d, x) != SKIP)
        for f in names:
            if f.endswith(".h"):
                graph[os.path.normpath(os.path.join(d, f))] = set()
    for path in graph:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        for m in INCLUDE_RE.finditer(text):
            dep = resolve_include(path, m.group(1) == '"', m.group(2), dirs)
            if dep in graph:
                graph[path].add(dep)
    return graph


def layer_files(exts):
    """The sources of each layer, its subdirectories (such as arch/arm64's
    dt/) included, its include/ directory not."""
    files = []
    for layer in LAYERS:
        top = os.path.join(SRC, layer)
        for d, subdirs, names in os.walk(top):
            subdirs[:] = sorted(x for x in subdirs if x != "include")
            rel = os.path.relpath(d, SRC)
            files += [rel + "/" + f for f in sorted(names)
                      if f.endswith(exts)]
    return files


def symbols_from_objects(obj_dir, nm):
    """{file: (defined, undefined)} from nm, or None if objects are
    missing."""
    result = {}
    for f in layer_files((".c",)):
        obj = os.path.join(obj_dir, SRC, f + ".o")
        if not os.path.isfile(obj):
            return None
        out = subprocess.run([nm, obj], check=True, capture_output=True,
                             text=True).stdout
        defined, undefined = set(), set()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "U":
                undefined.add(parts[1])
            elif len(parts) == 3 and parts[1] == "T":
                defined.add(parts[2])
        result[f] = (defined, undefined)
    return result


def call_graph(symbols):
    """{file: {file it calls: {functions}}}."""
    owner = {}
    for f, (defined, _) in symbols.items():
        for sym in defined:
            owner.setdefault(sym, f)
    graph = {}
    for f, (_, undefined) in symbols.items():
        graph[f] = {}
        for sym in undefined:
            if sym in owner and owner[sym] != f:
                graph[f].setdefault(owner[sym], set()).add(sym)
    return graph


def restrict(graph, layer):
    keep = {n for n in graph if n.startswith(layer + "/")}
    return {n: {m for m in graph[n] if m in keep} for n in keep}


def check_calls(obj_dir, nm):
    symbols = symbols_from_objects(obj_dir, nm)
    if symbols is None:
        print("include-cycles: note: no objects in %s: call graph not "
              "checked (build first)" % obj_dir)
        return False
    calls = call_graph(symbols)
    bad = False
    for a, b in sorted(KNOWN):
        if b not in calls.get(a, {}):
            print("include-cycles: note: %s no longer calls %s: remove it "
                  "from KNOWN" % (a, b))
    for layer in LAYERS:
        sub = restrict(calls, layer)
        for a, b in KNOWN:
            sub.get(a, set()).discard(b)
        for comp in strongly_connected(sub):
            if set(comp) <= ALLOWED:
                continue
            # Show a cycle through a file outside the allowed knot.
            cycle = a_cycle(sub, comp,
                            next(n for n in comp if n not in ALLOWED))
            print("include-cycles: call cycle: " + " -> ".join(cycle))
            for a, b in zip(cycle, cycle[1:]):
                print("include-cycles:   %s calls %s: %s" %
                      (a, b, " ".join(sorted(calls[a][b]))))
            print("include-cycles:   files in the cycles: " + " ".join(comp))
            bad = True
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--obj-dir", default=os.environ.get("O", "build"))
    ap.add_argument("--nm", default="aarch64-linux-gnu-nm")
    args = ap.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    bad = False

    graph = include_graph()
    for comp in strongly_connected(graph):
        print("include-cycles: include cycle: " +
              " -> ".join(a_cycle(graph, comp)))
        bad = True
    if check_calls(args.obj_dir, args.nm):
        bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
